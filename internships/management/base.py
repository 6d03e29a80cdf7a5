from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from internships.models import InternshipProgramme
from internships.services import InternshipError
from mobility.instants import InstantError, instant_parse


class InternshipCommand(BaseCommand):
    """A contract command of the internship programme: `--at` (default: now) reaches the service;
    a refusal is one line per problem, each starting with its reason code, and a non-zero exit."""

    takes_at = True

    def add_arguments(self, parser):
        if self.takes_at:
            parser.add_argument("--at", default=None,
                                help="the moment the action happens, ISO 8601 with an offset (default: now)")

    def instant(self, options, key: str = "at"):
        if not options.get(key):
            return timezone.now()
        try:
            return instant_parse(options[key])
        except InstantError as exc:
            raise CommandError(f"bad_instant: --{key.replace('_', '-')}: {exc}") from None

    def programme_get(self, code: str) -> InternshipProgramme:
        programme = InternshipProgramme.objects.filter(code=code).first()
        if programme is None:
            raise CommandError(f"unknown_programme: {code}")
        return programme

    def refuse(self, error: InternshipError):
        raise CommandError("\n".join(error.lines))

    def output(self, options, writer, **kwargs):
        if options.get("output"):
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                writer(stream=handle, **kwargs)
        else:
            writer(stream=self.stdout, **kwargs)
