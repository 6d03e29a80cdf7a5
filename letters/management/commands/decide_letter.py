from django.core.management.base import CommandError

from letters.models import LetterDecision
from letters.services import PlacementError
from letters.services.letters import letter_decide
from mobility.management.base import TimelineCommand


class Command(TimelineCommand):
    help = "Approve or reject a student's waiting acceptance letter."

    def add_arguments(self, parser):
        parser.add_argument("call_code")
        parser.add_argument("student_number")
        parser.add_argument("decision", choices=["approved", "rejected"])
        parser.add_argument("--reason", default="")
        super().add_arguments(parser)

    def handle(self, *args, call_code, student_number, decision, reason, **options):
        at = self.instant(options)
        call = self.call_get(call_code)
        try:
            letter, promoted = letter_decide(call=call, student_number=student_number, decision=decision, reason=reason, at=at)
        except PlacementError as exc:
            raise CommandError("; ".join(exc.lines)) from None
        placement = letter.placement
        self.stdout.write(
            f"{call.code}: {student_number} letter {decision}"
            + (f", grant {letter.grant_eur:.2f}" if decision == LetterDecision.APPROVED else "")
            + f"; status {placement.status}; promoted: {', '.join(p.student_number for p in promoted) or '-'}"
        )
