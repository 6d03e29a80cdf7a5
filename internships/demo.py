"""Demo data for the national internship programme: a programme open today, the demo student on the
list, 30 applicants in the pool, a host unit with its own login. Safe to run again."""
import datetime as dt
import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from internships.models import HostUnit, InternshipProgramme, InternshipStudent
from internships.rules.calendar import CalendarRuleError
from internships.services.applications import application_confirm_details, application_set_choices
from internships.services.programme import programme_load, programme_span
from mobility.models import User

DEMO_PROGRAMME = "USP-DEMO"
HOST_EMAIL = "host@demo.example"
PASSWORD = "demo-mobility-2026"
FIRST = ["Ahmet", "Zeynep", "Can", "Deniz", "Ece", "Burak", "Selin", "Emre", "Gizem", "Kerem"]
LAST = ["Kaya", "Demir", "Çelik", "Yıldız", "Öztürk", "Arslan", "Doğan", "Koç"]
CITIES = ["06:Çankaya,Yenimahalle", "34:*", "35:Konak,Bornova", "16:Nilüfer", "06:*;34:Kadıköy,Üsküdar"]


def _calendar_starts(year: int) -> list[dt.date]:
    """Three summer starts like document 003's (mid July, early and mid August), moved to a working day."""
    starts = []
    probe = InternshipProgramme(half_day="working", closed_days=[])
    for month, day in ((7, 16), (8, 5), (8, 19)):
        start = dt.date(year, month, day)
        for _attempt in range(7):
            try:
                programme_span(probe, start=start, working_days=20, week=5)
                break
            except CalendarRuleError:
                start += dt.timedelta(days=1)
        starts.append(start)
    return starts


@transaction.atomic
def demo_programme_load(*, now=None) -> list[tuple[str, str]]:
    """Returns the extra demo logins (role, e-mail)."""

    now = now or timezone.now()
    if not InternshipProgramme.objects.filter(code=DEMO_PROGRAMME).exists():
        year = now.year if now.month < 6 else now.year + 1
        calendars = []
        for i, start in enumerate(_calendar_starts(year), start=1):
            calendars.append({"code": f"T20-{i}", "start": start.isoformat(), "working_days": 20, "week": 5})
        for i, start in enumerate(_calendar_starts(year)[:2], start=1):
            calendars.append({"code": f"T30-{i}", "start": start.isoformat(), "working_days": 30, "week": 5})
        programme, _ = programme_load(data={
            "code": DEMO_PROGRAMME, "title": f"Ulusal Staj Programı {year} (demo)",
            "applications_open": (now - dt.timedelta(days=7)).isoformat(),
            "applications_close": (now + dt.timedelta(days=30)).isoformat(),
            "departments": [{"code": "CENG", "name": "Bilgisayar Mühendisliği", "internship_days": 20},
                            {"code": "SENG", "name": "Yazılım Mühendisliği", "internship_days": 20},
                            {"code": "MIS", "name": "Yönetim Bilişim Sistemleri", "internship_days": 30}],
            "calendars": calendars,
            "host_units": [{"code": "LIB", "name": "Kütüphane ve Dokümantasyon Daire Başkanlığı", "email": HOST_EMAIL},
                           {"code": "BIDB", "name": "Bilgi İşlem Daire Başkanlığı", "language": "en"}],
        }, at=now)
        _students(programme, now)
    programme = InternshipProgramme.objects.get(code=DEMO_PROGRAMME)
    user = User.objects.filter(email=HOST_EMAIL).first()
    if user is None:

        user = User.objects.create_user(email=HOST_EMAIL, password=PASSWORD, first_name="Kütüphane", last_name="Birimi")
        EmailAddress.objects.create(user=user, email=HOST_EMAIL, verified=True, primary=True)
    HostUnit.objects.get(programme=programme, code="LIB").members.add(user)
    return [(gettext("Internship host unit"), HOST_EMAIL)]


def _students(programme, now):
    rng = random.Random(3)
    departments = {d.department.code: d for d in programme.departments.select_related("department")}
    # The demo student of the Erasmus+ call, on the career centre's list too (same account).
    InternshipStudent.objects.create(programme=programme, student_number="400100", first_name="Ayşe", last_name="Yılmaz",
                                     email="student@demo.example", department=departments["CENG"], level="bachelor",
                                     year=3, gpa=Decimal("3.12"))
    for i in range(30):
        code = ("CENG", "SENG", "MIS")[i % 3]
        student = InternshipStudent.objects.create(
            programme=programme, student_number=f"5{i:05d}", first_name=rng.choice(FIRST), last_name=rng.choice(LAST),
            email=f"usp{i}@demo.example", department=departments[code], level="bachelor", year=rng.choice([2, 3, 4]),
            gpa=Decimal(rng.randint(200, 390)) / 100,
        )
        application_confirm_details(student=student, at=now)
        length = departments[code].internship_days
        codes = ["T20-1", "T20-2", "T20-3"] if length == 20 else ["T30-1", "T30-2"]
        application_set_choices(student=student, calendars=rng.sample(codes, rng.randint(1, len(codes))),
                                cities=rng.choice(CITIES), complete=True, at=now)
