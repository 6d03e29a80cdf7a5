import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import ApplicantFactory, UserFactory
from tests.letters.pdfs import plain_pdf, png_bytes

PDF = plain_pdf()  # a real PDF: every upload is parsed and checked for active content
PNG = png_bytes()


def linked(role="student", **user_fields):
    user = UserFactory(role=role, **user_fields)
    ApplicantFactory(user=user, email=user.email, first_name=user.first_name, last_name=user.last_name)
    return user


@pytest.fixture
def alice(db):
    return linked()


@pytest.fixture
def bob(db):
    return linked()


@pytest.fixture
def now():
    return timezone.now()


def dept(call, code="CENG"):
    return call.call_departments.get(department__code=code).department


def draft_post(call, code="CENG", **extra):
    data = {"department": dept(call, code).pk, "level": "bachelor", "gpa": "3.10", "prior_participations": "0", "save": "1"}
    data.update(extra)
    return data


def upload(name="report.pdf", content=PDF, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


def seconds(n):
    return dt.timedelta(seconds=n)
