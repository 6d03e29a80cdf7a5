import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mobility.models import AuditEntry, DeadlineEvent
from mobility.services.deadlines import deadline_handler, deadlines_sweep
from mobility.tasks import sweep
from tests.factories import CallFactory

pytestmark = pytest.mark.django_db


def test_sweep_handles_a_passed_deadline_once_even_when_run_twice():
    now = timezone.now()
    call = CallFactory(
        applications_open=now - dt.timedelta(days=20),
        applications_close=now - dt.timedelta(minutes=1),
        letter_deadline=now + dt.timedelta(days=30),
    )
    seen = []
    deadline_handler("applications_close")(seen.append)
    try:
        assert sweep.delay().get() == 1
        assert sweep.delay().get() == 0
    finally:
        from mobility.services import deadlines

        deadlines._handlers["applications_close"].remove(seen.append)
    assert seen == [call]
    assert DeadlineEvent.objects.filter(call=call).count() == 1
    assert AuditEntry.objects.filter(action="deadline.applications_close").count() == 1


def test_sweep_leaves_future_deadlines_alone():
    CallFactory()
    assert deadlines_sweep() == []
    assert not DeadlineEvent.objects.exists()


def test_a_failing_handler_leaves_the_deadline_for_the_next_sweep():
    now = timezone.now()
    CallFactory(applications_open=now - dt.timedelta(days=2), applications_close=now - dt.timedelta(hours=1))

    def broken(call):
        raise RuntimeError("mail server down")

    deadline_handler("applications_close")(broken)
    from mobility.services import deadlines

    try:
        with pytest.raises(RuntimeError):
            deadlines_sweep()
        assert not DeadlineEvent.objects.exists()
    finally:
        deadlines._handlers["applications_close"].remove(broken)
    assert len(deadlines_sweep()) == 1


def test_healthz_tells_staff_the_state_of_database_and_broker(client, staff):
    client.force_login(staff)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def _with_unreachable_broker(get):
    from mobility.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        return get()
    finally:
        app.conf.broker_url = old


def test_healthz_is_503_when_the_broker_is_unreachable(client, staff):
    client.force_login(staff)
    response = _with_unreachable_broker(lambda: client.get(reverse("healthz")))
    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


@pytest.mark.parametrize("broker_down", [False, True])
def test_healthz_tells_anonymous_visitors_only_ok_or_not(client, broker_down):
    """Point 11: it told anyone the database vendor and the broker's exception class."""
    get = lambda: client.get(reverse("healthz"))  # noqa: E731
    response = _with_unreachable_broker(get) if broker_down else get()
    assert response.status_code == (503 if broker_down else 200)
    assert response.json() == {"status": "error" if broker_down else "ok"}


def test_healthz_tells_a_student_only_ok_or_not(client, student):
    client.force_login(student)
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_the_beat_schedule_runs_the_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["deadline-sweep"]
    assert entry["task"] == "mobility.tasks.sweep" and entry["schedule"] == 60.0
