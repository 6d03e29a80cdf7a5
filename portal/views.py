"""The dashboard and the office's call pages: they read calls, applications and the workspace."""
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import render

from applications.student.selectors import student_dashboard
from mobility import selectors
from mobility.models import Call, Role
from mobility.services.roles import user_role
from portal.office_views import workspace_context


@login_required
def dashboard(request):
    role = user_role(request.user)
    context = {"role": role}
    if request.user.has_perm("mobility.access_office"):
        context["calls"] = selectors.calls_for_office(user=request.user)
    else:
        context.update(student_dashboard(user=request.user))
    if role == Role.DEPARTMENT_COORDINATOR:
        context["departments"] = request.user.departments.all()
    return render(request, "mobility/dashboard.html", context)


@permission_required("mobility.access_office", raise_exception=True)
def office_call_list(request):
    return render(request, "mobility/office/call_list.html", {"calls": selectors.calls_for_office(user=request.user)})


@permission_required("mobility.access_office", raise_exception=True)
def office_call_detail(request, code: str):
    try:
        call = selectors.call_for_office(user=request.user, code=code)
    except Call.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "mobility/office/call_detail.html",
        {
            "call": call,
            "departments": selectors.departments_visible_to(user=request.user, call=call),
            "country_groups": call.country_groups.all(),
            **workspace_context(request, call),
        },
    )
