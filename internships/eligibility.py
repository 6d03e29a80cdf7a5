"""Eligibility of a stored student under the programme's rules (wraps the pure rule)."""
from decimal import Decimal

from internships.rules.eligibility import EligibilityRules, StudentFacts, ineligibility


def programme_rules(programme) -> EligibilityRules:
    return EligibilityRules(
        min_gpa=Decimal(programme.min_gpa),
        years={level: tuple(years) for level, years in (programme.years or {}).items()},
        gpa_exempt={(e["level"], int(e["year"])) for e in programme.gpa_exempt or []},
    )


def student_ineligibility(student, rules: EligibilityRules | None = None) -> str | None:
    """None when eligible; else the reason code (contract §3)."""
    rules = rules or programme_rules(student.programme)
    return ineligibility(rules, StudentFacts(
        level=student.level, year=student.year, gpa=student.gpa, department_excluded=student.department.excluded,
    ))
