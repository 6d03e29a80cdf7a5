"""What a published list may show to anyone (KVKK): masked student numbers, initials, no bonus kinds."""
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from applications.models import BONUS_FIELDS
from mobility.models.calls import ADJUSTMENT_LABELS

SENSITIVE = set(BONUS_FIELDS)  # disability, martyr/veteran relative, law 2828: special-category data


def mask_student_number(number: str) -> str:
    """Keep the first two and last two characters: a student recognises their own, others learn nothing."""
    number = number or ""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]


def initials(first_name: str, last_name: str) -> str:
    parts = f"{first_name or ''} {last_name or ''}".split()
    return " ".join(f"{p[0]}." for p in parts if p)


def public_notes(result) -> list[str]:
    """Deductions by name; a bonus only as "bonus (document accepted)"; unaccepted claims not at all."""
    lines = []
    for item in result.adjustments:
        if item["code"] in SENSITIVE:
            if item["applied"]:
                lines.append(_("Bonus (document accepted)"))
            continue
        if not item["applied"]:
            continue
        label = ADJUSTMENT_LABELS.get(item["code"], item["code"])
        times = f" ×{item['count']}" if item["count"] > 1 else ""
        points = Decimal(item["points"])
        sign = "+" if points > 0 else ""
        lines.append(f"{label}{times}: {sign}{formats.number_format(points, 2)}")
    if result.reason:
        lines.insert(0, str(result.get_reason_display()))
    return lines
