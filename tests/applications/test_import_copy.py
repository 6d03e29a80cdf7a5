"""The COPY path of the imports (PostgreSQL) does what the ORM path does, on random files.

Each example imports earlier files with the ORM path (applicants of this call and of another one,
exam results), then the same new file through the command twice, once per path, each time in a
savepoint rolled back afterwards, and compares: what the command printed and whether it failed,
the report's rows (created / updated / unchanged, the changes), and every row of the tables it
writes, with which `updated_at` moved. The new file mixes unchanged copies of stored rows, changed
ones, new students, left-out optional columns and, now and then, a bad cell.
"""
import csv
import datetime as dt
import io
import itertools
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from applications import services
from applications.management.commands import import_applicants, import_exam_results
from applications.models import BONUS_FIELDS, FLAG_FIELDS, Applicant, Application, ExamResult, ExamSession
from mobility.models import AuditEntry, Department
from tests.concurrency import postgres_required
from tests.factories import CallDepartmentFactory, CallFactory
from tests.hypothesis_profiles import examples

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _postgresql():
    # Before hypothesis starts: without PostgreSQL one skip (one failure under CI=true), not a shrinking run.
    postgres_required()

_examples = itertools.count()
OPTIONAL = ("gpa", "previous_degree_gpa", "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS, "recent_graduate")
HEADER = ("student_number", "first_name", "last_name", "email", "department_code", "level", *OPTIONAL)
CELLS = {
    "first_name": ["Ayşe", "Ali\\Veli", "Tab\tİçinde", " Zeynep ", "O'Brien \"Jr\""],
    "last_name": ["Yılmaz", "Çağrı", "Back\\slash", "x" * 150],
    "email": ["a@example.edu.tr", "b@ogr.example.edu.tr", "ayse.yilmaz@example.com"],
    "department_code": ["CENG", "ceng", "MIS"],
    "level": ["bachelor", "master", "Lisans", "doctorate", "associate"],
    "gpa": ["", "0", "3.10", "3.1", "2.75", "4"],
    "previous_degree_gpa": ["", "3.00", "2.5"],
    "prior_participations": ["", "0", "1", "3"],
    **{name: ["yes", "no", "evet", "hayır", "", "1"] for name in (*FLAG_FIELDS, "recent_graduate")},
    **{name: ["", "claimed", "verified", "Verified"] for name in BONUS_FIELDS},
}
# One bad cell now and then: every message must come out the same on both paths.
BAD = {"gpa": "4.5", "department_code": "XX", "email": "not-an-email", "level": "postdoc", "last_name": "x" * 151,
       "prior_participations": "x", "disability": "maybe"}
EXAM_HEADER = ("student_number", "written", "listening", "absent")
EXAM_CELLS = {"written": ["", "0", "59.5", "60", "100", "72.25"], "listening": ["", "0", "40", "99.99"],
              "absent": ["no", "", "hayır"]}


def _csv(folder: Path, name: str, header, rows: list[dict]) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _applicant_row(draw, number: str) -> dict:
    return {"student_number": number, **{name: draw(st.sampled_from(cells)) for name, cells in CELLS.items()}}


@st.composite
def applicant_files(draw):
    """(earlier rows of this call, earlier rows of another call, the new file's rows, left-out columns)."""
    numbers = [f"S{i}" for i in range(12)]
    earlier = [_applicant_row(draw, n) for n in draw(st.lists(st.sampled_from(numbers), unique=True, max_size=8))]
    other = [_applicant_row(draw, n) for n in draw(st.lists(st.sampled_from(numbers), unique=True, max_size=4))]
    stored = {row["student_number"]: row for row in other + earlier}
    rows = []
    for number in draw(st.lists(st.sampled_from(numbers), min_size=1, max_size=12, unique=True)):
        how = draw(st.sampled_from(["same", "same", "changed", "fresh"]))
        if how == "fresh" or number not in stored:
            rows.append(_applicant_row(draw, number))
            continue
        row = dict(stored[number])
        if how == "changed":
            for name in draw(st.sets(st.sampled_from(list(CELLS)), min_size=1, max_size=3)):
                row[name] = draw(st.sampled_from(CELLS[name]))
        rows.append(row)
    bad = draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from([*sorted(BAD), "duplicate"])))
    if bad == "duplicate":
        rows.append(dict(draw(st.sampled_from(rows))))
    elif bad:
        rows[draw(st.integers(0, len(rows) - 1))][bad] = BAD[bad]
    omitted = draw(st.sets(st.sampled_from(OPTIONAL), max_size=4))
    return earlier, other, rows, omitted


def _calls():
    """Two calls sharing the departments CENG and MIS (created once per test database)."""
    example = next(_examples)
    calls = [CallFactory(code=f"COPY-{example}-{i}") for i in (1, 2)]
    for code in ("CENG", "MIS"):
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": code})
        for call in calls:
            CallDepartmentFactory(call=call, department=department)
    return calls


def _state(since, audit_after: int) -> dict:
    """Every row the imports write, by natural keys, with whether its update time moved."""
    return {
        "applicants": list(Applicant.objects.order_by("pk").values_list("student_number", "first_name", "last_name", "email", "user")),
        "applications": [
            (*values, updated_at >= since)
            for *values, updated_at in Application.objects.order_by("pk").values_list(
                "call__code", "applicant__student_number", "department__code", "level", "gpa", "previous_degree_gpa",
                "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS, "recent_graduate", "status", "source",
                "declared_previous_degree_gpa", "updated_at")
        ],
        "exam_results": [
            (*values, updated_at >= since)
            for *values, updated_at in ExamResult.objects.order_by("pk").values_list(
                "session__name", "applicant__student_number", "written", "listening", "absent", "updated_at")
        ],
        "sessions": sorted(ExamSession.objects.values_list("name", flat=True)),
        "audit": list(AuditEntry.objects.filter(pk__gt=audit_after).order_by("pk").values_list(
            "action", "object_type", "object_id", "data", "actor")),
    }


def _run(command, call_code: str, path: Path, *, fast: bool) -> dict:
    """The command on `path` with one path forced, in a savepoint rolled back afterwards: what it printed and did."""
    out, err = io.StringIO(), io.StringIO()
    reports = []
    service = command.Command.service

    def recording(**kwargs):
        report = service(**kwargs)
        reports.append([(r.row, r.student_number, r.action, r.changes) for r in report.rows])
        return report

    with transaction.atomic():
        since = timezone.now()
        audit_after = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with mock.patch.object(services, "_fast", lambda _fast: fast), \
                mock.patch.object(command.Command, "service", staticmethod(recording)):
            try:
                call_command(command.Command(), call_code, str(path), stdout=out, stderr=err)
                failure = None
            except CommandError as exc:
                failure = str(exc)
        outcome = {"stdout": out.getvalue(), "stderr": err.getvalue(), "failure": failure, "reports": reports,
                   **_state(since, audit_after)}
        transaction.set_rollback(True)
    return outcome


def _assert_same(command, call_code: str, path: Path) -> dict:
    plain = _run(command, call_code, path, fast=False)
    fast = _run(command, call_code, path, fast=True)
    for key in plain:
        assert fast[key] == plain[key], key
    return plain


@pytest.mark.django_db
@settings(max_examples=examples(40), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=applicant_files())
def test_applicant_import_copy_path_does_what_the_orm_path_does(files):
    earlier, other, rows, omitted = files
    with transaction.atomic(), tempfile.TemporaryDirectory() as tmp:
        call, other_call = _calls()
        folder = Path(tmp)
        for into, earlier_rows in ((other_call, other), (call, earlier)):
            if earlier_rows:
                services.applications_import(call=into, rows=earlier_rows, fast=False)
        Application.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
        header = [name for name in HEADER if name not in omitted]
        _assert_same(import_applicants, call.code, _csv(folder, "applicants.csv", header, rows))
        transaction.set_rollback(True)


@st.composite
def exam_files(draw):
    """(applicant rows of the call, earlier exam rows, the new exam file's rows, left-out columns)."""
    numbers = [f"E{i}" for i in range(10)]
    applicants = [_applicant_row(draw, n) | {"email": f"{n}@example.edu.tr", "last_name": "Kaya", "department_code": "CENG",
                                             "level": "bachelor", "gpa": "3.00", "disability": ""} for n in numbers[:8]]

    def exam_row(number):
        return {"student_number": number, **{name: draw(st.sampled_from(cells)) for name, cells in EXAM_CELLS.items()}}

    earlier = [exam_row(n) for n in draw(st.lists(st.sampled_from(numbers[:8]), unique=True, max_size=8))]
    stored = {row["student_number"]: row for row in earlier}
    rows = []
    for number in draw(st.lists(st.sampled_from(numbers[:8]), min_size=1, max_size=8, unique=True)):
        how = draw(st.sampled_from(["same", "same", "changed", "fresh"]))
        rows.append(dict(stored[number]) if how == "same" and number in stored else exam_row(number))
    bad = draw(st.sampled_from([None, None, None, None, "unknown", "absent", "range", "duplicate"]))
    if bad == "duplicate":
        rows.append(dict(draw(st.sampled_from(rows))))
    elif bad:
        row = rows[draw(st.integers(0, len(rows) - 1))]
        row.update({"unknown": {"student_number": numbers[9]}, "absent": {"written": "70", "absent": "yes"},
                    "range": {"listening": "101"}}[bad])
    omitted = draw(st.sets(st.sampled_from(["listening", "absent"])))
    return applicants, earlier, rows, omitted


@pytest.mark.django_db
@settings(max_examples=examples(30), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=exam_files())
def test_exam_result_import_copy_path_does_what_the_orm_path_does(files):
    applicants, earlier, rows, omitted = files
    with transaction.atomic(), tempfile.TemporaryDirectory() as tmp:
        call, _other = _calls()
        services.applications_import(call=call, rows=applicants, fast=False)
        if earlier:
            services.exam_results_import(call=call, rows=earlier, fast=False)
        ExamResult.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
        header = [name for name in EXAM_HEADER if name not in omitted]
        _assert_same(import_exam_results, call.code, _csv(Path(tmp), "exam.csv", header, rows))
        transaction.set_rollback(True)
