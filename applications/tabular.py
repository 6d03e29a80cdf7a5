"""Reading the tabular files of the contract (selection-files.md): CSV (UTF-8, with or without BOM) or XLSX.

`read_table` turns a file into a header and rows of raw cell values; `parse_table` checks the
header and every cell against the columns of an import and collects every problem as
"row N, column C: message". The import services use both, so the command line and the admin
accept exactly the same files.
"""
import csv
import gc
import io
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats

from applications.cells import CellInvalid, cell_text
from applications.columns import unknown_header_message

XLSX_MAGIC = b"PK\x03\x04"
PROGRESS_EVERY = 5000
# The row number of problems that concern the whole file rather than one row.
FILE_ROW = 0
# No cell of the contract's files holds control characters; NUL cannot even be stored by PostgreSQL.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = gettext_lazy("contains a control character (such as a NUL byte); remove it")
# A cell of the contract's files is one line: a line break in a name would break the lists made from it.
LINE_BREAK_RE = re.compile(r"[\r\n\u2028\u2029\x85]")
LINE_BREAK_MESSAGE = gettext_lazy("contains a line break; write it on one line")


class TableReadError(Exception):
    """The file cannot be read as a table at all (not a row-level problem)."""


# Limits against hostile or mistaken files; settings of the same name override them.
IMPORT_MAX_CELLS = 5_000_000  # 150,000 rows of the applicant file are 2.6 million cells
IMPORT_MAX_XLSX_UNCOMPRESSED = 400 * 1024 * 1024  # what the zip may expand to, in bytes
IMPORT_MAX_XLSX_RATIO = 100  # spreadsheets compress 5-20 times; archive bombs hundreds of times
TURKISH_LETTERS = frozenset("çğıöşüÇĞİÖŞÜ")


def _limit(name: str) -> int:
    return getattr(settings, name, globals()[name])


def _too_many_cells() -> TableReadError:
    return TableReadError(_("the file has more than %(cells)s cells; split it into smaller files") % {
        "cells": _limit("IMPORT_MAX_CELLS")})


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a loop that makes many objects and no cycles.

    Reading and checking a 50,000-row file allocate over a million lists, tuples and dicts, and each
    full pass of the collector walks every live one: a quarter of `parse_table`'s time and a third
    of reading a CSV file. What these loops leave behind is freed by reference counting; the
    collector runs again afterwards (if it ran before: pauses may nest, or overlap in threads).
    The selection engine has its own (`cyclic_gc_paused`): it is pure Python above this app in the
    layers, so neither can import the other's.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _decode(data: bytes) -> str:
    sample = data[:8192]
    if sum(1 for byte in sample if byte < 9 or 13 < byte < 32) > max(2, len(sample) // 100):
        raise TableReadError(_("the file is not text but binary data; upload a .csv (UTF-8) or .xlsx file"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The line helps an office find the character their spreadsheet wrote in another encoding.
        line = data[: exc.start].count(b"\n") + 1
        try:
            turkish = TURKISH_LETTERS & set(data.decode("cp1254"))
        except UnicodeDecodeError:
            turkish = set()
        if turkish:
            raise TableReadError(_(
                "the file is not UTF-8 text (line %(line)s): it is in the Turkish Windows encoding (Windows-1254); "
                "in Excel choose Save As → “CSV UTF-8 (Comma delimited)”") % {"line": line}) from None
        raise TableReadError(
            _("the file is not UTF-8 text (line %(line)s); save it as “CSV UTF-8”") % {"line": line}
        ) from None


def _read_csv(text: str) -> list[list[Any]]:
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[Any]] = []
    cells, most = 0, _limit("IMPORT_MAX_CELLS")
    try:
        with gc_paused():
            for row in reader:
                cells += len(row)
                if cells > most:
                    raise _too_many_cells()
                records.append(row)
    except csv.Error as exc:
        if "end of data" in str(exc) or "expected after" in str(exc):
            raise TableReadError(_(
                "not a valid CSV file: a quotation mark (\") opened on line %(line)s or before is never closed"
            ) % {"line": reader.line_num}) from None
        raise TableReadError(_("not a valid CSV file (line %(line)s): %(error)s") % {
            "line": reader.line_num, "error": exc}) from None
    if records and len(records[0]) == 1:
        header = records[0][0]
        for separator, name in ((";", _("semicolons")), ("\t", _("tabs"))):
            if len(header.split(separator)) > 1:
                raise TableReadError(_(
                    "the columns are separated by %(separator)s, not commas (Excel in Turkish saves CSV so); "
                    "choose Save As → “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file"
                ) % {"separator": name})
    return records


def _check_zip(data: bytes) -> None:
    """Refuse an XLSX whose zip would expand too far, before anything is expanded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableReadError(_("not a valid XLSX file: %(error)s") % {"error": exc}) from None
    expanded = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members) or 1
    megabytes = expanded // (1024 * 1024)
    if expanded > _limit("IMPORT_MAX_XLSX_UNCOMPRESSED") or (
        expanded > 20 * 1024 * 1024 and expanded / packed > _limit("IMPORT_MAX_XLSX_RATIO")
    ):
        raise TableReadError(_(
            "the XLSX file would expand to %(megabytes)s MB (%(ratio)s times its size): refused as a possible "
            "archive bomb; save the sheet again, or as CSV"
        ) % {"megabytes": megabytes, "ratio": int(expanded / packed)})


def _xml_refused() -> TableReadError:
    # One line for the office, never the parser's own text (it means nothing to them).
    return TableReadError(_(
        "the XLSX file is damaged or holds XML that spreadsheets never write (a DTD or entities); "
        "open it in Excel or LibreOffice and save it again as .xlsx"
    ))


def _check_xml(data: bytes) -> None:
    """Refuse a document type declaration (and with it every entity) in any XML part of the zip.

    A DTD comes before the root element, so each part is parsed by the hardened parser only up to
    its first element; the rest is parsed by openpyxl, which uses the same parser once installed.
    """
    from xml.etree.ElementTree import ParseError  # only for an XLSX file

    from defusedxml import DefusedXmlException  # only for an XLSX file
    from defusedxml.ElementTree import iterparse  # only for an XLSX file

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with archive.open(member) as part:
                    for _event, _element in iterparse(part, events=("start",), forbid_dtd=True):
                        break
            except (DefusedXmlException, ParseError, SyntaxError, ValueError, zipfile.BadZipFile, OSError):
                raise _xml_refused() from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from xml.etree.ElementTree import ParseError  # only for an XLSX file

    import openpyxl  # heavy: loaded only when an XLSX file comes in
    from defusedxml import DefusedXmlException  # with openpyxl, only for an XLSX file

    _check_zip(data)
    _check_xml(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (DefusedXmlException, ParseError, SyntaxError):
        raise _xml_refused() from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise TableReadError(_("not a valid XLSX file: %(error)s") % {"error": exc}) from None
    records: list[list[Any]] = []
    cells, most = 0, _limit("IMPORT_MAX_CELLS")
    try:
        sheet = book.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
            if cells > most:
                raise _too_many_cells()
            records.append(list(row))
    except (DefusedXmlException, ParseError, SyntaxError):
        raise _xml_refused() from None
    except (KeyError, OSError, ValueError, TypeError, IndexError, zipfile.BadZipFile) as exc:
        raise TableReadError(_("not a valid XLSX file: %(error)s") % {"error": exc}) from None
    finally:
        book.close()
    return records


def _rectangular(records: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    if not records:
        raise TableReadError(_("the file is empty; it needs a header row"))
    width = max(len(record) for record in records)
    header = ["" if cell is None else str(cell) for cell in records[0]]
    header += [""] * (width - len(header))
    # The readers' rows are lists of their own: a full one is kept as it is, a short one padded.
    with gc_paused():
        rows = [record if len(record) == width else list(record) + [None] * (width - len(record)) for record in records[1:]]
    return header, rows


def read_table(source: str | os.PathLike | bytes | IO, *, file_name: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """Read a CSV or XLSX table: (header cells, data rows), all rows as long as the widest one.

    `source` is a path, the file's bytes, or a file object (binary, or text for CSV). The format comes from
    the file name's extension (.csv / .xlsx) and otherwise from the content (XLSX is a zip file).
    Row i of the result is line i + 2 of the file. Raises TableReadError for a file that is no table.
    """
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        file_name = file_name or path.name
        try:
            data: bytes | str = path.read_bytes()
        except OSError as exc:
            raise TableReadError(f"{source}: {exc.strerror}") from None
    elif hasattr(source, "read"):
        data = source.read()
        file_name = file_name or getattr(source, "name", None)
    else:
        data = source
    extension = Path(file_name).suffix.lower() if file_name else ""
    if isinstance(data, str):
        if extension == ".xlsx":
            raise TableReadError(_("an XLSX file must be read as bytes"))
        return _rectangular(_read_csv(data))
    # A zip is never a CSV: read it as XLSX whatever the name or the chosen format says.
    if extension == ".xlsx" or data.startswith(XLSX_MAGIC):
        return _rectangular(_read_xlsx(data))
    if extension not in ("", ".csv", ".txt"):
        raise TableReadError(
            _("unsupported file type “%(extension)s”: use .csv or .xlsx") % {"extension": extension}
        )
    return _rectangular(_read_csv(_decode(data)))


def table_to_dataset(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=list(header))
    for row in rows:
        dataset.append(list(row))
    return dataset


class TableReadValueError(ValueError):
    """A TableReadError as the ValueError import-export expects; the admin shows its message."""


class _PortalFormatMixin:
    """Admin import formats that read files with `read_table`, the reader of the commands."""

    extension: str

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        try:
            header, rows = read_table(in_stream, file_name=f"upload.{self.extension}")
        except TableReadError as exc:
            # import-export shows only the class name of other errors ("ValueError while reading").
            raise TableReadValueError(str(exc)) from None
        return table_to_dataset(header, rows)


class PortalCSV(_PortalFormatMixin, base_formats.CSV):
    extension = "csv"


class PortalXLSX(_PortalFormatMixin, base_formats.XLSX):
    extension = "xlsx"


# --------------------------------------------------------------------------- checking a table


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

    def file_errors(self) -> list[CellError]:
        """Problems of the file as a whole (row 0), such as a file without rows."""
        return [error for error in self.errors if error.row == FILE_ROW]

    def lines(self, *, column: Callable[[str], str] = str) -> list[str]:
        """One line per bad row: "row 5, column gpa: …; column level: …"; file-wide problems first.

        `column` writes a column's name (the admin adds its label in the reader's language)."""
        lines = [error.message for error in self.file_errors()]
        for row, errors in self.by_row().items():
            if row == FILE_ROW:
                continue
            parts = [_("column %(column)s: %(message)s") % {"column": column(e.column), "message": e.message} for e in errors]
            lines.append(_("row %(row)s, %(errors)s") % {"row": row, "errors": "; ".join(parts)})
        return lines

@dataclass(frozen=True)
class Column:
    name: str
    parse: Callable[[Any], Any]
    required: bool = False  # the column must be in the header


@dataclass
class ParsedRow:
    row: int
    values: dict[str, Any]


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


# Either character class of CONTROL_RE and LINE_BREAK_RE: a cell without any needs neither check.
_SPECIAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\r\n\u2028\u2029\x85]")


def _cell_outcome(parse: Callable[[Any], Any], raw: Any) -> tuple[bool, Any]:
    """(True, value) or (False, message) for one cell; the same for equal cells of the same type."""
    if isinstance(raw, str) and _SPECIAL_RE.search(raw):
        if CONTROL_RE.search(raw):
            return False, CONTROL_MESSAGE
        if LINE_BREAK_RE.search(raw.strip()):
            return False, LINE_BREAK_MESSAGE
    try:
        return True, parse(raw)
    except CellInvalid as exc:
        return False, str(exc)


def parse_table(
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    headers: Sequence[Any] | None = None,
    checks: Sequence[Callable[[ParsedRow], list[CellError]]] = (),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[str], list[ParsedRow]]:
    """Check the header and every row against `columns`; raise TableImportError listing every problem.

    Returns the known columns present in the file (in file order) and the parsed, non-empty rows.
    `progress(rows_checked, rows_total)` is called every PROGRESS_EVERY rows (for the background import).
    """
    with gc_paused():
        return _parse_table(columns, rows, headers=headers, checks=checks, progress=progress)


def _parse_table(
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    headers: Sequence[Any] | None,
    checks: Sequence[Callable[[ParsedRow], list[CellError]]],
    progress: Callable[[int, int], None] | None,
) -> tuple[list[str], list[ParsedRow]]:
    header, records = _as_table(rows, headers)
    by_name = {column.name: column for column in columns}
    errors: list[CellError] = []
    positions: dict[str, int] = {}
    unnamed: list[int] = []
    for index, cell in enumerate(header):
        name = cell_text(cell).lstrip("\ufeff").strip().lower()
        if CONTROL_RE.search(name):
            errors.append(CellError(1, str(index + 1), CONTROL_MESSAGE))
            continue
        if not name:
            unnamed.append(index)
        elif name in positions:
            errors.append(CellError(1, name, _("the column appears more than once")))
        elif name not in by_name:
            errors.append(CellError(1, name, unknown_header_message(name, by_name) or _("unknown column")))
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
    # Levels, grades, yes/no and department codes repeat thousands of times: each distinct cell is
    # checked and parsed once per column. The type is part of the key (True, 1 and 1.0 are equal keys
    # otherwise); a cell of type str, the whole of a CSV file, is its own key (no tuple to build).
    plan = [(name, positions[name], by_name[name].parse, {}) for name in present]
    for offset, record in enumerate(records):
        if progress is not None and offset and offset % PROGRESS_EVERY == 0:
            progress(offset, len(records))
        number = offset + 2
        if type(record) is not list:
            record = list(record)
        # A row with anything in its first cell is not blank: the common case needs no scan.
        if (not record or _blank(record[0])) and all(_blank(value) for value in record):
            continue
        length = len(record)
        if length > width and any(not _blank(value) for value in record[width:]):
            errors.append(CellError(number, str(width + 1), _(
                "more values than columns in the header: a decimal comma (3,20) splits a cell of a comma-separated "
                "file; write 3.20, or put the value in quotes"
            )))
        values: dict[str, Any] = {}
        for name, index, parse, cache in plan:
            raw = record[index] if index < length else None
            key = raw if type(raw) is str else (type(raw), raw)
            try:
                outcome = cache.get(key)
            except TypeError:  # an unhashable cell from an unusual reader: parse it every time
                outcome = _cell_outcome(parse, raw)
            else:
                if outcome is None:
                    outcome = cache[key] = _cell_outcome(parse, raw)
            if outcome[0]:
                values[name] = outcome[1]
            else:
                errors.append(CellError(number, name, outcome[1]))
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
    if not parsed and not errors:
        errors.append(CellError(FILE_ROW, "", _("the file has a header but no rows: there is nothing to import")))
    if errors:
        raise TableImportError(errors)
    return present, parsed

