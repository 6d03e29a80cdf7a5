"""The deadline sweep running twice at the same moment (two beat schedulers, a slow worker)."""
import datetime as dt
import threading

import pytest
from django.utils import timezone

from mobility.models import AuditEntry, DeadlineEvent
from mobility.services import deadlines
from mobility.services.deadlines import deadlines_sweep
from tests.concurrency import run_concurrently, wait_until_another_transaction_waits_for_this_one
from tests.factories import CallFactory


@pytest.fixture
def recorded():
    """Handlers that record each call they handle, then keep the transaction open until the other
    sweep is really waiting on it (PostgreSQL says so): the two sweeps meet on every deadline,
    however fast or slow either thread is, and the test fails if they never do."""
    seen: list[tuple[int, str]] = []
    lock = threading.Lock()
    handlers = {}
    for kind in ("applications_close", "letter_deadline"):
        def handler(call, kind=kind):
            with lock:
                seen.append((call.pk, kind))
            wait_until_another_transaction_waits_for_this_one(what="the other sweep")

        handlers[kind] = handler
        deadlines._handlers[kind].append(handler)
    yield seen
    for kind, handler in handlers.items():
        deadlines._handlers[kind].remove(handler)


def test_two_sweeps_at_the_same_moment_handle_each_deadline_once(concurrent_db, recorded):
    now = timezone.now()
    calls = [
        CallFactory(
            applications_open=now - dt.timedelta(days=30),
            applications_close=now - dt.timedelta(days=10),
            letter_deadline=now - dt.timedelta(minutes=i + 1),
        )
        for i in range(3)
    ]
    expected = sorted((call.pk, kind) for call in calls for kind in ("applications_close", "letter_deadline"))

    first, second = run_concurrently(lambda: deadlines_sweep(now=now), lambda: deadlines_sweep(now=now), timeout=300)

    assert first.ok and second.ok, (first.error, second.error)
    assert sorted(recorded) == expected  # every handler ran once, none twice
    codes = {call.code: call.pk for call in calls}
    reported = sorted((codes[code], kind) for code, kind in first.value + second.value)
    assert reported == expected
    assert DeadlineEvent.objects.count() == len(expected)
    assert AuditEntry.objects.filter(action__startswith="deadline.").count() == len(expected)
