"""``run_selection``: validate, score every applicant, rank, allocate, and package the result."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from .allocation import allocate, ranking_key
from .scoring import Scorer, engine_context
from .types import ApplicantInput, ApplicantResult, CallRules, DepartmentRules, EngineInputError, Outcome, SelectionResult

_MAX_LISTED_PROBLEMS = 10


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for one run, then restore its previous state.

    A run allocates a few hundred thousand short-lived tuples and result objects and makes
    no reference cycles; without the pause the collector's repeated passes over the caller's
    live objects take about as long as the run itself (50,000 applicants: ~1.0 s -> ~0.6 s).
    Reference counting still frees everything; only cycle detection waits until the end.
    The database adapter pauses it the same way while it builds the 50,000 inputs, and so does a
    letter deadline (letters.services.deadlines) while it writes thousands of placements and e-mails.

    On the way out the objects made meanwhile are moved to the oldest generation unscanned
    (`_promote_young`): otherwise the first young collection after re-enabling walks all of
    them (50,000 applicants: ~30 ms at the end of each pause, two pauses per stored run).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            _promote_young()
            gc.enable()


def _promote_young() -> None:
    """Move every object the collector tracks to its oldest generation, without a scan.

    gc.freeze() then gc.unfreeze() does that in constant time (two list splices). Objects that
    later become cyclic garbage are still found, at the next full collection instead of the next
    young one; nothing else about collection changes. It is process-wide, so it is done only when
    nothing else in the process has frozen objects (a pre-fork server may freeze its start-up
    objects to keep memory pages shared with its children: unfreezing would undo that). Pure
    Python and synchronous, so a Celery prefork or solo worker runs it like any other code.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _raise_problems(problems: list[str]) -> None:
    if problems:
        more = len(problems) - _MAX_LISTED_PROBLEMS
        listed = "; ".join(problems[:_MAX_LISTED_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise EngineInputError(listed)


def _validate(
    rules: CallRules, departments: Iterable[DepartmentRules], applicants: Iterable[ApplicantInput]
) -> tuple[dict[str, DepartmentRules], list[ApplicantInput]]:
    if not isinstance(rules, CallRules):
        raise EngineInputError(f"rules must be CallRules, not {type(rules).__name__}")
    if rules.places < 0:
        raise EngineInputError(f"places must not be negative, got {rules.places}")
    by_code: dict[str, DepartmentRules] = {}
    for department in departments:
        if not isinstance(department, DepartmentRules):
            raise EngineInputError(f"departments must be DepartmentRules, not {type(department).__name__}")
        if department.code in by_code:
            raise EngineInputError(f"department {department.code!r} given twice")
        by_code[department.code] = department

    applicant_list = list(applicants)
    problems: list[str] = []
    keys: set[str] = set()
    for applicant in applicant_list:
        if not isinstance(applicant, ApplicantInput):
            raise EngineInputError(f"applicants must be ApplicantInput, not {type(applicant).__name__}")
        if applicant.key in keys:
            problems.append(f"duplicate applicant key {applicant.key!r}")
        keys.add(applicant.key)
        if applicant.department_code not in by_code:
            problems.append(
                f"applicant {applicant.key!r} (student {applicant.student_number}) "
                f"is in unknown department {applicant.department_code!r}"
            )
    _raise_problems(problems)
    return by_code, applicant_list


def run_selection(
    rules: CallRules, departments: Iterable[DepartmentRules], applicants: Iterable[ApplicantInput]
) -> SelectionResult:
    """Score, rank and allocate every applicant of a call. Pure: same input, same output,
    whatever the order of ``applicants``. Raises EngineInputError on invalid input."""
    with cyclic_gc_paused():
        return _run(rules, departments, applicants)


def _run(
    rules: CallRules, departments: Iterable[DepartmentRules], applicants: Iterable[ApplicantInput]
) -> SelectionResult:
    by_code, applicant_list = _validate(rules, departments, applicants)
    department_limits = {code: (d.written_min, d.gpa_average) for code, d in by_code.items()}

    # One pass scores every applicant and writes its result straight into a draft (see _Draft):
    # an excluded applicant's result is finished here, an eligible one's when allocation has
    # placed it. Export order: department code, then department rank; excluded rows last, by
    # student number (then key).
    excluded = Outcome.EXCLUDED
    new_draft = object.__new__
    drafts: list[_Draft] = []  # the eligible, in the order of ``candidates``
    candidates: list[tuple] = []
    unranked: dict[str, list[tuple[str, str, ApplicantResult]]] = {code: [] for code in by_code}
    missing_average: set[str] = set()
    with engine_context():
        scorer = Scorer(rules)
        for applicant in applicant_list:
            code = applicant.department_code
            written_min, gpa_average = department_limits[code]
            reason, used, ratio, academic, language, lines, total, final = scorer(applicant, written_min, gpa_average)
            result = new_draft(_Draft)
            result.key = key = applicant.key
            result.student_number = number = applicant.student_number
            result.department_code = code
            result.reason = reason
            result.gpa_used = used
            result.ratio = ratio
            result.academic_score = academic
            result.language_score = language
            result.adjustments = lines
            result.adjustments_total = total
            result.final_score = final
            if reason is None:
                if final is None:  # eligible, but department_relative has no average to use
                    missing_average.add(code)
                    continue
                result.eligible = True
                drafts.append(result)
                candidates.append((ranking_key(final, used, language, applicant.sequence, key), code))
            else:
                result.eligible = False
                result.department_rank = result.allocation_round = result.order = None
                result.outcome = excluded
                result.__class__ = ApplicantResult
                unranked[code].append((number, key, result))

        if missing_average:
            raise EngineInputError(
                "department_relative scoring needs gpa_average for department(s) "
                + ", ".join(sorted(missing_average))
            )
        placements = allocate(candidates, rules.allocation, rules.places)

    # Ranks are 1..k per department, so each eligible result goes straight to its slot.
    ranked: dict[str, list] = {code: [] for code in by_code}
    for code, count in Counter(code for _, code in candidates).items():
        ranked[code] = [None] * count
    primary = Outcome.PRIMARY
    primaries = 0
    for result, (rank, allocation_round, order, outcome) in zip(drafts, placements):
        result.department_rank = rank
        result.allocation_round = allocation_round
        result.order = order
        result.outcome = outcome
        result.__class__ = ApplicantResult
        ranked[result.department_code][rank - 1] = result
        if outcome is primary:
            primaries += 1

    results: list[ApplicantResult] = []
    for code in sorted(by_code):
        results.extend(ranked[code])
        # (student number, key, result): keys are unique, so the tuples sort by number then key
        # and never compare two results.
        results.extend(item[2] for item in sorted(unranked[code]))
    eligible_count = len(candidates)
    return SelectionResult(
        results=tuple(results),
        places=rules.places,
        primaries=primaries,
        reserves=eligible_count - primaries,
        excluded=len(results) - eligible_count,
    )


class _Draft:
    """An ApplicantResult while the engine fills it in: the same slots, but writable.

    Each result's fields are written as plain attributes (the fastest way Python sets a slot),
    then ``__class__`` is set to ApplicantResult; from then on it is an ordinary frozen result,
    equal to one made by the constructor (tests/selection/engine/test_runner.py). Going through
    the dataclass's ``__init__`` (keyword parsing and ``object.__setattr__`` for sixteen fields)
    took a third of the engine's time for 50,000 applicants. Python allows the switch because
    both classes have the same slots and no other state; the check below fails at import if
    ApplicantResult ever gains a field the draft lacks.
    """

    __slots__ = ApplicantResult.__slots__


_layout_check = object.__new__(_Draft)
_layout_check.__class__ = ApplicantResult  # raises TypeError when the layouts differ
del _layout_check
