import logging

from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mobility import selectors
from mobility.models import Call, Role
from mobility.office_views import workspace_context
from mobility.services.roles import user_role

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "mobility/home.html", {"calls": selectors.calls_visible_to_students()})


@login_required
def dashboard(request):
    role = user_role(request.user)
    context = {"role": role}
    if request.user.has_perm("mobility.access_office"):
        context["calls"] = selectors.calls_for_office(user=request.user)
    else:
        from applications.student.selectors import student_dashboard

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
        raise Http404
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


def _broker_ok() -> tuple[bool, str]:
    from mobility.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        logger.warning("broker health check failed: %s", exc)
        return False, type(exc).__name__


def _cache_ok() -> bool:
    """The shared cache answers. Pages work without it (mobility.cache), but the office must know it is down."""
    from django.core.cache import cache

    ping = getattr(cache, "ping", None)
    if ping is not None:
        return ping()
    try:
        cache.set("healthz", "ok", 10)
        return cache.get("healthz") == "ok"
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        logger.warning("cache health check failed: %s", exc)
        return False


@never_cache
def healthz(request):
    """ok / error (database, broker or cache down: 503) for everyone (monitoring, the container check); what failed only for staff,
    since vendors and exception names help an attacker more than a visitor."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001
        logger.warning("database health check failed: %s", exc)
        database = {"ok": False, "error": type(exc).__name__}
    broker_ok, detail = _broker_ok()
    cache_ok = _cache_ok()
    body = {"status": "ok" if database["ok"] and broker_ok and cache_ok else "error"}
    if request.user.is_authenticated and (request.user.is_staff or request.user.has_perm("mobility.access_office")):
        body.update(database=database, broker={"ok": broker_ok, "transport": detail}, cache={"ok": cache_ok})
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


