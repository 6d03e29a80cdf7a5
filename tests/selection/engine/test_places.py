"""Primary places from the budget: floor(budget / planning amount) (domain-rules §5.3)."""

from decimal import Decimal

import pytest

from selection.engine import CallRules, EngineInputError, call_places


@pytest.mark.parametrize(
    ("budget", "planning", "places"),
    [
        ("5400.00", "1350.00", 4),  # document 001: EUR 5,400 at EUR 1,350 a student
        ("5399.99", "1350.00", 3),  # a cent short of the fourth place
        ("6000.00", "1350.00", 4),  # 4.44 places, rounded down
        # Amounts below one euro are amounts all the same (a test call, a currency unit of cents).
        ("0.50", "0.25", 2),
        ("3.00", "0.40", 7),
        ("0.99", "0.33", 3),
        ("0.01", "0.01", 1),
        ("0.98", "0.99", 0),
        ("999999999999.99", "0.01", 99999999999999),  # twelve digits: no rounding before the floor
    ],
)
def test_places_are_the_budget_over_the_planning_amount_rounded_down(budget, planning, places):
    assert call_places(budget_eur=Decimal(budget), planning_amount_eur=Decimal(planning)) == places


@pytest.mark.parametrize(
    ("budget", "planning"),
    [("0", "1350.00"), ("-5400", "1350.00"), ("5400.00", "0"), ("5400.00", "-1350"), ("5400.00", None)],
)
def test_no_budget_or_no_planning_amount_covers_no_place(budget, planning):
    planning = None if planning is None else Decimal(planning)
    assert call_places(budget_eur=Decimal(budget), planning_amount_eur=planning) == 0


def test_the_call_file_reader_computes_places_with_call_places():
    assert CallRules.from_dict({"budget_eur": "0.50", "planning_amount_eur": "0.25"}).places == 2
    assert CallRules.from_dict({"budget_eur": "6000", "planning_amount_eur": "1350"}).places == 4
    assert CallRules.from_dict({"places": 3, "budget_eur": "6000", "planning_amount_eur": "1350"}).places == 3
    with pytest.raises(EngineInputError, match="planning_amount_eur must be positive"):
        CallRules.from_dict({"budget_eur": "6000", "planning_amount_eur": "0"})
