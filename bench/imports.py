"""Import benchmark: 50,000 applicant rows, then their 50,000 exam results, through the commands.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/imports.py

Each round creates a fresh call (new student numbers), so every row is a new application; a
second import of the same file then measures the update path.

On PostgreSQL each round also times its floor, what PostgreSQL alone needs for the same rows: one
`COPY` of the 50,000 applicants and one of their 50,000 applications (or of the 50,000 exam
results), from text prepared beforehand, and the commit, with no Python per row. The load of a
shared machine inflates both alike; the ratio to the floor of the same round is the figure to
compare. (The floor's rows stay, under student numbers starting with F and a session of their own.)
"""
import argparse
import csv
import io
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


def _floor_applicants(connection, call, applicants: Path) -> float:
    """Seconds to COPY the file's applicants and applications into their tables and commit."""
    from django.db import transaction

    from applications.models import Applicant, Application
    from mobility.models import CallDepartment

    departments = dict(CallDepartment.objects.filter(call=call).values_list("department__code", "department_id"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Applicant._meta.db_table])
        first = cursor.fetchone()[0]
    with open(applicants, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with connection.cursor() as cursor:  # reserve the ids the floor's applicants take
        cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Applicant._meta.db_table, first + len(rows)])
    applicant_lines = "".join(
        f"{first + i}\tF{r['student_number']}\t{r['first_name']}\t{r['last_name']}\t{r['email']}\n" for i, r in enumerate(rows))
    yes = {"yes": "t", "evet": "t"}
    application_lines = "".join(
        f"{call.pk}\t{first + i}\t{departments[r['department_code']]}\t{r['level']}\t{r['gpa'] or chr(92) + 'N'}\t\\N\t"
        f"{r['prior_participations'] or 0}\tf\tf\tf\t{yes.get(r['missed_orientation'], 'f')}\tf\t{r['disability']}\t\t\tf\t"
        f"submitted\toffice\t\\N\tnow\tnow\n" for i, r in enumerate(rows))
    quote = connection.ops.quote_name
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {quote(Applicant._meta.db_table)} (id, student_number, first_name, last_name, email) FROM STDIN",
                           io.StringIO(applicant_lines))
        cursor.copy_expert(
            f"COPY {quote(Application._meta.db_table)} (call_id, applicant_id, department_id, level, gpa, previous_degree_gpa, "
            "prior_participations, same_year_study_primary, late_withdrawal, non_prioritised_choice, missed_orientation, "
            "missed_exam, disability, martyr_veteran_relative, protection_2828, recent_graduate, status, source, "
            "declared_previous_degree_gpa, submitted_at, updated_at) FROM STDIN", io.StringIO(application_lines))
    return time.perf_counter() - start


def _floor_exams(connection, call, exams: Path) -> float:
    """Seconds to COPY the file's exam results (on a session of their own) into their table and commit."""
    from django.db import transaction

    from applications.models import Application, ExamResult, ExamSession

    ids = dict(Application.objects.filter(call=call).values_list("applicant__student_number", "applicant_id"))
    session = ExamSession.objects.create(name=f"floor-{time.time_ns()}")
    with open(exams, newline="", encoding="utf-8") as handle:
        lines = "".join(
            f"{session.pk}\t{ids[r['student_number']]}\t{r['written'] or chr(92) + 'N'}\t{r['listening']}\t"
            f"{'t' if r['absent'] == 'yes' else 'f'}\tnow\n" for r in csv.DictReader(handle))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {connection.ops.quote_name(ExamResult._meta.db_table)} "
                           "(session_id, applicant_id, written, listening, absent, updated_at) FROM STDIN", io.StringIO(lines))
    return time.perf_counter() - start


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
    from django.db import connection

    from mobility.services.calls import call_load

    call_command("migrate", verbosity=0)
    loads = [os.getloadavg()[0]]
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    timings = {"applicants (new)": [], "applicants (re-import, unchanged)": [], "exam results (new)": []}
    cpu = {label: [] for label in timings}
    floors = {"applicants (new)": [], "applicants (re-import, unchanged)": [], "exam results (new)": []}
    postgresql = connection.vendor == "postgresql"
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.repeat):
            code = f"IMPORT-BENCH-{time.time_ns()}"
            call = call_load(data={
                "code": code, "title": "Import benchmark", "programme": "KA131-SMT",
                "applications_open": "2022-12-05T00:00:00+03:00", "applications_close": "2022-12-20T23:59:59+03:00",
                "departments": [{"code": f"D{d:02d}", "name": f"Bölüm {d:02d}"} for d in range(args.departments)],
            })[0]
            applicants, exams = write_files(Path(tmp), args.rows, args.departments, offset=(int(time.time()) % 100_000) * 10_000_000 + round_ * args.rows)
            for label, path, command in (
                ("applicants (new)", applicants, "import_applicants"),
                ("applicants (re-import, unchanged)", applicants, "import_applicants"),
                ("exam results (new)", exams, "import_exam_results"),
            ):
                start, start_cpu = time.perf_counter(), time.process_time()
                call_command(command, code, str(path), stdout=open(os.devnull, "w"))
                timings[label].append(time.perf_counter() - start)
                cpu[label].append(time.process_time() - start_cpu)
                loads.append(os.getloadavg()[0])
            if postgresql:
                floor = _floor_applicants(connection, call, applicants)
                floors["applicants (new)"].append(floor)
                floors["applicants (re-import, unchanged)"].append(floor)
                floors["exam results (new)"].append(_floor_exams(connection, call, exams))
                loads.append(os.getloadavg()[0])
    print(f"{args.rows} rows, {args.departments} departments, {vendor}, {args.repeat} rounds; "
          f"load average {min(loads):.2f}-{max(loads):.2f}")
    for label, values in timings.items():
        print(f"  {label:<36} median {statistics.median(values):.2f} s  {[round(v, 2) for v in values]}; "
              f"CPU of this process {statistics.median(cpu[label]):.2f} s")
        if floors[label]:
            ratios = [value / floor for value, floor in zip(values, floors[label])]
            print(f"  {'':<36} floor (COPY + commit) median {statistics.median(floors[label]):.2f} s "
                  f"{[round(v, 2) for v in floors[label]]}; ratio to the floor median {statistics.median(ratios):.2f} "
                  f"{[round(r, 2) for r in ratios]}")


if __name__ == "__main__":
    main()
