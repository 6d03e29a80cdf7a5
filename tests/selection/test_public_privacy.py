"""KVKK art. 6: no public output lets anyone derive a special-category bonus; masked rows never collide.

The public outputs are the list page, its PDF, the public CSV and XLSX (office downloads of the
published list) and the canonical CSV anyone downloads. None may hold a score: the adjustments
total gives a bonus away at once (+15.00 is only the martyr/veteran-relative bonus), and the
components with the final score give it by subtraction.
"""
import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import translation

from applications.models import BonusClaim
from selection.listing import list_csv, list_pdf, list_xlsx
from selection.models import SelectionResult
from selection.publication import run_publish
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

AT = dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC)


def named(call, number, first, last, **fields):
    application = apply(call, "CENG", number=number, **fields)
    application.applicant.first_name, application.applicant.last_name = first, last
    application.applicant.save()
    return application


@pytest.fixture
def published(call):
    # Two students whose masked numbers (***100) and initials (A. K.) are the same.
    named(call, "400100", "Ali", "Kaya", gpa="3.10", written="71", listening="63", martyr_veteran_relative=BonusClaim.VERIFIED)
    named(call, "500100", "Ayşe", "Koç", gpa="3.55", written="88", listening="74")
    named(call, "400300", "Can", "Er", gpa="2.95", written="66", listening="58", prior_participations=1)
    selection_run(call=call)
    publication = run_publish(call=call, stage="preliminary", at=AT, confirmed=True)
    return call, publication


def figures(run) -> set[str]:
    """Every score of the run as it could be printed: 78.55 and 78,55."""
    values = set()
    for r in SelectionResult.objects.filter(run=run):
        for value in (r.academic_score, r.language_score, r.final_score, r.adjustments_total):
            if value is not None and value != 0:
                values |= {f"{value:.2f}", f"{value:.2f}".replace(".", ",")}
    return values


def public_outputs(client, call, publication) -> dict[str, str]:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    stream = io.StringIO()
    list_csv(run=publication.run, stream=stream)
    book = load_workbook(io.BytesIO(list_xlsx(run=publication.run)))
    xlsx = "\n".join(",".join("" if c is None else str(c) for c in row) for row in book.active.iter_rows(values_only=True))
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(list_pdf(publication=publication))).pages)
    page = client.get(reverse("public:department", args=[call.code, "CENG"])).content.decode()
    found = client.get(reverse("public:list", args=[call.code]), {"q": "400100"}).content.decode()
    canonical = client.get(reverse("public:csv", args=[call.code, publication.pk])).content.decode("utf-8-sig")
    return {"csv": stream.getvalue(), "xlsx": xlsx, "pdf": pdf, "page": page, "search": found, "canonical": canonical}


def test_no_public_output_holds_a_score_or_a_bonus(client, published):
    call, publication = published
    secret = figures(publication.run)
    assert "15.00" in secret  # the martyr/veteran-relative bonus is in the run…
    with translation.override("en"):
        outputs = public_outputs(client, call, publication)
    for name, text in outputs.items():
        leaked = {f for f in secret if f in text}
        assert not leaked, (name, leaked)  # …and in no public output, alone or as a component
        assert "Bonus" not in text and "martyr" not in text.lower(), name
    assert "Earlier Erasmus+ participation" in outputs["csv"]  # deductions are not special categories


def test_the_same_outputs_in_turkish_hold_no_score_either(client, published):
    call, publication = published
    with translation.override("tr"):
        outputs = public_outputs(client, call, publication)
    for name, text in outputs.items():
        assert not {f for f in figures(publication.run) if f in text}, name
        assert "Şehit" not in text and "Bonus" not in text and "Ek puan" not in text, name


def test_no_more_than_half_of_a_number_shows_and_no_two_rows_look_the_same(client, published):
    call, publication = published
    canonical = client.get(reverse("public:csv", args=[call.code, publication.pk])).content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(canonical)) if len(row) == 8][1:]
    assert sorted(r[2] for r in rows) == ["***100", "***100", "***300"]
    assert len({tuple(r) for r in rows}) == len(rows)
    assert len({(r[0], r[1]) for r in rows}) == len(rows)  # department and row number tell them apart
    page = client.get(reverse("public:department", args=[call.code, "CENG"])).content.decode()
    assert "400100" not in page and "500100" not in page and "40**00" not in page


def test_a_student_finds_their_own_row_and_its_number_by_their_full_number(client, published):
    call, publication = published
    canonical = client.get(reverse("public:csv", args=[call.code, publication.pk])).content.decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(canonical)) if len(row) == 8][1:]
    result = SelectionResult.objects.get(run=publication.run, student_number="500100")
    mine = next(r for r in rows if r[5] == str(result.department_rank))
    page = client.get(reverse("public:list", args=[call.code]), {"q": "500100"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your result" in page and f"Row {mine[1]} " in page and "***100" in page
    assert "No result" in client.get(reverse("public:list", args=[call.code]), {"q": "100"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_staff_outputs_keep_the_scores(client, staff, published):
    call, publication = published
    client.force_login(staff)
    body = client.get(reverse("office:list_download", args=[call.code, "office", "csv"])).content.decode("utf-8-sig")
    assert "15.00" in body and "Relative of a martyr or veteran" in body.replace("Şehit veya gazi yakını", "Relative of a martyr or veteran")
