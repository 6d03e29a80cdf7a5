"""Reading the tabular files of the contract (selection-files.md): CSV (UTF-8, with or without BOM) or XLSX.

`read_table` only turns a file into a header and rows of raw cell values; what the values mean is
checked by the import services, so the command line and the admin accept exactly the same files.
"""
import csv
import io
import os
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

XLSX_MAGIC = b"PK\x03\x04"


class TableReadError(Exception):
    """The file cannot be read as a table at all (not a row-level problem)."""


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # The line helps an office find the character their spreadsheet wrote in another encoding.
        line = data[: exc.start].count(b"\n") + 1
        raise TableReadError(
            _("the file is not UTF-8 text (line %(line)s); save it as “CSV UTF-8”") % {"line": line}
        ) from None


def _read_csv(text: str) -> list[list[Any]]:
    text = text.lstrip("\ufeff")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), strict=True)]
    except csv.Error as exc:
        raise TableReadError(_("not a valid CSV file: %(error)s") % {"error": exc}) from None


def _read_xlsx(data: bytes) -> list[list[Any]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableReadError(_("not a valid XLSX file: %(error)s") % {"error": exc}) from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _rectangular(records: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    if not records:
        raise TableReadError(_("the file is empty; it needs a header row"))
    width = max(len(record) for record in records)
    header = ["" if cell is None else str(cell) for cell in records[0]]
    header += [""] * (width - len(header))
    rows = [list(record) + [None] * (width - len(record)) for record in records[1:]]
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
    if extension == ".xlsx" or (extension != ".csv" and data.startswith(XLSX_MAGIC)):
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
            raise ValueError(str(exc)) from None
        return table_to_dataset(header, rows)


class PortalCSV(_PortalFormatMixin, base_formats.CSV):
    extension = "csv"


class PortalXLSX(_PortalFormatMixin, base_formats.XLSX):
    extension = "xlsx"
