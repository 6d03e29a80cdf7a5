"""Selection benchmark: 50,000 applications in 20 departments.

Measures (a) the pure engine and (b) `run_selection` end to end on the configured database
(PostgreSQL in docs/benchmarks.md), each as the median of several runs, plus peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/selection.py

The database named by DATABASE_URL is migrated and its bench call replaced: use a scratch database.
"""
import argparse
import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

CALL_CODE = "BENCH-50K"


def build_dataset(n: int, departments: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        level = rng.choices(["bachelor", "master", "doctorate", "associate"], weights=[80, 12, 4, 4])[0]
        no_gpa = rng.random() < 0.02
        absent = rng.random() < 0.05
        rows.append({
            "student_number": f"{1_000_000 + i}",
            "department": f"D{i % departments:02d}" if rng.random() < 0.7 else f"D{rng.randrange(departments):02d}",
            "level": level,
            "gpa": None if no_gpa else Decimal(rng.randint(180, 400)) / 100,
            "previous_degree_gpa": Decimal(rng.randint(250, 400)) / 100 if level in ("master", "doctorate") and rng.random() < 0.5 else None,
            "written": None if absent else Decimal(rng.randint(30, 100)),
            "listening": Decimal(rng.randint(0, 100)),
            "absent": absent,
            "prior_participations": rng.choices([0, 1, 2, 3], weights=[85, 10, 4, 1])[0],
            "missed_orientation": rng.random() < 0.05,
            "late_withdrawal": rng.random() < 0.02,
            "disability": rng.choices(["", "verified", "claimed"], weights=[96, 2, 2])[0],
        })
    return rows


def engine_inputs(rows):
    from selection import engine

    return [
        engine.ApplicantInput(
            key=str(i), student_number=r["student_number"], department_code=r["department"],
            level=engine.Level(r["level"]), gpa=r["gpa"], previous_degree_gpa=r["previous_degree_gpa"],
            written=r["written"], listening=r["listening"], absent=r["absent"], has_exam_result=True,
            prior_participations=r["prior_participations"],
            flags=frozenset(
                [engine.Adjustment.MISSED_ORIENTATION] * r["missed_orientation"]
                + [engine.Adjustment.LATE_WITHDRAWAL] * r["late_withdrawal"]
            ),
            bonuses=((engine.Adjustment.DISABILITY, engine.BonusState(r["disability"])),) if r["disability"] else (),
            sequence=i,
        )
        for i, r in enumerate(rows)
    ]


def measure(func, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def peak_python_mb(func) -> float:
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def bench_engine(rows, departments: int, repeat: int) -> dict:
    from selection import engine

    rules = engine.CallRules(places=400)
    depts = [engine.DepartmentRules(code=f"D{d:02d}", written_min=Decimal("60")) for d in range(departments)]
    inputs = engine_inputs(rows)
    load = os.getloadavg()[0]
    cpu = []

    def once():
        start = time.process_time()
        engine.run_selection(rules, depts, inputs)
        cpu.append(time.process_time() - start)

    median, times = measure(once, repeat)
    peak = peak_python_mb(lambda: engine.run_selection(rules, depts, inputs))
    return {"median_s": median, "runs_s": times, "median_cpu_s": statistics.median(cpu), "peak_python_mb": peak, "load": load}


def load_call(rows, departments: int):
    from django.db import transaction

    from applications.models import Applicant, Application, ExamResult
    from applications.selectors import exam_session_for_call
    from mobility.models import Call, CallDepartment, Department
    from selection.models import SelectionRun

    with transaction.atomic():
        old = Call.objects.filter(code=CALL_CODE).first()
        if old:
            SelectionRun.objects.filter(call=old).delete()
            Application.objects.filter(call=old).delete()
            old.delete()
        Applicant.objects.filter(student_number__gte="1000000").delete()
        now = dt.datetime(2022, 12, 5, tzinfo=dt.UTC)
        call = Call.objects.create(
            code=CALL_CODE, title="Benchmark call", programme="KA131-SMT",
            applications_open=now, applications_close=now + dt.timedelta(days=15),
            budget_eur=Decimal("540000"), planning_amount_eur=Decimal("1350"),
        )
        depts = {}
        for d in range(departments):
            dep, _ = Department.objects.get_or_create(code=f"D{d:02d}", defaults={"name": f"Bölüm {d:02d}"})
            CallDepartment.objects.create(call=call, department=dep, written_min=Decimal("60"))
            depts[dep.code] = dep
        applicants = Applicant.objects.bulk_create(
            [Applicant(student_number=r["student_number"], first_name="Ad", last_name="Soyad", email=f"{r['student_number']}@ogr.example.edu.tr") for r in rows],
            batch_size=5000,
        )
        Application.objects.bulk_create(
            [
                Application(
                    call=call, applicant=a, department=depts[r["department"]], level=r["level"], gpa=r["gpa"],
                    previous_degree_gpa=r["previous_degree_gpa"], prior_participations=r["prior_participations"],
                    missed_orientation=r["missed_orientation"], late_withdrawal=r["late_withdrawal"], disability=r["disability"],
                    submitted_at=now + dt.timedelta(seconds=i),
                )
                for i, (a, r) in enumerate(zip(applicants, rows))
            ],
            batch_size=5000,
        )
        session = exam_session_for_call(call=call)
        ExamResult.objects.bulk_create(
            [ExamResult(session=session, applicant=a, written=r["written"], listening=r["listening"], absent=r["absent"]) for a, r in zip(applicants, rows)],
            batch_size=5000,
        )
    return call


def measure_floor(call) -> float:
    """What PostgreSQL alone needs: COPY the inputs out (the join the selection reads) and COPY
    50,000 result rows in (the rows of the latest run, under a new run) in one transaction, and
    commit. Nothing else: no Python per row. The floor's rows are deleted afterwards (not timed)."""
    import io

    from django.db import connection, transaction

    from applications.selectors import exam_session_for_call
    from selection import adapters
    from selection.models import SelectionResult, SelectionRun

    table = SelectionResult._meta.db_table
    latest = SelectionRun.objects.filter(call=call, status="finished").latest()
    columns = ", ".join(f'"{c}"' for c in adapters.RESULT_COLUMNS)
    with connection.cursor() as cursor:
        rows = io.StringIO()
        cursor.copy_expert(f"COPY (SELECT {columns} FROM {table} WHERE run_id = {latest.pk}) TO STDOUT", rows)
    session = exam_session_for_call(call=call)
    run = SelectionRun.objects.create(call=call, status="finished")
    lines = "".join(str(run.pk) + line[line.index("\t"):] + "\n" for line in rows.getvalue().splitlines())
    query = connection.cursor().mogrify(adapters._inputs_sql(), [session.pk, call.pk, "submitted"]).decode()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.copy_expert(f"COPY ({query}) TO STDOUT", io.StringIO())
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", io.StringIO(lines))
    elapsed = time.perf_counter() - start  # with the COMMIT, as a run's own transaction has it
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE run_id = %s", [run.pk])
        cursor.execute(f"DELETE FROM {SelectionRun._meta.db_table} WHERE id = %s", [run.pk])
    return elapsed


class StageTimer:
    """Times the adapters' stages of run_selection by wrapping them (the code under test is unchanged)."""

    STAGES = {
        "load": ("selection.adapters", "applicants_load"),
        "engine": ("selection.engine", "run_selection"),
        "store": ("selection.adapters", "results_store"),
        "snapshot": ("selection.adapters", "inputs_snapshot_build"),
    }

    def __init__(self):
        import importlib

        self.times = {stage: [] for stage in self.STAGES}
        for stage, (module_name, name) in self.STAGES.items():
            module = importlib.import_module(module_name)
            setattr(module, name, self._wrap(stage, getattr(module, name)))

    def _wrap(self, stage, func):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.times[stage].append(time.perf_counter() - start)
        return timed


def bench_end_to_end(call, repeat: int, vendor: str) -> dict:
    from selection.services import selection_run

    results = []

    def once():
        run = selection_run(call=call)
        assert run.status == "finished", run.error
        results.append(run)

    stages = StageTimer()
    times, floors, ratios, loads = [], [], [], []
    for _ in range(repeat):
        loads.append(os.getloadavg()[0])
        if vendor == "postgresql":
            floors.append(measure_floor(call) if results else None)
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
        if vendor == "postgresql" and floors[-1] is None:
            floors[-1] = measure_floor(call)
        if floors:
            ratios.append(times[-1] / floors[-1])
    loads.append(os.getloadavg()[0])
    peak = peak_python_mb(once)
    run = results[-1]
    return {
        "median_s": statistics.median(times), "runs_s": times, "peak_python_mb": peak,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "floors_s": floors, "ratios": ratios, "loads": loads,
        "stages": {k: statistics.median(v[:repeat]) for k, v in stages.times.items() if v},
        "primaries": run.primaries, "reserves": run.reserves, "excluded": run.excluded,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--engine-only", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the call of an earlier run (process memory then excludes the data set)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if not args.reuse:
        rows = build_dataset(args.applications, args.departments)
        print(f"dataset: {args.applications} applications, {args.departments} departments")
        e = bench_engine(rows, args.departments, args.repeat)
        print(f"engine:      median {e['median_s']:.3f} s (CPU {e['median_cpu_s']:.3f} s) over {args.repeat} runs "
              f"{[round(t, 3) for t in e['runs_s']]}; peak Python memory {e['peak_python_mb']:.0f} MB; "
              f"load {e['load']:.2f}")
        if args.engine_only:
            return
        call_command("migrate", verbosity=0)
        start = time.perf_counter()
        call = load_call(rows, args.departments)
        del rows
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would soon after an import
        print(f"loading the call into {vendor}: {time.perf_counter() - start:.1f} s")
    else:
        from mobility.models import Call

        call = Call.objects.get(code=CALL_CODE)
    r = bench_end_to_end(call, max(3, args.repeat), vendor)
    print(f"end to end:  median {r['median_s']:.3f} s over {len(r['runs_s'])} runs {[round(t, 3) for t in r['runs_s']]}; "
          f"peak Python memory {r['peak_python_mb']:.0f} MB; process max RSS {r['max_rss_mb']:.0f} MB "
          f"({r['primaries']} primaries, {r['reserves']} reserves, {r['excluded']} excluded)")
    print("  stages (medians): " + ", ".join(f"{k} {v:.3f} s" for k, v in r["stages"].items()))
    if r["floors_s"]:
        print(f"  floor (COPY out + COPY in): median {statistics.median(r['floors_s']):.3f} s {[round(t, 3) for t in r['floors_s']]}")
        print(f"  ratio to the floor of the same round: median {statistics.median(r['ratios']):.2f} {[round(x, 2) for x in r['ratios']]}")
    print(f"  load average during the runs: {min(r['loads']):.2f}-{max(r['loads']):.2f}")


if __name__ == "__main__":
    main()
