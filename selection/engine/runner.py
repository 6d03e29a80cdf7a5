"""``run_selection``: validate, score every applicant, rank, allocate, and package the result."""

from __future__ import annotations

from collections.abc import Iterable

from .allocation import Candidate, allocate, ranking_key
from .scoring import (
    academic_score,
    adjustment_lines,
    engine_context,
    exclusion_reason,
    final_score,
    gpa_used,
    language_score,
    sat_exam,
)
from .types import (
    AcademicFormula,
    ApplicantInput,
    ApplicantResult,
    CallRules,
    DepartmentRules,
    EngineInputError,
    Outcome,
    SelectionResult,
)

_MAX_LISTED_PROBLEMS = 10


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
    by_code, applicant_list = _validate(rules, departments, applicants)
    relative = rules.academic_formula is AcademicFormula.DEPARTMENT_RELATIVE
    minimum_by_level = dict(rules.min_gpa)

    with engine_context():
        adjustment_cache: dict[tuple, tuple] = {}
        rows: list[tuple] = []
        candidates: list[Candidate] = []
        candidate_rows: list[int] = []
        missing_average: set[str] = set()

        for applicant in applicant_list:
            department = by_code[applicant.department_code]
            reason = exclusion_reason(applicant, minimum_by_level[applicant.level], department.written_min)

            used = gpa_used(applicant)
            academic = ratio = None
            if used is not None:
                if not relative:
                    academic, ratio = academic_score(used, rules)
                elif department.gpa_average is not None:
                    academic, ratio = academic_score(used, rules, department.gpa_average)
                elif reason is None:
                    missing_average.add(department.code)

            language = language_score(applicant.written, applicant.listening, rules) if sat_exam(applicant) else None

            cache_key = (applicant.prior_participations, applicant.flags, applicant.bonuses)
            cached = adjustment_cache.get(cache_key)
            if cached is None:
                cached = adjustment_cache[cache_key] = adjustment_lines(applicant, rules)
            lines, total = cached

            final = None
            if academic is not None and language is not None:
                final = final_score(academic, language, total, rules)

            if reason is None and final is not None:
                candidate_rows.append(len(rows))
                candidates.append(
                    Candidate(
                        ranking_key(final, used, language, applicant.sequence, applicant.key),
                        applicant.department_code,
                    )
                )
            rows.append((applicant, reason, used, ratio, academic, language, lines, total, final))

        if missing_average:
            raise EngineInputError(
                "department_relative scoring needs gpa_average for department(s) "
                + ", ".join(sorted(missing_average))
            )

        placements = allocate(candidates, rules.allocation, rules.places)

    placement_of = [None] * len(rows)
    for row_index, placement in zip(candidate_rows, placements):
        placement_of[row_index] = placement

    results: list[ApplicantResult] = []
    sort_keys: list[tuple] = []
    excluded_outcome = Outcome.EXCLUDED
    primaries = 0
    for (applicant, reason, used, ratio, academic, language, lines, total, final), placement in zip(
        rows, placement_of
    ):
        if placement is None:
            rank = round_ = order = None
            outcome = excluded_outcome
            sort_keys.append((applicant.department_code, 1, applicant.student_number, applicant.key))
        else:
            rank, round_, order, outcome = placement
            if outcome is Outcome.PRIMARY:
                primaries += 1
            sort_keys.append((applicant.department_code, 0, rank, ""))
        results.append(
            ApplicantResult(
                key=applicant.key,
                student_number=applicant.student_number,
                department_code=applicant.department_code,
                eligible=placement is not None,
                reason=reason,
                gpa_used=used,
                ratio=ratio,
                academic_score=academic,
                language_score=language,
                adjustments=lines,
                adjustments_total=total,
                final_score=final,
                department_rank=rank,
                allocation_round=round_,
                order=order,
                outcome=outcome,
            )
        )

    export_order = sorted(range(len(results)), key=sort_keys.__getitem__)
    eligible_count = len(candidates)
    return SelectionResult(
        results=tuple(results[i] for i in export_order),
        places=rules.places,
        primaries=primaries,
        reserves=eligible_count - primaries,
        excluded=len(results) - eligible_count,
    )
