"""The demo student's account, name and e-mail are those of their applicant record and application."""
import pytest

from applications.models import Applicant, Application
from mobility.models import User
from portal.demo import DEMO_CODE, DEMO_STUDENT_NUMBER, demo_load

pytestmark = pytest.mark.django_db


def test_demo_student_account_matches_the_applicant_and_the_application():
    demo_load()
    user = User.objects.get(email="student@demo.example")
    applicant = Applicant.objects.get(student_number=DEMO_STUDENT_NUMBER)
    assert applicant.user == user
    assert (applicant.first_name, applicant.last_name, applicant.email) == (user.first_name, user.last_name, user.email)
    assert user.student_number == applicant.student_number
    assert Application.objects.get(applicant=applicant).call.code == DEMO_CODE


def test_a_second_load_repairs_an_older_demo_record():
    demo_load()
    Applicant.objects.filter(student_number=DEMO_STUDENT_NUMBER).update(first_name="Eski", email="old@demo.example", user=None)
    demo_load()
    applicant = Applicant.objects.get(student_number=DEMO_STUDENT_NUMBER)
    assert (applicant.first_name, applicant.email, applicant.user.email) == ("Ayşe", "student@demo.example", "student@demo.example")
