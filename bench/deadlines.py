"""The letter deadline of a call with 5,000 primaries and reserves, and one withdrawal with its promotion.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/deadlines.py --repeat 3

Each round builds the call afresh (bulk inserts: half primaries, half reserves in 20 departments;
60% of the primaries and half the reserves with a letter before the deadline, some approved),
then times `deadlines_run` one minute after the letter deadline (what `run_deadlines` and the
periodic sweep do), then several withdrawals of a primary, each one transaction with the
promotion it causes. Beside them, the floor of the same round: reading the placements with their
letters and students in one query and updating every placement once, in a transaction that is
rolled back. Figures: wall and CPU (`time.process_time`) seconds, queries, load average.
The database named by DATABASE_URL is migrated and its bench call replaced: use a scratch database.
"""
import argparse
import datetime as dt
import gc
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

CALL_CODE = "BENCH-DEADLINES"
DEADLINE = dt.datetime(2025, 3, 15, 13, 0, tzinfo=dt.UTC)
PLANNING = Decimal("1350.00")


def cleanup():
    from applications.models import Applicant, Application
    from letters.models import Placement
    from mobility.models import AuditEntry, Call, OutboxMessage

    Placement.objects.filter(call__code=CALL_CODE).delete()
    Application.objects.filter(call__code=CALL_CODE).delete()
    Applicant.objects.filter(student_number__startswith="77", applications__isnull=True).delete()
    OutboxMessage.objects.filter(key__startswith="student:", body__contains=CALL_CODE).delete()
    AuditEntry.objects.filter(action__startswith="placement.", data__call=CALL_CODE).delete()
    Call.objects.filter(code=CALL_CODE).delete()


def build(n: int):
    from applications.models import Applicant, Application
    from letters.models import Letter, Placement
    from mobility.models import Call, CallDepartment, Department

    cleanup()
    primaries = n // 2
    call = Call.objects.create(
        code=CALL_CODE, title="Bench deadlines", programme="KA131-SMT", status="final_published",
        applications_open=DEADLINE - dt.timedelta(days=120), applications_close=DEADLINE - dt.timedelta(days=100),
        letter_deadline=DEADLINE, budget_eur=PLANNING * primaries, planning_amount_eur=PLANNING,
    )
    departments = []
    for i in range(20):
        department, _ = Department.objects.get_or_create(code=f"DL{i:02d}", defaults={"name": f"Bench {i}"})
        CallDepartment.objects.create(call=call, department=department)
        departments.append(department)
    applicants = Applicant.objects.bulk_create(
        Applicant(student_number=f"77{i:07d}", first_name="Çağrı", last_name=f"Şahin{i}", email=f"d{i}@example.edu.tr")
        for i in range(n)
    )
    applications = Application.objects.bulk_create(
        Application(call=call, applicant=a, department=departments[i % 20], level="bachelor", gpa=Decimal("3.00"))
        for i, a in enumerate(applicants)
    )
    placements = Placement.objects.bulk_create(
        (Placement(call=call, application=app, student_number=app.applicant.student_number,
                   department_code=departments[i % 20].code, order=i + 1,
                   status="primary" if i < primaries else "reserve",
                   held_eur=PLANNING if i < primaries else Decimal("0.00"), status_changed_at=DEADLINE - dt.timedelta(days=60))
         for i, app in enumerate(applications)),
        batch_size=1000,
    )
    letters = []
    for i, p in enumerate(placements):
        with_letter = (i % 5 < 3) if i < primaries else (i % 2 == 0)
        if not with_letter:
            continue
        approved = i % 3 == 0
        letters.append(Letter(
            placement=p, host_name=f"Host {i} GmbH", host_type="company", country="DE", city="Berlin",
            start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 8, 30), days=60, monthly_rate_eur=Decimal("675.00"),
            grant_eur=PLANNING, submitted_at=DEADLINE - dt.timedelta(days=3),
            decision="approved" if approved else "waiting",
        ))
    Letter.objects.bulk_create(letters, batch_size=1000)
    return call


def analyze():
    """Statistics for the new call, and the dead rows of the previous round's call cleared: rounds
    a few seconds apart outrun autovacuum, and a placements table holding ten dead rows for each
    live one made every later round read it from slower scans (promotion 42-48 ms instead of 26-30)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def floor(call) -> float:
    """One read of the placements with letters and students, one UPDATE of them all; rolled back."""
    from django.db import transaction

    from letters.models import Placement

    started = time.perf_counter()
    with transaction.atomic():
        rows = list(Placement.objects.filter(call=call).values_list(
            "pk", "order", "status", "held_eur", "letter__decision", "letter__submitted_at",
            "application__applicant__first_name", "application__applicant__email"))
        Placement.objects.filter(call=call).update(status_changed_at=DEADLINE)
        transaction.set_rollback(True)
    assert rows
    return time.perf_counter() - started


def timed(func):
    from django.db import connection

    count = [0]

    def counter(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, count[0], result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--placements", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--withdrawals", type=int, default=5, help="withdrawals timed per round")
    parser.add_argument("--profile", action="store_true", help="cProfile the deadline run of the first round")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from letters.models import Placement
    from letters.services.deadlines import deadlines_run
    from letters.services.withdrawals import placement_withdraw

    call_command("migrate", verbosity=0)
    # The promotion inside the withdrawal's transaction, timed on its own too.
    import letters.services.withdrawals as withdrawals

    promotion_times = []
    promotion_after = withdrawals.promotion_after

    def promotion_timed(**kwargs):
        started = time.perf_counter()
        try:
            return promotion_after(**kwargs)
        finally:
            promotion_times.append(time.perf_counter() - started)

    withdrawals.promotion_after = promotion_timed
    at = DEADLINE + dt.timedelta(minutes=1)
    rows = {"deadline": [], "withdraw": [], "floor": []}
    for round_no in range(args.repeat):
        call = build(args.placements)
        analyze()
        # Each timed part starts from a collected heap: the deadline pauses the cyclic collector
        # (letters.services.deadlines), and what it postpones must not land in the next floor.
        gc.collect()
        rows["floor"].append(floor(call))
        gc.collect()
        load = os.getloadavg()[0]
        if args.profile and round_no == 0:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
        wall, cpu, queries, done = timed(lambda call=call: deadlines_run(call=call, at=at))
        if args.profile and round_no == 0:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(int(os.environ.get("BENCH_LINES", "35")))
        rows["deadline"].append((wall, cpu, queries))
        print(f"round {round_no + 1}: deadline run {wall:.2f} s wall, {cpu:.2f} s CPU, {queries} queries "
              f"(lost {len(done['lost_place'])}, expired {len(done['reserve_expired'])}, promoted {len(done['promoted'])}); "
              f"floor {rows['floor'][-1]:.3f} s; load {load:.1f}")
        primaries = list(Placement.objects.filter(call=call, status="primary", letter__isnull=False)
                         .order_by("order").values_list("student_number", flat=True)[:args.withdrawals])
        for number in primaries:
            wall, cpu, queries, (_, promoted) = timed(
                lambda number=number, call=call: placement_withdraw(call=call, student_number=number, at=at + dt.timedelta(hours=1)))
            assert len(promoted) == 1, promoted
            rows["withdraw"].append((wall, cpu, queries))
        print(f"round {round_no + 1}: withdrawal + promotion median {statistics.median(r[0] for r in rows['withdraw'][-len(primaries):]) * 1000:.0f} ms "
              f"({rows['withdraw'][-1][2]} queries); load {os.getloadavg()[0]:.1f}")
    cleanup()

    def med(values):
        return statistics.median(values)

    deadline, withdraw = rows["deadline"], rows["withdraw"]
    print(f"db={connection.vendor} placements={args.placements} rounds={args.repeat} load={os.getloadavg()[0]:.1f}")
    print(f"deadline run: median {med(r[0] for r in deadline):.2f} s wall, {med(r[1] for r in deadline):.2f} s CPU, "
          f"{deadline[-1][2]} queries; floor {med(rows['floor']):.3f} s; "
          f"ratio {med(r[0] / f for r, f in zip(deadline, rows['floor'], strict=True)):.1f}")
    print(f"withdrawal + promotion: median {med(r[0] for r in withdraw) * 1000:.0f} ms wall, "
          f"{med(r[1] for r in withdraw) * 1000:.0f} ms CPU, {withdraw[-1][2]} queries; "
          f"of which the promotion: median {med(promotion_times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
