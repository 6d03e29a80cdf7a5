"""Publication benchmark: the PDF of one department list, and one page of the public list.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/publication.py --rows 300

Builds a call with ROWS applications in one department (plus --others in a second one), runs the
selection, publishes it, then times (a) `list_pdf` for that department and (b) GET of one page of
the public list through Django's test client, each as the median of --repeat runs.
The database named by DATABASE_URL is migrated and its bench call replaced: use a scratch database.

With --end-to-end (issue 17), a publication of the whole call timed stage by stage, once:

    DATABASE_URL=... .venv/bin/python bench/publication.py --rows 25000 --others 25000 --end-to-end [--stage final]

`run_publish` (the canonical CSV and its digest, the call lock, one e-mail owed per applicant, the
placements of a final list), then each department's PDF as the worker makes it for a list longer
than the request's limit (`render_list_pdf`: parts of 500 rows with progress), then the first page
of the public list; wall and CPU seconds, load average and peak memory of each stage.
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
    parser.add_argument("--end-to-end", action="store_true", help="time the publication and its PDFs stage by stage, once")
    parser.add_argument("--stage", default="preliminary", choices=["preliminary", "final"])
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
    if args.end_to_end:
        end_to_end(call, args.stage)
        return
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


def end_to_end(call, stage: str):
    import resource
    import shutil
    import tempfile

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from mobility.models import OutboxMessage
    from selection.pdf_jobs import pdf_job_file, pdf_job_key, pdf_rows, render_list_pdf
    from selection.publication import run_publish

    def stage_timed(name, func):
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{name}: {wall:.2f} s wall, {cpu:.2f} s CPU; load average {load:.1f} → {os.getloadavg()[0]:.1f}; "
              f"process peak RSS so far {peak:.0f} MB", flush=True)
        return result, wall

    mails = OutboxMessage.objects.count()
    publication, publish_s = stage_timed(f"run_publish ({stage})", lambda: run_publish(
        call=call, stage=stage, at=timezone.now(), confirmed=True))
    print(f"  e-mails owed: {OutboxMessage.objects.count() - mails}", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    media = tempfile.mkdtemp(prefix="bench-publication-")
    total = publish_s
    try:
        with override_settings(MEDIA_ROOT=media):
            for department in ("BENCH-A", "BENCH-B"):
                rows = pdf_rows(publication=publication, departments=[department])
                if not rows:
                    continue
                key = pdf_job_key(publication=publication, departments=[department])
                _, seconds = stage_timed(f"PDF of {department} in the worker ({rows} rows, parts of 500)",
                                         lambda key=key, department=department: render_list_pdf(publication.pk, [department], key))
                total += seconds
                with pdf_job_file(call_code=call.code, key=key) as handle:
                    print(f"  {len(handle.read()) // 1024} KiB", flush=True)
    finally:
        shutil.rmtree(media, ignore_errors=True)
    client = Client(HTTP_HOST="127.0.0.1")
    response, seconds = stage_timed("public list, first view of page 1 (cache miss)",
                                    lambda: client.get(f"/results/{CALL_CODE}/BENCH-A/"))
    assert response.status_code == 200
    print(f"end to end (publish + PDFs + first page): {total + seconds:.1f} s")


if __name__ == "__main__":
    main()
