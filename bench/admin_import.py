"""Admin import of a large applicant file: the upload request, then the worker's check and import.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/admin_import.py --rows 152000

The upload goes through the admin like a browser's (Django's test client, so no network); the
file is above IMPORT_BACKGROUND_BYTES, so the request only stores it. The worker's two steps are
timed by calling what the Celery task calls, in this process.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=152_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from imports import write_files

    from applications.imports import import_job_process
    from applications.models import ImportJob, ImportJobStatus
    from mobility.models import User
    from mobility.services.calls import call_load

    call_command("migrate", verbosity=0)
    admin, _ = User.objects.get_or_create(email="bench-admin@example.edu.tr", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    timings = {"upload request (stores the file)": [], "worker: check (preview)": [], "worker: import": []}
    with tempfile.TemporaryDirectory() as tmp, mock.patch("applications.admin.import_job_enqueue"), \
            mock.patch("applications.imports.import_job_enqueue"):
        for round_ in range(args.repeat):
            code = f"ADMIN-IMPORT-BENCH-{time.time_ns()}"
            call, _ = call_load(data={
                "code": code, "title": "Admin import benchmark", "programme": "KA131-SMT",
                "applications_open": "2022-12-05T00:00:00+03:00", "applications_close": "2022-12-20T23:59:59+03:00",
                "departments": [{"code": f"D{d:02d}", "name": f"Bölüm {d:02d}"} for d in range(args.departments)],
            })
            applicants, _exams = write_files(Path(tmp), args.rows, args.departments,
                                             offset=(int(time.time()) % 100_000) * 10_000_000 + round_ * args.rows)
            size = applicants.stat().st_size
            with applicants.open("rb") as handle:
                start = time.perf_counter()
                response = client.post(reverse("admin:applications_application_import"),
                                       {"call": call.pk, "format": "0", "import_file": handle})
                timings["upload request (stores the file)"].append(time.perf_counter() - start)
            assert response.status_code == 302, response.status_code
            job = ImportJob.objects.latest("pk")
            start = time.perf_counter()
            import_job_process(job_id=job.pk)
            timings["worker: check (preview)"].append(time.perf_counter() - start)
            job.refresh_from_db()
            assert job.status == ImportJobStatus.CHECKED, (job.status, job.errors[:3])
            client.post(response.url, {"confirm": "1"})
            start = time.perf_counter()
            import_job_process(job_id=job.pk)
            timings["worker: import"].append(time.perf_counter() - start)
            job.refresh_from_db()
            assert job.status == ImportJobStatus.DONE, (job.status, job.errors[:3])
    print(f"{args.rows} rows ({size / 1024 / 1024:.1f} MB), {args.departments} departments, {connection.vendor}, {args.repeat} rounds")
    for label, values in timings.items():
        print(f"  {label:<36} median {statistics.median(values):.2f} s  {[round(v, 2) for v in values]}")


if __name__ == "__main__":
    main()
