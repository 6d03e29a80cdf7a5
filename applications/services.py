"""Importing the applicant and exam-result files of the contract (selection-files.md §2 and §3).

One set of rules serves the management commands and the admin import: a file is validated as a
whole first (`applications.tabular.parse_table`), every problem is reported as "row N, column C:
message" (the header is row 1), and only a file without any problem is written, in one
transaction: on PostgreSQL with one COPY and a few set-wise statements (`applications.import_copy`),
elsewhere (and for the admin, which shows the saved instances) with the bulk writers of `mobility.db`.
"""
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.cells import (
    cell_text,
    parse_bonus,
    parse_boolean,
    parse_email,
    parse_gpa,
    parse_level,
    parse_listening,
    parse_name,
    parse_previous_degree_gpa,
    parse_prior_participations,
    parse_score,
    parse_student_number,
)
from applications.import_copy import applicant_ids_of_call, applications_copy, exam_results_copy
from applications.import_report import ImportedRow, ImportReport
from applications.models import BONUS_FIELDS, FLAG_FIELDS, Applicant, Application, ExamResult
from applications.selectors import exam_session_for_call
from applications.tabular import FILE_ROW, CellError, Column, ParsedRow, TableImportError, parse_table
from mobility.db import bulk_insert_rows, bulk_update_rows, chunks
from mobility.models import Call, CallDepartment
from mobility.services.audit import audit_record

CONFLICT_RETRIES = 3

__all__ = ["ImportReport", "ImportedRow", "TableImportError", "applications_import", "exam_results_import"]


APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("student_number", parse_student_number, required=True),
    Column("first_name", parse_name, required=True),
    Column("last_name", parse_name, required=True),
    Column("email", parse_email, required=True),
    Column("department_code", cell_text, required=True),  # checked against the call's departments
    Column("level", parse_level, required=True),
    Column("gpa", parse_gpa),  # empty or left out: no GPA yet
    Column("previous_degree_gpa", parse_previous_degree_gpa),
    Column("prior_participations", parse_prior_participations),
    *(Column(name, parse_boolean) for name in FLAG_FIELDS),
    *(Column(name, parse_bonus) for name in BONUS_FIELDS),
    Column("recent_graduate", parse_boolean),  # placement-files §12: reported to the EU, no effect on selection
)

EXAM_COLUMNS: tuple[Column, ...] = (
    Column("student_number", parse_student_number, required=True),
    # Without the written column every row would count as absent: almost surely a wrong file.
    Column("written", parse_score, required=True),
    Column("listening", parse_listening),  # empty or left out: 0
    Column("absent", parse_boolean),
)



# --------------------------------------------------------------------------- applicants


APPLICANT_FIELDS = ("first_name", "last_name", "email")
APPLICATION_FIELDS = ("level", "gpa", "previous_degree_gpa", "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS, "recent_graduate")


def applications_import(
    *,
    call: Call,
    rows: Iterable[Mapping[str, Any]] | Iterable[Sequence[Any]],
    headers: Sequence[str] | None = None,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fast: bool | None = None,
) -> ImportReport:
    """Create or update the call's applications (and their applicants) from the applicant file.

    `rows` are mappings from column name to cell, or sequences matching `headers`. Raises
    TableImportError, saving nothing, if any row is bad. With `dry_run` nothing is saved either,
    and the report tells what the import would do. `fast` (the default on PostgreSQL) writes with
    COPY; its report rows then carry no model instance.
    """
    fast = _fast(fast)
    departments: dict[str, Any] = {
        cd.department.code: cd.department
        for cd in CallDepartment.objects.filter(call=call).select_related("department")
    }
    folded = {code.casefold(): department for code, department in departments.items()}

    def check_department(row: ParsedRow) -> list[CellError]:
        if "department_code" not in row.values:
            return []
        code = row.values["department_code"]
        department = departments.get(code) or folded.get(code.casefold())
        if department is None:
            del row.values["department_code"]
            message = _("required") if not code else _(
                "“%(code)s” is not a department of call %(call)s (its departments: %(codes)s)") % {
                    "code": code, "call": call.code, "codes": ", ".join(sorted(departments))}
            return [CellError(row.row, "department_code", message)]
        row.values["department_code"] = department
        return []

    columns, parsed = parse_table(APPLICANT_COLUMNS, rows, headers=headers, checks=[check_department], progress=progress)
    return _retrying_conflicts(lambda: _applications_write(
        call=call, columns=columns, parsed=parsed, actor=actor, dry_run=dry_run, fast=fast))


def _fast(fast: bool | None) -> bool:
    return connection.vendor == "postgresql" if fast is None else fast


def _retrying_conflicts(write: Callable[[], ImportReport]) -> ImportReport:
    """Run `write` (one transaction) again when a concurrent import inserted the same rows first.

    Two imports into different calls may add the same new student (or exam session, or result)
    at the same moment: the second then meets the first one's row in a unique index. Reading
    again sees it, so the retry updates instead of inserting.
    """
    for attempt in range(CONFLICT_RETRIES):
        try:
            return write()
        except IntegrityError:
            if attempt == CONFLICT_RETRIES - 1:
                raise TableImportError([CellError(FILE_ROW, "", _(
                    "another import added the same students at the same moment; nothing was saved, import the file again"))]) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _applications_write(*, call: Call, columns: list[str], parsed: list[ParsedRow], actor, dry_run: bool,
                        fast: bool) -> ImportReport:
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        if fast:
            report = applications_copy(call=call, columns=columns, parsed=parsed, dry_run=dry_run,
                                       applicant_fields=APPLICANT_FIELDS, application_fields=APPLICATION_FIELDS)
        else:
            report = _applications_orm(call=call, columns=columns, parsed=parsed, dry_run=dry_run)
        if dry_run:
            return report
        audit_record(actor=actor, action="applications.imported", obj=call, data={
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        })
    return report


def _applications_orm(*, call: Call, columns: list[str], parsed: list[ParsedRow], dry_run: bool) -> ImportReport:
    """The write of the ORM path (SQLite, the admin): a model instance per row, bulk writers."""
    report = ImportReport(dry_run=dry_run, columns=columns)
    applications = {
        application.applicant.student_number: application
        for application in Application.objects.filter(call=call).select_related("applicant")
    }
    applicants = {number: application.applicant for number, application in applications.items()}
    unknown = [row.values["student_number"] for row in parsed if row.values["student_number"] not in applicants]
    for chunk in chunks(unknown):
        applicants.update((a.student_number, a) for a in Applicant.objects.filter(student_number__in=chunk))

    new_applicants: list[Applicant] = []
    changed_applicants: list[Applicant] = []
    new_applications: list[Application] = []
    changed_applications: list[Application] = []
    changed_fields: set[str] = set()
    for row in parsed:
        values = row.values
        number = values["student_number"]
        changes: dict[str, tuple[Any, Any]] = {}
        applicant = applicants.get(number)
        if applicant is None:
            applicant = Applicant(student_number=number, **{name: values[name] for name in APPLICANT_FIELDS})
            applicants[number] = applicant
            new_applicants.append(applicant)
        else:
            changes.update(_apply_changes(applicant, values, APPLICANT_FIELDS))
            if changes and applicant.pk:
                changed_applicants.append(applicant)
        application = applications.get(number)
        if application is None:
            application = Application(
                call=call, applicant=applicant, department=values["department_code"],
                **{name: values[name] for name in APPLICATION_FIELDS if name in values},
            )
            report.add(ImportedRow(row.row, number, "created", application, values))
            new_applications.append(application)
            continue
        application.applicant = applicant
        if application.department_id != values["department_code"].pk:
            changes["department_code"] = (application.department.code, values["department_code"].code)
            application.department = values["department_code"]
            changed_fields.add("department")
        app_changes = _apply_changes(application, values, APPLICATION_FIELDS)
        changes.update(app_changes)
        changed_fields.update(app_changes)
        if app_changes or "department_code" in changes:
            changed_applications.append(application)
        report.add(ImportedRow(row.row, number, "updated" if changes else "unchanged", application, values, changes))

    if dry_run:
        return report
    bulk_insert_rows(new_applicants)
    _ensure_pks(new_applicants)
    if changed_applicants:
        bulk_update_rows(changed_applicants, APPLICANT_FIELDS)
    bulk_insert_rows(new_applications)
    if new_applications:
        ids = dict(Application.objects.filter(call=call).values_list("applicant_id", "pk"))
        for application in new_applications:
            application.pk = ids[application.applicant_id]
    _update_changed(changed_applications, changed_fields)
    return report




def _update_changed(rows: list, fields: set[str]) -> None:
    """Save the changed `fields` of `rows` and move their updated_at: bulk writes skip auto_now,
    and the stale-run signal reads updated_at of applications and exam results."""
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.updated_at = now
    bulk_update_rows(rows, sorted(fields) + ["updated_at"])


def _apply_changes(instance: Any, values: Mapping[str, Any], names: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Set the given fields that differ; return them as {name: (old, new)} for the preview."""
    changes = {}
    for name in names:
        if name in values and getattr(instance, name) != values[name]:
            changes[name] = (getattr(instance, name), values[name])
            setattr(instance, name, values[name])
    return changes



def _ensure_pks(applicants: list[Applicant]) -> None:
    """Read the ids of just-inserted applicants back by student number."""
    missing = {a.student_number: a for a in applicants if a.pk is None}
    for chunk in chunks(list(missing)):
        for number, pk in Applicant.objects.filter(student_number__in=chunk).values_list("student_number", "pk"):
            missing[number].pk = pk



# --------------------------------------------------------------------------- exam results


EXAM_FIELDS = ("written", "listening", "absent")
# A new result's values for columns the file leaves out (absent: the model's default, no).
NEW_RESULT_DEFAULTS = {"listening": Decimal("0.00")}


def exam_results_import(
    *,
    call: Call,
    rows: Iterable[Mapping[str, Any]] | Iterable[Sequence[Any]],
    headers: Sequence[str] | None = None,
    actor=None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    fast: bool | None = None,
) -> ImportReport:
    """Create or update the results, on the exam session the call counts, of the call's applicants.

    A row with no written score and `absent` no is kept as it is; the selection treats it as absent.
    Raises TableImportError, saving nothing, if any row is bad. `fast` as for `applications_import`.
    """
    fast = _fast(fast)
    applicants: dict[str, Any]  # student number -> the Applicant (ORM path) or its id (COPY path)
    if fast:
        applicants = applicant_ids_of_call(call=call)
    else:
        applicants = {
            application.applicant.student_number: application.applicant
            for application in Application.objects.filter(call=call).select_related("applicant")
        }

    def check_application(row: ParsedRow) -> list[CellError]:
        number = row.values.get("student_number")
        if number is None or number in applicants:
            return []
        return [CellError(row.row, "student_number", _(
            "student number %(number)s has no application to call %(call)s") % {"number": number, "call": call.code})]

    def check_absent(row: ParsedRow) -> list[CellError]:
        # Contract §3: a score for someone absent is a contradiction the office must resolve.
        if row.values.get("absent") and row.values.get("written") is not None:
            return [CellError(row.row, "written", _(
                "a written score is given but absent is yes: leave written empty or set absent to no"))]
        return []

    columns, parsed = parse_table(EXAM_COLUMNS, rows, headers=headers, checks=[check_application, check_absent], progress=progress)
    return _retrying_conflicts(lambda: _exam_results_write(
        call=call, columns=columns, parsed=parsed, applicants=applicants, actor=actor, dry_run=dry_run, fast=fast))


def _exam_results_write(*, call: Call, columns: list[str], parsed: list[ParsedRow], applicants: dict[str, Any],
                        actor, dry_run: bool, fast: bool) -> ImportReport:
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        session = exam_session_for_call(call=call)
        if fast:
            report = exam_results_copy(session=session, columns=columns, parsed=parsed, applicant_ids=applicants,
                                       dry_run=dry_run, exam_fields=EXAM_FIELDS, defaults=NEW_RESULT_DEFAULTS)
        else:
            report = _exam_results_orm(session=session, columns=columns, parsed=parsed, applicants=applicants, dry_run=dry_run)
        if dry_run:
            transaction.set_rollback(True)  # the session may just have been created
            return report
        audit_record(actor=actor, action="exam_results.imported", obj=call, data={
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "session": session.name,
        })
    return report


def _exam_results_orm(*, session, columns: list[str], parsed: list[ParsedRow], applicants: dict[str, Applicant],
                      dry_run: bool) -> ImportReport:
    """The write of the ORM path (SQLite, the admin)."""
    report = ImportReport(dry_run=dry_run, columns=columns)
    existing = {result.applicant_id: result for result in ExamResult.objects.filter(session=session)}
    new_results: list[ExamResult] = []
    changed_results: list[ExamResult] = []
    changed_fields: set[str] = set()
    for row in parsed:
        values = row.values
        number = values["student_number"]
        applicant = applicants[number]
        result = existing.get(applicant.pk)
        if result is None:
            fields = {**NEW_RESULT_DEFAULTS, **{name: values[name] for name in EXAM_FIELDS if name in values}}
            result = ExamResult(session=session, applicant=applicant, **fields)
            new_results.append(result)
            report.add(ImportedRow(row.row, number, "created", result, values))
            continue
        result.applicant = applicant
        changes = _apply_changes(result, values, EXAM_FIELDS)
        changed_fields.update(changes)
        if changes:
            changed_results.append(result)
        report.add(ImportedRow(row.row, number, "updated" if changes else "unchanged", result, values, changes))

    if dry_run:
        return report
    bulk_insert_rows(new_results)
    if new_results:
        ids = dict(ExamResult.objects.filter(session=session).values_list("applicant_id", "pk"))
        for result in new_results:
            result.pk = ids[result.applicant_id]
    _update_changed(changed_results, changed_fields)
    return report
