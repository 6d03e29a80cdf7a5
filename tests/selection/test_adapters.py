"""From the models to the engine's inputs, through the database (selection/adapters.py).

Each field the selection reads is set on an Application, saved, and read back by the adapter the
runs use; the engine's own tests take it from there.
"""
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.models import BONUS_FIELDS, FLAG_FIELDS, ApplicationStatus, BonusClaim
from selection import engine
from selection.adapters import applicants_load, call_rules_load
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


def _only(call):
    [applicant] = applicants_load(call=call)
    return applicant


@pytest.mark.parametrize("flag", FLAG_FIELDS)
def test_each_deduction_flag_reaches_the_engine_alone(call, flag):
    apply(call, "CENG", **{flag: True})
    assert _only(call).flags == frozenset({engine.Adjustment(flag)})


def test_an_application_without_flags_has_none(call):
    apply(call, "CENG")
    applicant = _only(call)
    assert applicant.flags == frozenset() and applicant.bonuses == () and applicant.prior_participations == 0


@pytest.mark.parametrize("bonus", BONUS_FIELDS)
@pytest.mark.parametrize(
    "state, expected",
    [(BonusClaim.VERIFIED, engine.BonusState.VERIFIED), (BonusClaim.CLAIMED, engine.BonusState.CLAIMED), (BonusClaim.NONE, None)],
)
def test_each_bonus_state_reaches_the_engine(call, bonus, state, expected):
    apply(call, "CENG", **{bonus: state})
    wanted = () if expected is None else ((engine.Adjustment(bonus), expected),)
    assert _only(call).bonuses == wanted


def test_prior_participations_reach_the_engine_as_a_count(call):
    apply(call, "CENG", prior_participations=3)
    assert _only(call).prior_participations == 3


def test_every_field_of_one_application_reaches_the_engine(call):
    application = apply(
        call, "SENG", gpa="3.15", written="71.50", listening="42", level="master", number="S-1",
        previous_degree_gpa=Decimal("3.40"), prior_participations=2, late_withdrawal=True, missed_exam=True,
        disability=BonusClaim.VERIFIED, protection_2828=BonusClaim.CLAIMED,
    )
    assert _only(call) == engine.ApplicantInput(
        key=str(application.pk), student_number="S-1", department_code="SENG", level=engine.Level.MASTER,
        gpa=Decimal("3.15"), previous_degree_gpa=Decimal("3.40"), written=Decimal("71.50"), listening=Decimal("42"),
        absent=False, has_exam_result=True, prior_participations=2,
        flags=frozenset({engine.Adjustment.LATE_WITHDRAWAL, engine.Adjustment.MISSED_EXAM}),
        bonuses=((engine.Adjustment.DISABILITY, engine.BonusState.VERIFIED),
                 (engine.Adjustment.PROTECTION_2828, engine.BonusState.CLAIMED)),
        sequence=1,
    )


def test_submission_order_is_the_sequence_whatever_the_order_of_creation(call):
    now = timezone.now()
    # Created late-first, so the primary keys run against the submission times.
    late = apply(call, "CENG", number="LATE", submitted_at=now - dt.timedelta(hours=1))
    early = apply(call, "MIS", number="EARLY", submitted_at=now - dt.timedelta(days=2))
    middle = apply(call, "CENG", number="MIDDLE", submitted_at=now - dt.timedelta(days=1))
    loaded = applicants_load(call=call)
    assert [(a.key, a.sequence) for a in loaded] == [(str(early.pk), 1), (str(middle.pk), 2), (str(late.pk), 3)]


def test_the_earlier_application_wins_a_full_tie_as_loaded_from_the_database(call):
    """Same score, GPA and language score, one place: the earlier submission is primary (contract §5)."""
    call.budget_eur, call.planning_amount_eur = Decimal("1350"), Decimal("1350")
    call.save()
    now = timezone.now()
    apply(call, "CENG", number="LATER", submitted_at=now - dt.timedelta(hours=1))
    apply(call, "CENG", number="EARLIER", submitted_at=now - dt.timedelta(hours=2))
    outcome = dict(selection_run(call=call).results.values_list("student_number", "outcome"))
    assert outcome == {"EARLIER": "primary", "LATER": "reserve"}


def test_a_withdrawn_application_is_not_part_of_the_selection(call):
    kept = apply(call, "CENG", number="KEPT")
    apply(call, "CENG", number="GONE", status=ApplicationStatus.WITHDRAWN, gpa="4.00", written="100")
    assert [a.key for a in applicants_load(call=call)] == [str(kept.pk)]
    run = selection_run(call=call)
    assert list(run.results.values_list("student_number", flat=True)) == ["KEPT"]


def test_the_call_rules_reach_the_engine(call):
    call.budget_eur, call.planning_amount_eur = Decimal("6000"), Decimal("1350")
    call.points_missed_exam = Decimal("-7")
    call.min_gpa_master = Decimal("2.75")
    call.save()
    rules, departments = call_rules_load(call=call)
    assert rules.places == 4
    assert rules.points(engine.Adjustment.MISSED_EXAM) == Decimal("-7")
    assert rules.minimum_gpa(engine.Level.MASTER) == Decimal("2.75")
    assert [d.code for d in departments] == ["CENG", "MIS", "SENG"]
