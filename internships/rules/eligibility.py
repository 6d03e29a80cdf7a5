"""Who may apply (document 003; contract §3). The first reason that applies is the one given."""
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal

LEVELS = ("associate", "bachelor")
# In the contract's order: the first that applies is the reason.
REASONS = ("department_excluded", "year_not_eligible", "no_gpa", "gpa_below_minimum")


@dataclass(frozen=True)
class EligibilityRules:
    min_gpa: Decimal
    years: Mapping[str, Collection[int]]
    gpa_exempt: Collection[tuple[str, int]]


@dataclass(frozen=True)
class StudentFacts:
    level: str
    year: int
    gpa: Decimal | None
    department_excluded: bool


def ineligibility(rules: EligibilityRules, student: StudentFacts) -> str | None:
    """None when eligible, else the reason code."""
    if student.department_excluded:
        return "department_excluded"
    if student.year not in rules.years.get(student.level, ()):
        return "year_not_eligible"
    if (student.level, student.year) in rules.gpa_exempt:
        return None
    if student.gpa is None:
        return "no_gpa"
    if student.gpa < rules.min_gpa:
        return "gpa_below_minimum"
    return None
