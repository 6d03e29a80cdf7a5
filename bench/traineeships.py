"""After-the-letter benchmark: the EU report of 5,000 mobilities (CSV and BM XML) and the
Learning Agreement PDF.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/traineeships.py

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

CALL_CODE = "BENCH-BM-5K"


def cleanup():
    from applications.models import Applicant, Application
    from letters.models import Placement
    from mobility.models import Call

    Placement.objects.filter(call__code=CALL_CODE).delete()
    Application.objects.filter(call__code=CALL_CODE).delete()
    Applicant.objects.filter(student_number__startswith="9", student_number__regex=r"^9[0-9]{7}$", applications__isnull=True).delete()
    Call.objects.filter(code=CALL_CODE).delete()


def build(n: int):
    from django.utils import timezone

    from applications.models import Applicant, Application
    from letters.models import Letter, Placement
    from mobility.models import Call, CallDepartment, Department
    from traineeships.models import LearningAgreement, Mobility

    cleanup()
    now = timezone.now()
    call = Call.objects.create(
        code=CALL_CODE, title="Bench", programme="KA131-SMT", project_number="2025-1-TR01-KA131-HED-000000001",
        applications_open=now - dt.timedelta(days=200), applications_close=now - dt.timedelta(days=190),
        mobility_start=dt.date(2025, 6, 1), mobility_end=dt.date(2025, 12, 31), status="final_published",
        institution_erasmus_code="TR TRABZON01", institution_schac="ktu.edu.tr", institution_pic="999860832",
        institution_name="Karadeniz Teknik Üniversitesi",
    )
    departments = []
    for i in range(20):
        department, _ = Department.objects.get_or_create(code=f"BD{i:02d}", defaults={"name": f"Bench {i}"})
        CallDepartment.objects.create(call=call, department=department, isced="0613")
        departments.append(department)
    numbers = [f"9{i:07d}" for i in range(n)]
    Applicant.objects.filter(student_number__in=numbers).delete()
    applicants = Applicant.objects.bulk_create(
        Applicant(student_number=s, first_name="Ayşe", last_name=f"Yılmaz{i}", email=f"s{s}@example.edu.tr") for i, s in enumerate(numbers))
    applications = Application.objects.bulk_create(
        Application(call=call, applicant=a, department=departments[i % 20], level="bachelor", gpa=Decimal("3.00"))
        for i, a in enumerate(applicants))
    placements = Placement.objects.bulk_create(
        Placement(call=call, application=app, student_number=app.applicant.student_number, department_code=departments[i % 20].code,
                  order=i + 1, status="primary", held_eur=Decimal("1500.00"))
        for i, app in enumerate(applications))
    Letter.objects.bulk_create(
        Letter(placement=p, host_name=f"Host {i} GmbH", host_type="company", country="DE", city="Berlin",
               start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 8, 30), days=60, monthly_rate_eur=Decimal("750.00"),
               grant_eur=Decimal("1500.00"), submitted_at=now, decision="approved")
        for i, p in enumerate(placements))
    Mobility.objects.bulk_create(
        Mobility(placement=p, gender="2", birth_date=dt.date(2002, 3, 14), nationality="TR", main_language="EN",
                 distance_band="BAND_2000_2999", transport_means="PLANE", green_travel=False, host_legal_address="Str. 1",
                 host_postal_code="10115", host_phone="+49301234567", host_below_250=True)
        for p in placements)
    first = placements[0]
    agreement = LearningAgreement.objects.create(
        placement=first, version=1, created_at=now, eqf_level=6, isced="0613", host_name="Host 0 GmbH", host_country="DE",
        mentor_name="Anna Schmidt", mentor_email="anna@example.de", start_date=dt.date(2025, 7, 1), end_date=dt.date(2025, 8, 30),
        title="Intern", hours_per_week=40, programme="Build things. " * 40, skills="Python", monitoring_plan="Weekly",
        evaluation_plan="Report", language="EN", language_level="B2", table_b="embedded", grant_eur=Decimal("1500.00"),
    )
    return call, agreement


def timed(func, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mobilities", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from traineeships.pdf import agreement_pdf
    from traineeships.services.reporting import mobilities_export

    start = time.perf_counter()
    call, agreement = build(args.mobilities)
    print(f"database: {connection.vendor}; built {args.mobilities} mobilities in {time.perf_counter() - start:.1f} s")
    csv_time, (csv_data, _) = timed(lambda: mobilities_export(call=call, fmt="csv"), args.repeat)
    xml_time, (xml_data, left_out) = timed(lambda: mobilities_export(call=call, fmt="xml"), args.repeat)
    assert not left_out
    print(f"export_mobilities CSV: {csv_time:.2f} s ({len(csv_data) / 1e6:.1f} MB), median of {args.repeat}")
    print(f"export_mobilities XML: {xml_time:.2f} s ({len(xml_data) / 1e6:.1f} MB), median of {args.repeat}")
    agreement_pdf(agreement=agreement, language="tr")  # fonts and templates warm
    for language in ("tr", "en"):
        pdf_time, pdf = timed(lambda language=language: agreement_pdf(agreement=agreement, language=language), 5)
        print(f"Learning Agreement PDF ({language}): {pdf_time:.2f} s ({len(pdf) / 1e3:.0f} kB), median of 5")
    cleanup()


if __name__ == "__main__":
    main()
