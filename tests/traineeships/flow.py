"""A call after the final list with two approved letters: 1001 (CENG, undergraduate) and 2001
(SENG, made a master's student), their students' accounts and the departments' approvers."""
from applications.models import Applicant, Application
from mobility.models import Department
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline, letter
from tests.traineeships.test_export_mobilities import INSTITUTION, departments_with_isced
from traineeships.models import ApproverRole, DepartmentApprover

BEFORE = "2023-02-01T10:00:00+03:00"


def call_with_two_mobilities(tmp_path) -> Timeline:
    t = Timeline(tmp_path, institution=INSTITUTION, departments=departments_with_isced())
    t.publish()
    Application.objects.filter(call__code=CODE, applicant__student_number="2001").update(level="master")
    t.letters([
        letter("1001", decision="approved", host_name="Fraunhofer IIS", city="Erlangen"),
        letter("2001", decision="approved", host_name="Université Énergie", host_type="university", country="FR", city="Paris"),
    ], at=BEFORE)
    return t


def student_of(number: str, language: str = "en"):
    user = UserFactory(role="student", language=language)
    Applicant.objects.filter(student_number=number).update(user=user)
    return user


def approver(department: str, role: str, **fields):
    user = UserFactory(**fields)
    DepartmentApprover.objects.create(user=user, department=Department.objects.get(code=department), role=role)
    return user


def approvers() -> dict:
    return {
        "commission": approver("CENG", ApproverRole.INTERNSHIP_COMMISSION),
        "coordinator": approver("CENG", ApproverRole.ERASMUS_COORDINATOR),
        "programme": approver("SENG", ApproverRole.PROGRAMME_COORDINATOR),
    }


AGREEMENT = {
    "host_name": "Fraunhofer IIS", "host_department": "Audio", "host_address": "Am Wolfsmantel 33, Erlangen",
    "host_country": "DE", "host_website": "", "host_below_250": "on", "contact_name": "Dr. Weber",
    "contact_email": "weber@example.de", "mentor_name": "Anna Schmidt", "mentor_position": "Engineer",
    "mentor_email": "schmidt@example.de", "mentor_phone": "+49 9131 7760",
    "start_date": "2023-07-01", "end_date": "2023-08-30", "title": "Audio signal processing intern",
    "hours_per_week": "40", "programme": "Implement and test codec modules.", "skills": "DSP, C++, testing",
    "digital_skills": "on", "monitoring_plan": "Weekly meetings with the mentor.", "evaluation_plan": "Final report and review.",
    "language": "en", "language_level": "B2", "table_b": "embedded", "credits": "10", "grade": "on", "transcript": "on",
    "diploma_supplement": "on", "europass": "", "host_allowance_eur": "0", "in_kind": "Canteen",
    "accident_insurance": "sending", "liability_insurance": "receiving", "change_reason": "",
}
