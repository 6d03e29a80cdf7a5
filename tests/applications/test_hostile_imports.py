"""Careless and hostile import files (issue: hardening): each is refused with a clear line, nothing saved."""
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from applications.models import Applicant, Application, ExamResult
from applications.services import TableImportError, applications_import, exam_results_import
from mobility.models import AuditEntry
from tests.applications.helpers import APPLICANT_HEADER, EXAM_HEADER, applicant_row, csv_bytes, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("number", ["700101", "2021/0042", "B-12345", "a1"])
def test_student_numbers_with_letters_digits_and_inner_dash_or_slash_are_accepted(call, number):
    applications_import(call=call, rows=[applicant_row(number)])
    assert Applicant.objects.get().student_number == number


@pytest.mark.parametrize("number", ["=1+2", "+700102", "@700103", "-700104", "/700105", "7001 06", "7001;07", "70010é"])
def test_student_numbers_that_a_spreadsheet_could_run_are_refused(call, number):
    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=[applicant_row(number)])
    assert "is not a student number" in exc.value.lines()[0]
    assert not Applicant.objects.exists()


@pytest.mark.parametrize("command, header", [("import_applicants", APPLICANT_HEADER), ("import_exam_results", EXAM_HEADER)])
def test_a_header_only_file_is_an_error_without_an_audit_entry(call, tmp_path, command, header):
    path = tmp_path / "empty.csv"
    path.write_bytes(csv_bytes([], header))
    err = StringIO()

    with pytest.raises(CommandError):
        call_command(command, call.code, str(path), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == ["the file has a header but no rows: there is nothing to import"]
    assert not AuditEntry.objects.exists()


def test_a_written_score_with_absent_yes_is_refused(call, applications):
    rows = [{"student_number": "300101", "written": "75", "listening": "60", "absent": "yes"}]
    with pytest.raises(TableImportError) as exc:
        exam_results_import(call=call, rows=rows)
    assert exc.value.lines() == [
        "row 2, column written: a written score is given but absent is yes: leave written empty or set absent to no"]
    assert not ExamResult.objects.exists()


def test_absent_yes_with_an_empty_written_score_is_accepted(call, applications):
    exam_results_import(call=call, rows=[{"student_number": "300101", "written": "", "listening": "", "absent": "yes"}])
    assert ExamResult.objects.get().absent


def test_prior_participations_of_1000_is_refused_on_import(call):
    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=[applicant_row(700101, prior_participations="1000")])
    assert "from 0 to 20" in exc.value.lines()[0]


def test_a_nul_byte_in_a_name_from_the_command_line_is_one_line(call, tmp_path):
    path = write_csv(tmp_path / "a.csv", [applicant_row(700101, last_name="Yıl\x00maz")])
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_applicants", call.code, str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == ["row 2, column last_name: contains a control character (such as a NUL byte); remove it"]
    assert not Application.objects.exists()


def test_a_conflict_that_persists_is_a_clear_message_not_a_raw_database_error(call, monkeypatch):
    from django.db import IntegrityError

    from applications import services

    def always_conflicting(**kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "applications_applicant_student_number_key"')

    monkeypatch.setattr(services, "_applications_write", always_conflicting)
    with pytest.raises(TableImportError) as exc:
        applications_import(call=call, rows=[applicant_row(700101)])
    assert exc.value.lines() == [
        "another import added the same students at the same moment; nothing was saved, import the file again"]


def test_an_unexpected_database_error_is_one_line(call, tmp_path, monkeypatch):
    from django.db import DataError

    from applications import services

    def refused(**kwargs):
        raise DataError("value too long for type character varying(150)\nCONTEXT: ...")

    monkeypatch.setattr(services, "_applications_write", refused)
    path = write_csv(tmp_path / "a.csv", [applicant_row(700101)])
    with pytest.raises(CommandError) as exc:
        call_command("import_applicants", call.code, str(path), stdout=StringIO(), stderr=StringIO())
    assert str(exc.value) == f"{path}: the database refused the import (value too long for type character varying(150)); nothing was saved"


def test_the_admin_form_refuses_1000_prior_participations_too(call):
    from django.core.exceptions import ValidationError

    from tests.selection.helpers import apply

    application = apply(call, "CENG", number="700301")
    application.prior_participations = 1000
    with pytest.raises(ValidationError) as exc:
        application.full_clean()
    assert "prior_participations" in exc.value.message_dict
