"""run_selection's fast assembly of results against a plain one (Hypothesis).

The runner writes each result into a slotted draft and turns it into an ApplicantResult
(runner._Draft); here every result is rebuilt the plain way, through the dataclass's constructor
from the Scorer's scores and allocate's placements, and put in the export order stated directly.
"""

import copy
import dataclasses
import pickle

import pytest
from hypothesis import given

from selection.engine import ApplicantResult, Outcome, Scorer, SelectionResult, allocate, ranking_key, run_selection
from selection.engine.scoring import engine_context

from .support import applicant, run
from .test_properties import SETTINGS, calls


def _plain_run(rules, departments, applicants) -> SelectionResult:
    limits = {d.code: d for d in departments}
    with engine_context():
        scorer = Scorer(rules)
        scores = [scorer(a, limits[a.department_code].written_min, limits[a.department_code].gpa_average) for a in applicants]
        eligible = [i for i, s in enumerate(scores) if s.reason is None]
        placements = dict(zip(eligible, allocate(
            [(ranking_key(scores[i].final_score, scores[i].gpa_used, scores[i].language_score,
                          applicants[i].sequence, applicants[i].key), applicants[i].department_code) for i in eligible],
            rules.allocation, rules.places,
        )))
    results = []
    for i, (a, score) in enumerate(zip(applicants, scores)):
        rank, allocation_round, order, outcome = placements.get(i, (None, None, None, Outcome.EXCLUDED))
        results.append(ApplicantResult(
            key=a.key, student_number=a.student_number, department_code=a.department_code, eligible=i in placements,
            **score._asdict(), department_rank=rank, allocation_round=allocation_round, order=order, outcome=outcome,
        ))
    # Export order: department code, then rank; the excluded last in their department, by student number, then key.
    results.sort(key=lambda r: (r.department_code, 0, r.department_rank) if r.eligible
                 else (r.department_code, 1, r.student_number, r.key))
    primaries = sum(r.outcome is Outcome.PRIMARY for r in results)
    eligible_count = sum(r.eligible for r in results)
    return SelectionResult(results=tuple(results), places=rules.places, primaries=primaries,
                           reserves=eligible_count - primaries, excluded=len(results) - eligible_count)


def _digits(result: ApplicantResult) -> tuple:
    """Every field with its type and text: equal Decimals written differently (3.5, 3.50, -0) differ here."""
    return tuple((type(value), repr(value)) for value in (getattr(result, name) for name in ApplicantResult.__slots__))


@SETTINGS
@given(calls())
def test_results_are_those_the_plain_constructor_gives_in_the_export_order(call):
    rules, departments, applicants = call
    fast = run_selection(rules, departments, applicants)
    plain = _plain_run(rules, departments, applicants)
    assert fast == plain
    assert [type(r) for r in fast.results] == [ApplicantResult] * len(plain.results)
    assert [_digits(r) for r in fast.results] == [_digits(r) for r in plain.results]


def test_a_result_is_an_ordinary_frozen_applicant_result():
    result = run([applicant("a"), applicant("b", gpa=None)], places=1).results[0]
    rebuilt = ApplicantResult(**{name: getattr(result, name) for name in ApplicantResult.__slots__})
    assert type(result) is ApplicantResult
    assert result == rebuilt and hash(result) == hash(rebuilt)
    assert pickle.loads(pickle.dumps(result)) == result
    assert copy.deepcopy(result) == result
    assert dataclasses.replace(result, order=9).order == 9
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.order = 2
