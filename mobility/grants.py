"""Erasmus+ grant facts that change by contract year, and the call defaults the selection engine
never reads: kept as data, copied into each call. The arithmetic is in letters/grants.py."""
from decimal import Decimal

# Call settings outside the engine that the Call model and the call file share (selection-files.md §1).
FUNDED_MONTHS = 2
MIN_DAYS = 60
BUDGET_EUR = Decimal("0")
PLANNING_AMOUNT_EUR = Decimal("1")
FEWER_OPPORTUNITIES_TOP_UP_EUR = Decimal("250.00")

# Country groups for 2024 calls (programme countries; Türkiye is the sending country).
COUNTRY_GROUPS_2024 = {
    1: "DK FI IS IE LI LU NO SE",
    2: "AT BE CY CZ DE EE ES FR GR IT LV MT NL PT SI SK",
    3: "BG HR HU LT MK PL RO RS",
}
# Monthly rates for students sent from Türkiye, contract years 2021–2024.
MONTHLY_RATES = {
    "SMT": {1: Decimal("750.00"), 2: Decimal("750.00"), 3: Decimal("600.00")},
    "SMS": {1: Decimal("600.00"), 2: Decimal("600.00"), 3: Decimal("450.00")},
}


def default_country_groups(programme: str) -> list[dict]:
    kind = "SMS" if programme.endswith("SMS") else "SMT"
    return [
        {"group": group, "monthly_rate_eur": MONTHLY_RATES[kind][group], "countries": countries.split()}
        for group, countries in COUNTRY_GROUPS_2024.items()
    ]

