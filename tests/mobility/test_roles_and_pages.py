import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mobility.models import Call, CallDepartment, CallStatus, Role
from mobility.services.roles import roles_ensure, user_role
from tests.factories import CallDepartmentFactory, CallFactory, DepartmentFactory, UserFactory

# Sign-up asks for the name and student number the account is linked by.
NAMES = {"first_name": "Deniz", "last_name": "Kaya", "student_number": "500123"}

pytestmark = pytest.mark.django_db


def test_setup_roles_creates_the_four_groups_and_is_safe_to_repeat():
    roles_ensure()
    roles_ensure()
    assert set(Group.objects.values_list("name", flat=True)) == {r.value for r in Role}
    staff = Group.objects.get(name=Role.OFFICE_STAFF)
    assert staff.permissions.filter(codename="access_office").exists()
    assert not Group.objects.get(name=Role.STUDENT).permissions.exists()


@pytest.mark.parametrize("page", ["office_call_list"])
def test_a_student_gets_403_on_staff_pages(client, student, call, page):
    client.force_login(student)
    assert client.get(reverse(page)).status_code == 403
    assert client.get(reverse("office_call_detail", args=[call.code])).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 302  # admin login, not the admin


def test_anonymous_visitors_are_sent_to_sign_in_from_the_dashboard(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_office_staff_see_every_call(client, staff, call):
    other = CallFactory(code="OTHER-1")
    client.force_login(staff)
    response = client.get(reverse("office_call_list"))
    assert response.status_code == 200
    assert call.code in response.content.decode() and other.code in response.content.decode()
    assert client.get(reverse("office_call_detail", args=[call.code])).status_code == 200


def test_a_coordinator_sees_only_calls_and_departments_of_their_own(client, coordinator, call):
    mine = call.call_departments.get(department__code="CENG").department
    coordinator.departments.add(mine)
    elsewhere = CallFactory(code="ELSEWHERE")
    CallDepartmentFactory(call=elsewhere, department__code="PHYS")
    client.force_login(coordinator)
    page = client.get(reverse("office_call_list")).content.decode()
    assert call.code in page and "ELSEWHERE" not in page
    assert client.get(reverse("office_call_detail", args=["ELSEWHERE"])).status_code == 404
    detail = client.get(reverse("office_call_detail", args=[call.code])).content.decode()
    assert "CENG" in detail and "Yazılım Mühendisliği" not in detail


def test_user_role_reads_the_group(student, staff, coordinator, admin_user):
    assert user_role(student) == Role.STUDENT
    assert user_role(staff) == Role.OFFICE_STAFF
    assert user_role(coordinator) == Role.DEPARTMENT_COORDINATOR
    assert user_role(admin_user) == Role.ADMIN


def test_staff_accounts_open_the_admin_site_but_students_do_not(client, staff, student):
    assert staff.is_staff and not student.is_staff
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200


def test_home_lists_announced_open_calls_in_turkish_by_default(client, call):
    CallFactory(code="HIDDEN", status=CallStatus.DRAFT, title="Taslak çağrı")
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="tr">' in body
    assert call.title in body and "Taslak çağrı" not in body


def test_home_in_english_after_switching_language(client, call):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Open calls" in response.content.decode()


def test_key_dates_are_shown_in_turkish_time(client):
    import datetime as dt

    CallFactory(
        code="TZ",
        applications_open=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        applications_close=dt.datetime(2099, 3, 15, 13, 0, tzinfo=dt.UTC),
    )
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "15 March 2099, 16:00" in body or "15 Mart 2099, 16:00" in body


def test_dashboard_shows_open_calls_to_students_and_calls_with_state_to_staff(client, student, staff, call):
    client.force_login(student)
    assert call.title in client.get(reverse("dashboard")).content.decode()
    client.force_login(staff)
    body = client.get(reverse("dashboard")).content.decode()
    assert call.code in body and "badge" in body


def _calls(count: int, *, start: int, department) -> None:
    """`count` calls with one department each, in two bulk queries."""
    now = timezone.now()
    Call.objects.bulk_create(
        Call(code=f"Q{start + i:04d}", title=f"Call {start + i}", programme="KA131-SMT",
             applications_open=now - dt.timedelta(days=1), applications_close=now + dt.timedelta(days=i + 1))
        for i in range(count)
    )
    calls = Call.objects.filter(code__in=[f"Q{start + i:04d}" for i in range(count)])
    CallDepartment.objects.bulk_create(CallDepartment(call=call, department=department) for call in calls)


@pytest.mark.parametrize("role", ["staff", "coordinator"])
def test_office_call_list_query_count_does_not_grow_with_calls(client, request, role):
    user = request.getfixturevalue(role)
    department = DepartmentFactory(code="CENG")
    if role == "coordinator":
        user.departments.add(department)
    _calls(10, start=0, department=department)
    client.force_login(user)
    url = reverse("office_call_list")
    client.get(url)  # sessions, permissions and content types are cached from here on
    with CaptureQueriesContext(connection) as ten:
        assert client.get(url).content.decode().count('class="badge"') == 10
    _calls(990, start=10, department=department)
    with CaptureQueriesContext(connection) as thousand:
        assert client.get(url).content.decode().count('class="badge"') == 1000
    assert len(thousand) == len(ten), "\n".join(q["sql"] for q in thousand.captured_queries)

def test_staff_accounts_are_created_by_admins_only_not_by_sign_up(client, db):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@ogr.example.edu.tr", "password1": "A-long-pass-phrase-9", "password2": "A-long-pass-phrase-9", **NAMES},
    )
    assert response.status_code == 302
    from mobility.models import User

    user = User.objects.get(email="new@ogr.example.edu.tr")
    assert user_role(user) == Role.STUDENT and not user.is_staff


def test_sign_up_can_be_restricted_to_university_domains(client, db):
    from mobility.models import PortalSettings, User

    settings_row = PortalSettings.load()
    settings_row.signup_email_domains = "ogr.ktu.edu.tr"
    settings_row.save()
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@gmail.com", "password1": "A-long-pass-phrase-9", "password2": "A-long-pass-phrase-9", **NAMES},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "@ogr.ktu.edu.tr" in response.content.decode()
    assert not User.objects.filter(email="someone@gmail.com").exists()


def test_sign_up_can_be_closed_by_an_admin(client, db):
    from mobility.models import PortalSettings

    PortalSettings.objects.update_or_create(pk=1, defaults={"student_signup_open": False})
    response = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Sign Up Closed" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {"email": "late@example.edu.tr", "password1": "A-long-pass-phrase-9", "password2": "A-long-pass-phrase-9", **NAMES},
    )
    from mobility.models import User

    assert not User.objects.filter(email="late@example.edu.tr").exists()


def test_login_needs_a_verified_email(client, db):
    UserFactory(email="unverified@example.edu.tr")
    response = client.post(reverse("account_login"), {"login": "unverified@example.edu.tr", "password": "secret-pass-123"})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"] or "verification" in response["Location"]


def test_repeated_failed_logins_are_rate_limited(client, db, settings):
    from allauth.account.models import EmailAddress

    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    user = UserFactory(email="target@example.edu.tr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(3):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    # Even the right password is refused until the window has passed.
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "secret-pass-123"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()


def test_sign_up_sends_a_verification_email(client, db, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "fresh@ogr.example.edu.tr", "password1": "A-long-pass-phrase-9", "password2": "A-long-pass-phrase-9", **NAMES},
    )
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["fresh@ogr.example.edu.tr"]
    assert "/accounts/confirm-email/" in mailoutbox[0].body


def test_password_reset_sends_a_link(client, db, mailoutbox):
    from allauth.account.models import EmailAddress

    user = UserFactory(email="forgot@example.edu.tr")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_reset_password"), {"email": "forgot@example.edu.tr"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.django_db
def test_the_admin_and_office_roles_cover_every_app_of_the_portal():
    from django.apps import apps
    from django.conf import settings

    from mobility.models import Role
    from mobility.services.roles import APPS_WITHOUT_PERMISSIONS, ROLE_PERMISSIONS

    root = settings.BASE_DIR
    ours = {config.label for config in apps.get_app_configs() if (root / config.name.split(".")[0]).is_dir()}
    for role in (Role.ADMIN, Role.OFFICE_STAFF):
        covered = {item.split(".", 1)[0] for item in ROLE_PERMISSIONS[role]}
        assert ours - APPS_WITHOUT_PERMISSIONS - covered == set(), role
