"""Replaying timelines through the contract's commands only."""
import csv
import io
import json
from dataclasses import dataclass

from django.core.management import call_command
from django.core.management.base import CommandError

DEPARTMENTS = [
    {"code": "BM", "name": "Bilgisayar Mühendisliği", "internship_days": 20},
    {"code": "MM", "name": "Makine Mühendisliği", "internship_days": 30},
    {"code": "ISL", "name": "İşletme"},
    {"code": "TIP", "name": "Tıp", "excluded": True},
]
# Document 003's ten calendars of 2024 (start, working days, days a week).
CALENDARS = [
    {"code": "T20-5-1", "start": "2024-07-16", "working_days": 20, "week": 5},
    {"code": "T20-5-2", "start": "2024-08-05", "working_days": 20, "week": 5},
    {"code": "T20-5-3", "start": "2024-08-19", "working_days": 20, "week": 5},
    {"code": "T20-6-1", "start": "2024-07-16", "working_days": 20, "week": 6},
    {"code": "T20-6-2", "start": "2024-08-05", "working_days": 20, "week": 6},
    {"code": "T20-6-3", "start": "2024-08-19", "working_days": 20, "week": 6},
    {"code": "T30-5-1", "start": "2024-07-16", "working_days": 30, "week": 5},
    {"code": "T30-5-2", "start": "2024-08-05", "working_days": 30, "week": 5},
    {"code": "T30-6-1", "start": "2024-07-16", "working_days": 30, "week": 6},
    {"code": "T30-6-2", "start": "2024-08-05", "working_days": 30, "week": 6},
]


def programme_file(tmp_path, **changes) -> str:
    data = {
        "code": "USP-2024", "title": "Ulusal Staj Programı 2024",
        "applications_open": "2023-12-28T00:00:00+03:00", "applications_close": "2024-03-10T23:59:59+03:00",
        "min_gpa": "2.00", "years": {"associate": [1, 2], "bachelor": [2, 3, 4]},
        "gpa_exempt": [{"level": "associate", "year": 1}], "half_day": "working", "closed_days": [],
        "max_choices": {"20": 3, "30": 2}, "answer_days": 3,
        "departments": DEPARTMENTS, "calendars": CALENDARS,
        "host_units": [{"code": "LIB", "name": "Kütüphane", "email": "lib@uni.example"},
                       {"code": "IT", "name": "Bilgi İşlem", "email": "it@uni.example", "language": "en"}],
    }
    data.update(changes)
    path = tmp_path / f"programme-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


STUDENT_HEADER = "student_number,first_name,last_name,email,department_code,level,year,gpa"


def students_file(tmp_path, rows: list[str]) -> str:
    path = tmp_path / f"students-{len(list(tmp_path.iterdir()))}.csv"
    path.write_text("\n".join([STUDENT_HEADER, *rows]) + "\n", encoding="utf-8")
    return str(path)


@dataclass
class Result:
    ok: bool
    out: str
    err: str

    @property
    def last_line(self) -> str:
        return self.out.strip().splitlines()[-1]

    @property
    def codes(self) -> list[str]:
        return [line.split(":", 1)[0] for line in self.err.strip().splitlines()]


def run(*args) -> Result:
    out = io.StringIO()
    try:
        call_command(*[str(a) for a in args], stdout=out)
    except CommandError as exc:
        return Result(False, out.getvalue(), str(exc))
    return Result(True, out.getvalue(), "")


def csv_rows(*args) -> list[dict]:
    result = run(*args)
    assert result.ok, result.err
    return list(csv.DictReader(io.StringIO(result.out)))


def offers(code="USP-2024") -> dict[str, dict]:
    return {row["offer_id"]: row for row in csv_rows("export_internship_offers", code)}
