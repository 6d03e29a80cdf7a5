import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.models import Application
from mobility.models import Call, User
from portal.demo import DEMO_CODE

pytestmark = pytest.mark.django_db


def test_load_demo_creates_an_open_call_and_four_logins_and_is_safe_to_repeat(capsys):
    call_command("load_demo")
    call_command("load_demo")
    out = capsys.readouterr().out
    call = Call.objects.get(code=DEMO_CODE)
    assert call.is_open(timezone.now())
    assert list(call.call_departments.values_list("department__code", flat=True)) == ["CENG", "MIS", "SENG"]
    assert 24 <= Application.objects.filter(call=call).count() <= 60
    assert User.objects.count() == 5  # the four roles and the internship programme's host unit
    for email in ("student@demo.example", "staff@demo.example", "coordinator@demo.example", "admin@demo.example",
                  "host@demo.example"):
        assert email in out


def test_demo_logins_can_sign_in(client, capsys):
    from portal.demo import DEMO_PASSWORD

    call_command("load_demo")
    for email in ("student@demo.example", "staff@demo.example", "coordinator@demo.example", "admin@demo.example"):
        response = client.post("/accounts/login/", {"login": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response["Location"] == "/dashboard/", email
        client.post("/accounts/logout/")
