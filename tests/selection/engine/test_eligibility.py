"""Eligibility and exclusion reasons (domain-rules §2, contract §5 reason order)."""

import pytest

from selection.engine import CallRules, Level, Outcome, Reason

from .support import D, applicant, one


def assert_excluded(result, reason):
    assert (result.eligible, result.reason, result.outcome) == (False, reason, Outcome.EXCLUDED)
    assert result.department_rank is None and result.order is None and result.allocation_round is None


def test_eligible_applicant_has_no_reason():
    result = one(applicant("a"))
    assert (result.eligible, result.reason, result.outcome) == (True, None, Outcome.PRIMARY)


def test_bachelor_without_gpa_is_excluded_with_no_gpa():
    result = one(applicant("a", gpa=None))
    assert_excluded(result, Reason.NO_GPA)
    assert result.gpa_used is None and result.academic_score is None and result.final_score is None
    assert result.language_score == D("67.50")  # the exam score is still shown


def test_gpa_zero_is_treated_as_no_gpa():
    assert_excluded(one(applicant("a", gpa="0")), Reason.NO_GPA)
    assert_excluded(one(applicant("b", gpa="0.00")), Reason.NO_GPA)


def test_associate_without_gpa_is_excluded_with_no_gpa():
    assert_excluded(one(applicant("a", level=Level.ASSOCIATE, gpa=None)), Reason.NO_GPA)


def test_bachelor_without_gpa_is_not_rescued_by_a_previous_degree_gpa():
    assert_excluded(one(applicant("a", gpa=None, previous_degree_gpa="3.50")), Reason.NO_GPA)


@pytest.mark.parametrize("level", [Level.MASTER, Level.DOCTORATE])
def test_graduate_without_gpa_and_without_transcript_is_missing_transcript(level):
    assert_excluded(one(applicant("a", level=level, gpa=None)), Reason.MISSING_TRANSCRIPT)
    assert_excluded(one(applicant("b", level=level, gpa="0")), Reason.MISSING_TRANSCRIPT)


def test_master_without_gpa_but_previous_degree_gpa_3_00_is_eligible_and_scored_on_3_00():
    result = one(applicant("a", level=Level.MASTER, gpa="0", previous_degree_gpa="3.00"))
    assert result.eligible and result.reason is None
    assert result.gpa_used == D("3.00")
    assert result.academic_score == D("75.00")


def test_master_with_own_gpa_ignores_the_previous_degree_gpa():
    result = one(applicant("a", level=Level.MASTER, gpa="3.60", previous_degree_gpa="2.00"))
    assert result.eligible and result.gpa_used == D("3.60")


def test_master_with_previous_degree_gpa_2_40_is_gpa_below_minimum():
    result = one(applicant("a", level=Level.MASTER, gpa=None, previous_degree_gpa="2.40"))
    assert_excluded(result, Reason.GPA_BELOW_MINIMUM)
    assert result.gpa_used == D("2.40")
    assert result.academic_score == D("60.00")  # scores are still computed and shown
    assert result.final_score is not None


def test_gpa_minimum_is_per_level_and_inclusive():
    assert one(applicant("a", gpa="2.20")).eligible
    assert_excluded(one(applicant("b", gpa="2.19")), Reason.GPA_BELOW_MINIMUM)
    assert_excluded(one(applicant("c", level=Level.MASTER, gpa="2.49")), Reason.GPA_BELOW_MINIMUM)
    assert one(applicant("d", level=Level.DOCTORATE, gpa="2.50")).eligible


def test_associate_uses_the_bachelor_minimum_unless_given():
    assert_excluded(
        one(applicant("a", level=Level.ASSOCIATE, gpa="2.10"), min_gpa={"bachelor": "2.15"}),
        Reason.GPA_BELOW_MINIMUM,
    )
    assert one(applicant("b", level=Level.ASSOCIATE, gpa="2.16"), min_gpa={"bachelor": "2.15"}).eligible
    assert one(applicant("c", level=Level.ASSOCIATE, gpa="2.10"), min_gpa={"associate": "2.00"}).eligible


def test_listening_zero_is_still_eligible():
    result = one(applicant("a", written="80", listening="0"))
    assert result.eligible
    assert result.language_score == D("60.00")


def test_absent_is_absent_exam():
    result = one(applicant("a", written=None, absent=True))
    assert_excluded(result, Reason.ABSENT_EXAM)
    assert result.language_score is None and result.final_score is None
    assert result.academic_score == D("75.00")


def test_absent_flag_wins_even_with_a_written_score():
    assert_excluded(one(applicant("a", written="90", absent=True)), Reason.ABSENT_EXAM)


def test_no_exam_result_is_absent_exam():
    assert_excluded(one(applicant("a", written=None, listening=None, has_exam_result=False)), Reason.ABSENT_EXAM)
    assert_excluded(one(applicant("b", written="90", has_exam_result=False)), Reason.ABSENT_EXAM)


def test_missing_written_score_is_absent_exam():
    assert_excluded(one(applicant("a", written=None, listening="90")), Reason.ABSENT_EXAM)


def test_written_below_department_minimum_is_written_below_minimum():
    result = one(applicant("a", written="59.99"), written_min="60")
    assert_excluded(result, Reason.WRITTEN_BELOW_MINIMUM)
    assert result.final_score is not None


def test_written_equal_to_minimum_is_eligible():
    assert one(applicant("a", written="60"), written_min="60").eligible


def test_no_written_minimum_when_the_department_has_none():
    assert one(applicant("a", written="5"), written_min=None).eligible


def test_reason_precedence_no_gpa_wins_over_absent_exam():
    assert_excluded(one(applicant("a", gpa=None, written=None, absent=True)), Reason.NO_GPA)


def test_reason_precedence_follows_the_contract_order():
    graduate = {"level": Level.MASTER, "gpa": None, "written": None, "absent": True}
    assert_excluded(one(applicant("a", **graduate)), Reason.MISSING_TRANSCRIPT)
    assert_excluded(one(applicant("b", gpa="2.00", written=None, absent=True)), Reason.GPA_BELOW_MINIMUM)
    assert_excluded(one(applicant("c", gpa="2.00", written="10")), Reason.GPA_BELOW_MINIMUM)
    assert_excluded(one(applicant("d", written="90", absent=True), written_min="95"), Reason.ABSENT_EXAM)


@pytest.mark.parametrize("level", [Level.MASTER, Level.DOCTORATE])
def test_a_calls_own_graduate_minimum_is_used_not_the_default_2_50(level):
    stricter = {level.value: "3.00"}
    assert_excluded(one(applicant("a", level=level, gpa="2.99"), min_gpa=stricter), Reason.GPA_BELOW_MINIMUM)
    assert one(applicant("b", level=level, gpa="3.00"), min_gpa=stricter).eligible
    assert one(applicant("c", level=level, gpa="2.30"), min_gpa={level.value: "2.25"}).eligible
    rules = CallRules.from_dict({"places": 1, "min_gpa": stricter})
    assert rules.minimum_gpa(level) == D("3.00")


def test_a_calls_own_bachelor_minimum_is_used_not_the_default_2_20():
    assert_excluded(one(applicant("a", gpa="2.40"), min_gpa={"bachelor": "2.50"}), Reason.GPA_BELOW_MINIMUM)
    assert one(applicant("b", gpa="2.10"), min_gpa={"bachelor": "2.00"}).eligible
