from decimal import Decimal

from applications.models import Level
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
