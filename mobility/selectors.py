from django.db.models import Count, QuerySet
from django.utils import timezone

from mobility.models import Call, CallStatus, Department


def calls_visible_to_students(*, now=None) -> QuerySet[Call]:
    """Announced calls that are open now or open later, soonest deadline first."""
    now = now or timezone.now()
    return (
        Call.objects.filter(status=CallStatus.ANNOUNCED, applications_close__gt=now)
        .order_by("applications_close", "code")
    )


def sees_every_department(user) -> bool:
    """The one answer to "who sees every department": office staff and admins (who may change calls).

    A coordinator sees their own departments only, and anyone else none (departments_seen_by).
    """
    return user.is_superuser or user.has_perm("mobility.change_call")


def departments_seen_by(*, user) -> QuerySet[Department] | None:
    """The departments whose applications and results the user may see; None means every one."""
    if sees_every_department(user):
        return None
    if not user.is_authenticated:
        return Department.objects.none()
    return user.departments.all()


def calls_for_office(*, user) -> QuerySet[Call]:
    """Every call for office staff and admins; a coordinator sees calls of their departments."""
    calls = Call.objects.all()
    seen = departments_seen_by(user=user)
    if seen is not None:
        calls = calls.filter(call_departments__department__in=seen).distinct()
    return calls.annotate(
        department_count=Count("call_departments", distinct=True),
    ).order_by("-applications_open", "code")


def call_for_office(*, user, code: str) -> Call:
    return calls_for_office(user=user).get(code=code)


def departments_visible_to(*, user, call: Call):
    departments = call.call_departments.select_related("department")
    seen = departments_seen_by(user=user)
    if seen is not None:
        departments = departments.filter(department__in=seen)
    return departments
