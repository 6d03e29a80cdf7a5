"""Importing the applicant and exam-result files of the contract (selection-files.md §2 and §3).

One set of rules serves the management commands and the admin import: a file is validated as a
whole first, every problem is reported as "row N, column C: message" (the header is row 1), and
only a file without any problem is written, in one transaction, with bulk queries.
"""
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.models import (
    BONUS_FIELDS,
    FLAG_FIELDS,
    Applicant,
    Application,
    BonusClaim,
    ExamResult,
    Level,
)
from applications.selectors import exam_session_for_call
from mobility.models import Call, CallDepartment
from mobility.services.audit import audit_record

BATCH_SIZE = 1000
# Well under SQLite's limit of bound variables in one query.
IN_CHUNK = 900

TRUE_WORDS = frozenset({"yes", "true", "1", "evet"})
FALSE_WORDS = frozenset({"no", "false", "0", "hayır", "hayir", ""})
WHOLE_NUMBER = re.compile(r"^[0-9]+$", re.ASCII)
TWO_PLACES = Decimal("0.01")
LEVELS = tuple(Level.values)
BONUS_VALUES = frozenset(BonusClaim.values)


# --------------------------------------------------------------------------- errors and report


@dataclass(frozen=True)
class CellError:
    """One problem in a file: its row (the header is row 1), its column and a message for the office."""

    row: int
    column: str
    message: str


class TableImportError(Exception):
    """A file with problems; nothing of it was saved."""

    def __init__(self, errors: list[CellError]):
        self.errors = sorted(errors, key=lambda error: error.row)
        super().__init__("\n".join(self.lines()))

    def by_row(self) -> dict[int, list[CellError]]:
        rows: dict[int, list[CellError]] = {}
        for error in self.errors:
            rows.setdefault(error.row, []).append(error)
        return rows

    def lines(self) -> list[str]:
        """One line per bad row: "row 5, column gpa: …; column level: …"."""
        lines = []
        for row, errors in self.by_row().items():
            parts = [_("column %(column)s: %(message)s") % {"column": e.column, "message": e.message} for e in errors]
            lines.append(_("row %(row)s, %(errors)s") % {"row": row, "errors": "; ".join(parts)})
        return lines


@dataclass
class ImportedRow:
    row: int
    student_number: str
    action: str  # "created", "updated" or "unchanged"
    instance: Any
    values: dict[str, Any]
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    columns: list[str] = field(default_factory=list)
    rows: list[ImportedRow] = field(default_factory=list)

    def add(self, imported: ImportedRow) -> None:
        setattr(self, imported.action, getattr(self, imported.action) + 1)
        self.rows.append(imported)

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
        }


# --------------------------------------------------------------------------- cell parsers


class _Invalid(Exception):
    pass


def _text(value: Any) -> str:
    """A cell as text: CSV cells are text already, XLSX cells may be numbers, booleans or dates."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _required_text(value: Any, *, max_length: int) -> str:
    text = _text(value)
    if not text:
        raise _Invalid(_("required"))
    if len(text) > max_length:
        raise _Invalid(_("at most %(n)s characters") % {"n": max_length})
    return text


GPA_RANGE = gettext_lazy("“%(value)s” is out of range: a GPA is between 0 and 4.00")
SCORE_RANGE = gettext_lazy("“%(value)s” is out of range: a score is between 0 and 100")


def _decimal(value: Any, *, low: Decimal, high: Decimal, range_message) -> Decimal | None:
    text = _text(value)
    if not text:
        return None
    if "," in text:
        raise _Invalid(_("“%(value)s” is not a number: use a dot for decimals, e.g. 3.45") % {"value": text})
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise _Invalid(_("“%(value)s” is not a number") % {"value": text}) from None
    if not number.is_finite():
        raise _Invalid(_("“%(value)s” is not a number") % {"value": text})
    if number < low or number > high:
        raise _Invalid(str(range_message) % {"value": text})
    if number != number.quantize(TWO_PLACES):
        raise _Invalid(_("“%(value)s” has more than two decimal places") % {"value": text})
    return number.quantize(TWO_PLACES)


def parse_boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise _Invalid(
        _("“%(value)s” is not a yes/no value (use yes/no, true/false, 1/0 or evet/hayır)") % {"value": _text(value)}
    )


def _student_number(value: Any) -> str:
    return _required_text(value, max_length=Applicant._meta.get_field("student_number").max_length)


def _name(value: Any) -> str:
    return _required_text(value, max_length=150)


def _email(value: Any) -> str:
    text = _required_text(value, max_length=254)
    try:
        validate_email(text)
    except ValidationError:
        raise _Invalid(_("“%(value)s” is not a valid email address") % {"value": text}) from None
    return text


def _level(value: Any) -> str:
    text = _text(value)
    if not text:
        raise _Invalid(_("required"))
    if text.casefold() not in LEVELS:
        raise _Invalid(_("“%(value)s” is not a level; use one of %(choices)s") % {
            "value": text, "choices": ", ".join(LEVELS)})
    return text.casefold()


def _gpa(value: Any) -> Decimal | None:
    number = _decimal(value, low=Decimal(0), high=Decimal(4),
                      range_message=GPA_RANGE)
    # The contract: 0 is treated as no GPA.
    return None if number == 0 else number


def _previous_degree_gpa(value: Any) -> Decimal | None:
    return _decimal(value, low=Decimal(0), high=Decimal(4),
                    range_message=GPA_RANGE)


def _prior_participations(value: Any) -> int:
    text = _text(value)
    if not text:
        return 0
    if not WHOLE_NUMBER.match(text) or int(text) > 32767:
        raise _Invalid(_("“%(value)s” is not a whole number of 0 or more") % {"value": text})
    return int(text)


def _bonus(value: Any) -> str:
    text = _text(value).casefold()
    if text not in BONUS_VALUES:
        raise _Invalid(_("“%(value)s” is not allowed; use verified, claimed or leave it empty") % {"value": _text(value)})
    return text


def _score(value: Any) -> Decimal | None:
    return _decimal(value, low=Decimal(0), high=Decimal(100),
                    range_message=SCORE_RANGE)


def _listening(value: Any) -> Decimal:
    number = _score(value)
    return Decimal("0.00") if number is None else number


# --------------------------------------------------------------------------- reading a whole table


@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[Any], Any]
    required: bool = False  # the column must be in the header


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("student_number", _student_number, required=True),
    Column("first_name", _name, required=True),
    Column("last_name", _name, required=True),
    Column("email", _email, required=True),
    Column("department_code", _text, required=True),  # checked against the call's departments
    Column("level", _level, required=True),
    Column("gpa", _gpa),  # empty or left out: no GPA yet
    Column("previous_degree_gpa", _previous_degree_gpa),
    Column("prior_participations", _prior_participations),
    *(Column(name, parse_boolean) for name in FLAG_FIELDS),
    *(Column(name, _bonus) for name in BONUS_FIELDS),
)

EXAM_COLUMNS: tuple[Column, ...] = (
    Column("student_number", _student_number, required=True),
    # Without the written column every row would count as absent: almost surely a wrong file.
    Column("written", _score, required=True),
    Column("listening", _listening),  # empty or left out: 0
    Column("absent", parse_boolean),
)


def _as_table(rows: Iterable[Any], headers: Sequence[Any] | None) -> tuple[list[Any], list[Sequence[Any]]]:
    if headers is not None:
        return list(headers), list(rows)
    records = list(rows)
    keys: dict[Any, None] = {}
    for record in records:
        if not isinstance(record, Mapping):
            raise TypeError("rows must be mappings when no headers are given")
        keys.update(dict.fromkeys(record))
    return list(keys), [[record.get(key) for key in keys] for record in records]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_table(
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    headers: Sequence[Any] | None = None,
    checks: Sequence[Callable[[ParsedRow], list[CellError]]] = (),
) -> tuple[list[str], list[ParsedRow]]:
    """Check the header and every row against `columns`; raise TableImportError listing every problem.

    Returns the known columns present in the file (in file order) and the parsed, non-empty rows.
    """
    header, records = _as_table(rows, headers)
    by_name = {column.name: column for column in columns}
    errors: list[CellError] = []
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for index, cell in enumerate(header):
        name = _text(cell).lstrip("\ufeff").strip().lower()
        if not name:
            unnamed.append(index)
        elif name in positions:
            errors.append(CellError(1, name, _("the column appears more than once")))
        elif name not in by_name:
            errors.append(CellError(1, name, _("unknown column")))
            positions[name] = index
        else:
            positions[name] = index
    for column in columns:
        if column.required and column.name not in positions:
            errors.append(CellError(1, column.name, _("required column is missing")))
    for index in unnamed:
        if any(index < len(record) and not _blank(record[index]) for record in records):
            errors.append(CellError(1, str(index + 1), _("the column has values but no name in the header")))
    present = [name for name in positions if name in by_name]

    parsed: list[ParsedRow] = []
    first_row: dict[str, int] = {}
    width = len(header)
    for offset, record in enumerate(records):
        number = offset + 2
        record = list(record)
        if all(_blank(value) for value in record):
            continue
        if len(record) > width and any(not _blank(value) for value in record[width:]):
            errors.append(CellError(number, str(width + 1), _("more values than columns in the header")))
        values: dict[str, Any] = {}
        for name in present:
            index = positions[name]
            raw = record[index] if index < len(record) else None
            try:
                values[name] = by_name[name].parse(raw)
            except _Invalid as exc:
                errors.append(CellError(number, name, str(exc)))
        student_number = values.get("student_number")
        if student_number is not None:
            if student_number in first_row:
                errors.append(CellError(number, "student_number", _(
                    "student number %(number)s is already on row %(row)s") % {
                        "number": student_number, "row": first_row[student_number]}))
            else:
                first_row[student_number] = number
        row = ParsedRow(number, values)
        for check in checks:
            errors.extend(check(row))
        parsed.append(row)
    if errors:
        raise TableImportError(errors)
    return present, parsed


def _chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --------------------------------------------------------------------------- applicants


APPLICANT_FIELDS = ("first_name", "last_name", "email")
APPLICATION_FIELDS = ("level", "gpa", "previous_degree_gpa", "prior_participations", *FLAG_FIELDS, *BONUS_FIELDS)


def applications_import(
    *,
    call: Call,
    rows: Iterable[Mapping[str, Any]] | Iterable[Sequence[Any]],
    headers: Sequence[str] | None = None,
    actor=None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update the call's applications (and their applicants) from the applicant file.

    `rows` are mappings from column name to cell, or sequences matching `headers`. Raises
    TableImportError, saving nothing, if any row is bad. With `dry_run` nothing is saved either,
    and the report tells what the import would do.
    """
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

    columns, parsed = parse_table(APPLICANT_COLUMNS, rows, headers=headers, checks=[check_department])
    report = ImportReport(dry_run=dry_run, columns=columns)
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        applications = {
            application.applicant.student_number: application
            for application in Application.objects.filter(call=call).select_related("applicant")
        }
        applicants = {number: application.applicant for number, application in applications.items()}
        unknown = [row.values["student_number"] for row in parsed if row.values["student_number"] not in applicants]
        for chunk in _chunks(unknown):
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
        if changed_applications:
            now = timezone.now()
            for application in changed_applications:
                application.updated_at = now
            bulk_update_rows(changed_applications, sorted(changed_fields) + ["updated_at"])
        audit_record(actor=actor, action="applications.imported", obj=call, data={
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
        })
    return report


def _apply_changes(instance: Any, values: Mapping[str, Any], names: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Set the given fields that differ; return them as {name: (old, new)} for the preview."""
    changes = {}
    for name in names:
        if name in values and getattr(instance, name) != values[name]:
            changes[name] = (getattr(instance, name), values[name])
            setattr(instance, name, values[name])
    return changes


def bulk_insert_rows(objs: Sequence[Any]) -> None:
    """INSERT many new instances of one model: one statement, executed in batches.

    Like QuerySet.bulk_create (defaults, auto_now, foreign keys to just-saved objects) but without
    compiling SQL for every value, which halves the time for 50,000 applications. The instances
    get no ids: the caller reads them back by a natural key.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields),
    )
    params = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert_rows")
        params.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        obj._state.adding = False
        obj._state.db = connection.alias
    with connection.cursor() as cursor:
        if _is_psycopg2(connection, cursor):
            from psycopg2.extras import execute_values

            # One multi-row INSERT per page: PostgreSQL is much faster with these than with single rows.
            execute_values(cursor.cursor, sql + "%s", params, page_size=BATCH_SIZE)
        else:
            for chunk in _chunks(params, BATCH_SIZE):
                cursor.executemany(sql + "({})".format(", ".join(["%s"] * len(fields))), chunk)


def _is_psycopg2(connection, cursor) -> bool:
    return connection.vendor == "postgresql" and type(cursor.cursor).__module__.startswith("psycopg2")


def bulk_update_rows(objs: Sequence[Any], field_names: Sequence[str]) -> None:
    """Save `field_names` of many instances of one model: one UPDATE statement, executed in batches.

    Does what QuerySet.bulk_update does, without its CASE WHEN expressions, which cost Python about
    half a millisecond per row and make re-importing 50,000 changed rows take tens of seconds.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(model._meta.db_table),
        ", ".join(f"{quote(f.column)} = %s" for f in fields),
        quote(model._meta.pk.column),
    )
    params = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields] + [obj.pk]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        if _is_psycopg2(connection, cursor):
            from psycopg2.extras import execute_batch

            execute_batch(cursor.cursor, sql, params, page_size=BATCH_SIZE)
        else:
            for chunk in _chunks(params, BATCH_SIZE):
                cursor.executemany(sql, chunk)


def _ensure_pks(applicants: list[Applicant]) -> None:
    """Read the ids of just-inserted applicants back by student number."""
    missing = {a.student_number: a for a in applicants if a.pk is None}
    for chunk in _chunks(list(missing)):
        for number, pk in Applicant.objects.filter(student_number__in=chunk).values_list("student_number", "pk"):
            missing[number].pk = pk


# --------------------------------------------------------------------------- exam results


EXAM_FIELDS = ("written", "listening", "absent")


def exam_results_import(
    *,
    call: Call,
    rows: Iterable[Mapping[str, Any]] | Iterable[Sequence[Any]],
    headers: Sequence[str] | None = None,
    actor=None,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update the results, on the exam session the call counts, of the call's applicants.

    A row with no written score and `absent` no is kept as it is; the selection treats it as absent.
    Raises TableImportError, saving nothing, if any row is bad.
    """
    applicants: dict[str, Applicant] = {
        application.applicant.student_number: application.applicant
        for application in Application.objects.filter(call=call).select_related("applicant")
    }

    def check_application(row: ParsedRow) -> list[CellError]:
        number = row.values.get("student_number")
        if number is None or number in applicants:
            return []
        return [CellError(row.row, "student_number", _(
            "student number %(number)s has no application to call %(call)s") % {"number": number, "call": call.code})]

    columns, parsed = parse_table(EXAM_COLUMNS, rows, headers=headers, checks=[check_application])
    report = ImportReport(dry_run=dry_run, columns=columns)
    with transaction.atomic():
        Call.objects.select_for_update().filter(pk=call.pk).first()
        session = exam_session_for_call(call=call)
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
                fields = {"listening": Decimal("0.00"), **{name: values[name] for name in EXAM_FIELDS if name in values}}
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
            transaction.set_rollback(True)  # the session may just have been created
            return report
        bulk_insert_rows(new_results)
        if new_results:
            ids = dict(ExamResult.objects.filter(session=session).values_list("applicant_id", "pk"))
            for result in new_results:
                result.pk = ids[result.applicant_id]
        if changed_results:
            bulk_update_rows(changed_results, sorted(changed_fields))
        audit_record(actor=actor, action="exam_results.imported", obj=call, data={
            "created": report.created, "updated": report.updated, "unchanged": report.unchanged,
            "session": session.name,
        })
    return report
