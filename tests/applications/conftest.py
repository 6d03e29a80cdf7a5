import pytest
from django.utils import translation

from mobility.models import Department
from tests.factories import ApplicantFactory, ApplicationFactory


@pytest.fixture
def applications(call):
    """Three applications to the call, students 300101, 300102, 300103."""
    ceng = Department.objects.get(code="CENG")
    return [
        ApplicationFactory(call=call, department=ceng, applicant=ApplicantFactory(student_number=f"30010{i}"))
        for i in (1, 2, 3)
    ]


@pytest.fixture
def english(settings):
    """The import messages in English (their msgids), whatever translations are compiled."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
