"""The student's letter page, the office's review queue and the budget page."""
import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from applications.models import Applicant
from letters.models import Letter, Placement
from mobility.models import Call
from tests.factories import UserFactory
from tests.letters.pdfs import encrypted_pdf, javascript_pdf, plain_pdf
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def t(tmp_path):
    """The fixture call moved to now: the letter deadline is 10 days ahead."""
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + dt.timedelta(days=10))
    timeline.publish(at=(now - dt.timedelta(days=1)).isoformat())
    return timeline


def student_of(number: str):
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number=number).update(user=user)
    return user


def letter_post(**values):
    data = {
        "host_name": "Fraunhofer IIS", "host_type": "research", "country": "de", "city": "Erlangen",
        "address": "Am Wolfsmantel 33", "contact_person": "Dr. Weber", "start_date": "2023-07-01", "end_date": "2023-08-30",
        "pdf": SimpleUploadedFile("letter.pdf", plain_pdf(), content_type="application/pdf"),
    }
    data.update(values)
    return data


def test_a_reserve_uploads_a_letter_and_sees_the_grant_it_would_give(client, t, django_capture_on_commit_callbacks):
    client.force_login(student_of("2002"))
    url = reverse("letters:student", args=[CODE])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reserve" in page and 'class="countdown"' in page
    preview = client.post(reverse("letters:preview", args=[CODE]), {k: v for k, v in letter_post().items() if k != "pdf"},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€1,500.00" in preview and "60 days" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, letter_post(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    letter = Letter.objects.get(placement__student_number="2002")
    assert (letter.decision, letter.country, letter.grant_eur) == ("waiting", "DE", 1500)
    assert letter.pdf.read()[:5] == b"%PDF-"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Waiting for review" in page and "Replace your letter" in page


@pytest.mark.parametrize("values, message", [
    ({"country": "GB"}, "United Kingdom is not in the call"),
    ({"host_type": "eu_agency"}, "EU agency cannot host"),
    ({"end_date": "2023-08-29"}, "59 days; at least 60"),
    ({"start_date": "2023-06-01"}, "must lie between"),
])
def test_server_checks_refuse_with_the_reason_and_save_nothing(client, t, values, message):
    client.force_login(student_of("1001"))
    response = client.post(reverse("letters:student", args=[CODE]), letter_post(**values), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and message in response.content.decode()
    assert not Letter.objects.exists()


@pytest.mark.parametrize("content, message", [
    (javascript_pdf(), "JavaScript or automatic actions"),
    (encrypted_pdf(), "encrypted"),
    (b"GIF89a not a pdf", "not a PDF"),
    (plain_pdf(padding=10 * 1024 * 1024), "larger than 10 MB"),
])
def test_unsafe_or_unreadable_pdfs_are_refused(client, t, content, message):
    client.force_login(student_of("1001"))
    data = letter_post(pdf=SimpleUploadedFile("letter.pdf", content, content_type="application/pdf"))
    response = client.post(reverse("letters:student", args=[CODE]), data, HTTP_ACCEPT_LANGUAGE="en")
    assert message in response.content.decode()
    assert not Letter.objects.exists()


def test_no_upload_after_the_deadline(client, t):
    Call.objects.filter(code=CODE).update(letter_deadline=timezone.now() - dt.timedelta(seconds=1))
    client.force_login(student_of("1001"))
    response = client.post(reverse("letters:student", args=[CODE]), letter_post(), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "can no longer be uploaded" in response.content.decode()
    assert not Letter.objects.exists()


def test_a_student_without_a_placement_gets_404(client, t):
    client.force_login(UserFactory(role="student"))
    assert client.get(reverse("letters:student", args=[CODE])).status_code == 404


def test_staff_review_oldest_first_approve_and_the_student_is_told(client, t, staff, django_capture_on_commit_callbacks):
    students = {number: student_of(number) for number in ("1001", "2001")}
    for number in ("1001", "2001"):
        client.force_login(students[number])
        client.post(reverse("letters:student", args=[CODE]), letter_post())
    Letter.objects.filter(placement__student_number="2001").update(submitted_at=timezone.now() - dt.timedelta(hours=1))
    client.force_login(staff)
    queue = client.get(reverse("letters:queue", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert queue.index("2001") < queue.index("1001")
    review = client.get(reverse("letters:review", args=[CODE, "2001"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fraunhofer IIS" in review and "letter.pdf" in review
    assert client.get(reverse("letters:office_pdf", args=[CODE, "2001"]))["Content-Type"] == "application/pdf"
    refused = client.post(reverse("letters:review", args=[CODE, "2001"]), {"decision": "rejected", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Give the student a reason" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("letters:review", args=[CODE, "2001"]), {"decision": "approved"})
    assert response.url == reverse("letters:review", args=[CODE, "1001"])  # the next waiting letter
    assert Letter.objects.get(placement__student_number="2001").decision == "approved"
    # The student has an account: the mail goes to its address (not the imported one), in its language.
    assert [(m.to[0], m.subject) for m in mail.outbox if "letter" in m.subject] == [(students["2001"].email, f"{CODE}: your acceptance letter was approved")]


def test_students_and_coordinators_cannot_review_or_change_the_budget(client, t, coordinator):
    for user in (student_of("1001"), coordinator):
        client.force_login(user)
        assert client.get(reverse("letters:queue", args=[CODE])).status_code == 403
        assert client.get(reverse("letters:budget", args=[CODE])).status_code == 403
        assert client.post(reverse("letters:budget", args=[CODE]), {"amount": "99999"}).status_code == 403
    assert Call.objects.get(code=CODE).budget_eur == 5400


def test_budget_page_shows_the_ledger_and_a_raise_promotes(client, t, staff, django_capture_on_commit_callbacks):
    client.force_login(staff)
    page = client.get(reverse("letters:budget", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "€5,400.00" in page and "€0.00" in page and "€5400.00" not in page  # one money format
    assert "Ayşe Yılmaz1001" in page  # names beside the numbers
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:budget", args=[CODE]), {"amount": "6750.00"})
    assert Placement.objects.get(student_number="2002").status == "primary"
    page = client.get(reverse("letters:budget", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    changes = page[page.index('class="budget-changes"'):]
    changes = changes[:changes.index("</table>")]
    assert staff.get_full_name() in changes and "€5,400.00" in changes and "€6,750.00" in changes
    Call.objects.filter(code=CODE).update(budget_eur=1000)
    page = client.get(reverse("letters:budget", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "below zero" in page


def test_a_primary_withdraws_from_the_page_and_the_reserve_sees_the_promotion(client, t, django_capture_on_commit_callbacks):
    client.force_login(student_of("2001"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})
    assert Placement.objects.get(student_number="2001").status == "withdrawn"
    client.force_login(student_of("2002"))
    page = client.get(reverse("letters:student", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You were promoted from the reserve list" in page


def test_force_majeure_withdrawal_needs_a_document(client, t):
    client.force_login(student_of("1001"))
    client.post(reverse("letters:student", args=[CODE]), letter_post())
    client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on", "force_majeure": "on"})
    assert Placement.objects.get(student_number="1001").status == "primary"
    client.post(reverse("letters:withdraw", args=[CODE]), {
        "confirm": "on", "force_majeure": "on",
        "document": SimpleUploadedFile("visa.pdf", plain_pdf(), content_type="application/pdf")})
    placement = Placement.objects.get(student_number="1001")
    assert (placement.status, placement.penalty, placement.force_majeure) == ("withdrawn", False, True)


def _queue_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_queue_and_budget_pages_query_count_does_not_grow_with_rows(client, t, staff):
    client.force_login(staff)
    queue, budget = reverse("letters:queue", args=[CODE]), reverse("letters:budget", args=[CODE])
    client.force_login(student_of("1001"))
    client.post(reverse("letters:student", args=[CODE]), letter_post())
    client.force_login(staff)
    few = (_queue_queries(client, queue), _queue_queries(client, budget))
    for number in ("1002", "2001", "3001", "2002", "1003"):
        client.force_login(student_of(number))
        client.post(reverse("letters:student", args=[CODE]), letter_post())
    client.force_login(staff)
    assert (_queue_queries(client, queue), _queue_queries(client, budget)) == few


def test_staff_record_a_force_majeure_change_of_an_approved_letters_host(client, t, staff):
    client.force_login(student_of("1001"))
    client.post(reverse("letters:student", args=[CODE]), letter_post())
    locked = client.post(reverse("letters:student", args=[CODE]), letter_post(host_name="Other", country="FR"), HTTP_ACCEPT_LANGUAGE="en")
    assert "waiting" in Letter.objects.get().decision  # a waiting letter may still change host
    client.force_login(staff)
    client.post(reverse("letters:review", args=[CODE, "1001"]), {"decision": "approved"})
    client.force_login(student_of("1001"))
    refused = client.post(reverse("letters:student", args=[CODE]), letter_post(host_name="Third", country="NL"),
                          follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "documented force majeure" in refused.content.decode()
    assert "Replace your letter" not in refused.content.decode()  # no form after approval
    assert Letter.objects.get().host_name == "Other"
    client.force_login(staff)
    client.post(reverse("letters:force_majeure", args=[CODE, "1001"]), letter_post(host_name="Third", country="NL"))
    letter = Letter.objects.get()
    assert (letter.host_name, letter.country, letter.decision) == ("Third", "NL", "waiting")
    assert Placement.objects.get(student_number="1001").held_eur == 1350  # back to the planning amount until approved
    assert locked.status_code == 302


def test_the_students_call_page_shows_the_placement_and_links_the_letter_page(client, t, django_capture_on_commit_callbacks):
    client.force_login(student_of("2001"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})
    client.force_login(student_of("2002"))
    page = client.get(reverse("applications:call", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="letters-panel"' in page and "You were promoted from the reserve list" in page
    assert reverse("letters:student", args=[CODE]) in page
    client.force_login(UserFactory(role="student"))  # no placement: no panel
    assert 'id="letters-panel"' not in client.get(reverse("applications:call", args=[CODE])).content.decode()


def test_the_public_list_shows_promotions_and_withdrawals_masked_after_the_final_list(client, t):
    page = client.get(reverse("public:department", args=[CODE, "SENG"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="placement-changes"' not in page
    t.run("withdraw", CODE, "2001", at=timezone.now().isoformat())
    page = client.get(reverse("public:department", args=[CODE, "SENG"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    changes = page.split('id="placement-changes"')[1].split("</section>")[0]
    assert changes.count("<tr>") == 3  # the header, the withdrawn primary, the promoted reserve
    assert "Withdrawn" in changes and "promoted from the reserve list" in changes
    assert "2001" not in changes and "2002" not in changes


def test_the_workspace_shows_placements_letters_waiting_and_the_free_budget_after_the_final_list(client, t, staff, coordinator):
    client.force_login(student_of("2002"))
    client.post(reverse("letters:student", args=[CODE]), letter_post())
    client.force_login(staff)
    page = client.get(reverse("office_call_detail", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    box = page.split('id="placements"')[1].split("</li>")[0]
    assert "4 primaries, 4 reserves waiting" in box and "1 letter waiting for review" in box
    assert "free <strong>€0.00</strong>" in box and reverse("letters:queue", args=[CODE]) in box
    assert "1 acceptance letter waits for review." in page
    # A coordinator sees their department's placements, never the call's money.
    from mobility.models import Department
    coordinator.departments.add(Department.objects.get(code="SENG"))
    client.force_login(coordinator)
    box = client.get(reverse("office_call_detail", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode().split('id="placements"')[1].split("</li>")[0]
    assert "1 primaries, 2 reserves waiting" in box and "€" not in box


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e400", "-1"])
def test_the_budget_form_refuses_nan_infinity_and_exponents_and_changes_nothing(client, t, amount):
    client.force_login(UserFactory(role="office_staff"))
    before = Call.objects.get(code=CODE).budget_eur
    response = client.post(reverse("letters:budget", args=[CODE]), {"amount": amount}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Call.objects.get(code=CODE).budget_eur == before


def test_the_budget_form_takes_a_turkish_amount(client, t):
    client.force_login(UserFactory(role="office_staff"))
    response = client.post(reverse("letters:budget", args=[CODE]), {"amount": "6.750,00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert str(Call.objects.get(code=CODE).budget_eur) == "6750.00"


def _preview(client, **values):
    data = {k: v for k, v in letter_post(**values).items() if k != "pdf"}
    return client.post(reverse("letters:preview", args=[CODE]), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("values, message", [
    ({"start_date": "2023-06-01"}, "must lie between"),
    ({"end_date": "2023-11-30"}, "must lie between"),
    ({"end_date": "2023-08-29"}, "at least 60"),
    ({"country": "GB"}, "United Kingdom is not in"),
    ({"end_date": "2023-06-30"}, "end date is before"),
    ({"host_type": "eu_agency"}, "EU agency"),
])
def test_the_live_check_answers_every_input_and_shows_no_grant_for_a_letter_it_would_refuse(client, t, values, message):
    client.force_login(student_of("2002"))
    assert "€1,500.00" in _preview(client)
    page = _preview(client, **values)
    assert message in page and "would give a grant" not in page


def test_the_letter_form_keeps_its_dates_and_offers_countries_by_name(client, t, django_capture_on_commit_callbacks):
    client.force_login(student_of("2002"))
    url = reverse("letters:student", args=[CODE])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, letter_post(), HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="2023-07-01"' in page and 'value="2023-08-30"' in page  # ISO: a date input shows it
    assert '<option value="DE" selected>Germany</option>' in page
    turkish = student_of("2003")
    turkish.language = "tr"
    turkish.save(update_fields=["language"])
    client.force_login(turkish)
    assert '<option value="DE">Almanya</option>' in client.get(url).content.decode()


def test_the_audit_trail_shows_every_action_after_the_final_list_in_words(client, t):
    t.letters([{"student_number": "1001", "decision": "approved"}], at=(timezone.now() - dt.timedelta(hours=2)).isoformat())
    t.run("set_budget", CODE, "6750.00", at=(timezone.now() - dt.timedelta(hours=1)).isoformat())
    t.run("withdraw", CODE, "1002", at=timezone.now().isoformat())
    client.force_login(UserFactory(role="office_staff"))
    page = client.get(reverse("office:audit", args=[CODE]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for words in ("Acceptance letter approved", "Budget changed", "Placements created from the final list", "Withdrew"):
        assert words in page, words
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    import re

    assert not re.search(r"\b(placement|letter|call|publication)\.[a-z_]+\b", body)  # no action codes
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", body)  # no ISO stamps
    assert "{" not in body  # no dictionaries
    assert "€6,750.00" in body or "€6.750,00" in body
    assert "final_published" not in body and "announced" not in body.replace("Announced", "")
