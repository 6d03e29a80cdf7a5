"""Who may see which call and which departments on the office pages (shared by the office views)."""
from django.http import Http404

from mobility import selectors
from mobility.models import Call


def office_call(request, code: str) -> Call:
    try:
        return selectors.call_for_office(user=request.user, code=code)
    except Call.DoesNotExist:
        raise Http404 from None


def is_office_staff(user) -> bool:
    return selectors.sees_every_department(user)


def visible_departments(request, call) -> list[str] | None:
    """None for office staff (everything); a coordinator's own department codes otherwise."""
    if selectors.sees_every_department(request.user):
        return None
    return [cd.department.code for cd in selectors.departments_visible_to(user=request.user, call=call)]
