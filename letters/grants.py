"""The grant arithmetic, in one place (contract placement-files §5, domain rules §9.1).

Every month counts 30 days, as the EU Beneficiary Module counts them. Pure: no Django, no database.
"""
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
DAYS_PER_MONTH = 30


def mobility_days(start, end) -> int:
    """Days from start to end inclusive, every month counted as 30 days."""
    return (
        (end.year - start.year) * 12 * DAYS_PER_MONTH
        + (end.month - start.month) * DAYS_PER_MONTH
        + (min(end.day, DAYS_PER_MONTH) - min(start.day, DAYS_PER_MONTH))
        + 1
    )


def funded_days(days: int, funded_months: int) -> int:
    """The days the grant pays: at most the call's funded months."""
    return min(days, funded_months * DAYS_PER_MONTH)


def monthly_amount(rate: Decimal, days: int) -> Decimal:
    """rate × whole months + rate × remaining days / 30, rounded half-up to cents only at the end."""
    months, rest = divmod(days, DAYS_PER_MONTH)
    return (rate * months + rate * rest / DAYS_PER_MONTH).quantize(CENT, rounding=ROUND_HALF_UP)


def grant_amount(*, rate: Decimal, days: int, funded_months: int) -> Decimal:
    return monthly_amount(rate, funded_days(days, funded_months))
