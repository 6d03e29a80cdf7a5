from django.core.management.base import CommandError

from letters.services import PlacementError
from letters.services.ledger import budget_parse, budget_set, ledger_read
from mobility.management.base import TimelineCommand


class Command(TimelineCommand):
    help = "Change a call's budget after publication (lowering it takes no place away)."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("amount")
        super().add_arguments(parser)

    def handle(self, *args, call_code, amount, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            promoted = budget_set(call=call, amount=budget_parse(amount), at=at)
        except PlacementError as exc:
            raise CommandError("; ".join(exc.lines)) from None
        call.refresh_from_db()
        ledger = ledger_read(call=call)
        self.stdout.write(
            f"{call.code}: budget {ledger.budget:.2f}, held {ledger.held:.2f}, free {ledger.free:.2f}; "
            f"promoted: {', '.join(p.student_number for p in promoted) or '-'}"
        )
