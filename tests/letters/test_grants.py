import datetime as dt
from decimal import Decimal as D

import pytest

from letters.grants import grant_amount, mobility_days


def test_the_eu_day_count_of_domain_rules():
    assert mobility_days(dt.date(2023, 1, 1), dt.date(2023, 4, 15)) == 105


@pytest.mark.parametrize("start, end, days", [
    ((2023, 7, 1), (2023, 8, 30), 60), ((2023, 7, 1), (2023, 8, 31), 60), ((2023, 2, 1), (2023, 2, 28), 28),
    ((2023, 7, 31), (2023, 9, 29), 60), ((2023, 7, 1), (2023, 7, 1), 1),
])
def test_thirty_day_months(start, end, days):
    assert mobility_days(dt.date(*start), dt.date(*end)) == days


def test_grant_is_capped_by_the_funded_months():
    # 105 days, 2 funded months: 60 funded days × €750 per month.
    assert grant_amount(rate=D("750.00"), days=105, funded_months=2) == D("1500.00")
    assert grant_amount(rate=D("750.00"), days=105, funded_months=3) == D("2250.00")


def test_fewer_days_than_the_cap_are_funded_by_the_days():
    # 105 days with 4 funded months: 3 months and 15 days.
    assert grant_amount(rate=D("750.00"), days=105, funded_months=4) == D("2625.00")
    # 61 days at €600: 2 months + 600/30 = 1220.00; 47 days at €750: 750 + 750 × 17 / 30 = 1175.00
    assert grant_amount(rate=D("600.00"), days=61, funded_months=3) == D("1220.00")
    assert grant_amount(rate=D("750.00"), days=47, funded_months=3) == D("1175.00")


def test_rounding_half_up_to_cents_at_the_end_only():
    # 700 × 1/30 = 23.333…; 725 × 1 / 30 = 24.1666… → 24.17; 745 × 13/30 = 322.8333… → 322.83
    assert grant_amount(rate=D("725.00"), days=31, funded_months=3) == D("749.17")
    assert grant_amount(rate=D("745.00"), days=43, funded_months=3) == D("1067.83")
    # 10.05 × 15 / 30 = 5.025 → 5.03 (half-up, not banker's)
    assert grant_amount(rate=D("10.05"), days=15, funded_months=1) == D("5.03")


def test_a_count_across_the_new_year_15_november_to_13_january_is_59_days():
    # (2024 - 2023) x 360 + (1 - 11) x 30 + (13 - 15) + 1 = 360 - 300 - 2 + 1
    assert mobility_days(dt.date(2023, 11, 15), dt.date(2024, 1, 13)) == 59
    assert mobility_days(dt.date(2023, 11, 15), dt.date(2024, 1, 14)) == 60
    assert mobility_days(dt.date(2023, 12, 31), dt.date(2024, 1, 1)) == 2
    assert mobility_days(dt.date(2022, 1, 1), dt.date(2024, 1, 1)) == 721  # two years of 360 days, +1


def _letter(start, end):
    from letters.checks import LetterData

    return LetterData(host_name="Host GmbH", host_type="company", country="DE", city="Berlin",
                      start_date=start, end_date=end, submitted_at=dt.datetime(2023, 10, 1, tzinfo=dt.UTC))


def test_a_letter_of_59_days_across_the_new_year_is_too_short_for_60():
    from types import SimpleNamespace

    from letters.checks import letter_problems

    call = SimpleNamespace(mobility_start=None, mobility_end=None, min_days=60, letter_deadline=None)
    rates = {"DE": D("750.00")}
    problems = letter_problems(call=call, data=_letter(dt.date(2023, 11, 15), dt.date(2024, 1, 13)), rates=rates)
    assert [code for code, _ in problems] == ["too_short"]
    assert "59 days" in problems[0][1]
    assert letter_problems(call=call, data=_letter(dt.date(2023, 11, 15), dt.date(2024, 1, 14)), rates=rates) == []
