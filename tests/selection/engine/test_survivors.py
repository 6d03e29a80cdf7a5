"""Cases the mutation run showed no test pinned down (docs/rules.md, "Surviving mutants")."""

import pytest

from selection.engine import (
    Adjustment,
    ApplicantInput,
    BonusState,
    CallRules,
    DepartmentRules,
    EngineInputError,
    Level,
    Reason,
    adjustment_lines,
)
from selection.engine.scoring import engine_context

from .support import D, applicant, one


@pytest.mark.parametrize("field", ["written_min", "gpa_average"])
def test_a_bool_is_refused_as_a_department_number(field):
    # bool is a subclass of int: without the explicit check True would be read as 1.
    with pytest.raises(EngineInputError, match="must be a Decimal, int or numeric string"):
        DepartmentRules("CENG", **{field: True})


def test_a_bool_is_refused_as_an_applicant_gpa():
    with pytest.raises(EngineInputError, match="must be a Decimal, int or numeric string"):
        applicant("a", gpa=True)


@pytest.mark.parametrize("average", ["0.01", "0.50", "1.00"])
def test_a_department_average_at_or_below_one_is_accepted_when_positive(average):
    assert DepartmentRules("CENG", None, average).gpa_average == D(average)


def test_an_empty_bonus_cell_does_not_drop_the_bonuses_after_it():
    a = ApplicantInput(
        key="a",
        student_number="a",
        department_code="CENG",
        level=Level.BACHELOR,
        bonuses=[
            (Adjustment.DISABILITY, ""),
            (Adjustment.MARTYR_VETERAN_RELATIVE, None),
            (Adjustment.PROTECTION_2828, "verified"),
        ],
    )
    assert a.bonuses == ((Adjustment.PROTECTION_2828, BonusState.VERIFIED),)


def test_min_gpa_is_normalised_to_level_order_whatever_order_it_is_given_in():
    rules = CallRules(places=1, min_gpa={"doctorate": "3.00", "master": "2.75"})
    assert [level for level, _ in rules.min_gpa] == list(Level)


@pytest.mark.parametrize("given", ["doctorate", "master"])
def test_a_call_without_a_bachelor_minimum_uses_the_default_one(given):
    rules = CallRules(places=1, min_gpa={given: "3.00"})
    assert rules.minimum_gpa(Level.BACHELOR) == D("2.20")
    assert rules.minimum_gpa(Level.ASSOCIATE) == D("2.20")
    low = one(applicant("low", gpa="2.19"), min_gpa={given: "3.00"})
    ok = one(applicant("ok", gpa="2.20"), min_gpa={given: "3.00"})
    assert (low.reason, ok.reason) == (Reason.GPA_BELOW_MINIMUM, None)


@pytest.mark.parametrize("given", ["bachelor", "doctorate"])
def test_a_call_without_a_master_minimum_uses_the_default_one(given):
    rules = CallRules(places=1, min_gpa={given: "3.00"})
    assert rules.minimum_gpa(Level.MASTER) == D("2.50")
    low = one(applicant("low", level=Level.MASTER, gpa="2.49"), min_gpa={given: "3.00"})
    ok = one(applicant("ok", level=Level.MASTER, gpa="2.50"), min_gpa={given: "3.00"})
    assert (low.reason, ok.reason) == (Reason.GPA_BELOW_MINIMUM, None)


def test_prior_participation_points_entered_as_minus_zero_give_a_total_of_plain_zero():
    # The prior-participation points are added to the 0.00 start, not taken as the total: a call
    # that sets them to "-0" lists a total of 0.00, never "-0.00". (With no other adjustment this
    # sign is the only trace of whether the start was added; any later line overrides it.)
    rules = CallRules(places=1, adjustment_points={"prior_participation": "-0"})
    a = applicant("a", prior_participations=2)
    with engine_context():
        lines, total = adjustment_lines(a, rules)
    assert [(line.code, line.count) for line in lines] == [(Adjustment.PRIOR_PARTICIPATION, 2)]
    assert str(total) == "0.00"
    assert str(one(a, adjustment_points={"prior_participation": "-0"}).adjustments_total) == "0.00"

