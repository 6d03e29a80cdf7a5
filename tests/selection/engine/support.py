"""Small builders for engine tests (no Django)."""

from __future__ import annotations

import itertools
from decimal import Decimal

from selection.engine import ApplicantInput, CallRules, DepartmentRules, Level, run_selection

_sequence = itertools.count(1)


def D(value: str | int) -> Decimal:
    return Decimal(str(value))


def applicant(
    key: str,
    department: str = "CENG",
    *,
    level: Level | str = Level.BACHELOR,
    gpa: str | None = "3.00",
    written: str | None = "70",
    listening: str | None = "60",
    sequence: int | None = None,
    **extra,
) -> ApplicantInput:
    """An eligible-by-default bachelor applicant; ``key`` doubles as the student number."""
    return ApplicantInput(
        key=key,
        student_number=extra.pop("student_number", key),
        department_code=department,
        level=level,
        gpa=gpa,
        written=written,
        listening=listening,
        sequence=next(_sequence) if sequence is None else sequence,
        **extra,
    )


def departments(*codes: str, written_min: str | None = "60", gpa_average: str | None = None) -> list[DepartmentRules]:
    return [DepartmentRules(code, written_min, gpa_average) for code in codes]


def run(applicants, *, places: int = 10, codes=("CENG", "SENG", "MIS"), written_min="60", gpa_average=None, **rules):
    return run_selection(
        CallRules(places=places, **rules),
        departments(*codes, written_min=written_min, gpa_average=gpa_average),
        applicants,
    )


def one(a: ApplicantInput, **kwargs):
    """Run a single applicant and return its result."""
    return run([a], **kwargs).by_key()[a.key]
