"""Ranking, tie-breaks and allocation of primary places (domain-rules §5, document 001)."""

import random

from selection.engine import AllocationStrategy, Outcome, Reason

from .support import D, applicant, run

# listening = written, so language = written and final = (GPA x 25 + written) / 2.
CONSORTIUM = [
    # CENG: six eligible, one without GPA
    ("c1", "CENG", "3.60", "90"),  # 90.00
    ("c2", "CENG", "3.20", "80"),  # 80.00
    ("c3", "CENG", "3.00", "76"),  # 75.50
    ("c4", "CENG", "2.80", "70"),  # 70.00
    ("c5", "CENG", "2.60", "66"),  # 65.50
    ("c6", "CENG", "2.40", "62"),  # 61.00
    ("c7", "CENG", None, "99"),  # no_gpa
    # SENG: a single applicant, the weakest of the department leaders
    ("s1", "SENG", "2.80", "64"),  # 67.00
    # MIS: six eligible, one below the written minimum
    ("m1", "MIS", "3.40", "85"),  # 85.00
    ("m2", "MIS", "3.40", "78"),  # 81.50
    ("m3", "MIS", "3.00", "72"),  # 73.50
    ("m4", "MIS", "2.80", "68"),  # 69.00
    ("m5", "MIS", "2.60", "64"),  # 64.50
    ("m6", "MIS", "2.40", "60"),  # 60.00
    ("m7", "MIS", "3.90", "55"),  # written_below_minimum
]


def consortium(**rules):
    applicants = [applicant(k, d, gpa=g, written=w, listening=w) for k, d, g, w in CONSORTIUM]
    random.Random(1).shuffle(applicants)
    return run(applicants, places=4, **rules)


def in_order(result):
    return [r.key for r in result.in_allocation_order()]


def test_consortium_allocation_of_document_001_gives_each_department_its_top_student_then_the_better_second():
    result = consortium(allocation=AllocationStrategy.DEPARTMENT_ROUND_ROBIN)
    by_key = result.by_key()
    primaries = [r.key for r in result.in_allocation_order() if r.outcome is Outcome.PRIMARY]
    # Round 1 (sorted by score): CENG 90.00, MIS 85.00, SENG 67.00; the 4th place goes to the better
    # second student: MIS 81.50 beats CENG 80.00 (SENG has no second applicant and drops out).
    assert primaries == ["c1", "m1", "s1", "m2"]
    assert in_order(result) == ["c1", "m1", "s1", "m2", "c2", "c3", "m3", "c4", "m4", "c5", "m5", "c6", "m6"]
    assert (result.places, result.primaries, result.reserves, result.excluded) == (4, 4, 9, 2)
    assert [by_key[k].allocation_round for k in in_order(result)] == [1, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]
    assert {k for k in by_key if by_key[k].outcome is Outcome.RESERVE} == {
        "c2", "c3", "c4", "c5", "c6", "m3", "m4", "m5", "m6"
    }
    assert by_key["c7"].reason is Reason.NO_GPA and by_key["m7"].reason is Reason.WRITTEN_BELOW_MINIMUM


def test_consortium_department_ranks_are_per_department():
    by_key = consortium().by_key()
    assert [by_key[k].department_rank for k in ("c1", "c2", "c3", "c4", "c5", "c6")] == [1, 2, 3, 4, 5, 6]
    assert [by_key[k].department_rank for k in ("m1", "m2", "m3", "m4", "m5", "m6")] == [1, 2, 3, 4, 5, 6]
    assert by_key["s1"].department_rank == 1
    assert by_key["c7"].department_rank is None and by_key["m7"].department_rank is None


def test_global_allocation_ranks_everyone_together():
    result = consortium(allocation=AllocationStrategy.GLOBAL)
    assert in_order(result) == ["c1", "m1", "m2", "c2", "c3", "m3", "c4", "m4", "s1", "c5", "m5", "c6", "m6"]
    by_key = result.by_key()
    assert {k for k in by_key if by_key[k].outcome is Outcome.PRIMARY} == {"c1", "m1", "m2", "c2"}
    assert by_key["s1"].outcome is Outcome.RESERVE and by_key["s1"].order == 9
    assert all(r.allocation_round is None for r in result.results)
    assert by_key["c2"].department_rank == 2  # department ranks are the same under both strategies


def test_results_are_sorted_for_the_export_by_department_then_rank_with_excluded_last():
    result = consortium()
    assert [r.key for r in result.results] == [
        "c1", "c2", "c3", "c4", "c5", "c6", "c7",
        "m1", "m2", "m3", "m4", "m5", "m6", "m7",
        "s1",
    ]


def test_excluded_rows_are_sorted_by_student_number_within_their_department():
    applicants = [
        applicant("k1", "CENG", gpa=None, student_number="300"),
        applicant("k2", "CENG", written="10", student_number="100"),
        applicant("k3", "CENG", absent=True, student_number="200"),
        applicant("k4", "CENG"),
    ]
    assert [r.student_number for r in run(applicants).results] == ["k4", "100", "200", "300"]


def test_places_zero_makes_every_eligible_applicant_a_reserve():
    result = run([applicant("a"), applicant("b", "MIS"), applicant("c", gpa=None)], places=0)
    assert (result.primaries, result.reserves, result.excluded) == (0, 2, 1)
    assert [r.outcome for r in result.in_allocation_order()] == [Outcome.RESERVE, Outcome.RESERVE]
    assert [r.order for r in result.in_allocation_order()] == [1, 2]


def test_places_more_than_eligible_makes_every_eligible_applicant_primary():
    result = run([applicant("a"), applicant("b"), applicant("c", "MIS"), applicant("d", absent=True)], places=10)
    assert (result.places, result.primaries, result.reserves, result.excluded) == (10, 3, 0, 1)
    assert {r.key for r in result.results if r.outcome is Outcome.PRIMARY} == {"a", "b", "c"}


def test_no_applicants_gives_an_empty_result():
    result = run([], places=3)
    assert (result.results, result.primaries, result.reserves, result.excluded) == ((), 0, 0, 0)


# --- tie-breaks: rounded final score, then GPA, then language, then the earlier application


def test_equal_final_scores_are_ordered_by_gpa():
    # A: (80.00 + 60.00) / 2 = 70.00; B: (75.00 + 65.00) / 2 = 70.00 -> A has the higher GPA
    a = applicant("A", gpa="3.20", written="60", listening="60", sequence=2)
    b = applicant("B", gpa="3.00", written="65", listening="65", sequence=1)
    result = run([b, a], places=1)
    by_key = result.by_key()
    assert by_key["A"].final_score == by_key["B"].final_score == D("70.00")
    assert (by_key["A"].department_rank, by_key["B"].department_rank) == (1, 2)
    assert by_key["A"].outcome is Outcome.PRIMARY


def test_equal_final_scores_compare_the_rounded_score():
    # A: (75.00 + 63.63) / 2 = 69.315 -> 69.32; B: GPA 3.01 -> 75.25, language 63.38 (written 64.5, listening 60:
    # 48.375 + 15 = 63.375 -> 63.38); (75.25 + 63.38) / 2 = 69.315 -> 69.32. Equal once rounded -> higher GPA wins.
    a = applicant("A", gpa="3.00", written="66.5", listening="55", sequence=1)
    b = applicant("B", gpa="3.01", written="64.5", listening="60", sequence=2)
    by_key = run([a, b]).by_key()
    assert by_key["A"].final_score == by_key["B"].final_score == D("69.32")
    assert (by_key["B"].department_rank, by_key["A"].department_rank) == (1, 2)


def test_equal_final_scores_and_gpa_are_ordered_by_language_score():
    # same GPA 3.00; A: (75 + 70) / 2 - 10 = 62.50; B: (75 + 60) / 2 - 5 = 62.50 -> A has the better language
    a = applicant("A", written="70", listening="70", prior_participations=1, sequence=2)
    b = applicant("B", written="60", listening="60", flags={"missed_orientation"}, sequence=1)
    by_key = run([b, a]).by_key()
    assert by_key["A"].final_score == by_key["B"].final_score == D("62.50")
    assert (by_key["A"].department_rank, by_key["B"].department_rank) == (1, 2)


def test_equal_final_gpa_and_language_are_ordered_by_earlier_application():
    early = applicant("Z-early", sequence=5)
    late = applicant("A-late", sequence=9)
    by_key = run([late, early], places=1).by_key()
    assert (by_key["Z-early"].department_rank, by_key["A-late"].department_rank) == (1, 2)
    assert by_key["Z-early"].outcome is Outcome.PRIMARY


def test_full_tie_falls_back_to_the_key_so_the_order_is_total():
    by_key = run([applicant("b", sequence=1), applicant("a", sequence=1)]).by_key()
    assert (by_key["a"].department_rank, by_key["b"].department_rank) == (1, 2)


def test_round_robin_round_is_sorted_with_the_same_tie_breaks():
    # Two department leaders with equal final scores: the higher GPA comes first in round 1.
    a = applicant("A", "CENG", gpa="3.20", written="60", listening="60")
    b = applicant("B", "MIS", gpa="3.00", written="65", listening="65")
    result = run([b, a], places=1)
    assert in_order(result) == ["A", "B"]
    assert result.by_key()["A"].outcome is Outcome.PRIMARY


def test_excluded_rows_with_the_same_student_number_are_listed_by_key():
    # Export order of excluded rows: student number, then the caller's key.
    from .support import applicant as make

    rows = [make("k2", student_number="S1", written="10"), make("k1", student_number="S1", written="10")]
    assert [r.key for r in run(rows).results] == ["k1", "k2"]
