"""mobility.db.copy_rows sends its lines to PostgreSQL a page at a time, as they are made."""

import pytest
from django.db import connection, transaction

from mobility import db
from tests.concurrency import postgres_required


def _table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE copy_rows_test (n integer, label text)")


def _stored():
    with connection.cursor() as cursor:
        cursor.execute("SELECT n, label FROM copy_rows_test ORDER BY n")
        return cursor.fetchall()


@pytest.mark.django_db
def test_every_line_is_stored_across_pages():
    postgres_required()
    _table()
    count = 2 * db.COPY_PAGE_LINES + 7  # two full pages and a part
    made = []

    def lines():
        for n in range(count):
            made.append(n)
            yield f"{n}\t{db.copy_escape(f'a{n}' + chr(9) + 'b')}\n"

    db.copy_rows(table="copy_rows_test", columns=["n", "label"], lines=lines())
    assert _stored() == [(n, f"a{n}\tb") for n in range(count)]
    assert made == list(range(count))


@pytest.mark.django_db
def test_an_error_while_the_lines_are_made_is_raised_as_itself_and_nothing_is_stored():
    postgres_required()
    _table()

    def lines():
        for n in range(db.COPY_PAGE_LINES + 5):
            yield f"{n}\tx\n"
        raise LookupError("the second page failed")

    with pytest.raises(LookupError, match="the second page failed"), transaction.atomic():
        db.copy_rows(table="copy_rows_test", columns=["n", "label"], lines=lines())
    assert _stored() == []
    db.copy_rows(table="copy_rows_test", columns=["n", "label"], lines=["1\ty\n"])  # the connection still works
    assert _stored() == [(1, "y")]
