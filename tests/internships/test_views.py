"""Pages: the student's two stages, offers answered on the server's clock, the anonymised pool, the office."""
import datetime as dt

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from internships.models import CompetenceDocument, InternshipApplication, Offer, OfferStatus
from internships.services.applications import application_set_choices
from internships.services.offers import offer_make
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(client, email, role="student", **extra):
    user = UserFactory(email=email, role=role, **extra)
    client.force_login(user)
    return user


def complete(programme, number, calendars=("T20-5-1",)):
    student = programme.students.get(student_number=number)
    return application_set_choices(student=student, calendars=list(calendars), cities="06:*", complete=True,
                                   at=timezone.now())


def test_a_student_completes_both_stages(client, open_programme):
    login(client, "ayse@uni.example")
    page = client.get(reverse("internships:status", args=["USP-2024"]))
    assert page.status_code == 200 and b'data-status="none"' in page.content
    assert client.get(reverse("internships:form", args=["USP-2024"])).status_code == 302  # stage 1 first
    assert client.post(reverse("internships:details", args=["USP-2024"])).status_code == 302
    form = client.get(reverse("internships:form", args=["USP-2024"]))
    assert b"T20-5-1" in form.content and b"T30-5-1" not in form.content  # only calendars of her length
    upload = SimpleUploadedFile("cert.pdf", PDF, content_type="application/pdf")
    client.post(reverse("internships:document_add", args=["USP-2024"]),
                {"heading": "professional", "kind": "publication", "title": "Paper", "file": upload})
    response = client.post(reverse("internships:form", args=["USP-2024"]), {
        "choice1": "T20-5-2", "choice2": "T20-5-1", "city1": "06", "districts1": ["Çankaya", "Keçiören"],
        "city2": "34", "all2": "1", "action": "complete",
    })
    assert response.status_code == 302
    application = InternshipApplication.objects.get(student__student_number="1001")
    assert application.completed_at and application.cities == [
        {"plate": "06", "districts": ["Çankaya", "Keçiören"]}, {"plate": "34", "districts": ["*"]}]
    assert [c.calendar.code for c in application.calendar_choices.all()] == ["T20-5-2", "T20-5-1"]
    assert application.points_total == 0  # waiting for the check


def test_a_bad_form_says_why_in_one_line_and_saves_nothing(client, open_programme):
    login(client, "ayse@uni.example")
    client.post(reverse("internships:details", args=["USP-2024"]))
    response = client.post(reverse("internships:form", args=["USP-2024"]), {
        "choice1": "T20-5-1", "city1": "06", "districts1": ["Çankaya", "Keçiören", "Mamak", "Sincan", "Etimesgut", "Polatlı"],
        "action": "complete"}, follow=True)
    assert b"at most five districts" in response.content
    assert not InternshipApplication.objects.get(student__student_number="1001").completed_at


def test_an_ineligible_student_sees_the_reason(client, open_programme):
    login(client, "elif@uni.example")
    page = client.get(reverse("internships:status", args=["USP-2024"]))
    assert b"not in the programme" in page.content


def test_a_student_cannot_see_another_programme_or_document(client, open_programme):
    login(client, "stranger@uni.example")
    assert client.get(reverse("internships:status", args=["USP-2024"])).status_code == 404


def test_document_check_counts_points_and_the_answer_deadline_is_the_servers(client, open_programme):
    complete(open_programme, "1001")
    application = InternshipApplication.objects.get(student__student_number="1001")
    application.completed_at = None
    application.save()
    from internships.services.applications import document_add
    document_add(application=application, heading="sports", kind="licensed_athlete", title="Lisans",
                 upload=SimpleUploadedFile("l.pdf", PDF), content_type="application/pdf", at=timezone.now())
    application.completed_at = timezone.now()
    application.save()
    login(client, "staff@uni.example", role="office_staff")
    document = CompetenceDocument.objects.get()
    assert client.get(reverse("internships:document_file", args=[document.pk])).status_code == 200
    client.post(reverse("internships:office", args=["USP-2024"]), {"action": "accept", "document": document.pk})
    application.refresh_from_db()
    assert (application.points_sports, application.points_total) == (10, 10)
    # An offer whose deadline passed a second ago cannot be accepted, whatever the page showed.
    offer = offer_make(programme=open_programme, position_code="P1", student_number="1001", kind="primary",
                       calendar_code="T20-5-1", at=timezone.now() - dt.timedelta(days=1),
                       answer_by=timezone.now() - dt.timedelta(seconds=1))
    client.logout()
    login(client, "ayse@uni.example")
    response = client.post(reverse("internships:answer", args=["USP-2024"]), {"offer": offer.pk, "answer": "accept"}, follow=True)
    assert b"deadline has passed" in response.content
    offer.refresh_from_db()
    assert offer.status == OfferStatus.OPEN


def test_the_pool_is_anonymous_and_hosts_make_offers_that_mail_the_student(client, open_programme, host_user,
                                                                          django_capture_on_commit_callbacks):
    complete(open_programme, "1001")
    complete(open_programme, "1002")
    client.force_login(host_user)
    page = client.get(reverse("internships:host", args=["USP-2024", "LIB"]))
    assert page.status_code == 200
    for secret in (b"Ay\xc5\x9fe", b"Y\xc4\xb1lmaz", b"1001", b"ayse@uni.example"):
        assert secret not in page.content
    handle = InternshipApplication.objects.get(student__student_number="1001").handle
    assert handle.encode() in page.content
    assert client.get(reverse("internships:host", args=["USP-2024", "IT"])).status_code == 403
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("internships:host", args=["USP-2024", "LIB"]),
                    {"handle": handle, "position": "LIB-1", "calendar": "T20-5-1", "kind": "primary"})
    offer = Offer.objects.get()
    assert (offer.position.host_unit.code, offer.student.student_number) == ("LIB", "1001")
    assert [m.to for m in mail.outbox] == [["ayse@uni.example"]]
    assert "/internships/USP-2024/" in mail.outbox[0].body


def test_host_units_are_mailed_in_their_language(client, open_programme, django_capture_on_commit_callbacks):
    complete(open_programme, "1001")
    from internships.models import HostUnit
    it = HostUnit.objects.get(code="IT")
    offer = offer_make(programme=open_programme, position_code="IT-1", student_number="1001", kind="primary",
                       calendar_code="T20-5-1", at=timezone.now(), host_unit=it)
    mail.outbox.clear()
    login(client, "ayse@uni.example")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("internships:answer", args=["USP-2024"]), {"offer": offer.pk, "answer": "decline"})
    to_it = [m for m in mail.outbox if m.to == ["it@uni.example"]]
    assert len(to_it) == 1 and "was declined" in to_it[0].body  # IT's language is English
    lib = HostUnit.objects.get(code="LIB")
    offer2 = offer_make(programme=open_programme, position_code="LIB-1", student_number="1001", kind="primary",
                        calendar_code="T20-5-1", at=timezone.now(), host_unit=lib)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("internships:answer", args=["USP-2024"]), {"offer": offer2.pk, "answer": "decline"})
    to_lib = [m for m in mail.outbox if m.to == ["lib@uni.example"]]
    assert len(to_lib) == 1 and "reddedildi" in to_lib[0].body  # the library's is Turkish


def test_office_pages_are_for_career_staff(client, open_programme, host_user):
    client.force_login(host_user)
    assert client.get(reverse("internships:office", args=["USP-2024"])).status_code == 403
    assert client.get(reverse("internships:export", args=["USP-2024", "offers"])).status_code == 403
    client.logout()
    login(client, "staff@uni.example", role="office_staff")
    page = client.get(reverse("internships:office", args=["USP-2024"]))
    assert page.status_code == 200
    assert b"Victory Day" in page.content  # the holiday the 19 August calendars skip, named
    export = client.get(reverse("internships:export", args=["USP-2024", "statistics"]))
    assert export.content.decode().splitlines()[0].startswith("department_code,students,eligible")
    insurance = client.get(reverse("internships:export", args=["USP-2024", "insurance"]) + "?week=2024-07-16")
    assert insurance.content.decode().startswith("student_number,first_name")


def test_the_expiry_job_is_safe_to_run_twice(open_programme):
    from internships.tasks import expire_offers

    complete(open_programme, "1001")
    offer_make(programme=open_programme, position_code="P1", student_number="1001", kind="primary",
               calendar_code="T20-5-1", at=timezone.now() - dt.timedelta(days=5))
    assert expire_offers.apply().get() == 1
    assert expire_offers.apply().get() == 0
    assert Offer.objects.get().status == OfferStatus.EXPIRED


def _add_candidates(programme, start: int, count: int) -> None:
    from internships.models import CalendarChoice, InternshipStudent

    department = programme.departments.get(department__code="BM")
    calendar = programme.calendars.get(code="T20-5-1")
    rows = InternshipStudent.objects.bulk_create([
        InternshipStudent(programme=programme, student_number=f"9{i:05d}", first_name="A", last_name="B",
                          email=f"s{i}@uni.example", department=department, level="bachelor", year=3, gpa="3.00")
        for i in range(start, start + count)])
    apps = InternshipApplication.objects.bulk_create([
        InternshipApplication(student=s, details_confirmed_at=timezone.now(), completed_at=timezone.now(),
                              cities=[{"plate": "06", "districts": ["*"]}], plates=",06,", handle=f"H{i:08d}")
        for i, s in zip(range(start, start + count), rows)])
    CalendarChoice.objects.bulk_create([CalendarChoice(application=a, calendar=calendar, rank=1) for a in apps])


def test_the_pool_page_queries_do_not_grow_with_students(client, open_programme, host_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(host_user)
    url = reverse("internships:host", args=["USP-2024", "LIB"]) + "?city=06&calendar=T20-5-1&sort=sports"
    counts = []
    for start, count in ((0, 30), (30, 400)):
        _add_candidates(open_programme, start, count)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.status_code == 200 and page.content.count(b'class="candidate"') == 25
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16, counts


def test_a_student_with_an_account_is_mailed_at_the_accounts_address_in_its_language(
        client, open_programme, django_capture_on_commit_callbacks):
    """The imported list's address is where the account was matched once; the account may move on."""
    complete(open_programme, "1001")
    student = open_programme.students.get(student_number="1001")
    user = UserFactory(email="ayse.new@mail.example", role="student", language="en")
    student.user = user
    student.save(update_fields=["user"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        offer_make(programme=open_programme, position_code="LIB-1", student_number="1001", kind="primary",
                   calendar_code="T20-5-1", at=timezone.now())
    to_student = [m for m in mail.outbox if m.to != ["lib@uni.example"]]
    assert [m.to for m in to_student] == [["ayse.new@mail.example"]]
