import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from applications.models import ExamResult, ExamSession
from applications.selectors import exam_session_for_call
from applications.services import TableImportError, exam_results_import
from mobility.models import AuditEntry
from tests.applications.helpers import EXAM_HEADER, csv_bytes, write_csv, xlsx_bytes
from tests.factories import ApplicantFactory, ExamResultFactory
from tests.tools import tool_missing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def exam_row(number, written="75", listening="60", absent="no"):
    return {"student_number": str(number), "written": written, "listening": listening, "absent": absent}


def test_results_are_stored_on_the_session_the_call_counts(call, applications, tmp_path):
    call.exam_session = dt.date(2022, 12, 24)
    call.save()
    path = write_csv(tmp_path / "exam.csv", [exam_row(300101, "82.50", "70"), exam_row(300102, "", "", "evet")])

    out = StringIO()
    call_command("import_exam_results", call.code, str(path), stdout=out, stderr=StringIO())

    assert "2 created, 0 updated, 0 unchanged" in out.getvalue()
    session = ExamSession.objects.get(name="exam-2022-12-24")
    assert exam_session_for_call(call=call) == session
    first = ExamResult.objects.get(session=session, applicant__student_number="300101")
    assert (first.written, first.listening, first.absent) == (Decimal("82.50"), Decimal("70"), False)
    second = ExamResult.objects.get(session=session, applicant__student_number="300102")
    assert (second.written, second.absent) == (None, True)
    assert AuditEntry.objects.get(action="exam_results.imported").data["created"] == 2


def test_listening_empty_is_stored_as_zero(call, applications):
    exam_results_import(call=call, rows=[exam_row(300101, written="65", listening="")])

    assert ExamResult.objects.get().listening == Decimal("0")


def test_written_empty_and_absent_no_is_stored_as_it_is(call, applications):
    exam_results_import(call=call, rows=[exam_row(300101, written="", listening="50", absent="")])

    result = ExamResult.objects.get()
    assert (result.written, result.listening, result.absent) == (None, Decimal("50"), False)


def test_absent_column_may_be_left_out(call, applications, tmp_path):
    path = write_csv(tmp_path / "e.csv", [exam_row(300101)], header=["student_number", "written", "listening"])

    call_command("import_exam_results", call.code, str(path), stdout=StringIO(), stderr=StringIO())

    assert ExamResult.objects.get().absent is False


def test_reimport_updates_the_result(call, applications):
    session = exam_session_for_call(call=call)
    ExamResultFactory(session=session, applicant=applications[0].applicant, written=Decimal("40"))

    report = exam_results_import(call=call, rows=[exam_row(300101, written="88"), exam_row(300102)])

    assert (report.created, report.updated) == (1, 1)
    assert ExamResult.objects.get(applicant=applications[0].applicant).written == Decimal("88")
    assert ExamResult.objects.count() == 2


def test_a_score_of_101_is_a_clear_error(call, applications, tmp_path):
    path = write_csv(tmp_path / "e.csv", [exam_row(300101), exam_row(300102, written="101")])

    err = StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_exam_results", call.code, str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["row 3, column written: “101” is out of range: a score is between 0 and 100"]
    assert not ExamResult.objects.exists()


def test_listening_over_100_is_an_error(call, applications):
    with pytest.raises(TableImportError) as exc:
        exam_results_import(call=call, rows=[exam_row(300101, listening="100.5")])

    assert exc.value.lines() == ["row 2, column listening: “100.5” is out of range: a score is between 0 and 100"]


def test_student_without_an_application_to_the_call_is_an_error(call, applications):
    ApplicantFactory(student_number="399999")  # known student, but not an applicant to this call

    with pytest.raises(TableImportError) as exc:
        exam_results_import(call=call, rows=[exam_row(300101), exam_row(399999), exam_row(123)])

    assert exc.value.lines() == [
        "row 3, column student_number: student number 399999 has no application to call UZEM-2022-SMT-1",
        "row 4, column student_number: student number 123 has no application to call UZEM-2022-SMT-1",
    ]
    assert not ExamResult.objects.exists()


def test_duplicate_student_number_in_exam_file_is_an_error_on_the_second_row(call, applications):
    with pytest.raises(TableImportError) as exc:
        exam_results_import(call=call, rows=[exam_row(300101), exam_row(300102), exam_row(300101, written="50")])

    assert exc.value.lines() == ["row 4, column student_number: student number 300101 is already on row 2"]


def test_unknown_and_missing_exam_columns(call, applications, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes([{"student_number": "300101", "score": "70", "absent": "no"}]))

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_exam_results", call.code, str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "row 1, column score: unknown column; column written: required column is missing"
    ]


def test_an_exam_file_without_the_listening_column_counts_listening_as_0(call, applications, tmp_path):
    path = tmp_path / "e.csv"
    path.write_bytes(csv_bytes([{"student_number": "300101", "written": "70"}]))

    call_command("import_exam_results", call.code, str(path), stdout=StringIO(), stderr=StringIO())

    result = ExamResult.objects.get(applicant__student_number="300101")
    assert (result.written, result.listening, result.absent) == (Decimal("70"), Decimal("0"), False)


def test_exam_results_from_xlsx(call, applications, tmp_path):
    path = tmp_path / "exam.xlsx"
    path.write_bytes(xlsx_bytes([[300101, 77.25, 80, "hayır"], [300102, None, None, "EVET"]], EXAM_HEADER))

    call_command("import_exam_results", call.code, str(path), stdout=StringIO(), stderr=StringIO())

    assert ExamResult.objects.get(applicant__student_number="300101").written == Decimal("77.25")
    assert ExamResult.objects.get(applicant__student_number="300102").absent is True


def test_dry_run_of_exam_results_leaves_no_session_behind(call, applications):
    report = exam_results_import(call=call, rows=[exam_row(300101)], dry_run=True)

    assert report.created == 1
    assert not ExamSession.objects.exists()
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize("fast", [False, True])
def test_a_reimported_changed_result_moves_its_updated_at_and_an_unchanged_one_keeps_it(call, applications, fast):
    """The stale-run signal reads updated_at: a score changed by a re-import must move it, on both paths."""
    if fast and connection.vendor != "postgresql":
        tool_missing("PostgreSQL (the COPY path)", hint="run with DATABASE_URL=postgres://…")
    exam_results_import(call=call, rows=[exam_row(300101, "70"), exam_row(300102, "70")], fast=fast)
    long_ago = dt.datetime(2022, 1, 1, tzinfo=dt.UTC)
    ExamResult.objects.update(updated_at=long_ago)
    exam_results_import(call=call, rows=[exam_row(300101, "71"), exam_row(300102, "70")], fast=fast)
    moved = dict(ExamResult.objects.values_list("applicant__student_number", "updated_at"))
    assert moved["300101"] > long_ago and moved["300102"] == long_ago
