"""Benchmark: the host unit's candidate pool (first page) and the offer-expiry job.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/internships_pool.py --students 10000 --offers 5000 --repeat 5

Builds a programme with document 003's calendars, N students with complete applications (random
points, calendars, cities) and M offers on M/2 positions (a primary and a reserve each), half of
them past their deadline. Then times, in process: the pool's first page as a host unit sees it
(Django test client, whole request, median of --repeat), and `offers_expire` once (expiring half
the offers, renewing the reserves' windows) and a second time at the same instant (nothing to do).
The database is migrated and emptied of the programme first; use a database of its own.
"""
import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "false")

CODE = "USP-BENCH"


def setup(students: int, offers: int):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from internships.models import CalendarChoice, HostUnit, InternshipApplication, InternshipProgramme, InternshipStudent, Offer, Position
    from internships.services.programme import programme_load
    from mobility.models import User

    old = InternshipProgramme.objects.filter(code=CODE)
    # Offers and students are protected from cascades (their history matters): remove them in order.
    Offer.objects.filter(position__programme__in=old).delete()
    Position.objects.filter(programme__in=old).delete()
    CalendarChoice.objects.filter(application__student__programme__in=old).delete()
    InternshipStudent.objects.filter(programme__in=old).delete()
    old.delete()
    now = timezone.now()
    programme, _ = programme_load(data={
        "code": CODE, "title": "Bench", "applications_open": (now - dt.timedelta(days=60)).isoformat(),
        "applications_close": (now + dt.timedelta(days=60)).isoformat(),
        "departments": [{"code": f"B{i:02d}", "name": f"Department {i}", "internship_days": 20} for i in range(20)],
        "calendars": [{"code": "T20-1", "start": "2024-07-16", "working_days": 20, "week": 5},
                      {"code": "T20-2", "start": "2024-08-05", "working_days": 20, "week": 5},
                      {"code": "T20-3", "start": "2024-08-19", "working_days": 20, "week": 5}],
        "host_units": [{"code": "LIB", "name": "Library"}],
    }, at=now)
    rng = random.Random(16)
    departments = list(programme.departments.all())
    calendars = list(programme.calendars.all())
    rows = InternshipStudent.objects.bulk_create([InternshipStudent(
        programme=programme, student_number=f"B{i:06d}", first_name="A", last_name="B", email=f"b{i}@bench.example",
        department=rng.choice(departments), level="bachelor", year=rng.choice([2, 3, 4]),
        gpa=Decimal(rng.randint(200, 400)) / 100) for i in range(students)], batch_size=2000)
    apps = []
    for i, s in enumerate(rows):
        points = [Decimal(rng.randint(0, 40)) for _ in range(3)]
        plates = rng.sample(["06", "34", "35", "16", "07", "01"], rng.randint(1, 3))
        apps.append(InternshipApplication(
            student=s, details_confirmed_at=now, completed_at=now, handle=f"X{i:09d}",
            cities=[{"plate": p, "districts": ["*"]} for p in plates], plates="," + ",".join(plates) + ",",
            points_professional=points[0], points_social=points[1], points_sports=points[2], points_total=sum(points)))
    apps = InternshipApplication.objects.bulk_create(apps, batch_size=2000)
    CalendarChoice.objects.bulk_create([CalendarChoice(application=a, calendar=c, rank=r)
                                        for a in apps for r, c in enumerate(rng.sample(calendars, 2), start=1)],
                                       batch_size=5000)
    unit = HostUnit.objects.get(programme=programme, code="LIB")
    positions = Position.objects.bulk_create([Position(programme=programme, code=f"P{i:05d}", host_unit=unit)
                                              for i in range(offers // 2)])
    made = []
    for i, position in enumerate(positions):
        past = i % 2 == 0
        for seq in (1, 2):
            student = rows[(2 * i + seq - 1) % students]
            made.append(Offer(position=position, student=student, calendar=calendars[0],
                              kind="primary" if seq == 1 else "reserve", seq=seq, made_at=now - dt.timedelta(days=4),
                              answer_by=now - dt.timedelta(hours=1) if past and seq == 1 else now + dt.timedelta(days=2)))
    made = Offer.objects.bulk_create(made, batch_size=5000)
    for position, primary in zip(positions, made[::2]):
        position.holder = primary
    Position.objects.bulk_update(positions, ["holder"], batch_size=2000)
    user, _ = User.objects.get_or_create(email="bench-host@bench.example")
    unit.members.add(user)
    return programme, user, now


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run (no expiry left to time)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from internships.models import Offer
    from internships.services.offers import offers_expire

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    from internships.models import InternshipProgramme
    if args.reuse and InternshipProgramme.objects.filter(code=CODE).exists():
        from django.utils import timezone

        from mobility.models import User
        programme, user, now = InternshipProgramme.objects.get(code=CODE), User.objects.get(email="bench-host@bench.example"), timezone.now()
    else:
        programme, user, now = setup(args.students, args.offers)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have by now: the planner needs the new rows' statistics
    print(f"setup: {args.students} students, {Offer.objects.filter(position__programme=programme).count()} offers "
          f"in {time.perf_counter() - started:.1f} s ({connection.vendor})")

    client = Client()
    client.force_login(user)
    url = f"/office/internships/{CODE}/host/LIB/"
    for label, query in (("first page", ""), ("filtered: city 06, calendar T20-2, sort sports", "?city=06&calendar=T20-2&sort=sports")):
        times, cpu, sql = [], [], []
        for _ in range(args.repeat + 1):
            with CaptureQueriesContext(connection) as queries:
                t, c = time.perf_counter(), time.process_time()
                response = client.get(url + query)
                times.append(time.perf_counter() - t)
                cpu.append(time.process_time() - c)
            sql.append(sum(float(q["time"]) for q in queries.captured_queries))
            assert response.status_code == 200, response.status_code
        times, cpu, sql = times[1:], cpu[1:], sql[1:]  # the first request warms caches and templates
        print(f"pool {label}: median {statistics.median(times) * 1000:.0f} ms wall "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}), "
              f"{statistics.median(cpu) * 1000:.0f} ms Python CPU, {statistics.median(sql) * 1000:.0f} ms SQL, "
              f"{len(queries)} queries")

    t = time.perf_counter()
    expired = offers_expire(programme=programme, at=now)
    first = time.perf_counter() - t
    t = time.perf_counter()
    again = offers_expire(programme=programme, at=now)
    second = time.perf_counter() - t
    print(f"expiry job: {len(expired)} offers expired in {first:.2f} s; again at the same instant: "
          f"{len(again)} in {second * 1000:.0f} ms")


if __name__ == "__main__":
    main()
