import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal, AppealStatus
from appeals.services import AppealError, appeal_file, appeal_transition
from mobility.models import AuditEntry
from selection.publication import run_publish
from selection.services import selection_run
from selection.staleness import run_staleness
from tests.factories import UserFactory
from tests.letters.pdfs import plain_pdf
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def preliminary(call):
    call.appeal_deadline = timezone.now() + dt.timedelta(days=3)
    call.budget_eur = Decimal("1350")
    call.save()
    mine = apply(call, "CENG", gpa="3.00", written="70", listening="60", number="1001")
    apply(call, "CENG", gpa="3.50", written="80", listening="60", number="1002")
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    call.refresh_from_db()
    user = UserFactory(role="student")
    mine.applicant.user = user
    mine.applicant.save()
    return call, mine, user


def test_a_student_files_an_appeal_and_the_office_accepts_it_and_the_run_goes_stale(preliminary, staff):
    call, application, user = preliminary
    appeal = appeal_file(application=application, text="My GPA is 3.80", at=timezone.now(), actor=user)
    assert appeal.publication == call.publications.get()
    with pytest.raises(AppealError):
        appeal_file(application=application, text="again", at=timezone.now(), actor=user)
    appeal_transition(appeal=appeal, to=AppealStatus.ACCEPTED, answer="Corrected", at=timezone.now(), actor=staff)
    assert run_staleness(call=call, run=call.selection_runs.get()).stale
    assert AuditEntry.objects.filter(object_type="applications.application", action="appeal.accepted").exists()
    with pytest.raises(AppealError, match="already been answered"):
        appeal_transition(appeal=appeal, to=AppealStatus.REJECTED, answer="No", at=timezone.now(), actor=staff)


def test_no_appeal_after_the_deadline_or_without_a_preliminary_list(preliminary):
    call, application, user = preliminary
    with pytest.raises(AppealError, match="not open"):
        appeal_file(application=application, text="late", at=call.appeal_deadline, actor=user)


def test_a_document_must_be_pdf_or_image(preliminary):
    call, application, user = preliminary
    with pytest.raises(AppealError, match="PDF"):
        appeal_file(application=application, text="x", at=timezone.now(), document=SimpleUploadedFile("a.exe", b"MZ"))
    assert not Appeal.objects.exists()


def test_the_student_page_shows_every_step_and_the_office_answers(client, preliminary, staff):
    call, application, user = preliminary
    client.force_login(user)
    url = reverse("appeals:student", args=[call.code])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "File an appeal" in page and "Reserve" in page
    client.post(url, {"text": "Please check my GPA", "document": SimpleUploadedFile("my transcript.pdf", plain_pdf())})
    appeal = Appeal.objects.get()
    assert appeal.document.name.startswith("appeals/") and "transcript" not in appeal.document.name
    client.force_login(staff)
    office = client.get(reverse("office:appeals", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Please check my GPA" in office
    client.post(reverse("office:appeal_answer", args=[call.code, appeal.pk]), {
        f"a{appeal.pk}-decision": "accepted", f"a{appeal.pk}-answer": "Your GPA was wrong; corrected.",
    })
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED and appeal.answered_by == staff
    application.gpa = Decimal("3.90")
    application.save()
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    client.force_login(user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your GPA was wrong; corrected." in page and "Primary" in page and "Reserve" in page
    client.force_login(staff)
    trail = client.get(reverse("office:application_audit", args=[call.code, application.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Appeal filed" in trail and "Appeal accepted" in trail and trail.count("Preliminary list published") == 2


def test_another_student_cannot_see_the_appeal_page(client, preliminary):
    call, _application, _user = preliminary
    client.force_login(UserFactory(role="student"))
    assert client.get(reverse("appeals:student", args=[call.code])).status_code == 404


def test_the_appeal_is_linked_from_the_call_page_dashboard_public_list_and_results_mail(client, preliminary, mailoutbox):

    call, _application, user = preliminary
    link = reverse("appeals:student", args=[call.code])
    client.force_login(user)
    assert link in client.get(reverse("applications:call", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert link in client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert link in client.get(reverse("public:list", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    from mobility.models import OutboxMessage

    # The results mail was owed when the list was published, while the window was open.
    mails = OutboxMessage.objects.filter(key__endswith=f"result:{call.publications.get().pk}")
    assert mails and all(link in message.body for message in mails)


def test_no_appeal_link_once_the_window_is_closed(client, preliminary):
    call, _application, user = preliminary
    call.appeal_deadline = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    link = reverse("appeals:student", args=[call.code])
    client.force_login(user)
    for url in (reverse("applications:call", args=[call.code]), reverse("dashboard"), reverse("public:list", args=[call.code])):
        assert link not in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode(), url
