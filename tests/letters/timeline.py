"""Replaying a timeline through the contract commands only, as a test outside the project would."""
import csv
import datetime as dt
import io
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from tests.applications.helpers import applicant_row, write_csv

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "call_uzem.json"
CODE = "UZEM-2022-SMT-1"
TR_AT = dt.datetime(2023, 2, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))  # an instant for direct service calls
LETTER_HEADER = ["student_number", "host_name", "city", "host_type", "country", "start_date", "end_date", "submitted_at", "decision"]

# (student number, department, gpa, written): round 1 gives CENG, SENG, MIS their best; the fourth
# place goes to the higher of the two second students (CENG 1002).
STUDENTS = [
    ("1001", "CENG", "3.60", "90"), ("1002", "CENG", "3.40", "88"), ("1003", "CENG", "3.00", "75"),
    ("1004", "CENG", "2.80", "70"), ("2001", "SENG", "3.50", "88"), ("2002", "SENG", "3.10", "72"),
    ("2003", "SENG", "2.90", "71"), ("3001", "MIS", "3.30", "82"),
]


class Timeline:
    def __init__(self, tmp_path: Path, **call_changes):
        self.tmp = tmp_path
        self.files = 0
        data = json.loads(FIXTURE.read_text())
        data.update(call_changes)
        self.run("load_call", self._file("call.json", json.dumps(data)))
        rows = [applicant_row(n, department_code=d, gpa=g) for n, d, g, _w in STUDENTS]
        self.run("import_applicants", CODE, str(write_csv(tmp_path / "applicants.csv", rows)))
        exams = [{"student_number": n, "written": w, "listening": "70", "absent": "no"} for n, _d, _g, w in STUDENTS]
        self.run("import_exam_results", CODE, str(write_csv(tmp_path / "exams.csv", exams)))
        self.run("run_selection", CODE)

    def _file(self, name: str, text: str) -> str:
        path = self.tmp / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    def run(self, *args, at: str | None = None) -> str:
        out = StringIO()
        call_command(*args, *(["--at", at] if at else []), stdout=out, stderr=StringIO())
        return out.getvalue()

    def fails(self, *args, at: str | None = None) -> tuple[str, str]:
        """(stderr, error) of a command that must fail."""
        err = StringIO()
        try:
            call_command(*args, *(["--at", at] if at else []), stdout=StringIO(), stderr=err)
        except CommandError as exc:
            return err.getvalue(), str(exc)
        raise AssertionError(f"{args} did not fail")

    def publish(self, at="2023-01-10T10:00:00+03:00") -> str:
        return self.run("publish_run", CODE, "--stage", "final", at=at)

    def letters(self, rows: list[dict], at: str, fail: bool = False):
        self.files += 1
        full = [{**letter(r.pop("student_number")), **r} if "host_name" not in r else r for r in (dict(r) for r in rows)]
        path = str(write_csv(self.tmp / f"letters{self.files}.csv", full, LETTER_HEADER))
        if fail:
            return self.fails("import_letters", CODE, path, at=at)
        return self.run("import_letters", CODE, path, at=at)

    def export(self) -> dict[str, dict]:
        text = self.run("export_placements", CODE)
        return {row["student_number"]: row for row in csv.DictReader(io.StringIO(text))}

    def statuses(self) -> dict[str, str]:
        return {number: row["status"] for number, row in self.export().items()}

    def free(self) -> Decimal:
        rows = self.export().values()
        data = json.loads(FIXTURE.read_text())
        return Decimal(data["budget_eur"]) - sum(Decimal(r["held_eur"]) for r in rows)


def letter(number: str, **values) -> dict:
    row = {
        "student_number": number, "host_name": f"Host of {number} GmbH", "city": "Berlin", "host_type": "company",
        "country": "DE", "start_date": "2023-07-01", "end_date": "2023-08-30", "submitted_at": "", "decision": "",
    }
    row.update(values)
    return row
