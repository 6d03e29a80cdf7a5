"""The grant of an approved letter (contract placement-files §5). Pure: no Django, no database."""
from decimal import ROUND_HALF_UP, Decimal

from mobility.grants import mobility_days  # noqa: F401 — one day count for the whole portal (domain-rules §9.1)

CENT = Decimal("0.01")


__all__ = ["mobility_days", "funded_days", "monthly_amount", "grant_amount"]


def funded_days(days: int, funded_months: int) -> int:
    return min(days, funded_months * 30)


def monthly_amount(rate: Decimal, days: int) -> Decimal:
    """rate × whole months + rate × remaining days / 30, rounded half-up to cents only at the end."""
    months, rest = divmod(days, 30)
    return (rate * months + rate * rest / 30).quantize(CENT, rounding=ROUND_HALF_UP)


def grant_amount(*, rate: Decimal, days: int, funded_months: int) -> Decimal:
    return monthly_amount(rate, funded_days(days, funded_months))
