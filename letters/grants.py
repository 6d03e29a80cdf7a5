"""The grant of an approved letter (contract placement-files §5). Pure: no Django, no database."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def mobility_days(start: date, end: date) -> int:
    """Days as the EU Beneficiary Module counts them: every month has 30 days (domain-rules §9.1)."""
    return (
        (end.year - start.year) * 360
        + (end.month - start.month) * 30
        + (min(end.day, 30) - min(start.day, 30))
        + 1
    )


def funded_days(days: int, funded_months: int) -> int:
    return min(days, funded_months * 30)


def monthly_amount(rate: Decimal, days: int) -> Decimal:
    """rate × whole months + rate × remaining days / 30, rounded half-up to cents only at the end."""
    months, rest = divmod(days, 30)
    return (rate * months + rate * rest / 30).quantize(CENT, rounding=ROUND_HALF_UP)


def grant_amount(*, rate: Decimal, days: int, funded_months: int) -> Decimal:
    return monthly_amount(rate, funded_days(days, funded_months))
