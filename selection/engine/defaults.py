"""The contract's default rules of a call, written once (selection-files.md §1, domain rules §2–5).

The Call model's field defaults, the call file's defaults and the engine's CallRules all read
these, so a default changes in one place (the one import the core, mobility/, makes from a higher
app; the call settings the engine never reads are in mobility/grants.py). Pure Python: the engine stays free of Django.
"""
from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext
from types import MappingProxyType

# Minimum GPA per level on a 4.00 scale; the associate minimum follows the bachelor minimum.
MIN_GPA = MappingProxyType({
    "bachelor": Decimal("2.20"),
    "master": Decimal("2.50"),
    "doctorate": Decimal("2.50"),
})

ACADEMIC_FORMULA = "gpa_x25"
ACADEMIC_WEIGHT = Decimal("0.50")
LANGUAGE_WEIGHT = Decimal("0.50")
WRITTEN_WEIGHT = Decimal("0.75")
LISTENING_WEIGHT = Decimal("0.25")
ALLOCATION = "department_round_robin"

# Deduction and bonus points by contract code, in the order the adjustment lines are listed.
ADJUSTMENT_POINTS = MappingProxyType({
    "prior_participation": Decimal("-10"),
    "same_year_study_primary": Decimal("-10"),
    "late_withdrawal": Decimal("-10"),
    "non_prioritised_choice": Decimal("-10"),
    "missed_orientation": Decimal("-5"),
    "missed_exam": Decimal("-5"),
    "disability": Decimal("10"),
    "martyr_veteran_relative": Decimal("15"),
    "protection_2828": Decimal("10"),
})


def call_places(*, budget_eur: Decimal, planning_amount_eur: Decimal | None) -> int:
    """Primary places the budget covers: floor(budget ÷ planning amount) (domain rules §5.3).

    Rounded down: a place the budget does not fully cover is not a place. No planning amount
    (None or not positive) covers no place.
    """
    if planning_amount_eur is None or planning_amount_eur <= 0 or budget_eur <= 0:
        return 0
    with localcontext() as ctx:
        # Enough digits that the quotient of two 12-digit amounts is never rounded before the floor.
        ctx.prec = 60
        return int((Decimal(budget_eur) / Decimal(planning_amount_eur)).to_integral_value(rounding=ROUND_FLOOR))
