"""Text that a spreadsheet shows as text: the one guard every CSV and XLSX export uses.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice (CSV injection). Such a text gets a leading apostrophe, which spreadsheets read as
"this is text". Only text is guarded: numbers the exports write (e.g. the signed `adjustments`
column of the ranking, "-15.00") are values the contract fixes and are left as they are.
"""
import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """`value` with a leading apostrophe if it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and not isinstance(value, NumberText) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class NumberText(str):
    """A number an export has already written in the contract's form (the signed "-15.00"): a
    spreadsheet reads it as that number, so it is never neutralised. Everything else that is text is."""


def spreadsheet_cell(value: Any) -> str:
    """One CSV cell: empty for None, numbers as they are, any other text through spreadsheet_text."""
    if value is None:
        return ""
    if isinstance(value, (NumberText, int, Decimal)) and not isinstance(value, bool):
        return str(value)
    return spreadsheet_text(str(value))


class _RowEnds:
    """Lets the csv module quote a cell holding a carriage return (it quotes only the characters of
    its line terminator) while every row still ends with "\\n", as the contract's files do."""

    def __init__(self, stream: IO):
        self.stream = stream

    def write(self, text: str):
        return self.stream.write(text[:-2] + "\n" if text.endswith("\r\n") else text)


class SpreadsheetWriter:
    """The one CSV writer of the exports: every cell through spreadsheet_cell, a line break inside a
    cell always quoted, so a name with CR or LF never breaks a row."""

    def __init__(self, stream: IO):
        self._writer = csv.writer(_RowEnds(stream), lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([spreadsheet_cell(value) for value in row])


def csv_writer(stream: IO) -> SpreadsheetWriter:
    return SpreadsheetWriter(stream)
