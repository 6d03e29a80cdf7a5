"""The final grant of a traineeship (placement-files §13). Pure: no Django, no clock.

Uses the portal's one grant arithmetic (letters.grants): 30-day months, funded days, monthly amount.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from letters.grants import funded_days, mobility_days, monthly_amount

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Traineeship:
    start: date  # first day at the host (certificate)
    end: date  # last day at the host
    letter_days: int  # the approved letter's days (30-day months)
    funded_months: int  # the call's
    min_days: int  # the call's
    monthly_rate: Decimal  # the rate of the letter's country
    top_up_rate: Decimal = ZERO  # the fewer-opportunities top-up per month, when the student has it
    force_majeure: bool = False


@dataclass(frozen=True)
class FinalGrant:
    actual_days: int
    funded_days: int  # 0 when the traineeship is not eligible
    grant: Decimal
    top_up: Decimal
    eligible: bool


def final_grant(t: Traineeship) -> FinalGrant:
    """min(actual days, the letter's funded days) through the §5 formula; 0.00 below the minimum
    duration unless force majeure (then the formula applies as it is)."""
    actual = mobility_days(t.start, t.end)
    eligible = actual >= t.min_days or t.force_majeure
    if not eligible:
        return FinalGrant(actual_days=actual, funded_days=0, grant=ZERO, top_up=ZERO, eligible=False)
    funded = min(actual, funded_days(t.letter_days, t.funded_months))
    return FinalGrant(
        actual_days=actual, funded_days=funded, grant=monthly_amount(t.monthly_rate, funded),
        top_up=monthly_amount(t.top_up_rate, funded) if t.top_up_rate else ZERO, eligible=True,
    )
