import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from mobility import selectors
from mobility.celery import app

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "mobility/home.html", {"calls": selectors.calls_visible_to_students()})


def _broker_ok() -> tuple[bool, str]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        logger.warning("broker health check failed: %s", exc)
        return False, type(exc).__name__


def _cache_ok() -> bool:
    """The shared cache answers. Pages work without it (mobility.cache), but the office must know it is down."""

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
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
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
