"""The PostgreSQL path of the imports: the parsed rows go to the database with one COPY, then a few statements.

`parse_table` has already checked every cell and made every message; what is left is comparing
50,000 rows with what is stored and writing the difference. Building a model instance per row
for that costs most of an import on the ORM path, so here the rows are copied into a temporary
table (dropped at commit) and the database compares and writes them set-wise: rows that differ
are updated (`IS DISTINCT FROM`, so an unchanged file writes nothing), missing ones inserted in
file order. The effects are those of the ORM path in `applications.services`: the same rows,
the same counts and changes per row, `updated_at` set where the ORM path sets it. The report's
rows carry no model instance. `tests/applications/test_import_copy.py` checks it on random files.

The caller holds the call's lock and the transaction, and writes the audit entry.
"""
import io
import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

from applications.import_report import ImportedRow, ImportReport
from applications.models import Applicant, Application, ExamResult
from applications.tabular import ParsedRow
from mobility.db import copy_escape, copy_out, copy_unescape
from mobility.models import Department

ACTIONS = {"c": "created", "u": "updated", "n": "unchanged"}
_ESCAPED = re.compile(r"[\\\t\n\r]")
TEMP = "import_rows"
STATES = "import_states"
Changes = dict[int, dict[str, tuple[Any, Any]]]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _column(model: type[models.Model], name: str) -> str:
    return _q(model._meta.get_field(name).column)


def _sql_type(field: models.Field) -> str:
    # Unbounded types: a value is compared as parse_table gave it, as the ORM path compares it.
    if isinstance(field, models.DecimalField):
        return "numeric"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, (models.IntegerField, models.ForeignKey)):
        return "bigint"
    return "text"


def _texts(values: list[Any], field: models.Field) -> list[str]:
    """A column's values as COPY's text format writes them (\\N for NULL), one comprehension per type."""
    if isinstance(field, models.BooleanField):
        return ["t" if value else "f" for value in values]
    if isinstance(field, models.ForeignKey):
        return [str(value.pk) for value in values]
    if isinstance(field, (models.DecimalField, models.IntegerField)):
        return ["\\N" if value is None else str(value) for value in values]
    return ["\\N" if value is None else copy_escape(value) if _ESCAPED.search(value) else value for value in values]


def _copy_text(parsed: list[ParsedRow], fields: Sequence[tuple[str, models.Field]],
               lead: tuple[str, Callable[[ParsedRow], str]] | None) -> str:
    """The rows in COPY's text format: file row, `lead`'s value, then the `fields` by file column name."""
    columns = [[str(row.row) for row in parsed]]
    if lead:
        columns.append([lead[1](row) for row in parsed])
    columns += [_texts([row.values[name] for row in parsed], field) for name, field in fields]
    return "\n".join(map("\t".join, zip(*columns))) + "\n"


def _copy_in(parsed: list[ParsedRow], fields: Sequence[tuple[str, models.Field]],
             lead: tuple[str, Callable[[ParsedRow], str]] | None = None) -> None:
    """Create the temporary table (row, then `lead`'s column, then the file's `fields` by file name) and COPY the rows in."""
    # The names are the contract's column names (parse_table keeps only known ones), never a file's text.
    definitions = ["file_row integer"] + ([lead[0]] if lead else [])
    definitions += [f"{name} {_sql_type(field)}" for name, field in fields]
    with connection.cursor() as cursor:
        # Dropped at commit; an import inside a longer transaction (a test, a caller's atomic) may meet its predecessor's.
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{TEMP}")
        cursor.execute(f"CREATE TEMP TABLE {TEMP} ({', '.join(definitions)}) ON COMMIT DROP")
        cursor.copy_expert(f"COPY {TEMP} FROM STDIN", io.StringIO(_copy_text(parsed, fields, lead)))
        # Temporary tables are never analysed by autovacuum: without it the joins below are planned blind.
        cursor.execute(f"ANALYZE {TEMP}")


def _differs(stored: str, model: type[models.Model], names: Sequence[tuple[str, str]]) -> str:
    """SQL, true when the stored row differs from the file's: `names` are (model field, temporary column)."""
    left = ", ".join(f"{stored}.{_column(model, field)}" for field, _ in names)
    right = ", ".join(f"t.{column}" for _, column in names)
    return f"(ROW({left}) IS DISTINCT FROM ROW({right}))"


def _states(select: str, params: Sequence[Any]) -> dict[int, list[str]]:
    """Keep `select` (file_row, the stored rows' ids, one-letter codes) as the table STATES; {file row: [codes]}.

    The one join of the file with the stored tables: the writes after it find the rows by id.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STATES}")
        cursor.execute(f"CREATE TEMP TABLE {STATES} ON COMMIT DROP AS {select}", params)
    return {
        int(row): codes for row, *codes in (
            line.split("\t") for line in copy_out(sql=f"SELECT file_row, action, other FROM {STATES}").splitlines())
    }


def _changes(found: list[tuple], parsed: list[ParsedRow], names: Sequence[str]) -> Changes:
    """{row: {column: (stored, file)}} for rows of (row, stored values of `names`), as the ORM path's preview has them."""
    by_row = {row.row: row.values for row in parsed}
    changes: Changes = {}
    for row, *stored in found:
        values = by_row[row]
        changes[row] = {name: (old, values[name]) for name, old in zip(names, stored) if old != values[name]}
    return changes


def _new_row_defaults(model: type[models.Model], given: Sequence[str], now,
                      defaults: dict[str, Any] | None = None) -> tuple[list[str], list[Any]]:
    """(columns, values) of a new row's other columns as the ORM path saves them: `defaults`, the model's, `now` for times."""
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in given:
            continue
        columns.append(_q(field.column))
        if defaults and field.name in defaults:
            values.append(field.get_db_prep_save(defaults[field.name], connection))
        elif isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add or field.has_default()):
            values.append(now)
        else:
            values.append(field.get_db_prep_save(field.get_default(), connection))
    return columns, values


def _report(report: ImportReport, parsed: list[ParsedRow], states: dict[int, str], changes: Changes) -> ImportReport:
    """The report `report.add` would make row by row, with the counts taken once."""
    report.rows = [
        ImportedRow(row.row, row.values["student_number"], states[row.row], None, row.values, changes.get(row.row) or {})
        for row in parsed
    ]
    counts = Counter(states.values())
    report.created, report.updated, report.unchanged = counts["created"], counts["updated"], counts["unchanged"]
    return report


def applicant_ids_of_call(*, call) -> dict[str, int]:
    """{student number: applicant id} of the call's applications, read with one COPY."""
    text = copy_out(sql=f"SELECT a.student_number, a.id FROM {_q(Application._meta.db_table)} app "
                        f"JOIN {_q(Applicant._meta.db_table)} a ON a.id = app.applicant_id WHERE app.call_id = %s",
                    params=[call.pk])
    return {copy_unescape(number): int(pk) for number, pk in (line.split("\t") for line in text.splitlines())}


# --------------------------------------------------------------------------- applicants


def applications_copy(*, call, columns: list[str], parsed: list[ParsedRow], dry_run: bool,
                      applicant_fields: Sequence[str], application_fields: Sequence[str]) -> ImportReport:
    """Compare the applicant file's checked rows with the call's applications and write the difference."""
    present = [name for name in application_fields if name in columns]
    _copy_in(parsed, [
        ("student_number", Applicant._meta.get_field("student_number")),
        *((name, Applicant._meta.get_field(name)) for name in applicant_fields),
        ("department_code", Application._meta.get_field("department")),  # the department's id
        *((name, Application._meta.get_field(name)) for name in present),
    ])
    a, app, department = _q(Applicant._meta.db_table), _q(Application._meta.db_table), _q(Department._meta.db_table)
    applicant_names = [(name, name) for name in applicant_fields]
    application_names = [("department", "department_code"), *((name, name) for name in present)]
    applicant_differs = _differs("a", Applicant, applicant_names)
    application_differs = _differs("app", Application, application_names)
    # Per row: the application's fate (c, u, n), and the applicant's (new: n, differing: d, the same: s).
    codes = _states(
        f"SELECT t.file_row, a.id AS applicant_id, app.id AS application_id, "
        f"CASE WHEN app.id IS NULL THEN 'c' WHEN {applicant_differs} OR {application_differs} THEN 'u' ELSE 'n' END AS action, "
        f"CASE WHEN a.id IS NULL THEN 'n' WHEN {applicant_differs} THEN 'd' ELSE 's' END AS other "
        f"FROM {TEMP} t LEFT JOIN {a} a ON a.student_number = t.student_number "
        f"LEFT JOIN {app} app ON app.applicant_id = a.id AND app.call_id = %s", [call.pk])
    states = {row: ACTIONS[action] for row, (action, _applicant) in codes.items()}
    applicants = {applicant for _action, applicant in codes.values()}
    by_state = f"FROM {TEMP} t JOIN {STATES} s ON s.file_row = t.file_row"
    changes: Changes = {}
    if "updated" in states.values():
        stored = [f"a.{_column(Applicant, n)}" for n in applicant_fields] + ["d.code"]
        stored += [f"app.{_column(Application, n)}" for n in present]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT t.file_row, {', '.join(stored)} {by_state} JOIN {a} a ON a.id = s.applicant_id "
                f"JOIN {app} app ON app.id = s.application_id JOIN {department} d ON d.id = app.department_id "
                f"WHERE s.action = 'u'")
            found = cursor.fetchall()
        # The department is compared by id, shown by code: the file's value is the Department.
        rows = {row.row: row for row in parsed}
        coded = [
            ParsedRow(row.row, {**row.values, "department_code": row.values["department_code"].code}) for row in (
                rows[r[0]] for r in found)
        ]
        changes = _changes(found, coded, [*applicant_fields, "department_code", *present])
    report = _report(ImportReport(dry_run=dry_run, columns=columns), parsed, states, changes)
    if dry_run:
        return report
    now = timezone.now()
    with connection.cursor() as cursor:
        if report.updated:
            # updated_at moves when the application changed, not when only the applicant's name did.
            sets = ", ".join(f"{_column(Application, field)} = t.{column}" for field, column in application_names)
            cursor.execute(
                f"UPDATE {app} app SET {sets}, {_column(Application, 'updated_at')} = %s {by_state} "
                f"WHERE app.id = s.application_id AND s.action = 'u' AND {application_differs}", [now])
        if "d" in applicants:
            sets = ", ".join(f"{_column(Applicant, name)} = t.{name}" for name in applicant_fields)
            cursor.execute(f"UPDATE {a} a SET {sets} {by_state} WHERE a.id = s.applicant_id AND s.other = 'd'")
        if report.created:
            # New applicants first, then the new applications, each in file order, as the ORM path saves them.
            given = ["student_number", *applicant_fields]
            other, values = _new_row_defaults(Applicant, given, now)
            inserted = (
                f"INSERT INTO {a} ({', '.join([*(_column(Applicant, n) for n in given), *other])}) "
                f"SELECT {', '.join([*(f't.{n}' for n in given), *(['%s'] * len(other))])} {by_state} "
                f"WHERE s.other = 'n' ORDER BY t.file_row RETURNING id, student_number")
            given = ["call", "applicant", *(field for field, _ in application_names)]
            app_other, app_values = _new_row_defaults(Application, given, now)
            selected = ["%s", "COALESCE(s.applicant_id, i.id)", *(f"t.{c}" for _, c in application_names), *(["%s"] * len(app_other))]
            cursor.execute(
                f"WITH inserted AS ({inserted}) "
                f"INSERT INTO {app} ({', '.join([*(_column(Application, n) for n in given), *app_other])}) "
                f"SELECT {', '.join(selected)} "
                f"{by_state} LEFT JOIN inserted i ON i.student_number = t.student_number "
                f"WHERE s.action = 'c' ORDER BY t.file_row", [*values, call.pk, *app_values])
    return report


# --------------------------------------------------------------------------- exam results


def exam_results_copy(*, session, columns: list[str], parsed: list[ParsedRow], applicant_ids: dict[str, int],
                      dry_run: bool, exam_fields: Sequence[str], defaults: dict[str, Any]) -> ImportReport:
    """Compare the exam file's checked rows with the session's results and write the difference.

    `applicant_ids` maps each row's student number to its applicant (parse_table's check made sure);
    `defaults` are the values of a new result for columns the file leaves out.
    """
    present = [name for name in exam_fields if name in columns]
    _copy_in(parsed, [(name, ExamResult._meta.get_field(name)) for name in present],
             lead=("applicant_id bigint", lambda row: str(applicant_ids[row.values["student_number"]])))
    r = _q(ExamResult._meta.db_table)
    names = [(name, name) for name in present]
    differs = _differs("r", ExamResult, names)
    states = {row: ACTIONS[action] for row, (action, _other) in _states(
        f"SELECT t.file_row, r.id AS result_id, CASE WHEN r.id IS NULL THEN 'c' WHEN {differs} THEN 'u' ELSE 'n' END AS action, "
        f"'' AS other FROM {TEMP} t LEFT JOIN {r} r ON r.applicant_id = t.applicant_id AND r.session_id = %s", [session.pk]).items()}
    by_state = f"FROM {TEMP} t JOIN {STATES} s ON s.file_row = t.file_row"
    changes: Changes = {}
    if "updated" in states.values():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT t.file_row, {', '.join(f'r.{_column(ExamResult, n)}' for n in present)} {by_state} "
                           f"JOIN {r} r ON r.id = s.result_id WHERE s.action = 'u'")
            changes = _changes(cursor.fetchall(), parsed, present)
    report = _report(ImportReport(dry_run=dry_run, columns=columns), parsed, states, changes)
    if dry_run:
        return report
    with connection.cursor() as cursor:
        if report.updated:
            # updated_at moves with a changed result, as on the ORM path: the stale-run signal reads it.
            sets = ", ".join(f"{_column(ExamResult, n)} = t.{n}" for n in present)
            cursor.execute(f"UPDATE {r} r SET {sets}, {_column(ExamResult, 'updated_at')} = %s {by_state} "
                           f"WHERE r.id = s.result_id AND s.action = 'u'", [timezone.now()])
        if report.created:
            given = ["session", "applicant", *present]
            other, values = _new_row_defaults(ExamResult, given, timezone.now(), defaults)
            cursor.execute(
                f"INSERT INTO {r} ({', '.join([*(_column(ExamResult, n) for n in given), *other])}) "
                f"SELECT {', '.join(['%s', 't.applicant_id', *(f't.{n}' for n in present), *(['%s'] * len(other))])} "
                f"{by_state} WHERE s.action = 'c' ORDER BY t.file_row", [session.pk, *values])
    return report
