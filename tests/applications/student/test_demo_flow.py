"""The README's "What to try as a student", step by step, on the demo data."""
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from applications.models import Application, Document
from letters.models import Placement
from mobility.models import User
from portal.demo import DEMO_CODE, DEMO_STUDENT_NUMBER, demo_load
from selection.services import selection_run
from tests.applications.student.conftest import upload
from tests.letters.pdfs import plain_pdf

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
        call_command("publish_run", DEMO_CODE, "--stage", "preliminary", "--confirm")
    client.force_login(student)
    page = client.get(reverse("applications:call", args=[DEMO_CODE])).content.decode()
    assert "Your preliminary result" in page and "Documented disability" in page
    assert reverse("applications:call", args=[DEMO_CODE]) in client.get(reverse("dashboard")).content.decode()
    assert any("Preliminary results published" in m.subject and m.to == [student.email] for m in mailoutbox)

    # Step 6: the final list, a letter, a budget raise that reaches the demo student.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_run", DEMO_CODE, "--stage", "final", "--confirm")
    placement = Placement.objects.get(call=call, student_number=DEMO_STUDENT_NUMBER)
    assert placement.status == "reserve", placement.order
    page = client.get(reverse("applications:call", args=[DEMO_CODE])).content.decode()
    assert reverse("letters:student", args=[DEMO_CODE]) in page
    call.refresh_from_db()
    start = call.mobility_start
    letter = {
        "host_name": "Fraunhofer IIS", "host_type": "research", "country": "DE", "city": "Erlangen",
        "address": "Am Wolfsmantel 33", "contact_person": "Dr. Weber",
        "start_date": start.isoformat(), "end_date": (start + timedelta(days=70)).isoformat(),
        "pdf": SimpleUploadedFile("letter.pdf", plain_pdf(), content_type="application/pdf"),
    }
    response = client.post(reverse("letters:student", args=[DEMO_CODE]), letter)
    assert response.status_code == 302, [str(e) for f in response.context["form"] for e in f.errors] + list(response.context["form"].non_field_errors())
    client.force_login(User.objects.get(email="staff@demo.example"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:review", args=[DEMO_CODE, DEMO_STUDENT_NUMBER]), {"decision": "approved"})
        client.post(reverse("letters:budget", args=[DEMO_CODE]), {"amount": "24300.00"})
    placement.refresh_from_db()
    assert placement.status == "primary" and placement.promoted
    client.force_login(student)
    assert "You were promoted from the reserve list" in client.get(reverse("applications:call", args=[DEMO_CODE])).content.decode()
