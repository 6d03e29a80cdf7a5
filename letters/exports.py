"""The placements as the contract's CSV (placement-files §11)."""

from letters.models import LetterDecision, Placement
from mobility.spreadsheets import csv_writer

COLUMNS = ["student_number", "department_code", "order", "status", "promoted", "promotion_seq", "letter", "grant_eur", "held_eur", "penalty"]


def placement_row(placement: Placement) -> list[str]:
    letter = getattr(placement, "letter", None)
    approved = letter is not None and letter.decision == LetterDecision.APPROVED
    return [
        placement.student_number,
        placement.department_code,
        str(placement.order),
        placement.status,
        "yes" if placement.promoted else "no",
        "" if placement.promotion_seq is None else str(placement.promotion_seq),
        letter.decision if letter is not None else "none",
        f"{letter.grant_eur:.2f}" if approved else "",
        f"{placement.held_eur:.2f}",
        "yes" if placement.penalty else "no",
    ]


def placements_csv(*, call, stream) -> None:
    writer = csv_writer(stream)
    writer.writerow(COLUMNS)
    for placement in Placement.objects.filter(call=call).select_related("letter").order_by("order"):
        writer.writerow(placement_row(placement))
