"""Text that a spreadsheet shows as text: the one guard every CSV and XLSX export uses.

A cell starting with =, +, -, @, a tab or a carriage return is run as a formula by Excel and
LibreOffice (CSV injection). Such a text gets a leading apostrophe, which spreadsheets read as
"this is text". Only text is guarded: numbers the exports write (e.g. the signed `adjustments`
column of the ranking, "-15.00") are values the contract fixes and are left as they are.
"""
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: Any) -> Any:
    """`value` with a leading apostrophe if it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
