from django.core.management.base import CommandError

from letters.services import PlacementError
from letters.services.withdrawals import placement_withdraw
from mobility.management.base import TimelineCommand


class Command(TimelineCommand):
    help = "A primary or waiting reserve withdraws from the call."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("student_number")
        parser.add_argument("--force-majeure", action="store_true", help="documented force majeure: no penalty")
        super().add_arguments(parser)

    def handle(self, *args, call_code, student_number, force_majeure, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            placement, promoted = placement_withdraw(call=call, student_number=student_number, at=at, force_majeure=force_majeure)
        except PlacementError as exc:
            raise CommandError("; ".join(exc.lines)) from None
        self.stdout.write(
            f"{call.code}: {student_number} withdrawn (penalty: {'yes' if placement.penalty else 'no'}); "
            f"promoted: {', '.join(p.student_number for p in promoted) or '-'}"
        )
