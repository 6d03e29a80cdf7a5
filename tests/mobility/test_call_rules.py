"""A call's rules: the contract's defaults and the primary places its budget covers.

Expected values are the documents' own numbers (domain rules §2–5, document 001), written
out here, so a changed default anywhere (model, call file, engine) fails.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mobility.models import Call
from mobility.services.callfile import call_file_parse
from selection import engine
from selection.engine import call_places
from selection.services import selection_run
from tests.selection.helpers import apply

CONTRACT_POINTS = {
    "prior_participation": Decimal("-10"),
    "same_year_study_primary": Decimal("-10"),
    "late_withdrawal": Decimal("-10"),
    "non_prioritised_choice": Decimal("-10"),
    "missed_orientation": Decimal("-5"),
    "missed_exam": Decimal("-5"),
    "disability": Decimal("10"),
    "martyr_veteran_relative": Decimal("15"),
    "protection_2828": Decimal("10"),
}
CONTRACT_MIN_GPA = {"bachelor": Decimal("2.20"), "master": Decimal("2.50"), "doctorate": Decimal("2.50")}
CONTRACT_WEIGHTS = {
    "academic_weight": Decimal("0.50"), "language_weight": Decimal("0.50"),
    "written_weight": Decimal("0.75"), "listening_weight": Decimal("0.25"),
}


def _minimal_call_file() -> dict:
    return {
        "code": "MIN-1", "title": "Minimal", "programme": "KA131-SMT",
        "applications_open": "2022-12-05T09:00:00+03:00", "applications_close": "2022-12-20T17:00:00+03:00",
        "departments": [{"code": "CENG", "name": "Bilgisayar Mühendisliği"}],
    }


def test_a_new_call_model_has_the_contracts_default_points_minimums_and_weights():
    call = Call()
    assert call.adjustment_points() == CONTRACT_POINTS
    assert call.min_gpa() == CONTRACT_MIN_GPA
    assert {name: getattr(call, name) for name in CONTRACT_WEIGHTS} == CONTRACT_WEIGHTS
    assert (call.academic_formula, call.allocation) == ("gpa_x25", "department_round_robin")


@pytest.mark.django_db
def test_a_saved_call_keeps_the_default_points():
    now = timezone.now()
    call = Call.objects.create(code="D", title="D", programme="KA131-SMT", applications_open=now, applications_close=now + dt.timedelta(days=1))
    call.refresh_from_db()
    assert call.adjustment_points() == CONTRACT_POINTS


def test_a_call_file_without_rules_gets_the_contracts_defaults():
    spec = call_file_parse(_minimal_call_file())
    assert {code: spec[f"points_{code}"] for code in CONTRACT_POINTS} == CONTRACT_POINTS
    assert {level: spec[f"min_gpa_{level}"] for level in CONTRACT_MIN_GPA} == CONTRACT_MIN_GPA
    assert {name: spec[name] for name in CONTRACT_WEIGHTS} == CONTRACT_WEIGHTS
    assert (spec["academic_formula"], spec["allocation"]) == ("gpa_x25", "department_round_robin")
    assert (spec["funded_months"], spec["min_days"]) == (2, 60)


def test_the_engine_defaults_are_the_contracts():
    rules = engine.CallRules(places=1)
    assert {str(code): points for code, points in rules.adjustment_points} == CONTRACT_POINTS
    assert dict(rules.min_gpa) == {"associate": Decimal("2.20"), **CONTRACT_MIN_GPA}
    assert {name: getattr(rules, name) for name in CONTRACT_WEIGHTS} == CONTRACT_WEIGHTS


@pytest.mark.parametrize(
    "budget, planning, places",
    [
        ("5400.00", "1350.00", 4),   # document 001: €5,400 at €1,350 a student
        ("5399.99", "1350.00", 3),   # a cent short of the fourth place: no fourth place
        ("6000.00", "1350.00", 4),   # 4.44 places: rounded down
        ("1349.99", "1350.00", 0),
        ("0", "1350.00", 0),
        ("5400.00", "0", 0),
    ],
)
def test_places_are_the_budget_over_the_planning_amount_rounded_down(budget, planning, places):
    assert call_places(budget_eur=Decimal(budget), planning_amount_eur=Decimal(planning)) == places
    assert Call(budget_eur=Decimal(budget), planning_amount_eur=Decimal(planning)).places == places


def test_the_engines_call_file_reader_rounds_places_down_too():
    assert engine.CallRules.from_dict({"budget_eur": "6000", "planning_amount_eur": "1350"}).places == 4


@pytest.mark.django_db
def test_a_run_gives_as_many_primaries_as_the_budget_covers_rounded_down(call):
    call.budget_eur, call.planning_amount_eur = Decimal("4049.99"), Decimal("1350.00")  # 2.99 places
    call.save()
    for i in range(5):
        apply(call, "CENG", number=f"P{i}")
    run = selection_run(call=call)
    assert (run.places, run.primaries, run.reserves) == (2, 2, 3)
    assert run.rules_snapshot["places"] == 2
