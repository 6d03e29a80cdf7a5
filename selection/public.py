"""What a published list may show to anyone (KVKK art. 6): masked numbers, initials, no special category.

The public sees, per row: department, row number, masked student number, initials, outcome,
department rank, allocation order and the notes (reason for an exclusion, deductions by name).
No score at all: the call page publishes the bonus table, so an adjustments total (+15.00) names
the martyr/veteran-relative bonus; and any published score would give it away by combination:
academic and language scores beside a final score give the adjustments by subtraction, and even
a final score alone moves by exactly the bonus between two publications when an appeal gets a
bonus document accepted. The rank and outcome cannot be decomposed into a bonus. The student sees
their own full breakdown when signed in; staff outputs and the contract's CSV are unchanged.
See docs/public-lists.md.
"""
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from applications.models import BONUS_FIELDS
from mobility.models.calls import ADJUSTMENT_LABELS
from selection.models import Reason

SENSITIVE = set(BONUS_FIELDS)  # disability, martyr/veteran relative, law 2828: special-category data


def mask_student_number(number: str) -> str:
    """At most half of the characters show, the last ones (400100 -> ***100; 20230001 -> ****0001).

    Two students may share the shown half: rows are told apart by their row number in the list
    (department and position), which is the order the list is printed in and reveals nothing more.
    A student finds their own row by searching their full number.
    """
    number = number or ""
    shown = len(number) // 2
    return "*" * (len(number) - shown) + (number[-shown:] if shown else "")


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


def notes_labels() -> dict[str, dict[str, str]]:
    """The labels of reasons and adjustments in the active language, looked up once per list."""

    return {
        "reason": {value: str(label) for value, label in Reason.choices},
        "adjustment": {code: str(label) for code, label in ADJUSTMENT_LABELS.items()},
    }


def published_notes(result, labels: dict | None = None) -> list[str]:
    return published_notes_of(reason=result.reason, adjustments=result.adjustments, labels=labels or notes_labels())


def published_notes_of(*, reason: str, adjustments: list, labels: dict) -> list[str]:
    """What the public list says beside a row: the reason for an exclusion and deductions by name.

    Never a bonus, not even "a bonus": every bonus of the call is a special category (disability,
    martyr/veteran relative, Law 2828), so its mere presence is one. Deductions without their
    points: no figure that could be set against another.
    """
    lines = []
    if reason:
        lines.append(labels["reason"].get(reason, reason))
    for item in adjustments:
        if item["code"] in SENSITIVE or not item["applied"] or Decimal(item["points"]) > 0:
            continue
        label = labels["adjustment"].get(item["code"], item["code"])
        times = f" ×{item['count']}" if item["count"] > 1 else ""
        lines.append(f"{label}{times}")
    return lines
