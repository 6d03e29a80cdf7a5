"""Uploads: type from the content, 10 MB at most, private storage under random names, owner and office only."""
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from applications.models import BonusClaim, Document, DocumentStatus
from applications.student.applying import ApplicationError
from applications.student.documents import document_decide
from tests.applications.student.conftest import PDF, PNG, dept, linked, upload
from tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(call, alice):
    return ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), status="draft", source="student")


def send(client, application, kind="disability", **kwargs):
    return client.post(reverse("applications:document_upload", args=[application.pk]), {"kind": kind, "file": upload(**kwargs)})


def test_a_pdf_is_stored_privately_under_a_random_name_and_claims_the_bonus(client, alice, application, settings):
    client.force_login(alice)
    send(client, application, name="Engelli raporu.pdf")
    document = Document.objects.get()
    assert (document.content_type, document.original_name, document.status) == ("application/pdf", "Engelli raporu.pdf", "pending")
    path = Path(document.file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT)) and not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Engelli" not in path.name and len(path.name) >= 32
    assert path.read_bytes() == PDF
    application.refresh_from_db()
    assert application.disability == BonusClaim.CLAIMED


def test_a_png_is_accepted_by_its_content_even_when_named_jpg(client, alice, application):
    client.force_login(alice)
    send(client, application, name="photo.jpg", content=PNG, content_type="image/jpeg")
    assert Document.objects.get().content_type == "image/png"


def test_a_text_file_renamed_pdf_is_refused_with_a_message_and_nothing_saved(client, alice, application, settings):
    client.force_login(alice)
    response = send(client, application, name="rapor.pdf", content=b"just some text, not a PDF", content_type="application/pdf")
    page = response.content.decode()
    # The refusal stands next to the upload (not in a message at the top of a long page).
    assert response.status_code == 400
    error = page.index('id="upload-error"')
    assert "is not a PDF, JPEG or PNG file" in page[error:error + 600]
    assert page.index('id="documents"') < error
    assert not Document.objects.exists()
    assert not any(Path(settings.PRIVATE_MEDIA_ROOT).rglob("*")) if Path(settings.PRIVATE_MEDIA_ROOT).exists() else True
    application.refresh_from_db()
    assert application.disability == ""


def test_more_than_10_mb_is_refused(client, alice, application):
    client.force_login(alice)
    response = send(client, application, content=PDF + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not Document.objects.exists()


def test_exactly_10_mb_is_accepted(client, alice, application):
    client.force_login(alice)
    send(client, application, content=PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    assert Document.objects.count() == 1


def test_a_transcript_only_for_graduate_students(client, alice, application):
    client.force_login(alice)
    send(client, application, kind="previous_transcript")
    assert not Document.objects.exists()
    application.level = "master"
    application.save()
    send(client, application, kind="previous_transcript")
    assert Document.objects.get().kind == "previous_transcript"


def test_no_upload_after_the_close(alice, application):
    from applications.student.documents import document_upload

    with pytest.raises(ApplicationError):
        document_upload(application=application, kind="disability", upload=upload(), actor=alice,
                        at=application.call.applications_close + dt.timedelta(seconds=1))
    assert not Document.objects.exists()


def test_download_by_owner_and_staff_only(client, alice, bob, staff, coordinator, application):
    client.force_login(alice)
    send(client, application)
    document = Document.objects.get()
    url = reverse("applications:document_download", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    for other in (bob, coordinator):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_only_an_accepted_document_gives_points(alice, staff, application, now):
    from applications.student.documents import document_upload

    first = document_upload(application=application, kind="disability", upload=upload(), actor=alice, at=now)
    with pytest.raises(ApplicationError):
        document_decide(document=first, to="rejected", reason="  ", actor=staff, at=now)
    document_decide(document=first, to="rejected", reason="Rapor okunmuyor", actor=staff, at=now)
    application.refresh_from_db()
    assert application.disability == BonusClaim.CLAIMED
    second = document_upload(application=application, kind="disability", upload=upload(), actor=alice, at=now)
    document_decide(document=second, to="accepted", reason="", actor=staff, at=now)
    application.refresh_from_db()
    assert application.disability == BonusClaim.VERIFIED
    with pytest.raises(ApplicationError):
        document_decide(document=second, to="rejected", reason="changed my mind", actor=staff, at=now)


def test_an_accepted_transcript_gives_the_previous_degree_gpa(alice, staff, call, now):
    from decimal import Decimal

    from applications.student.documents import document_upload

    application = ApplicationFactory(call=call, applicant=alice.applicant, department=dept(call), level="master", gpa=None,
                                     declared_previous_degree_gpa=Decimal("3.30"), status="draft", source="student")
    document = document_upload(application=application, kind="previous_transcript", upload=upload(), actor=alice, at=now)
    application.refresh_from_db()
    assert application.previous_degree_gpa is None
    document_decide(document=document, to="accepted", reason="", actor=staff, at=now)
    application.refresh_from_db()
    assert application.previous_degree_gpa == Decimal("3.30")


def test_the_decision_is_mailed_in_the_students_language(client, staff, call, now, mailoutbox, django_capture_on_commit_callbacks):
    from applications.student.documents import document_upload

    turkish = linked(language="tr")
    application = ApplicationFactory(call=call, applicant=turkish.applicant, department=dept(call), status="draft", source="student")
    document = document_upload(application=application, kind="disability", upload=upload(), actor=turkish, at=now)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("applications:document_decide", args=[document.pk]), {"decision": "rejected", "reason": "Okunmuyor"})
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [turkish.email]
    assert "kabul edilmedi" in mail.subject.lower() or "Belge" in mail.subject
    assert "Okunmuyor" in mail.body
    # The sender is safe to run twice: the second run sends nothing.
    from mobility.outbox import outbox_send

    assert outbox_send() == 0
    assert len(mailoutbox) == 1
    assert f"/calls/{call.code}/" in mail.body


def test_the_office_queue_lists_waiting_documents_oldest_first(client, staff, coordinator, call, now):
    from applications.student.documents import document_upload

    documents = []
    for minutes in (30, 10, 20):
        user = linked()
        application = ApplicationFactory(call=call, applicant=user.applicant, department=dept(call), status="draft", source="student")
        documents.append(document_upload(application=application, kind="disability", upload=upload(), actor=user,
                                         at=now - dt.timedelta(minutes=minutes)))
    document_decide(document=documents[0], to="accepted", reason="", actor=staff, at=now)
    client.force_login(staff)
    page = client.get(reverse("applications:document_queue"))
    assert [d.pk for d in page.context["page"]] == [documents[2].pk, documents[1].pk]
    client.force_login(coordinator)
    assert client.get(reverse("applications:document_queue")).status_code == 403


def test_a_student_cannot_decide(client, alice, application, now):
    from applications.student.documents import document_upload

    document = document_upload(application=application, kind="disability", upload=upload(), actor=alice, at=now)
    client.force_login(alice)
    assert client.post(reverse("applications:document_decide", args=[document.pk]), {"decision": "accepted"}).status_code == 403
    assert Document.objects.get().status == DocumentStatus.PENDING


def test_a_document_decision_is_in_the_applications_audit_trail_with_before_and_after(alice, staff, application, now):
    from applications.student.documents import document_upload
    from mobility.models import AuditEntry

    document = document_upload(application=application, kind="disability", upload=upload(), actor=alice, at=now)
    document_decide(document=document, to="accepted", reason="", actor=staff, at=now)
    entry = AuditEntry.objects.get(action="application.document_decided", object_id=str(application.pk))
    assert entry.data["changes"] == {"disability": ["claimed", "verified"]} and entry.actor == staff
