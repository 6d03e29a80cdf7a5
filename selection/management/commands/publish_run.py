from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mobility.management.base import TimelineCommand
from selection.models import PublicationStage
from selection.publication import PublicationError, publication_risks, run_publish


class Command(TimelineCommand):
    help = "Publish the latest finished selection run of a call as the preliminary or the final list."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("--stage", required=True, choices=PublicationStage.values)
        # The contract (placement-files §2) refuses only a missing run and a second final list, so
        # the command always publishes; the consequences the web page asks about are printed here.
        parser.add_argument("--confirm", action="store_true", help="accepted for scripts; the command never asks")
        super().add_arguments(parser)

    def handle(self, *args, call_code, stage, confirm=False, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        for risk in publication_risks(call=call, stage=stage, at=at):
            self.stderr.write(_("warning: %(risk)s") % {"risk": risk})
        try:
            publication = run_publish(call=call, stage=stage, at=at, confirmed=True)
        except PublicationError as exc:
            raise CommandError(str(exc)) from None
        run = publication.run
        # Summary words stay English, like run_selection's, so other systems can read them.
        self.stdout.write(
            f"{call.code}: run #{run.pk} published as {stage} at {at.isoformat()} "
            f"({run.primaries} primaries, {run.reserves} reserves, {run.excluded} excluded)"
        )
