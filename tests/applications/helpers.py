"""Writing contract files for the import tests."""
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import openpyxl

APPLICANT_HEADER = [
    "student_number", "first_name", "last_name", "email", "department_code", "level", "gpa",
    "previous_degree_gpa", "prior_participations", "same_year_study_primary", "late_withdrawal",
    "non_prioritised_choice", "missed_orientation", "missed_exam", "disability",
    "martyr_veteran_relative", "protection_2828",
]
EXAM_HEADER = ["student_number", "written", "listening", "absent"]


def applicant_row(number, **values) -> dict:
    row = {
        "student_number": str(number), "first_name": "Ayşe", "last_name": f"Yılmaz{number}",
        "email": f"{number}@ogr.example.edu.tr", "department_code": "CENG", "level": "bachelor",
        "gpa": "3.10", "previous_degree_gpa": "", "prior_participations": "0",
        "same_year_study_primary": "no", "late_withdrawal": "no", "non_prioritised_choice": "no",
        "missed_orientation": "no", "missed_exam": "no", "disability": "",
        "martyr_veteran_relative": "", "protection_2828": "",
    }
    row.update({key: str(value) for key, value in values.items()})
    return row


def csv_bytes(rows: Sequence[dict], header: Sequence[str] | None = None, *, bom: bool = False) -> bytes:
    header = list(header or (rows[0].keys() if rows else APPLICANT_HEADER))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode("utf-8")


def write_csv(path: Path, rows: Sequence[dict], header: Sequence[str] | None = None, *, bom: bool = False) -> Path:
    path.write_bytes(csv_bytes(rows, header, bom=bom))
    return path


def xlsx_bytes(rows: Sequence[Sequence], header: Sequence[str]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
