"""The Learning Agreement through the pages: student, approvers (document 000), host link, office."""
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import UserFactory
from tests.letters.timeline import CODE
from tests.traineeships.flow import AGREEMENT, approver, approvers, call_with_two_mobilities, student_of
from traineeships.models import LAState, LearningAgreement, Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(tmp_path, client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the host has no account: the browser's language
    return call_with_two_mobilities(tmp_path)


def submit(client, user, capture, **changes):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("traineeships:agreement", args=[CODE]), {**AGREEMENT, **changes, "submit": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return LearningAgreement.objects.filter(placement__student_number=user.applicant.student_number).order_by("-version").first()


def host_link(message) -> str:
    return re.search(r"https?://\S+/host/\S+/", message.body).group(0).split("/host/", 1)[1].rstrip("/")


def decide(client, user, agreement, party, decision="approved", reason=""):
    client.force_login(user)
    url = reverse("traineeships:review", args=[CODE, agreement.placement.student_number, agreement.version])
    return client.post(url, {"party": party, "decision": decision, "reason": reason})


def test_the_form_is_prefilled_from_the_letter(client, t):
    client.force_login(student_of("1001"))
    page = client.get(reverse("traineeships:agreement", args=[CODE])).content.decode()
    assert 'value="Fraunhofer IIS"' in page and 'value="2023-07-01"' in page and "€1,500.00" in page


def test_an_undergraduate_needs_the_commission_the_coordinator_and_the_host(client, t, django_capture_on_commit_callbacks):
    people = approvers()
    student = student_of("1001")
    mail.outbox.clear()
    agreement = submit(client, student, django_capture_on_commit_callbacks)
    assert agreement.state == LAState.SUBMITTED and agreement.parties == [Party.INTERNSHIP_COMMISSION, Party.ERASMUS_COORDINATOR, Party.HOST]
    to = {m.to[0] for m in mail.outbox}
    assert {"schmidt@example.de", people["commission"].email, people["coordinator"].email} <= to
    assert people["programme"].email not in to
    # The queues: the commission and the coordinator see it, the graduate coordinator does not.
    for who, sees in (("commission", True), ("coordinator", True), ("programme", False)):
        client.force_login(people[who])
        assert ("1001" in client.get(reverse("traineeships:queue")).content.decode()) is sees
    assert decide(client, people["commission"], agreement, Party.INTERNSHIP_COMMISSION).status_code == 302
    assert decide(client, people["coordinator"], agreement, Party.ERASMUS_COORDINATOR).status_code == 302
    agreement.refresh_from_db()
    assert agreement.state == LAState.SUBMITTED  # the host has not confirmed yet
    token = host_link(next(m for m in mail.outbox if m.to == ["schmidt@example.de"]))
    client.logout()
    url = reverse("traineeships:host", args=[token])
    assert "Audio signal processing intern" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"signer_name": "Anna Schmidt", "decision": "approved"})
    agreement.refresh_from_db()
    assert agreement.state == LAState.APPROVED
    assert list(agreement.approvals.values_list("party", "signer_name")) == [
        ("internship_commission", people["commission"].get_full_name()), ("erasmus_coordinator", people["coordinator"].get_full_name()),
        ("host", "Anna Schmidt")]
    assert any(m.to == [student.email] and "approved" in m.subject for m in mail.outbox)
    # The link works once.
    response = client.post(url, {"signer_name": "Someone", "decision": "rejected", "reason": "x"})
    assert response.status_code == 410 and "used already" in response.content.decode()


def test_a_graduate_needs_only_the_programme_coordinator_and_the_host(client, t, django_capture_on_commit_callbacks):
    people = approvers()
    agreement = submit(client, student_of("2001"), django_capture_on_commit_callbacks, host_name="Université Énergie", host_country="FR")
    assert agreement.graduate and agreement.parties == [Party.PROGRAMME_COORDINATOR, Party.HOST]
    client.force_login(people["commission"])
    assert "2001" not in client.get(reverse("traineeships:queue")).content.decode()
    assert decide(client, people["commission"], agreement, Party.INTERNSHIP_COMMISSION).status_code == 403
    decide(client, people["programme"], agreement, Party.PROGRAMME_COORDINATOR)
    assert agreement.approvals.get().party == Party.PROGRAMME_COORDINATOR


def test_a_rejection_sends_it_back_with_the_reason_and_the_student_sees_it(client, t, django_capture_on_commit_callbacks):
    people = approvers()
    student = student_of("1001")
    agreement = submit(client, student, django_capture_on_commit_callbacks)
    response = decide(client, people["coordinator"], agreement, Party.ERASMUS_COORDINATOR, "rejected", "")
    assert response.status_code == 200  # a reason is required
    with django_capture_on_commit_callbacks(execute=True):
        decide(client, people["coordinator"], agreement, Party.ERASMUS_COORDINATOR, "rejected", "Add the evaluation criteria")
    agreement.refresh_from_db()
    assert (agreement.state, agreement.rejection_reason) == (LAState.REJECTED, "Add the evaluation criteria")
    client.force_login(student)
    page = client.get(reverse("traineeships:student", args=[CODE])).content.decode()
    assert "Add the evaluation criteria" in page and 'data-state="rejected"' in page
    assert any(m.to == [student.email] and "Add the evaluation criteria" in m.body for m in mail.outbox)
    again = submit(client, student, django_capture_on_commit_callbacks, evaluation_plan="Criteria: quality, autonomy")
    assert (again.pk, again.state, again.approvals.count()) == (agreement.pk, LAState.SUBMITTED, 0)


def test_the_office_records_a_paper_signature_with_its_date(client, t, django_capture_on_commit_callbacks):
    agreement = submit(client, student_of("1001"), django_capture_on_commit_callbacks)
    office = UserFactory(role="office_staff")
    client.force_login(office)
    url = reverse("traineeships:review", args=[CODE, "1001", agreement.version])
    response = client.post(url, {"party": "host", "decision": "approved", "signer_name": "Anna Schmidt"})
    assert response.status_code == 200 and not agreement.approvals.exists()  # the date is required
    client.post(url, {"party": "host", "decision": "approved", "signer_name": "Anna Schmidt", "paper_received_on": "2023-06-01"})
    approval = agreement.approvals.get()
    assert (approval.party, approval.signer_name, str(approval.paper_received_on), approval.by) == ("host", "Anna Schmidt", "2023-06-01", office)


def test_a_change_after_approval_is_a_new_version_and_the_old_one_stays_readable(client, t, django_capture_on_commit_callbacks):
    people = approvers()
    student = student_of("1001")
    first = submit(client, student, django_capture_on_commit_callbacks)
    for who, party in (("commission", Party.INTERNSHIP_COMMISSION), ("coordinator", Party.ERASMUS_COORDINATOR)):
        decide(client, people[who], first, party)
    office = UserFactory(role="office_staff")
    client.force_login(office)
    client.post(reverse("traineeships:review", args=[CODE, "1001", 1]),
                {"party": "host", "decision": "approved", "signer_name": "A. Schmidt", "paper_received_on": "2023-06-01"})
    first.refresh_from_db()
    assert first.state == LAState.APPROVED
    # An extension asked today (long after the end) is refused; a change of the programme is not.
    client.force_login(student)
    response = client.post(reverse("traineeships:agreement", args=[CODE]), {**AGREEMENT, "end_date": "2023-09-30",
                                                                            "change_reason": "Longer project", "submit": "1"})
    assert response.status_code == 200 and "at least one month before the end" in response.content.decode()
    second = submit(client, student, django_capture_on_commit_callbacks, programme="New module", change_reason="New module")
    assert (second.version, second.state) == (2, LAState.SUBMITTED)
    for who, party in (("commission", Party.INTERNSHIP_COMMISSION), ("coordinator", Party.ERASMUS_COORDINATOR)):
        decide(client, people[who], second, party)
    client.force_login(office)
    client.post(reverse("traineeships:review", args=[CODE, "1001", 2]),
                {"party": "host", "decision": "approved", "signer_name": "A. Schmidt", "paper_received_on": "2023-07-10"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (LAState.SUPERSEDED, LAState.APPROVED)
    client.force_login(student)
    assert client.get(reverse("traineeships:agreement_pdf", args=[CODE, 1])).status_code == 200


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_reads_back_in_turkish_and_english_with_the_recognition_sentence(client, t, django_capture_on_commit_callbacks):
    student = student_of("1001")
    submit(client, student, django_capture_on_commit_callbacks)
    url = reverse("traineeships:agreement_pdf", args=[CODE, 1])
    english = " ".join(pdf_text(client.get(url + "?lang=en").content).split())
    turkish = " ".join(pdf_text(client.get(url + "?lang=tr").content).split())
    assert "Learning Agreement for Traineeships" in english and "Table A" in english and "Audio signal processing intern" in english
    assert "does not guarantee that the Erasmus traineeship will be recognised as the compulsory internship" in english
    assert "Tablo A" in turkish and "zorunlu staj" in turkish and "garantisini vermemektedir" in turkish
    assert "Software and applications development" in english and "Yazılım ve uygulama geliştirme" in turkish


def test_the_host_certificate_link_sets_the_final_grant(client, t, django_capture_on_commit_callbacks):
    office = UserFactory(role="office_staff")
    submit(client, student_of("1001"), django_capture_on_commit_callbacks)
    client.force_login(office)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("traineeships:office_detail", args=[CODE, "1001"]), {"action": "certificate_link"})
    token = host_link(mail.outbox[0])
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("traineeships:host", args=[token]),
                               {"signer_name": "Anna Schmidt", "start": "2023-07-01", "end": "2023-08-20"})
    assert "Thank you" in response.content.decode()
    placement = LearningAgreement.objects.get().placement
    placement.refresh_from_db()
    assert (placement.status, placement.certificate.final_grant_eur, placement.certificate.source) == ("completed", 0, "host")
    student = placement.application.applicant.user
    client.force_login(student)
    page = client.get(reverse("traineeships:student", args=[CODE])).content.decode()
    assert "€1,500.00" in page and "€0.00" in page and "€-1,500.00" in page


def test_the_office_records_recognition_and_the_student_sees_it(client, t):
    office = UserFactory(role="office_staff")
    client.force_login(office)
    client.post(reverse("traineeships:office_detail", args=[CODE, "1001"]),
                {"action": "recognition", "rec-recognition": "compulsory_internship", "rec-note": "STAJ 300"})
    client.force_login(student_of("1001"))
    page = client.get(reverse("traineeships:student", args=[CODE])).content.decode()
    assert 'data-recognition="compulsory_internship"' in page and "STAJ 300" in page


def test_a_bad_or_foreign_link_changes_nothing(client, t):
    response = client.get(reverse("traineeships:host", args=["not-a-token"]))
    assert response.status_code == 404 and "not valid" in response.content.decode()


def test_other_students_and_strangers_cannot_open_the_pages(client, t, django_capture_on_commit_callbacks):
    submit(client, student_of("1001"), django_capture_on_commit_callbacks)
    client.force_login(student_of("1002"))  # a primary without an approved letter
    assert client.get(reverse("traineeships:student", args=[CODE])).status_code == 404
    assert client.get(reverse("traineeships:review", args=[CODE, "1001", 1])).status_code == 403
    assert client.get(reverse("traineeships:office_list", args=[CODE])).status_code == 403
    assert client.get(reverse("traineeships:queue")).status_code == 403


def test_the_queue_does_not_grow_in_queries_with_agreements(client, t, django_capture_on_commit_callbacks):
    commission = approver("CENG", "internship_commission")
    submit(client, student_of("1001"), django_capture_on_commit_callbacks)
    client.force_login(commission)
    url = reverse("traineeships:queue")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    # More versions waiting (copies of the first, for other placements of the department).
    from letters.models import Placement

    agreement = LearningAgreement.objects.get()
    for placement in Placement.objects.filter(call__code=CODE, department_code="CENG").exclude(student_number="1001"):
        agreement.pk, agreement.placement = None, placement
        agreement.save()
    assert LearningAgreement.objects.filter(state="submitted").count() > 1
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "1002" in page and len(many) == len(one)


def test_the_office_list_does_not_grow_in_queries_with_mobilities(client, t):
    office = UserFactory(role="office_staff")
    client.force_login(office)
    url = reverse("traineeships:office_list", args=[CODE])
    with CaptureQueriesContext(connection) as two:
        assert client.get(url).status_code == 200
    t.letters([{"student_number": "3001", "decision": "approved"}, {"student_number": "1002", "decision": "approved"}],
              at="2023-02-01T10:00:00+03:00")
    with CaptureQueriesContext(connection) as four:
        page = client.get(url).content.decode()
    assert "3001" in page and len(four) == len(two)


def test_the_student_gets_the_final_grant_confirmation_by_mail_and_as_pdf(client, t, django_capture_on_commit_callbacks):
    student = student_of("1001")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        t.run("record_certificate", CODE, "1001", "--start", "2023-07-01", "--end", "2023-08-20", "--force-majeure",
              at="2023-11-01T10:00:00+03:00")
    message = next(m for m in mail.outbox if m.to == [student.email])
    assert "€1,250.00" in message.body and "/traineeship/" in message.body
    client.force_login(student)
    english = " ".join(pdf_text(client.get(reverse("traineeships:final_grant_pdf", args=[CODE]) + "?lang=en").content).split())
    turkish = " ".join(pdf_text(client.get(reverse("traineeships:final_grant_pdf", args=[CODE]) + "?lang=tr").content).split())
    assert "Final grant confirmation" in english and "€1,250.00" in english and "€-250.00" in english
    assert "Kesin hibe" in turkish
