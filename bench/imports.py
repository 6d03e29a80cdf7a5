"""Import benchmark: 50,000 applicant rows, then their 50,000 exam results, through the commands.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/imports.py

Each round creates a fresh call (new student numbers), so every row is a new application; a
second import of the same file then measures the update path.
"""
import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

APPLICANT_HEADER = ["student_number", "first_name", "last_name", "email", "department_code", "level", "gpa",
                    "previous_degree_gpa", "prior_participations", "missed_orientation", "disability"]


def write_files(folder: Path, n: int, departments: int, offset: int) -> tuple[Path, Path]:
    rng = random.Random(offset)
    applicants, exams = folder / f"applicants-{offset}.csv", folder / f"exams-{offset}.csv"
    with applicants.open("w", newline="", encoding="utf-8") as a, exams.open("w", newline="", encoding="utf-8") as e:
        wa, we = csv.writer(a), csv.writer(e)
        wa.writerow(APPLICANT_HEADER)
        we.writerow(["student_number", "written", "listening", "absent"])
        for i in range(n):
            number = str(offset + i)
            wa.writerow([number, "Ayşe", "Yılmaz", f"{number}@ogr.example.edu.tr", f"D{i % departments:02d}",
                         "bachelor", f"{rng.randint(200, 400) / 100:.2f}", "", rng.choice([0, 0, 0, 1]),
                         rng.choice(["no", "no", "evet"]), rng.choice(["", "", "", "verified"])])
            absent = rng.random() < 0.05
            we.writerow([number, "" if absent else rng.randint(30, 100), rng.randint(0, 100), "yes" if absent else "no"])
    return applicants, exams


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from mobility.services.calls import call_load

    call_command("migrate", verbosity=0)
    loads = [os.getloadavg()[0]]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    timings = {"applicants (new)": [], "applicants (re-import, unchanged)": [], "exam results (new)": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.repeat):
            code = f"IMPORT-BENCH-{time.time_ns()}"
            call_load(data={
                "code": code, "title": "Import benchmark", "programme": "KA131-SMT",
                "applications_open": "2022-12-05T00:00:00+03:00", "applications_close": "2022-12-20T23:59:59+03:00",
                "departments": [{"code": f"D{d:02d}", "name": f"Bölüm {d:02d}"} for d in range(args.departments)],
            })
            applicants, exams = write_files(Path(tmp), args.rows, args.departments, offset=(int(time.time()) % 100_000) * 10_000_000 + round_ * args.rows)
            for label, path, command in (
                ("applicants (new)", applicants, "import_applicants"),
                ("applicants (re-import, unchanged)", applicants, "import_applicants"),
                ("exam results (new)", exams, "import_exam_results"),
            ):
                start = time.perf_counter()
                call_command(command, code, str(path), stdout=open(os.devnull, "w"))
                timings[label].append(time.perf_counter() - start)
                loads.append(os.getloadavg()[0])
    print(f"{args.rows} rows, {args.departments} departments, {vendor}, {args.repeat} rounds; "
          f"load average {min(loads):.2f}-{max(loads):.2f}")
    for label, values in timings.items():
        print(f"  {label:<36} median {statistics.median(values):.2f} s  {[round(v, 2) for v in values]}")


if __name__ == "__main__":
    main()
