"""Publication benchmark: the PDF of one department list, and one page of the public list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/publication.py --rows 300

Builds a call with ROWS applications in one department (plus --others in a second one), runs the
selection, publishes it, then times (a) `list_pdf` for that department and (b) GET of one page of
the public list through Django's test client, each as the median of --repeat runs.
The database named by DATABASE_URL is migrated and its bench call replaced: use a scratch database.
"""
import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")

CALL_CODE = "BENCH-PUBLISH"


def build(rows: int, others: int):
    from django.utils import timezone

    from applications.models import Applicant, Application, ExamResult
    from applications.selectors import exam_session_for_call
    from mobility.models import Call, CallDepartment, CallStatus, Department
    from selection.models import Publication

    Publication.objects.filter(call__code=CALL_CODE).delete()
    Call.objects.filter(code=CALL_CODE).delete()
    now = timezone.now()
    call = Call.objects.create(
        code=CALL_CODE, title="Bench publication", programme="KA131-SMT", status=CallStatus.APPLICATIONS_CLOSED,
        applications_open=now - dt.timedelta(days=30), applications_close=now - dt.timedelta(days=1),
        appeal_deadline=now + dt.timedelta(days=3), budget_eur=Decimal("135000"), planning_amount_eur=Decimal("1350"),
    )
    departments = []
    for code, name in (("BENCH-A", "Bilgisayar Mühendisliği"), ("BENCH-B", "Yönetim Bilişim Sistemleri")):
        department, _ = Department.objects.get_or_create(code=code, defaults={"name": name})
        CallDepartment.objects.create(call=call, department=department, written_min=Decimal("50"))
        departments.append(department)
    session = exam_session_for_call(call=call)
    Applicant.objects.filter(student_number__startswith="88").delete()
    applicants = Applicant.objects.bulk_create(
        Applicant(student_number=f"88{i:07d}", first_name="Şule Çağla", last_name=f"Öztürk{i}", email=f"b{i}@example.edu.tr")
        for i in range(rows + others)
    )
    Application.objects.bulk_create(
        Application(call=call, applicant=a, department=departments[0 if i < rows else 1], level="bachelor",
                    gpa=Decimal(200 + (i * 37) % 200) / 100, disability="verified" if i % 50 == 0 else "")
        for i, a in enumerate(applicants)
    )
    ExamResult.objects.bulk_create(
        ExamResult(session=session, applicant=a, written=Decimal(40 + (i * 13) % 60), listening=Decimal((i * 7) % 100))
        for i, a in enumerate(applicants)
    )
    return call


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--others", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true", help="only build and publish (for bench/page_load.py)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone, translation

    call_command("migrate", verbosity=0)
    setup_test_environment()
    call = build(args.rows, args.others)
    from selection.listing import list_pdf
    from selection.publication import run_publish
    from selection.services import selection_run

    selection_run(call=call)
    publication = run_publish(call=call, stage="preliminary", at=timezone.now(), confirmed=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a real database soon after
    if args.no_pdf:
        print(f"built and published {CALL_CODE}: {args.rows + args.others} applications, run #{publication.run_id}")
        return
    pdf_times = []
    with translation.override("tr"):
        for _ in range(args.repeat):
            started = time.perf_counter()
            pdf = list_pdf(publication=publication, departments=["BENCH-A"])
            pdf_times.append(time.perf_counter() - started)
    client = Client(HTTP_HOST="127.0.0.1")
    page_times = []
    for _ in range(max(args.repeat, 5)):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(f"/results/{CALL_CODE}/BENCH-A/?page=2")
            page_times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(f"rows={args.rows} others={args.others} db={connection.vendor} cpu_count={os.cpu_count()} load={os.getloadavg()[0]:.1f}")
    print(f"pdf ({len(pdf) // 1024} KiB): median {statistics.median(pdf_times):.2f} s, runs {', '.join(f'{t:.2f}' for t in pdf_times)}")
    print(f"public page 2: median {statistics.median(page_times) * 1000:.0f} ms, {len(ctx.captured_queries)} queries")


if __name__ == "__main__":
    main()
