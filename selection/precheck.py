"""Before applying: would the engine exclude this student, and why (the engine's own reason codes)?"""
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from selection import engine
from selection.models import Reason

# Reasons the portal checks before the engine sees an application (the engine assumes both).
DEPARTMENT_NOT_IN_CALL = "department_not_in_call"
LEVEL_MISSING = "level_missing"
PRECHECK_LABELS = {
    DEPARTMENT_NOT_IN_CALL: _("Your department is not among the departments of this call"),
    LEVEL_MISSING: _("Your level of study (bachelor's, master's, …) is not known yet"),
    **{reason.value: reason.label for reason in Reason},
}
# Not a verdict before the office has entered the exam results.
EXAM_PENDING = "exam_pending"


@dataclass(frozen=True)
class Precheck:
    reasons: tuple[str, ...]
    exam_pending: bool
    minimum_gpa: Decimal | None

    @property
    def eligible(self) -> bool:
        return not self.reasons

    @property
    def items(self) -> list[tuple[str, str]]:
        return [(code, str(PRECHECK_LABELS[code])) for code in self.reasons]


def eligibility_precheck(*, call, department_code: str | None, level: str | None, gpa, previous_degree_gpa,
                         exam=None) -> Precheck:
    """The engine's exclusion rule, applied to what the student and the office have entered so far.

    ``exam`` is the ExamResult of the call's session, or None while the office has not entered it:
    then an exam reason is not a verdict (exam_pending) and is left out.
    """
    # Only what eligibility reads: the minimum GPA per level (the engine fills in the associate
    # level) and each department's written minimum.
    rules = engine.CallRules(places=0, min_gpa={engine.Level(k): v for k, v in call.min_gpa().items()})
    by_code = {cd.department.code: cd for cd in call.call_departments.select_related("department")}
    if department_code not in by_code:
        return Precheck((DEPARTMENT_NOT_IN_CALL,), False, None)
    if not level:
        return Precheck((LEVEL_MISSING,), False, None)
    applicant = engine.ApplicantInput(
        key="precheck", student_number="", department_code=department_code, level=engine.Level(level),
        gpa=gpa or None, previous_degree_gpa=previous_degree_gpa or None,
        written=exam.written if exam else None, listening=exam.listening if exam else None,
        absent=bool(exam and exam.absent), has_exam_result=exam is not None,
    )
    minimum = rules.minimum_gpa(applicant.level)
    with engine.scoring.engine_context():
        reason = engine.exclusion_reason(applicant, minimum, by_code[department_code].written_min)
    pending = exam is None and reason == engine.Reason.ABSENT_EXAM
    reasons = () if reason is None or pending else (str(reason),)
    return Precheck(reasons, pending, minimum)
