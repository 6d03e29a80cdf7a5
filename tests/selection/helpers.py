from decimal import Decimal

from applications.models import Applicant, Application, ExamResult, Level
from applications.selectors import exam_session_for_call
from tests.factories import ApplicantFactory, ApplicationFactory, ExamResultFactory


def apply(call, dept: str, *, gpa="3.00", written="70", listening="60", absent=False, level=Level.BACHELOR,
          exam=True, number=None, **fields):
    """One application of the call with its exam result."""
    department = call.call_departments.get(department__code=dept).department
    applicant = ApplicantFactory(**({"student_number": number} if number else {}))
    application = ApplicationFactory(
        call=call, applicant=applicant, department=department, level=level,
        gpa=None if gpa is None else Decimal(gpa), **fields,
    )
    if exam:
        ExamResultFactory(
            session=exam_session_for_call(call=call), applicant=applicant,
            written=None if written is None else Decimal(written),
            listening=None if listening is None else Decimal(listening), absent=absent,
        )
    return application


def apply_many(call, dept: str, count: int, *, prefix: str, start: int = 0) -> None:
    """`count` applications of the call with exam results, in three bulk queries (query-count tests)."""
    department = call.call_departments.get(department__code=dept).department
    session = exam_session_for_call(call=call)
    numbers = [f"{prefix}{start + i:05d}" for i in range(count)]
    Applicant.objects.bulk_create(
        Applicant(student_number=n, first_name="Öğrenci", last_name=n, email=f"{n}@ogr.example.edu.tr") for n in numbers
    )
    applicants = list(Applicant.objects.filter(student_number__in=numbers))
    # Scores spread out so the ranking follows the student number: higher number, lower rank.
    Application.objects.bulk_create(
        Application(call=call, applicant=a, department=department, level=Level.BACHELOR,
                    gpa=Decimal("3.99") - Decimal(int(a.student_number[-5:]) % 180) / 100)
        for a in applicants
    )
    ExamResult.objects.bulk_create(
        ExamResult(session=session, applicant=a, written=Decimal("80"), listening=Decimal("60")) for a in applicants
    )
