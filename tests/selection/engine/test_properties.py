"""Property tests of the engine (Hypothesis). Small value pools on purpose, so ties are common."""

from collections import Counter
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from selection.engine import (
    Adjustment,
    AllocationStrategy,
    ApplicantInput,
    BonusState,
    CallRules,
    DepartmentRules,
    Level,
    Outcome,
    academic_score,
    adjustment_lines,
    exclusion_reason,
    final_score,
    gpa_used,
    language_score,
    run_selection,
)
from tests.hypothesis_profiles import examples

SETTINGS = settings(max_examples=examples(150), deadline=None, database=None)

CODES = ("CENG", "SENG", "MIS", "EEE")
GPAS = [None, "0", "2.10", "2.40", "2.60", "3.00", "3.15", "3.20", "3.55", "4.00"]
WRITTENS = [None, "40", "59.5", "60", "65", "66.5", "70", "80", "95"]
LISTENINGS = [None, "0", "45", "55", "60", "90"]
FLAGS = sorted(
    {Adjustment.SAME_YEAR_STUDY_PRIMARY, Adjustment.LATE_WITHDRAWAL, Adjustment.NON_PRIORITISED_CHOICE,
     Adjustment.MISSED_ORIENTATION, Adjustment.MISSED_EXAM}
)
BONUSES = [Adjustment.DISABILITY, Adjustment.MARTYR_VETERAN_RELATIVE, Adjustment.PROTECTION_2828]


def dec(value):
    return None if value is None else Decimal(value)


applicant_fields = st.fixed_dictionaries(
    {
        "department_code": st.sampled_from(CODES),
        "level": st.sampled_from(list(Level)),
        "gpa": st.sampled_from(GPAS).map(dec),
        "previous_degree_gpa": st.sampled_from([None, "2.40", "3.00"]).map(dec),
        "written": st.sampled_from(WRITTENS).map(dec),
        "listening": st.sampled_from(LISTENINGS).map(dec),
        "absent": st.sampled_from([False, False, False, True]),
        "has_exam_result": st.sampled_from([True, True, True, False]),
        "prior_participations": st.sampled_from([0, 0, 0, 1, 2, 3]),
        "flags": st.frozensets(st.sampled_from(FLAGS), max_size=2),
        "bonuses": st.dictionaries(
            st.sampled_from(BONUSES), st.sampled_from(list(BonusState)), max_size=2
        ).map(lambda d: tuple(sorted(d.items()))),
        "sequence": st.integers(0, 4),
    }
)


@st.composite
def calls(draw, min_applicants=0):
    fields = draw(st.lists(applicant_fields, min_size=min_applicants, max_size=30))
    applicants = [ApplicantInput(key=f"k{i:02d}", student_number=f"{1000 + i}", **f) for i, f in enumerate(fields)]
    rules = CallRules(
        places=draw(st.integers(0, 12)),
        academic_formula=draw(st.sampled_from(["gpa_x25", "department_relative"])),
        allocation=draw(st.sampled_from(list(AllocationStrategy))),
    )
    departments = [
        DepartmentRules(code, draw(st.sampled_from([None, Decimal(60), Decimal(65)])),
                        draw(st.sampled_from([Decimal("2.89"), Decimal("3.10")])))
        for code in CODES
    ]
    return rules, departments, applicants


def eligible_count(result):
    return sum(r.eligible for r in result.results)


@SETTINGS
@given(calls(), st.randoms(use_true_random=False))
def test_same_input_gives_the_same_output_in_any_input_order(call, rnd):
    rules, departments, applicants = call
    first = run_selection(rules, departments, applicants)
    assert run_selection(rules, departments, applicants) == first
    shuffled = list(applicants)
    rnd.shuffle(shuffled)
    reversed_departments = list(reversed(departments))
    assert run_selection(rules, reversed_departments, shuffled) == first


@SETTINGS
@given(calls())
def test_primaries_are_min_of_places_and_eligible_and_orders_are_consistent(call):
    rules, departments, applicants = call
    result = run_selection(rules, departments, applicants)
    eligible = eligible_count(result)
    assert result.primaries == min(rules.places, eligible)
    assert result.reserves == eligible - result.primaries
    assert result.excluded == len(applicants) - eligible
    assert sorted(r.order for r in result.results if r.eligible) == list(range(1, eligible + 1))
    for r in result.results:
        assert (r.outcome is Outcome.EXCLUDED) == (r.reason is not None) == (not r.eligible)
        if r.eligible:
            assert (r.outcome is Outcome.PRIMARY) == (r.order <= rules.places)
    ranks = {}
    for r in result.results:
        if r.eligible:
            ranks.setdefault(r.department_code, []).append(r.department_rank)
    for code, found in ranks.items():
        assert found == list(range(1, len(found) + 1)), code  # export order lists ranks 1..k


@SETTINGS
@given(calls())
def test_round_robin_gives_no_department_a_second_primary_while_another_eligible_department_has_none(call):
    rules, departments, applicants = call
    rules = CallRules(places=rules.places, academic_formula=rules.academic_formula,
                      allocation=AllocationStrategy.DEPARTMENT_ROUND_ROBIN)
    result = run_selection(rules, departments, applicants)
    primaries = Counter(r.department_code for r in result.results if r.outcome is Outcome.PRIMARY)
    eligible = Counter(r.department_code for r in result.results if r.eligible)
    if any(n >= 2 for n in primaries.values()):
        assert all(primaries[code] >= 1 for code in eligible)
    # more generally: a department is more than one primary behind another only when it has run out
    for a in eligible:
        for b in eligible:
            if primaries[a] > primaries[b] + 1:
                assert primaries[b] == eligible[b]


@SETTINGS
@given(calls(min_applicants=1), st.data())
def test_raising_a_written_score_never_lowers_rank_or_worsens_order(call, data):
    rules, departments, applicants = call
    with_written = [i for i, a in enumerate(applicants) if a.written is not None]
    assume(with_written)
    index = data.draw(st.sampled_from(with_written))
    chosen = applicants[index]
    step = data.draw(st.sampled_from([Decimal("0.5"), Decimal(1), Decimal(5), Decimal(30)]))
    raised = list(applicants)
    raised[index] = ApplicantInput(**{**_fields(chosen), "written": chosen.written + step})

    worst = float("inf")  # None (excluded) is the worst rank and order
    before = run_selection(rules, departments, applicants).by_key()[chosen.key]
    after = run_selection(rules, departments, raised).by_key()[chosen.key]
    assert (after.department_rank or worst) <= (before.department_rank or worst)
    assert (after.order or worst) <= (before.order or worst)
    assert after.eligible or not before.eligible
    if before.eligible:
        assert after.final_score >= before.final_score


@SETTINGS
@given(calls(min_applicants=1))
def test_engine_scores_agree_with_the_helper_functions(call):
    rules, departments, applicants = call
    by_code = {d.code: d for d in departments}
    results = run_selection(rules, departments, applicants).by_key()
    for a in applicants:
        r = results[a.key]
        department = by_code[a.department_code]
        used = gpa_used(a)
        assert r.gpa_used == used
        assert r.reason == exclusion_reason(a, rules.minimum_gpa(a.level), department.written_min)
        expected_academic = None if used is None else academic_score(used, rules, department.gpa_average)[0]
        assert r.academic_score == expected_academic
        sat = a.has_exam_result and not a.absent and a.written is not None
        expected_language = language_score(a.written, a.listening, rules) if sat else None
        assert r.language_score == expected_language
        lines, total = adjustment_lines(a, rules)
        assert (r.adjustments, r.adjustments_total) == (lines, total)
        if expected_academic is None or expected_language is None:
            assert r.final_score is None
        else:
            assert r.final_score == final_score(expected_academic, expected_language, total, rules)
        for value in (r.academic_score, r.language_score, r.final_score, r.adjustments_total):
            assert value is None or value == value.quantize(Decimal("0.01"))


def _fields(a: ApplicantInput) -> dict:
    return {name: getattr(a, name) for name in ApplicantInput.__dataclass_fields__}
