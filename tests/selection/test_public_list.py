import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.models import BonusClaim
from mobility.spreadsheets import spreadsheet_text as cell_safe
from selection.listing import list_csv, list_pdf, list_xlsx
from selection.public import initials, mask_student_number
from selection.publication import run_publish
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)  # 16:00 in Türkiye


def named(call, dept, number, first, last, **fields):
    application = apply(call, dept, number=number, **fields)
    application.applicant.first_name, application.applicant.last_name = first, last
    application.applicant.save()
    return application


@pytest.fixture
def published(call):
    call.appeal_deadline = AT + dt.timedelta(days=3)
    call.save()
    named(call, "CENG", "20230001", "Şule", "Çağlayan", gpa="3.60", written="90", listening="80",
          disability=BonusClaim.VERIFIED)
    apply(call, "CENG", gpa="3.20", written="80", listening="60", number="20230002", martyr_veteran_relative=BonusClaim.CLAIMED)
    apply(call, "MIS", gpa="2.90", written="70", listening="60", number="20230003", prior_participations=1)
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    return call


def test_masking_shows_at_most_half_of_the_characters_and_initials_only():
    assert mask_student_number("20230001") == "****0001"
    assert mask_student_number("400100") == "***100"
    assert mask_student_number("123") == "**3"
    assert mask_student_number("7") == "*"
    for number in ("400100", "20230001", "2019-0042", "A12345678", "12"):
        shown = sum(1 for c in mask_student_number(number) if c != "*")
        assert shown <= len(number) // 2, number
    assert initials("Şule Nur", "Çağlayan") == "Ş. N. Ç."


def test_the_public_list_needs_no_login_and_shows_no_names_and_no_bonus_kinds(client, published):
    page = client.get(reverse("public:department", args=[published.code, "CENG"]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "****0001" in page and "Ş. Ç." in page
    assert "20230001" not in page and "Çağlayan" not in page
    assert "Bonus" not in page  # every bonus is a special category: not even its presence is public
    for kind in ("disability", "Documented disability", "martyr", "2828", "not accepted"):
        assert kind not in page
    assert "18.03.2023" in page  # the appeal deadline


def test_a_student_finds_their_own_row_by_the_exact_number_only(client, published):
    url = reverse("public:list", args=[published.code])
    page = client.get(url, {"q": "20230003"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your result" in page and "****0003" in page and "Earlier Erasmus+ participation" in page
    page = client.get(url, {"q": "2023"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No result with this student number" in page


def test_an_unpublished_call_has_no_public_list(client, call):
    apply(call, "CENG", number="1")
    selection_run(call=call)
    assert client.get(reverse("public:list", args=[call.code])).status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _bulk(call, n, prefix):
    for i in range(n):
        apply(call, "CENG", number=f"{prefix}{i:05d}")


@pytest.mark.parametrize("page", ["", "?page=2"])
def test_public_and_staff_result_pages_keep_a_constant_number_of_queries(client, staff, call, page):
    from django.core.cache import cache

    cache.clear()  # the public rows are cached per publication; ids repeat between tests
    _bulk(call, 10, "9")
    run_small = selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    public = reverse("public:department", args=[call.code, "CENG"]) + page
    small_public = _queries(client, public)
    client.force_login(staff)
    staff_url = reverse("office:run", args=[call.code, run_small.pk]) + "?department=CENG" + page.replace("?", "&")
    small_staff = _queries(client, staff_url)
    client.logout()
    _bulk(call, 990, "8")
    run_big = selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT + dt.timedelta(hours=1), confirmed=True)
    assert _queries(client, public) == small_public
    client.force_login(staff)
    staff_url = reverse("office:run", args=[call.code, run_big.pk]) + "?department=CENG" + page.replace("?", "&")
    assert _queries(client, staff_url) == small_staff


def test_the_pdf_reads_back_with_turkish_characters_date_legend_appeal_and_signatures(published):
    from django.conf import settings
    from django.utils import translation
    from pypdf import PdfReader

    with translation.override("tr"):
        pdf = list_pdf(publication=published.publications.get())
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert settings.UNIVERSITY_NAME.split()[0] in text
    assert "Ş. Ç." in text and "Bilgisayar Mühendisliği" in text
    assert "15.03.2023 16:00" in text  # Turkish time
    assert "18.03.2023 16:00" in text  # the appeal deadline
    assert "Ön liste" in text or "Geçici liste" in text
    assert "İmza" in text or "imza" in text
    assert "engell" not in text.lower() and "Çağlayan" not in text and "20230001" not in text


def test_a_department_pdf_has_one_line_per_student(call):
    # Its speed (300 rows) is measured in bench/publication_pdf.py, not here.
    from pypdf import PdfReader

    _bulk(call, 60, "7")
    selection_run(call=call)
    publication = run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(list_pdf(publication=publication, departments=["CENG"]))).pages)
    assert text.count("***0") == 60 and "700001" not in text


def test_cell_safe_neutralises_formulas_and_leaves_numbers():
    assert cell_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for text in ("+1", "-1", "@SUM(A1)"):
        assert cell_safe(text).startswith("'")
    assert cell_safe("Ahmet") == "Ahmet" and cell_safe(-10) == -10


def test_office_csv_and_xlsx_open_formula_names_as_text(call):
    from openpyxl import load_workbook

    for i, name in enumerate(("=cmd|' /C calc'!A0", "+SUM(1)", "-2+3", "@A1")):
        named(call, "CENG", f"55{i}", name, name)
    run = selection_run(call=call)
    stream = io.StringIO()
    list_csv(run=run, office=True, sensitive=True, stream=stream)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    names = [row[3] for row in rows[1:]]
    assert names and all(n.startswith("'") for n in names)
    assert any(row[10].startswith("-") or row[10] == "0.00" for row in rows[1:])  # numbers stay numbers
    book = load_workbook(io.BytesIO(list_xlsx(run=run, office=True, sensitive=True)))
    cells = [row[3] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert cells and all(isinstance(c, str) and c.startswith("'") for c in cells)


def test_a_coordinator_downloads_only_their_departments_list(client, coordinator, published):
    coordinator.departments.add(published.call_departments.get(department__code="MIS").department)
    client.force_login(coordinator)
    response = client.get(reverse("office:list_download", args=[published.code, "office", "csv"]))
    body = response.content.decode("utf-8-sig")
    assert "20230003" in body and "20230001" not in body
    assert client.get(reverse("office:list_download", args=[published.code, "office", "csv"]) + "?department=CENG").status_code == 404


def test_office_downloads_render_for_staff(client, staff, published):
    client.force_login(staff)
    for kind, fmt in (("office", "csv"), ("office", "xlsx"), ("public", "csv"), ("public", "xlsx"), ("public", "pdf")):
        response = client.get(reverse("office:list_download", args=[published.code, kind, fmt]))
        assert response.status_code == 200, (kind, fmt)
    body = client.get(reverse("office:list_download", args=[published.code, "office", "csv"])).content.decode("utf-8-sig")
    assert "Çağlayan" in body and "Documented disability" in body.replace("Belgelenmiş engellilik", "Documented disability")


def test_a_long_list_is_made_in_the_background_with_progress(client, staff, call, settings, monkeypatch, django_capture_on_commit_callbacks):
    import selection.pdf_jobs as jobs
    import selection.views_office as views

    monkeypatch.setattr(views, "PDF_INLINE_ROWS", 5)
    _bulk(call, 12, "6")
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    seen = []
    real = jobs._write_state
    monkeypatch.setattr(jobs, "_write_state", lambda code, key, **state: (seen.append(dict(state)), real(code, key, **state)))
    monkeypatch.setattr(jobs, "PDF_CHUNK_ROWS", 5)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("office:list_download", args=[call.code, "public", "pdf"]))
    assert response.status_code == 302 and "/lists/pdf/" in response.url
    assert [s["status"] for s in seen][0] == "queued" and seen[-1]["status"] == "done"
    assert any(s["status"] == "running" and 0 < s["done"] < s["total"] for s in seen)
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Download the PDF" in page
    pdf = b"".join(client.get(response.url + "?file=1").streaming_content)
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("***0") == 12


def test_the_public_rows_are_cached_per_publication_and_a_new_publication_shows_new_rows(client, call):
    from django.core.cache import cache

    cache.clear()
    application = apply(call, "CENG", number="4001", gpa="3.00")
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    url = reverse("public:department", args=[call.code, "CENG"])
    first = _queries(client, url)
    assert _queries(client, url) < first  # the rows come from the cache
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    # Nor is the department counted again: its count is cached with the publication.
    assert not [q["sql"] for q in again.captured_queries if "selection_selectionresult" in q["sql"]]
    application.gpa = None
    application.save()
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=AT + dt.timedelta(hours=1), confirmed=True)
    assert "No GPA yet" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
