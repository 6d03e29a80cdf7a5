"""Deductions and bonuses (domain-rules §4)."""

import pytest

from selection.engine import FLAG_CODES, Adjustment, AdjustmentLine, BonusState, EngineInputError, Outcome

from .support import D, applicant, one, run

BASE_FINAL = D("71.25")  # GPA 3.00 -> 75.00; written 70, listening 60 -> 67.50; (75 + 67.5) / 2


def test_no_adjustments_gives_an_empty_list_and_zero_total():
    result = one(applicant("a"))
    assert result.adjustments == ()
    assert result.adjustments_total == D("0.00") and str(result.adjustments_total) == "0.00"
    assert result.final_score == BASE_FINAL


@pytest.mark.parametrize(("count", "points"), [(1, "-10"), (2, "-20"), (3, "-30")])
def test_prior_participations_1_2_3_deduct_10_20_30(count, points):
    result = one(applicant("a", prior_participations=count))
    assert result.adjustments == (AdjustmentLine(Adjustment.PRIOR_PARTICIPATION, D(points), count, True),)
    assert result.adjustments_total == D(points)
    assert result.final_score == BASE_FINAL + D(points)


@pytest.mark.parametrize(
    ("flag", "points"),
    [
        (Adjustment.SAME_YEAR_STUDY_PRIMARY, "-10"),
        (Adjustment.LATE_WITHDRAWAL, "-10"),
        (Adjustment.NON_PRIORITISED_CHOICE, "-10"),
        (Adjustment.MISSED_ORIENTATION, "-5"),
        (Adjustment.MISSED_EXAM, "-5"),
    ],
)
def test_each_flag_deducts_its_points_once(flag, points):
    result = one(applicant("a", flags=frozenset({flag})))
    assert result.adjustments == (AdjustmentLine(flag, D(points), 1, True),)
    assert result.final_score == BASE_FINAL + D(points)


@pytest.mark.parametrize(
    ("bonus", "points"),
    [
        (Adjustment.DISABILITY, "10"),
        (Adjustment.MARTYR_VETERAN_RELATIVE, "15"),
        (Adjustment.PROTECTION_2828, "10"),
    ],
)
def test_verified_bonus_adds_10_15_10(bonus, points):
    result = one(applicant("a", bonuses=((bonus, BonusState.VERIFIED),)))
    assert result.adjustments == (AdjustmentLine(bonus, D(points), 1, True),)
    assert result.adjustments_total == D(points)
    assert result.final_score == BASE_FINAL + D(points)


@pytest.mark.parametrize(
    "bonus", [Adjustment.DISABILITY, Adjustment.MARTYR_VETERAN_RELATIVE, Adjustment.PROTECTION_2828]
)
def test_claimed_but_unverified_bonus_gives_nothing_but_is_listed(bonus):
    result = one(applicant("a", bonuses={bonus: "claimed"}))
    assert result.adjustments == (AdjustmentLine(bonus, D("0"), 1, False),)
    assert result.adjustments_total == D("0")
    assert result.final_score == BASE_FINAL


def test_adjustments_are_listed_in_code_order_and_summed():
    result = one(
        applicant(
            "a",
            prior_participations=2,
            flags=frozenset({Adjustment.MISSED_EXAM, Adjustment.LATE_WITHDRAWAL}),
            bonuses={"protection_2828": "claimed", "martyr_veteran_relative": "verified"},
        )
    )
    assert [(line.code, line.points, line.applied) for line in result.adjustments] == [
        (Adjustment.PRIOR_PARTICIPATION, D("-20"), True),
        (Adjustment.LATE_WITHDRAWAL, D("-10"), True),
        (Adjustment.MISSED_EXAM, D("-5"), True),
        (Adjustment.MARTYR_VETERAN_RELATIVE, D("15"), True),
        (Adjustment.PROTECTION_2828, D("0"), False),
    ]
    assert result.adjustments_total == D("-20.00")
    assert result.final_score == BASE_FINAL - 20


def test_points_are_per_call():
    result = one(
        applicant("a", prior_participations=2, bonuses={"disability": "verified"}),
        adjustment_points={"prior_participation": "-7.5", "disability": 4},
    )
    assert result.adjustments_total == D("-11.00")  # 2 x -7.5 + 4
    assert result.final_score == BASE_FINAL - 11


def test_adjustments_apply_to_excluded_applicants_too():
    result = one(applicant("a", written="50", prior_participations=1))
    assert not result.eligible
    assert result.adjustments_total == D("-10")
    assert result.final_score == D("53.75")  # written 50, listening 60 -> 52.50; (75 + 52.5) / 2 - 10


def test_an_applicant_with_all_five_deduction_flags_is_scored_with_all_five():
    """The five flags together are a valid applicant (a refusal would fail the call's whole run)."""
    every_flag = applicant("a", flags=FLAG_CODES)
    result = run([every_flag, applicant("b")], places=1).by_key()["a"]
    assert [line.code for line in result.adjustments] == [
        Adjustment.SAME_YEAR_STUDY_PRIMARY, Adjustment.LATE_WITHDRAWAL, Adjustment.NON_PRIORITISED_CHOICE,
        Adjustment.MISSED_ORIENTATION, Adjustment.MISSED_EXAM,
    ]
    assert result.adjustments_total == D("-40.00")
    assert result.final_score == BASE_FINAL - 40
    assert (result.eligible, result.outcome) == (True, Outcome.RESERVE)


def test_a_bonus_code_is_not_a_flag():
    with pytest.raises(EngineInputError, match="disability cannot be a flag"):
        applicant("a", flags={Adjustment.MISSED_EXAM, Adjustment.DISABILITY})
