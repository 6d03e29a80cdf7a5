"""`parse_table` with its cache of distinct cells gives what checking every cell afresh gives.

The reference below is the rule written plainly, one cell at a time, in the order the office reads
the problems: a control character, then a line break inside the text, then the column's parser;
then the repeated student number and the import's own checks. Random tables mix the cells a CSV
or XLSX reader gives (text, numbers, booleans, None, an unhashable value), rows as lists or tuples,
short rows and rows with values past the header.
"""
import gc
from decimal import Decimal
from unittest import mock

from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from applications import tabular
from applications.cells import CellInvalid
from applications.services import APPLICANT_COLUMNS
from applications.tabular import (
    CONTROL_MESSAGE,
    CONTROL_RE,
    FILE_ROW,
    LINE_BREAK_MESSAGE,
    LINE_BREAK_RE,
    CellError,
    ParsedRow,
    TableImportError,
    parse_table,
)
from tests.hypothesis_profiles import examples

BY_NAME = {column.name: column for column in APPLICANT_COLUMNS}
REQUIRED = [column.name for column in APPLICANT_COLUMNS if column.required]
OPTIONAL = [column.name for column in APPLICANT_COLUMNS if not column.required]

ANY_CELL = [None, "", " ", "\x00x", "a\nb", "ab\n", " \u2028", "x\u2028y", "x\x85y", "x\r", "\x7f", True, False,
            1, 1.0, 0, 0.0, 2.5, 3, Decimal("3.20"), ["unhashable"]]
CELLS = {
    "student_number": ["123", "A-1", " 123 ", "=1", "12/3", "1" * 33, 123, 123.0],
    "first_name": ["Ayşe", "İpek", "x" * 151],
    "last_name": ["Yılmaz", "O'Neil"],
    "email": ["a@b.com", "A@B.COM", "a..b@x.com", "a@localhost", "ayşe@x.com", '"a..b"@x.com', "a@x.c0m", "a@x.com\n"],
    "department_code": ["D00", "d01", "X"],
    "level": ["bachelor", "Lisans", "LİSANS", "yüksek  lisans", "foo"],
    "gpa": ["3.20", "3,20", "4.01", "0", "abc", "NaN", "3.205", 3.2, 0],
    "previous_degree_gpa": ["2.5", "-1"],
    "prior_participations": ["0", "1", "2", "99999", "1.0", 1],
}


def _cells(name: str):
    return st.sampled_from(CELLS.get(name, ["yes", "evet", "HAYIR", "no", "maybe", "verified", "claimed", "x"]) + ANY_CELL)


def check_level(row: ParsedRow) -> list[CellError]:
    # Stands for the imports' own checks, which read and change the parsed values.
    if row.values.get("level") == "master":
        row.values.pop("gpa", None)
        return [CellError(row.row, "level", "master refused")]
    return []


@st.composite
def tables(draw):
    header = draw(st.permutations(REQUIRED + draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=5))))
    width = len(header)
    rows = []
    for _row in range(draw(st.integers(0, 12))):
        cells = [draw(_cells(name)) for name in header]
        cells += [draw(st.sampled_from([None, "", "3"])) for _extra in range(draw(st.integers(0, 2)))]
        cells = cells[:draw(st.integers(width - 2, len(cells)))] if draw(st.booleans()) else cells
        if draw(st.integers(0, 9)) == 0:
            cells = [draw(st.sampled_from([None, "", "  "])) for _cell in cells]
        rows.append(tuple(cells) if draw(st.booleans()) else cells)
    if rows and draw(st.booleans()):
        rows.append(list(draw(st.sampled_from(rows))))  # a repeated row: the same student number twice
    return header, rows


def reference(header, records, progress):
    """The rule, cell by cell, with no cache: (present, rows) or the errors; header assumed valid."""
    positions = {name: index for index, name in enumerate(header)}
    present = list(header)
    errors, parsed, first_row, width = [], [], {}, len(header)
    for offset, record in enumerate(records):
        if offset and offset % tabular.PROGRESS_EVERY == 0:
            progress(offset, len(records))
        number = offset + 2
        record = list(record)
        if all(tabular._blank(value) for value in record):
            continue
        if len(record) > width and any(not tabular._blank(value) for value in record[width:]):
            errors.append(CellError(number, str(width + 1), _(
                "more values than columns in the header: a decimal comma (3,20) splits a cell of a comma-separated "
                "file; write 3.20, or put the value in quotes")))
        values = {}
        for name in present:
            raw = record[positions[name]] if positions[name] < len(record) else None
            if isinstance(raw, str) and CONTROL_RE.search(raw):
                errors.append(CellError(number, name, CONTROL_MESSAGE))
            elif isinstance(raw, str) and LINE_BREAK_RE.search(raw.strip()):
                errors.append(CellError(number, name, LINE_BREAK_MESSAGE))
            else:
                try:
                    values[name] = BY_NAME[name].parse(raw)
                except CellInvalid as exc:
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
        errors.extend(check_level(row))
        parsed.append(row)
    if not parsed and not errors:
        errors.append(CellError(FILE_ROW, "", _("the file has a header but no rows: there is nothing to import")))
    if errors:
        return "refused", [(e.row, e.column, str(e.message)) for e in TableImportError(errors).errors]
    return "accepted", present, [(row.row, repr(row.values)) for row in parsed]


def actual(header, records, progress):
    try:
        present, parsed = parse_table(APPLICANT_COLUMNS, records, headers=header, checks=[check_level], progress=progress)
    except TableImportError as exc:
        return "refused", [(e.row, e.column, str(e.message)) for e in exc.errors]
    return "accepted", present, [(row.row, repr(row.values)) for row in parsed]


@settings(max_examples=examples(400), deadline=None)
@given(table=tables())
def test_parse_table_gives_what_checking_every_cell_afresh_gives(table):
    header, rows = table
    with mock.patch.object(tabular, "PROGRESS_EVERY", 3):
        expected_progress, actual_progress = [], []
        expected = reference(header, rows, lambda *call: expected_progress.append(call))
        assert actual(header, rows, lambda *call: actual_progress.append(call)) == expected
        assert actual_progress == expected_progress


def test_the_collector_runs_again_after_reading_and_checking_even_when_the_file_is_refused():
    assert gc.isenabled()
    with mock.patch.object(tabular, "PROGRESS_EVERY", 1):
        seen = []
        try:
            parse_table(APPLICANT_COLUMNS, [["x"] * len(REQUIRED)] * 2, headers=REQUIRED,
                        progress=lambda *call: seen.append(gc.isenabled()))
        except TableImportError:
            pass
    assert seen == [False] and gc.isenabled()
    with tabular.gc_paused():
        with tabular.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not end the outer one
    assert gc.isenabled()
    gc.disable()
    try:
        with tabular.gc_paused():
            pass
        assert not gc.isenabled()  # nor turns on a collector someone else turned off
    finally:
        gc.enable()
