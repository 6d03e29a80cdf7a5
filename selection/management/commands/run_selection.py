from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from mobility.models import Call
from selection.models import RunStatus
from selection.services import SelectionBusy, selection_run


class Command(BaseCommand):
    help = "Score, rank and allocate every application of a call, stored as a new selection run."

    def add_arguments(self, parser):
        parser.add_argument("call_code")

    def handle(self, *args, call_code, **options):
        try:
            call = Call.objects.get(code=call_code)
        except Call.DoesNotExist:
            raise CommandError(_("%(code)s: no such call") % {"code": call_code})
        try:
            run = selection_run(call=call)
        except SelectionBusy as exc:
            raise CommandError(str(exc))
        if run.status != RunStatus.FINISHED:
            raise CommandError(_("%(code)s: selection failed: %(error)s") % {"code": call_code, "error": run.error})
        # The contract's summary line; its words stay English so other systems can read it.
        self.stdout.write(
            f"{call.code}: {run.primaries} primaries, {run.reserves} reserves, {run.excluded} excluded "
            f"(run #{run.pk}, {run.duration_ms} ms)"
        )
