"""Redis down (a Redis URL on a closed port) takes neither sign-in nor the public list down; /healthz says 503."""
import datetime as dt
import socket

import pytest
from django.core.cache import cache
from django.urls import reverse

from selection.publication import run_publish
from selection.services import selection_run
from tests.factories import UserFactory
from tests.selection.helpers import apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The cache the settings choose for REDIS_URL, pointed at a port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "mobility.cache.ResilientRedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    return port


def test_the_cache_answers_from_memory_while_redis_is_down(redis_down):
    assert cache.ping() is False
    cache.set("k", 41)
    assert cache.incr("k") == 42 and cache.get("k") == 42
    assert cache.add("lock", True) is True and cache.add("lock", True) is False


def test_sign_in_works_and_still_counts_failures_while_redis_is_down(client, redis_down, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    user = UserFactory(role="student", email="ayse@ogr.example.edu.tr")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    assert client.get(reverse("account_login")).status_code == 200
    for _ in range(3):
        assert client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}).status_code == 200
    # The rate limit still counts, in the per-process fallback: even the right password is refused now.
    locked = client.post(reverse("account_login"), {"login": user.email, "password": "secret-pass-123"}, HTTP_ACCEPT_LANGUAGE="en")
    assert locked.status_code == 200 and "Too many failed login attempts" in locked.content.decode()
    cache.clear()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "secret-pass-123"})
    assert response.status_code == 302


def test_the_public_list_works_while_redis_is_down(client, call, redis_down):
    apply(call, "CENG", gpa="3.60", written="90", listening="80", number="20230001")
    selection_run(call=call)
    run_publish(call=call, stage="preliminary", at=dt.datetime(2023, 3, 15, 13, 0, tzinfo=dt.UTC), confirmed=True)
    for _ in range(2):
        response = client.get(reverse("public:list", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200 and "****0001" in response.content.decode()


def test_healthz_is_503_while_the_cache_is_down(client, redis_down, staff):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503 and response.json() == {"status": "error"}
    client.force_login(staff)
    assert client.get(reverse("healthz")).json()["cache"] == {"ok": False}
