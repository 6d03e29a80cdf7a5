import pytest
from django.contrib.auth.models import AnonymousUser

from mobility.models import Department
from mobility.selectors import calls_for_office, departments_seen_by, departments_visible_to

pytestmark = pytest.mark.django_db


def test_office_staff_and_admins_see_every_department(staff, admin_user):
    assert departments_seen_by(user=staff) is None
    assert departments_seen_by(user=admin_user) is None


def test_a_coordinator_sees_their_own_departments_only(coordinator, call):
    mis = Department.objects.get(code="MIS")
    coordinator.departments.add(mis)
    assert list(departments_seen_by(user=coordinator)) == [mis]
    assert [cd.department.code for cd in departments_visible_to(user=coordinator, call=call)] == ["MIS"]
    assert list(calls_for_office(user=coordinator)) == [call]


def test_students_and_visitors_see_no_department(student, call):
    assert list(departments_seen_by(user=student)) == []
    assert list(departments_seen_by(user=AnonymousUser())) == []
    assert not calls_for_office(user=student).exists()
