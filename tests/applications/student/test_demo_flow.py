"""The README's "What to try as a student", step by step, on the demo data."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Document
from mobility.demo import DEMO_CODE, DEMO_STUDENT_NUMBER, demo_load
from mobility.models import User
from selection.services import selection_run
from tests.applications.student.conftest import upload

pytestmark = pytest.mark.django_db


def test_the_readme_student_walkthrough_works(client, django_capture_on_commit_callbacks, mailoutbox):
    call, _logins = demo_load()
    student = User.objects.get(email="student@demo.example")
    student.language = "en"
    student.save()
    client.force_login(student)
    application = Application.objects.get(call=call, applicant__student_number=DEMO_STUDENT_NUMBER)
    page = client.get(reverse("applications:call", args=[DEMO_CODE])).content.decode()
    assert "Can you apply?" in page and "Reopen to change" in page

    client.post(reverse("applications:reopen", args=[application.pk]))
    page = client.get(reverse("applications:call", args=[DEMO_CODE]))
    form = page.context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update({"claim_disability": "on", "save": "1"})
    client.post(reverse("applications:apply", args=[DEMO_CODE]), data)
    client.post(reverse("applications:document_upload", args=[application.pk]), {"kind": "disability", "file": upload()})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert (application.status, application.disability) == ("submitted", "claimed")

    client.force_login(User.objects.get(email="staff@demo.example"))
    document = Document.objects.get()
    client.post(reverse("applications:document_decide", args=[document.pk]), {"decision": "accepted"})
    application.refresh_from_db()
    assert application.disability == "verified"

    selection_run(call=call)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_run", DEMO_CODE, "--stage", "preliminary")
    client.force_login(student)
    page = client.get(reverse("applications:call", args=[DEMO_CODE])).content.decode()
    assert "Your preliminary result" in page and "Documented disability" in page
    assert reverse("applications:call", args=[DEMO_CODE]) in client.get(reverse("dashboard")).content.decode()
    assert any("Preliminary results published" in m.subject and m.to == [student.email] for m in mailoutbox)
