from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from mobility.management.base import TimelineCommand
from selection.models import PublicationStage
from selection.publication import PublicationError, PublicationNeedsConfirmation, run_publish


class Command(TimelineCommand):
    help = "Publish the latest finished selection run of a call as the preliminary or the final list."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("--stage", required=True, choices=PublicationStage.values)
        parser.add_argument(
            "--confirm", action="store_true",
            help="publish although applications or the appeal window are still open, or no appeal deadline is set",
        )
        super().add_arguments(parser)

    def handle(self, *args, call_code, stage, confirm=False, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            publication = run_publish(call=call, stage=stage, at=at, confirmed=confirm)
        except PublicationNeedsConfirmation as exc:
            for risk in exc.risks:
                self.stderr.write(risk)
            raise CommandError(_("%(code)s: nothing was published; run again with --confirm to publish anyway") % {
                "code": call.code}) from None
        except PublicationError as exc:
            raise CommandError(str(exc)) from None
        run = publication.run
        # Summary words stay English, like run_selection's, so other systems can read them.
        self.stdout.write(
            f"{call.code}: run #{run.pk} published as {stage} at {at.isoformat()} "
            f"({run.primaries} primaries, {run.reserves} reserves, {run.excluded} excluded)"
        )
