"""Files are private, always: every kind of upload goes through mobility.uploads.

Checked per kind (bonus documents, acceptance letters, appeal attachments, force-majeure
documents): stored in PRIVATE_MEDIA_ROOT under a random name, a text or HTML file renamed .pdf and
an active PDF refused, served only to the owner and office staff as an attachment that is never
sniffed or cached, a replaced file deleted, and nothing under MEDIA_URL with DEBUG on or off.
"""
import datetime as dt
import importlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from django.utils import timezone

from appeals.models import Appeal
from applications.models import Applicant, Document
from letters.models import Letter, Placement
from mobility.models import Call
from tests.appeals.test_appeals import preliminary  # noqa: F401 (fixture)
from tests.factories import ApplicationFactory, UserFactory
from tests.letters.pdfs import javascript_pdf, plain_pdf
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def pdf(content=None, name="scan.pdf"):
    return SimpleUploadedFile(name, plain_pdf() if content is None else content, content_type="application/pdf")


def assert_private(field_file, settings, *, own_name: str = "scan"):
    path = Path(field_file.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT)), path
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert own_name not in path.name and len(path.stem) >= 32
    with pytest.raises(ValueError):
        _ = field_file.url  # private storage has no URL


def assert_download(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"


@pytest.fixture
def t(tmp_path):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + dt.timedelta(days=10))
    timeline.publish(at=(now - dt.timedelta(days=1)).isoformat())
    return timeline


def student_of(number: str):
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number=number).update(user=user)
    return user


def letter_post(upload):
    return {
        "host_name": "Fraunhofer IIS", "host_type": "research", "country": "de", "city": "Erlangen",
        "start_date": "2023-07-01", "end_date": "2023-08-30", "pdf": upload,
    }


# --- acceptance letters -------------------------------------------------------------------------

def test_a_letter_is_private_served_as_an_attachment_and_a_replaced_one_is_deleted(
    client, t, staff, settings, django_capture_on_commit_callbacks,
):
    owner = student_of("1001")
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:student", args=[CODE]), letter_post(pdf(name="scan-1001.pdf")))
    letter = Letter.objects.get()
    assert_private(letter.pdf, settings, own_name="1001")
    first = Path(letter.pdf.path)
    assert_download(client.get(reverse("letters:student_pdf", args=[CODE])))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("letters:student", args=[CODE]), letter_post(pdf(name="scan-1001-v2.pdf")))
    letter.refresh_from_db()
    assert Path(letter.pdf.path) != first and not first.exists()  # the replaced letter is gone
    client.force_login(staff)
    assert_download(client.get(reverse("letters:office_pdf", args=[CODE, "1001"])))


@pytest.mark.parametrize("content, message", [(HTML, "not a PDF"), (b"plain text", "not a PDF"), (javascript_pdf(), "JavaScript")])
def test_a_letter_that_is_html_text_or_active_is_refused(client, t, content, message):
    client.force_login(student_of("1001"))
    response = client.post(reverse("letters:student", args=[CODE]), letter_post(pdf(content)), HTTP_ACCEPT_LANGUAGE="en")
    assert message in response.content.decode()
    assert not Letter.objects.exists()


def test_others_cannot_fetch_a_letter(client, t, coordinator):
    client.force_login(student_of("1001"))
    client.post(reverse("letters:student", args=[CODE]), letter_post(pdf()))
    client.force_login(student_of("2001"))  # another student, with a placement of their own
    assert client.get(reverse("letters:student_pdf", args=[CODE])).status_code == 404
    assert client.get(reverse("letters:office_pdf", args=[CODE, "1001"])).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("letters:office_pdf", args=[CODE, "1001"])).status_code == 403
    client.logout()
    assert client.get(reverse("letters:office_pdf", args=[CODE, "1001"])).status_code in (302, 403)


# --- force-majeure documents --------------------------------------------------------------------

def test_a_force_majeure_document_is_private_and_only_staff_download_it(client, t, staff, coordinator, settings):
    client.force_login(student_of("1001"))
    client.post(reverse("letters:withdraw", args=[CODE]),
                {"confirm": "on", "force_majeure": "on", "document": pdf(name="hospital-report.pdf")})
    placement = Placement.objects.get(student_number="1001")
    assert placement.status == "withdrawn" and placement.force_majeure
    assert_private(placement.force_majeure_document, settings, own_name="hospital")
    url = reverse("letters:force_majeure_document", args=[CODE, "1001"])
    for user in (student_of("2001"), coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(staff)
    assert_download(client.get(url))
    assert url in client.get(reverse("letters:budget", args=[CODE])).content.decode()


def test_a_force_majeure_document_in_html_is_refused_and_nothing_changes(client, t):
    client.force_login(student_of("1001"))
    client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on", "force_majeure": "on", "document": pdf(HTML)})
    assert Placement.objects.get(student_number="1001").status == "primary"
    assert not any(Path(Placement.objects.model._meta.get_field("force_majeure_document").storage.location).rglob("*.*"))


# --- appeal attachments -------------------------------------------------------------------------

def test_an_appeal_attachment_is_private_and_served_to_its_owner_and_staff_only(client, preliminary, staff, coordinator, settings):  # noqa: F811
    call, application, user = preliminary
    client.force_login(user)
    client.post(reverse("appeals:student", args=[call.code]), {"text": "Check my GPA", "document": pdf(name="scan-transcript.pdf")})
    appeal = Appeal.objects.get()
    assert_private(appeal.document, settings)
    own = reverse("appeals:document", args=[call.code, appeal.pk])
    office = reverse("office:appeal_document", args=[call.code, appeal.pk])
    assert_download(client.get(own))
    stranger = UserFactory(role="student")
    ApplicationFactory(call=call, applicant__user=stranger)
    for other in (stranger, coordinator):
        client.force_login(other)
        assert client.get(own).status_code == 404
        assert client.get(office).status_code == 403
    client.logout()
    assert client.get(own).status_code == 302  # to the sign-in page
    client.force_login(staff)
    assert_download(client.get(office))
    assert office in client.get(reverse("office:appeals", args=[call.code])).content.decode()


@pytest.mark.parametrize("content", [HTML, javascript_pdf()])
def test_an_appeal_attachment_in_html_or_with_javascript_is_refused(preliminary, content):  # noqa: F811
    from appeals.services import AppealError, appeal_file

    call, application, user = preliminary
    with pytest.raises(AppealError):
        appeal_file(application=application, text="x", at=timezone.now(), document=pdf(content), actor=user)
    assert not Appeal.objects.exists()


# --- bonus documents ----------------------------------------------------------------------------

def test_a_bonus_document_with_javascript_is_refused(client, call):
    user = UserFactory(role="student")
    application = ApplicationFactory(call=call, applicant__user=user, status="draft", source="student")
    client.force_login(user)
    response = client.post(reverse("applications:document_upload", args=[application.pk]),
                           {"kind": "disability", "file": pdf(javascript_pdf())}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "JavaScript" in response.content.decode()
    assert not Document.objects.exists()


# --- nothing under MEDIA_URL --------------------------------------------------------------------

@pytest.mark.parametrize("debug", [True, False])
def test_nothing_is_served_under_media_url_with_debug_on_or_off(settings, debug):
    import mobility.urls

    settings.DEBUG = debug
    try:
        importlib.reload(mobility.urls)
        clear_url_caches()
        for path in ("/media/appeals/2026/transcript.pdf", "/media/force-majeure/2026/force-majeure.pdf",
                     "/media/letters/1/1001.pdf", "/media/imports/x.csv"):
            with pytest.raises(Resolver404):
                resolve(path, urlconf=mobility.urls)
    finally:
        settings.DEBUG = False
        importlib.reload(mobility.urls)
        clear_url_caches()


@pytest.mark.parametrize("module", ["mobility.settings.base", "mobility.settings.production"])
def test_the_default_storage_is_private_in_development_and_production(module):
    """Admin import files and long PDF lists go to the default storage: it must have no URL either."""
    from tests.mobility.test_settings import production_env, run

    script = "from django.conf import settings; print(settings.STORAGES['default']['BACKEND'])"
    result = run(["-c", "import django; django.setup(); " + script], module, **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "mobility.uploads.storage.PrivateStorage"


def test_the_admin_shows_letters_and_force_majeure_documents_as_links_to_the_checked_downloads(client, t, admin_user):
    """Private files have no URL: the admin's own file display would fail; it links the checked views."""
    client.force_login(student_of("1001"))
    client.post(reverse("letters:student", args=[CODE]), letter_post(pdf()))
    client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on", "force_majeure": "on", "document": pdf()})
    client.force_login(admin_user)
    for model, obj, link in (
        ("letters/letter", Letter.objects.get(), reverse("letters:office_pdf", args=[CODE, "1001"])),
        ("letters/placement", Placement.objects.get(student_number="1001"),
         reverse("letters:force_majeure_document", args=[CODE, "1001"])),
    ):
        response = client.get(f"/admin/{model}/{obj.pk}/change/")
        assert response.status_code == 200, model
        assert link in response.content.decode(), model


def test_the_admin_shows_an_appeal_attachment_as_a_link_to_the_checked_download(client, preliminary, admin_user):  # noqa: F811
    call, application, user = preliminary
    client.force_login(user)
    client.post(reverse("appeals:student", args=[call.code]), {"text": "Check my GPA", "document": pdf()})
    appeal = Appeal.objects.get()
    client.force_login(admin_user)
    response = client.get(f"/admin/appeals/appeal/{appeal.pk}/change/")
    assert response.status_code == 200
    assert reverse("office:appeal_document", args=[call.code, appeal.pk]) in response.content.decode()
