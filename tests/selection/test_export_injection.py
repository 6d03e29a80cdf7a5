"""Exports never hand a spreadsheet a formula (CSV injection), and keep the contract's signed numbers."""
import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from applications.models import Applicant
from applications.resources import ApplicationResource
from mobility.spreadsheets import spreadsheet_text
from selection.exports import ranking_csv, ranking_xlsx
from selection.services import selection_run
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db

# Older data (imported before student numbers were validated) can still hold these.
HOSTILE = ["=1+2", "+700102", "@700103", "-700104"]


@pytest.mark.parametrize("text, safe", [
    ("=1+2", "'=1+2"), ("+90", "'+90"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("700101", "700101"), ("Ayşe", "Ayşe"), ("", ""), (None, None), (-15, -15),
])
def test_spreadsheet_text(text, safe):
    assert spreadsheet_text(text) == safe


@pytest.fixture
def run(call):
    for number in HOSTILE:
        apply(call, "CENG", gpa="3.00", number=number, prior_participations=1, missed_exam=True)
    return selection_run(call=call)


def test_the_ranking_csv_neutralises_text_but_keeps_the_signed_adjustments(run):
    out = io.StringIO()
    ranking_csv(run=run, stream=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert sorted(r["student_number"] for r in rows) == sorted("'" + n for n in HOSTILE)
    assert {r["adjustments"] for r in rows} == {"-15.00"}  # the contract's signed form, untouched


def test_the_ranking_xlsx_has_no_formula_and_numbers_stay_numbers(run):
    sheet = load_workbook(io.BytesIO(ranking_xlsx(run=run))).active
    rows = list(sheet.iter_rows(min_row=2))
    assert sorted(row[0].value for row in rows) == sorted("'" + n for n in HOSTILE)
    assert all(row[0].data_type == "s" for row in rows)
    assert {row[7].value for row in rows} == {-15}


def test_the_admin_export_neutralises_text_cells(call):
    application = apply(call, "CENG", number="700201")
    Applicant.objects.filter(pk=application.applicant_id).update(first_name="=cmd|' /C notepad'!A1", last_name="@x")
    dataset = ApplicationResource().export()
    row = dict(zip(dataset.headers, dataset[0]))
    assert row["first_name"] == "'=cmd|' /C notepad'!A1"
    assert row["last_name"] == "'@x"
    assert row["gpa"] == "3.00" and row["prior_participations"] == "0"


def test_every_csv_cell_is_neutralised_and_a_line_break_is_always_quoted():
    import csv as csv_module

    from mobility.spreadsheets import NumberText, csv_writer

    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["-400100", "Ay\rşe", "Yıl\nmaz", Decimal("-15.00"), NumberText("-15.00"), None, 3, "=1+2"])
    text = out.getvalue()
    assert text.endswith("\n") and not text.endswith("\r\n")
    assert list(csv_module.reader(io.StringIO(text, newline=""))) == [
        ["'-400100", "Ay\rşe", "Yıl\nmaz", "-15.00", "-15.00", "", "3", "'=1+2"],
    ]


def test_export_placements_neutralises_a_student_number_that_came_in_unguarded(tmp_path):
    from letters.models import Placement
    from tests.letters.timeline import Timeline

    t = Timeline(tmp_path)
    t.publish()
    Placement.objects.filter(student_number="1001").update(student_number="-1+1")
    assert "'-1+1" in t.export()


def test_the_office_list_csv_keeps_a_name_with_a_carriage_return_in_one_row(run):
    from applications.models import Applicant
    from selection.listing import list_csv

    Applicant.objects.update(first_name="Ay\rşe")
    out = io.StringIO()
    list_csv(run=run, office=True, sensitive=True, stream=out)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 1 + run.results.count() and all(len(r) == len(rows[0]) for r in rows)
