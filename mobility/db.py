"""Bulk writers for PostgreSQL and SQLite: the imports and the selection write many rows with these.

Django's bulk_create and bulk_update compile SQL for every value; these write the same rows with
one statement executed in pages (execute_values / execute_batch on psycopg2, executemany
elsewhere), or with COPY where PostgreSQL can take the rows as text.
"""
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.db import connections, models, router

BATCH_SIZE = 1000
# Well under SQLite's limit of bound variables in one query.
IN_CHUNK = 900


def chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]



def bulk_insert_rows(objs: Sequence[Any]) -> None:
    """INSERT many new instances of one model: one COPY on PostgreSQL, else one statement in batches.

    Like QuerySet.bulk_create (defaults, auto_now, foreign keys to just-saved objects) but without
    compiling SQL for every value, which halves the time for 50,000 applications; COPY halves it
    again (a letter deadline's 3,250 e-mails and audit entries: 0.10-0.13 s instead of 0.26-0.40 s).
    The instances get no ids: the caller reads them back by a natural key. Errors are Django's
    (IntegrityError etc.), whichever way the rows go.
    """
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model)]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_insert_rows")
    if connection.vendor == "postgresql" and all(isinstance(f, COPY_FIELDS) for f in fields):
        copy_rows(
            table=model._meta.db_table, columns=[f.column for f in fields], using=connection.alias,
            lines=("\t".join([_copy_value(f, f.get_prep_value(f.pre_save(obj, True))) for f in fields]) + "\n" for obj in objs),
        )
    else:
        _insert_values(connection, model, fields, objs)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


# Fields whose values COPY's text format takes as str() gives them (JSON as json.dumps gives it).
COPY_FIELDS = (
    models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateField,
    models.DecimalField, models.ForeignKey, models.JSONField, models.UUIDField,
)


def _copy_value(field, value) -> str:
    if value is None:
        return "\\N"
    if isinstance(field, models.JSONField):
        return copy_escape(json.dumps(value, cls=field.encoder))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # dates and datetimes: ISO text, with the offset when aware
        return value.isoformat()
    return copy_escape(str(value))


def _insert_values(connection, model, fields, objs) -> None:
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields),
    )
    params = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        if _is_psycopg2(connection, cursor):
            from psycopg2.extras import execute_values  # only PostgreSQL has psycopg2; SQLite runs without it

            # One multi-row INSERT per page: PostgreSQL is much faster with these than with single rows.
            # The raw cursor bypasses Django's error translation: restore it (IntegrityError etc.).
            with connection.wrap_database_errors:
                execute_values(cursor.cursor, sql + "%s", params, page_size=BATCH_SIZE)
        else:
            for chunk in chunks(params, BATCH_SIZE):
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
            from psycopg2.extras import execute_batch  # only PostgreSQL has psycopg2; SQLite runs without it

            with connection.wrap_database_errors:
                execute_batch(cursor.cursor, sql, params, page_size=BATCH_SIZE)
        else:
            for chunk in chunks(params, BATCH_SIZE):
                cursor.executemany(sql, chunk)


CASE_BATCH = 500  # rows per CASE statement in integers_write


def integers_write(model, name: str, values: list[tuple[int, int]]) -> None:
    """Set the integer field (or foreign key) `name` of each row (pk, value) to its own value: one
    CASE per 500 rows (what `bulk_update` writes, without its per-row expressions to compile).

    For one integer column of thousands of rows (promotion numbers, who closed an open place);
    `bulk_update_rows` writes several fields of any type, one UPDATE per row."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    column, table = quote(model._meta.get_field(name).column), quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    for start in range(0, len(values), CASE_BATCH):
        batch = values[start:start + CASE_BATCH]
        cases = " ".join(["WHEN %s THEN %s"] * len(batch))
        marks = ", ".join(["%s"] * len(batch))
        params = [value for row in batch for value in row] + [key for key, _value in batch]
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET {column} = CASE {pk} {cases} END WHERE {pk} IN ({marks})", params)  # noqa: S608 — names quoted, values bound


def copy_rows(*, table: str, columns: Sequence[str], lines: Iterable[str], using: str = "default") -> None:
    """COPY rows into `table` on PostgreSQL: `lines` are rows in COPY's text format, each ending in a newline.

    Use `copy_escape` for text values; \\N is NULL. The lines are taken from `lines` a page at a
    time while the server stores the pages before, so a generator's work overlaps the server's
    (50,000 selection results: about 0.15 s less than building all the text first).
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    reader = _LineReader(lines)
    # copy_expert is the driver's own method: the wrapper gives its errors Django's classes.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        try:
            cursor.copy_expert(
                "COPY {} ({}) FROM STDIN".format(quote(table), ", ".join(quote(c) for c in columns)), reader,
            )
        except Exception:
            # psycopg2 reports an error of the lines (or a worker's time limit raised while they
            # are made) as its own QueryCanceled: raise what really happened.
            if reader.error is not None:
                raise reader.error from None
            raise


COPY_PAGE_LINES = 1000  # about 100 kB of selection results per read


class _LineReader:
    """A text file for psycopg2's copy_expert that reads COPY_PAGE_LINES lines at a time.

    psycopg2 sends each read to the server as it comes, whatever its length (the size it asks for
    is ignored), and stops at the first empty one, which only the end of the lines gives: every
    line ends in a newline.
    """

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self.error: BaseException | None = None

    def read(self, size: int = -1) -> str:
        try:
            return "".join(islice(self._lines, COPY_PAGE_LINES))
        except BaseException as exc:
            self.error = exc
            raise


def copy_out(*, sql: str, params: Sequence[Any] = (), using: str = "default") -> str:
    """The rows of a query in PostgreSQL's COPY text format (tab-separated, \\N for NULL, one per line).

    No Python object per value: the caller splits the lines; `copy_unescape` reads text values back.
    """
    connection = connections[using]
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params)
        if isinstance(query, bytes):
            query = query.decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
    return buffer.getvalue()


_UNESCAPE = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r", "\\b": "\b", "\\f": "\f", "\\v": "\v"}


def copy_unescape(value: str) -> str:
    """A text value as COPY's text format wrote it (the reverse of `copy_escape`)."""
    if "\\" not in value:
        return value
    return re.sub(r"\\[\\tnrbfv]", lambda m: _UNESCAPE[m.group()], value)


def copy_escape(text: str) -> str:
    """A text value for COPY's text format."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
