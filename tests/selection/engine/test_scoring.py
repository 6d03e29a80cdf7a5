"""Scores and rounding (domain-rules §3, contract §5), on the engine and on the small helpers."""

from decimal import Decimal

import pytest

from selection.engine import AcademicFormula, CallRules, academic_score, final_score, language_score, round2

from .support import D, applicant, one, run


def test_department_relative_example_from_document_002_gives_82_18():
    result = one(
        applicant("a", gpa="3.15"),
        academic_formula=AcademicFormula.DEPARTMENT_RELATIVE,
        gpa_average="2.89",
    )
    assert result.ratio == D("1.09")  # 3.15 / 2.89 = 1.0899... -> 1.09
    assert result.academic_score == D("82.18")  # 3.15 x 26.09 = 82.1835


def test_department_relative_helper_rounds_the_ratio_before_multiplying():
    rules = CallRules(places=1, academic_formula="department_relative")
    # 3.99 / 2.97 = 1.3434... -> 1.34 -> 3.99 x 26.34 = 105.0966 -> 105.10
    # (with the unrounded ratio it would be 3.99 x 26.3434... = 105.1103 -> 105.11)
    assert academic_score(D("3.99"), rules, D("2.97")) == (D("105.10"), D("1.34"))
    assert academic_score(D("3.15"), rules, D("2.89")) == (D("82.18"), D("1.09"))


def test_gpa_x25_turns_gpa_3_00_into_75_00_and_has_no_ratio():
    result = one(applicant("a", gpa="3.00"))
    assert result.academic_score == D("75.00")
    assert str(result.academic_score) == "75.00"
    assert result.ratio is None


def test_language_is_75_percent_written_plus_25_percent_listening():
    result = one(applicant("a", written="67", listening="54"))
    assert result.language_score == D("63.75")  # 50.25 + 13.50


def test_language_rounds_half_up_at_the_third_decimal():
    # 66.5 x 0.75 + 55 x 0.25 = 49.875 + 13.75 = 63.625 -> 63.63 (half-even would give 63.62)
    result = one(applicant("a", written="66.5", listening="55"))
    assert result.language_score == D("63.63")


def test_final_score_rounds_half_up_at_the_third_decimal():
    # GPA 3.01 -> 75.25; written 64, listening 60 -> 48 + 15 = 63.00; (75.25 + 63.00) / 2 = 69.125 -> 69.13
    result = one(applicant("a", gpa="3.01", written="64", listening="60"))
    assert (result.academic_score, result.language_score) == (D("75.25"), D("63.00"))
    assert result.final_score == D("69.13")


def test_final_score_uses_the_rounded_language_score():
    # language 63.625 -> 63.63; (75.00 + 63.63) / 2 = 69.315 -> 69.32 (unrounded 63.625 would give 69.3125 -> 69.31)
    result = one(applicant("a", gpa="3.00", written="66.5", listening="55"))
    assert result.final_score == D("69.32")


def test_missing_listening_counts_as_zero():
    assert one(applicant("a", written="80", listening=None)).language_score == D("60.00")


def test_weights_are_per_call():
    result = one(
        applicant("a", gpa="4.00", written="80", listening="40"),
        academic_weight="0.40",
        language_weight="0.60",
        written_weight="1",
        listening_weight="0",
    )
    assert result.language_score == D("80.00")
    assert result.final_score == D("88.00")  # 100 x 0.4 + 80 x 0.6


def test_helpers_round_half_up_and_keep_two_decimals():
    rules = CallRules(places=1)
    assert round2(D("0.125")) == D("0.13")
    assert round2(D("-0.125")) == D("-0.13")
    assert language_score(D("66.5"), D("55"), rules) == D("63.63")
    assert final_score(D("75.25"), D("63.00"), D("0"), rules) == D("69.13")
    assert final_score(D("75.00"), D("60.00"), D("-10"), rules) == D("57.50")


def test_scores_are_decimals_never_floats():
    result = one(applicant("a", gpa="3.33", written="71", listening="49"))
    for value in (result.gpa_used, result.academic_score, result.language_score, result.final_score,
                  result.adjustments_total):
        assert type(value) is Decimal


def test_caller_decimal_context_does_not_change_scores():
    import decimal

    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        result = one(
            applicant("a", gpa="3.15", written="66.5", listening="55", prior_participations=1),
            academic_formula="department_relative",
            gpa_average="2.89",
        )
    assert result.academic_score == D("82.18")
    assert result.language_score == D("63.63")
    assert result.final_score == D("62.91")  # (82.18 + 63.63) / 2 - 10 = 62.905 -> 62.91


def test_the_final_score_below_zero_is_the_rounded_erasmus_score_plus_the_adjustments():
    """Contract, Rounding: document 001 applies deductions to the rounded Erasmus+ score.

    GPA 2.21 → academic 55.25; written 60, listening 40.96 → language 45 + 10.24 = 55.24;
    Erasmus+ score (55.25 + 55.24) / 2 = 55.245 → 55.25. Five earlier participations (-50) and a
    late withdrawal (-10) give 55.25 - 60 = -4.75. Rounding the whole sum once gave
    -4.755 → -4.76, one cent lower than the rule.
    """
    from selection.engine import Adjustment

    result = one(applicant("A", gpa="2.21", written="60", listening="40.96", prior_participations=5,
                           flags={Adjustment.LATE_WITHDRAWAL}))
    assert (result.academic_score, result.language_score) == (D("55.25"), D("55.24"))
    assert result.adjustments_total == D("-60.00")
    assert result.final_score == D("-4.75")
    assert final_score(D("55.25"), D("55.24"), D("-60.00"), CallRules(places=1)) == D("-4.75")


def test_two_applicants_keep_the_order_the_published_rule_gives():
    """Under the rule both score -4.75 and the higher GPA ranks first; rounded once, LOW fell behind."""
    from selection.engine import Adjustment

    low = applicant("LOW", gpa="2.21", written="60", listening="40.96", prior_participations=5,
                    flags={Adjustment.LATE_WITHDRAWAL})
    # GPA 2.20 → 55.00; written 60, listening 42 → 55.50; (55.00 + 55.50) / 2 = 55.25; -60 → -4.75.
    other = applicant("OTHER", gpa="2.20", written="60", listening="42", prior_participations=6)
    results = run([other, low], places=0).by_key()
    assert results["LOW"].final_score == results["OTHER"].final_score == D("-4.75")
    assert (results["LOW"].department_rank, results["OTHER"].department_rank) == (1, 2)


# Every score is rounded half-up to two decimals where it is computed (contract §5, Rounding). Each
# case below ends in a 5 at the third decimal, so half-even (or truncation) gives one cent less; they
# run through run_selection, the code the portal runs.


def test_department_ratio_rounds_half_up_3_25_over_2_00_is_1_63():
    # 3.25 / 2.00 = 1.625 -> 1.63 (half-even: 1.62); academic 3.25 x 26.63 = 86.5475 -> 86.55
    result = one(applicant("a", gpa="3.25"), academic_formula=AcademicFormula.DEPARTMENT_RELATIVE,
                 gpa_average="2.00")
    assert result.ratio == D("1.63")
    assert result.academic_score == D("86.55")


def test_department_relative_academic_score_rounds_half_up_to_85_97():
    # 3.30 / 3.14 = 1.0509... -> 1.05; 3.30 x 26.05 = 85.965 -> 85.97 (half-even: 85.96)
    result = one(applicant("a", gpa="3.30"), academic_formula=AcademicFormula.DEPARTMENT_RELATIVE,
                 gpa_average="3.14")
    assert (result.ratio, result.academic_score) == (D("1.05"), D("85.97"))


def test_gpa_x25_academic_score_rounds_half_up():
    # A three-decimal GPA: 3.333 x 25 = 83.325 -> 83.33 (half-even: 83.32)
    assert one(applicant("a", gpa="3.333")).academic_score == D("83.33")


@pytest.mark.parametrize(
    ("written", "listening", "language"),
    [
        ("66.5", "55", "63.63"),  # 49.875 + 13.75 = 63.625
        ("64.5", "57", "62.63"),  # 48.375 + 14.25 = 62.625
        ("60.5", None, "45.38"),  # 45.375, listening missing
    ],
)
def test_language_score_rounds_half_up(written, listening, language):
    assert one(applicant("a", written=written, listening=listening)).language_score == D(language)


def test_erasmus_score_rounds_half_up_before_the_adjustments():
    # (75.25 + 63.00) / 2 = 69.125 -> 69.13, then -10: 59.13 (half-even 59.12)
    from selection.engine import Adjustment

    result = one(applicant("a", gpa="3.01", written="64", listening="60", flags={Adjustment.LATE_WITHDRAWAL}))
    assert result.final_score == D("59.13")


def test_a_ratio_at_a_whole_cent_is_not_moved():
    # 3.00 / 2.40 = 1.25 exactly: no rounding, 3.00 x 26.25 = 78.75
    result = one(applicant("a", gpa="3.00"), academic_formula=AcademicFormula.DEPARTMENT_RELATIVE,
                 gpa_average="2.40")
    assert (result.ratio, result.academic_score) == (D("1.25"), D("78.75"))
