"""Sign-up asks for the name and student number; verification links the account to the applicant."""
import re

import pytest
from django.urls import reverse

from applications.models import Applicant
from mobility.models import User
from tests.factories import ApplicantFactory

pytestmark = pytest.mark.django_db
SIGNUP = {"password1": "A-long-pass-phrase-9", "password2": "A-long-pass-phrase-9"}


def sign_up_and_verify(client, mailoutbox, *, email, number, first="Deniz", last="Kaya"):
    response = client.post(reverse("account_signup"), {
        "email": email, "first_name": first, "last_name": last, "student_number": number, **SIGNUP,
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.post("/" + path)
    return User.objects.get(email=email), link


def test_verified_sign_up_is_linked_to_the_office_record_with_the_same_number_and_email(client, mailoutbox):
    record = ApplicantFactory(student_number="400777", email="deniz@ogr.example.edu.tr", first_name="Deniz", last_name="Kaya")
    user, _link = sign_up_and_verify(client, mailoutbox, email="deniz@ogr.example.edu.tr", number="400777")
    record.refresh_from_db()
    assert record.user == user
    assert (user.first_name, user.last_name, user.student_number) == ("Deniz", "Kaya", "400777")


def test_no_link_before_the_email_is_verified(client, mailoutbox):
    ApplicantFactory(student_number="400778", email="x@ogr.example.edu.tr")
    client.post(reverse("account_signup"), {
        "email": "x@ogr.example.edu.tr", "first_name": "A", "last_name": "B", "student_number": "400778", **SIGNUP,
    })
    assert Applicant.objects.get(student_number="400778").user is None


def test_an_unknown_number_creates_the_applicant(client, mailoutbox):
    user, _link = sign_up_and_verify(client, mailoutbox, email="new@ogr.example.edu.tr", number="499001", first="Ece", last="Demir")
    applicant = Applicant.objects.get(student_number="499001")
    assert (applicant.user, applicant.first_name, applicant.last_name, applicant.email) == (user, "Ece", "Demir", user.email)


def test_a_classmates_number_with_another_email_is_not_linked(client, mailoutbox):
    record = ApplicantFactory(student_number="400779", email="owner@ogr.example.edu.tr")
    user, _link = sign_up_and_verify(client, mailoutbox, email="intruder@ogr.example.edu.tr", number="400779")
    record.refresh_from_db()
    assert record.user is None
    assert not Applicant.objects.filter(user=user).exists()


def test_mail_links_use_the_configured_site_url_not_the_request_host(client, mailoutbox, settings):
    settings.SITE_URL = "https://mobility.example.edu.tr"
    settings.ALLOWED_HOSTS = ["evil.example.com", "testserver"]
    client.post(reverse("account_signup"), {
        "email": "s@ogr.example.edu.tr", "first_name": "A", "last_name": "B", "student_number": "400780", **SIGNUP,
    }, HTTP_HOST="evil.example.com")
    body = mailoutbox[-1].body
    assert "https://mobility.example.edu.tr/accounts/confirm-email/" in body
    assert "evil.example.com" not in body + mailoutbox[-1].subject
    assert settings.PORTAL_NAME in mailoutbox[-1].from_email


def test_signup_requires_the_student_number(client):
    response = client.post(reverse("account_signup"), {"email": "n@ogr.example.edu.tr", "first_name": "A", "last_name": "B", **SIGNUP})
    assert response.status_code == 200
    assert not User.objects.filter(email="n@ogr.example.edu.tr").exists()


@pytest.mark.parametrize("number", ["-400100", "400100-", "=1+2", "+90", "@x", "40 01", "4001\n", "4001/", "ab_1"])
def test_sign_up_refuses_a_student_number_the_import_would_refuse(client, number):
    from applications.cells import CellInvalid, parse_student_number

    with pytest.raises(CellInvalid):
        parse_student_number(number if not number.endswith("\n") else "4001\n2")
    response = client.post(reverse("account_signup"), {
        "email": "n@ogr.example.edu.tr", "first_name": "A", "last_name": "B", "student_number": number, **SIGNUP,
    })
    assert response.status_code == 200 and not User.objects.filter(email="n@ogr.example.edu.tr").exists()


@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_sign_up_refuses_a_line_break_inside_a_name(client, field):
    data = {"email": "n@ogr.example.edu.tr", "first_name": "A", "last_name": "B", "student_number": "400901", **SIGNUP}
    data[field] = "Ay\rse"
    response = client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "one line" in response.content.decode()
    assert not User.objects.filter(email="n@ogr.example.edu.tr").exists()


def test_the_admin_refuses_a_student_number_the_import_would_refuse():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        ApplicantFactory.build(student_number="-400100", email="a@ogr.example.edu.tr").full_clean(exclude=["user"])
    with pytest.raises(ValidationError):
        User(email="b@ogr.example.edu.tr", student_number="=1+2").full_clean(exclude=["password"])
