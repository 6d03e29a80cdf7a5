from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.instants import InstantError, instant_parse
from mobility.models import Call


class TimelineCommand(BaseCommand):
    """A contract command that acts at an instant: `--at` (default: now) is passed to the service.

    Offices record what reached them earlier; outside tests replay timelines. Nothing below the
    command reads the clock when `--at` is given.
    """

    def add_arguments(self, parser):
        parser.add_argument(
            "--at", default=None,
            help="the moment the action happens, ISO 8601 with an offset (default: now)",
        )

    def instant(self, options):
        if not options.get("at"):
            return timezone.now()
        try:
            return instant_parse(options["at"])
        except InstantError as exc:
            raise CommandError(f"--at: {exc}") from None

    def call_get(self, code: str) -> Call:
        try:
            return Call.objects.get(code=code)
        except Call.DoesNotExist:
            raise CommandError(_("%(code)s: no such call") % {"code": code}) from None
