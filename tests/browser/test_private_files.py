"""Private files in a real browser, with DEBUG on and off: who gets each uploaded file.

Anonymous visitors, another student and a coordinator of another department are refused every
file; the owner gets their own and office staff get all, as downloads (attachment, nosniff,
no-store). The paths the files had in the public media root answer 404.
"""
import datetime as dt
import importlib

import pytest
from django.core.files.base import ContentFile
from django.urls import clear_url_caches
from django.utils import timezone

from appeals.models import Appeal
from applications.models import Application, Document
from letters.checks import LetterData
from letters.models import Placement
from letters.services.letters import letter_submit
from mobility.models import Call, Department
from mobility.uploads import upload_store
from selection.models import Publication
from tests.browser.test_letters import account, sign_in
from tests.letters.pdfs import plain_pdf
from tests.letters.timeline import CODE, Timeline

pytestmark = pytest.mark.browser


@pytest.fixture(params=[True, False], ids=["debug-on", "debug-off"])
def debug(request, settings):
    """The URLconf is read again with DEBUG as given (the media route used to depend on it)."""
    import mobility.urls

    settings.DEBUG = request.param
    importlib.reload(mobility.urls)
    clear_url_caches()
    yield request.param
    settings.DEBUG = False
    importlib.reload(mobility.urls)
    clear_url_caches()


@pytest.fixture
def files(transactional_db, tmp_path, debug):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    call = Call.objects.get(code=CODE)
    Call.objects.filter(pk=call.pk).update(letter_deadline=now + dt.timedelta(days=10))
    timeline.publish(at=(now - dt.timedelta(days=1)).isoformat())
    account("owner@example.edu.tr", "student", "1001")  # CENG, primary
    account("other@example.edu.tr", "student", "2001")  # SENG, primary: a placement of their own
    coordinator = account("coordinator@example.edu.tr", "department_coordinator")
    coordinator.departments.add(Department.objects.get(code="MIS"))
    account("office@example.edu.tr", "office_staff")

    letter_submit(call=call, student_number="1001", at=now, pdf=plain_pdf(), data=LetterData(
        host_name="Fraunhofer IIS", host_type="research", country="DE", city="Erlangen",
        start_date=dt.date(2023, 7, 1), end_date=dt.date(2023, 8, 30), submitted_at=now))
    application = Application.objects.get(call=call, applicant__student_number="1001")
    document = Document(application=application, kind="disability", original_name="rapor.pdf",
                        content_type="application/pdf", size=len(plain_pdf()), uploaded_at=now)
    document.file.save("upload", ContentFile(plain_pdf()), save=True)
    appeal = Appeal.objects.create(call=call, application=application, publication=Publication.objects.get(call=call),
                                   text="Check my GPA", filed_at=now, document=upload_store(content=plain_pdf(), folder="appeals"))
    Placement.objects.filter(call=call, student_number="1002").update(
        force_majeure_document=upload_store(content=plain_pdf(), folder="force-majeure"))
    own = {
        "letter": f"/calls/{CODE}/letter/letter.pdf",
        "document": f"/documents/{document.pk}/",
        "appeal": f"/calls/{CODE}/appeal/{appeal.pk}/document",
    }
    office = {
        "letter": f"/office/calls/{CODE}/letters/1001/letter.pdf",
        "document": own["document"],
        "appeal": f"/office/calls/{CODE}/appeals/{appeal.pk}/document",
        "force-majeure": f"/office/calls/{CODE}/placements/1002/force-majeure-document",
    }
    return own, office


def fetch(context, url):
    return context.request.get(url, max_redirects=0)


def assert_file(response, url):
    assert response.status == 200, url
    headers = response.headers
    assert headers["content-disposition"].startswith("attachment;"), url
    assert headers["x-content-type-options"] == "nosniff" and "no-store" in headers["cache-control"], url
    assert response.body()[:5] == b"%PDF-", url


def assert_refused(response, url):
    assert response.status in (302, 403, 404), (url, response.status)
    if response.status == 302:
        assert "/accounts/login/" in response.headers["location"], url
    assert response.body()[:5] != b"%PDF-", url


def signed_in(new_context, email):
    context = new_context()
    page = context.new_page()
    if email:
        sign_in(page, email)
    return context, page


def test_private_files_are_refused_to_others_and_served_to_owner_and_staff(files, new_context, debug):
    own, office = files
    urls = set(own.values()) | set(office.values())

    for email in (None, "other@example.edu.tr", "coordinator@example.edu.tr"):
        context, _page = signed_in(new_context, email)
        for url in urls:
            assert_refused(fetch(context, url), url)
        for old in ("/media/appeals/2026/transcript.pdf", "/media/force-majeure/2026/force-majeure.pdf",
                    "/media/letters/1/1001.pdf"):
            assert fetch(context, old).status == 404

    context, page = signed_in(new_context, "owner@example.edu.tr")
    for url in own.values():
        assert_file(fetch(context, url), url)
    for url in (office["letter"], office["appeal"], office["force-majeure"]):
        assert_refused(fetch(context, url), url)
    page.goto(f"/calls/{CODE}/letter/")
    with page.expect_download() as download:  # a download, never shown inline
        page.locator(f"a[href='{own['letter']}']").click()
    assert download.value.suggested_filename.endswith(".pdf")

    context, _page = signed_in(new_context, "office@example.edu.tr")
    for url in office.values():
        assert_file(fetch(context, url), url)
