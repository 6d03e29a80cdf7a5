"""An import that fails half-way through its writes leaves nothing behind.

The failure is made in the database layer (an execute wrapper refusing the audit entry, the
last write of an import), so it holds however the import is organised inside.
"""
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection

from applications.models import Applicant, Application, ExamResult
from mobility.models import AuditEntry
from tests.applications.helpers import EXAM_HEADER, applicant_row, write_csv

pytestmark = pytest.mark.django_db


@contextmanager
def refuse_writes_to(table: str):
    """Every INSERT into `table` raises, after whatever the code wrote before it."""
    def wrapper(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and table in sql:
            raise DatabaseError(f"refused by the test: {table}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield


def test_an_applicant_import_failing_at_its_last_write_saves_nothing(call, applications, tmp_path):
    before_gpa = applications[0].gpa
    rows = [applicant_row(300101, gpa="3.99")] + [applicant_row(300200 + i) for i in range(5)]
    path = write_csv(tmp_path / "applicants.csv", rows)

    with refuse_writes_to(AuditEntry._meta.db_table), pytest.raises((DatabaseError, CommandError), match="refused by the test"):
        call_command("import_applicants", call.code, str(path))

    assert Applicant.objects.count() == 3
    assert Application.objects.count() == 3
    applications[0].refresh_from_db()
    assert applications[0].gpa == before_gpa
    assert not AuditEntry.objects.filter(action="applications.imported").exists()


def test_an_exam_result_import_failing_at_its_last_write_saves_nothing(call, applications, tmp_path):
    rows = [{"student_number": a.applicant.student_number, "written": "80", "listening": "70", "absent": "no"} for a in applications]
    path = write_csv(tmp_path / "exam.csv", rows, EXAM_HEADER)

    with refuse_writes_to(AuditEntry._meta.db_table), pytest.raises((DatabaseError, CommandError), match="refused by the test"):
        call_command("import_exam_results", call.code, str(path))

    assert not ExamResult.objects.exists()

    call_command("import_exam_results", call.code, str(path))  # the same file goes through afterwards
    assert list(ExamResult.objects.values_list("written", flat=True)) == [Decimal("80.00")] * 3
