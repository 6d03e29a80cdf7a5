"""A demo call modelled on the consortium traineeship call of document 001, open today."""
import datetime as dt
import random
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from applications.models import Applicant, Application, ExamResult, Level
from applications.selectors import exam_session_for_call
from mobility.models import Call, Role, User
from mobility.services.calls import call_load
from mobility.services.roles import roles_ensure, user_set_role

DEMO_CODE = "DEMO-UZEM-SMT"
DEMO_PASSWORD = "demo-mobility-2026"
DEMO_ACCOUNTS = [
    ("student@demo.example", Role.STUDENT, "Ayşe", "Yılmaz"),
    ("staff@demo.example", Role.OFFICE_STAFF, "Onur", "Aydın"),
    ("coordinator@demo.example", Role.DEPARTMENT_COORDINATOR, "Elif", "Şahin"),
    ("admin@demo.example", Role.ADMIN, "Admin", "Demo"),
]
DEMO_STUDENT_NUMBER = "400100"
DEPARTMENTS = [
    {"code": "CENG", "name": "Bilgisayar Mühendisliği", "written_min": "60"},
    {"code": "SENG", "name": "Yazılım Mühendisliği", "written_min": "60"},
    {"code": "MIS", "name": "Yönetim Bilişim Sistemleri", "written_min": "60"},
]
FIRST = ["Ahmet", "Mehmet", "Zeynep", "Elif", "Can", "Deniz", "Ece", "Burak", "Selin", "Emre", "Gizem", "Kerem",
         "Merve", "Oğuz", "Şule", "Çağrı", "İrem", "Ümit", "Gökhan", "Büşra"]
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan",
        "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özkan", "Şimşek"]


def demo_call_data(*, now: dt.datetime) -> dict:
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    opens = today - dt.timedelta(days=5)
    closes = (today + dt.timedelta(days=10)).replace(hour=23, minute=59, second=59)
    letters = (closes + dt.timedelta(days=85)).replace(hour=16, minute=0, second=0)
    start = (letters + dt.timedelta(days=100)).date()
    return {
        "code": DEMO_CODE,
        "title": "Erasmus+ UZEM Konsorsiyumu öğrenci staj hareketliliği (demo)",
        "programme": "KA131-SMT",
        "project_number": "2021-1-TR01-KA131-HED-000007053",
        "consortium": "UZEM",
        "applications_open": opens.isoformat(),
        "applications_close": closes.isoformat(),
        "letter_deadline": letters.isoformat(),
        "exam_session": (opens - dt.timedelta(days=50)).date().isoformat(),
        "mobility_start": start.isoformat(),
        "mobility_end": (start + dt.timedelta(days=122)).isoformat(),
        "funded_months": 2,
        "min_days": 60,
        "budget_eur": "5400.00",
        "planning_amount_eur": "1350.00",
        "allocation": "department_round_robin",
        "departments": DEPARTMENTS,
    }


def _demo_applicants(call) -> int:
    rng = random.Random(2022)
    session = exam_session_for_call(call=call)
    departments = {cd.department.code: cd.department for cd in call.call_departments.select_related("department")}
    # Like document 001: one department with a single applicant.
    plan = ["CENG"] * 20 + ["SENG"] + ["MIS"] * 15
    created = 0
    for i, code in enumerate(plan):
        number = f"{400100 + i}"
        first, last, email = rng.choice(FIRST), rng.choice(LAST), f"ogrenci{400100 + i}@demo.example"
        if number == DEMO_STUDENT_NUMBER:
            # The demo student's account, name and e-mail are this applicant's (see DEMO_ACCOUNTS).
            email, _role, first, last = DEMO_ACCOUNTS[0]
        applicant, _ = Applicant.objects.get_or_create(
            student_number=number, defaults={"first_name": first, "last_name": last, "email": email},
        )
        level = Level.MASTER if i % 9 == 4 else Level.BACHELOR
        gpa = None if i == 7 else Decimal(rng.randint(200, 400)) / 100
        application, made = Application.objects.get_or_create(
            call=call, applicant=applicant,
            defaults={
                "department": departments[code], "level": level, "gpa": gpa,
                "prior_participations": 1 if i % 11 == 3 else 0,
                "missed_orientation": i % 13 == 5,
                "disability": "verified" if i == 12 else ("claimed" if i == 14 else ""),
                "submitted_at": call.applications_open + dt.timedelta(hours=i),
            },
        )
        created += made
        absent = i == 9
        ExamResult.objects.get_or_create(
            session=session, applicant=applicant,
            defaults={
                "written": None if absent else Decimal(rng.randint(45, 98)),
                "listening": Decimal(rng.randint(0, 100)),
                "absent": absent,
            },
        )
    return created


@transaction.atomic
def demo_load(*, now=None) -> tuple[Call, list[tuple[str, str]]]:
    """Create the demo call, applicants and accounts; a second run changes nothing."""
    now = now or timezone.now()
    roles_ensure()
    call = Call.objects.filter(code=DEMO_CODE).first()
    if call is None:
        call, _created = call_load(data=demo_call_data(now=now))
        _demo_applicants(call)
    logins = []
    for email, role, first, last in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, first_name=first, last_name=last)
            if role == Role.ADMIN:
                user.is_superuser = True
                user.is_staff = True
                user.save()
            if role == Role.STUDENT:
                user.student_number = DEMO_STUDENT_NUMBER
                user.save(update_fields=["student_number"])
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user_set_role(user=user, role=role)
            if role == Role.DEPARTMENT_COORDINATOR:
                user.departments.add(*[cd.department for cd in call.call_departments.filter(department__code="CENG")])
        logins.append((str(role.label), email))
    email, _role, first, last = DEMO_ACCOUNTS[0]
    # Also repairs a demo database loaded before the student's record matched the account.
    Applicant.objects.filter(student_number=DEMO_STUDENT_NUMBER).update(
        user=User.objects.get(email=email), email=email, first_name=first, last_name=last,
    )
    from internships.demo import demo_programme_load  # the national internship programme (a higher app)
    logins += demo_programme_load(now=now)
    return call, logins
