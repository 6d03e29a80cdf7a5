from django.core.management.base import BaseCommand, CommandError

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
            raise CommandError(f"{call_code}: no such call")
        try:
            run = selection_run(call=call)
        except SelectionBusy as exc:
            raise CommandError(str(exc))
        if run.status != RunStatus.FINISHED:
            raise CommandError(f"{call_code}: selection failed: {run.error}")
        self.stdout.write(
            f"{call.code}: {run.primaries} primaries, {run.reserves} reserves, {run.excluded} excluded "
            f"(run #{run.pk}, {run.duration_ms} ms)"
        )
