import datetime as dt
from decimal import Decimal

from letters.grants import mobility_days
from mobility.grants import default_country_groups


def test_mobility_days_example_1_january_to_15_april_2023_is_105_days():
    assert mobility_days(dt.date(2023, 1, 1), dt.date(2023, 4, 15)) == 105  # 3 months and 15 days


def test_mobility_days_counts_every_month_as_30_days():
    # The 31st counts as the 30th; February is a full month too.
    assert mobility_days(dt.date(2023, 7, 1), dt.date(2023, 8, 31)) == 60
    assert mobility_days(dt.date(2023, 2, 1), dt.date(2023, 2, 28)) == 28
    assert mobility_days(dt.date(2023, 7, 5), dt.date(2023, 9, 4)) == 60


def test_default_country_groups_follow_the_2024_traineeship_rates():
    groups = {g["group"]: g for g in default_country_groups("KA131-SMT")}
    assert groups[1]["monthly_rate_eur"] == groups[2]["monthly_rate_eur"] == Decimal("750.00")
    assert groups[3]["monthly_rate_eur"] == Decimal("600.00")
    assert "CZ" in groups[2]["countries"] and "PL" in groups[3]["countries"]
    assert all("GB" not in g["countries"] for g in groups.values())  # the United Kingdom no longer takes part
    study = {g["group"]: g for g in default_country_groups("KA131-SMS")}
    assert study[3]["monthly_rate_eur"] == Decimal("450.00")
