"""Runs that cannot get stuck: the sweep, a refused enqueue, cancelling, a worker that died."""
import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone

from mobility.models import AuditEntry
from selection import engine
from selection.models import RunFailure, RunStatus, SelectionRun
from selection.services import (
    SelectionCancelError,
    SelectionTransitionError,
    expire_stuck_runs,
    run_transition,
    selection_run,
    selection_run_cancel,
    selection_run_execute,
    selection_run_start,
    selection_runs_expire,
)
from tests.selection.helpers import apply
from tests.tools import tool_missing

pytestmark = pytest.mark.django_db


def _age(run, *, seconds: int, field: str = "created_at"):
    SelectionRun.objects.filter(pk=run.pk).update(**{field: timezone.now() - dt.timedelta(seconds=seconds)})


def test_the_sweep_fails_a_run_queued_longer_than_the_limit_and_frees_the_call(call, settings):
    settings.SELECTION_RUN_TIMEOUT = 60
    run = selection_run_start(call=call)
    assert selection_runs_expire(at=timezone.now()) == []
    _age(run, seconds=61)
    assert expire_stuck_runs.delay().get() == 1
    run.refresh_from_db()
    assert (run.status, run.failure) == (RunStatus.FAILED, RunFailure.TIMEOUT)
    assert AuditEntry.objects.filter(action="selection.failed", object_id=str(run.pk)).exists()
    assert selection_run(call=call).status == RunStatus.FINISHED


def test_the_sweep_counts_a_running_run_from_when_it_started(call, settings):
    settings.SELECTION_RUN_TIMEOUT = 60
    run = selection_run_start(call=call)
    _age(run, seconds=3600)  # queued long ago, started just now: not stuck
    run_transition(run=run, to=RunStatus.RUNNING, started_at=timezone.now())
    assert selection_runs_expire(at=timezone.now()) == []
    assert selection_runs_expire(at=timezone.now() + dt.timedelta(seconds=61))[0].pk == run.pk
    assert SelectionRun.objects.get().status == RunStatus.FAILED


def test_the_beat_schedule_runs_the_run_sweep_every_minute(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["selection-run-sweep"]
    assert entry == {"task": "selection.tasks.expire_stuck_runs", "schedule": 60.0}


def test_a_run_left_running_by_a_dead_attempt_is_reported_when_its_task_comes_back(call):
    # What a redelivered task finds after its worker was killed: `running`, and nobody holds it.
    run = selection_run_start(call=call)
    run_transition(run=run, to=RunStatus.RUNNING, started_at=timezone.now())
    run = selection_run_execute(run_id=run.pk)
    assert (run.status, run.failure) == (RunStatus.FAILED, RunFailure.WORKER_LOST)
    selection_run_start(call=call)


def test_a_run_over_its_soft_time_limit_is_failed_with_that_reason(call, monkeypatch):
    def too_slow(*args):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(engine, "run_selection", too_slow)
    run = selection_run_start(call=call)
    with pytest.raises(SoftTimeLimitExceeded):
        selection_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.failure) == (RunStatus.FAILED, RunFailure.TIMEOUT)


def test_a_finished_attempt_never_overwrites_a_run_ended_meanwhile(call):
    run = selection_run_start(call=call)
    stale = SelectionRun.objects.get(pk=run.pk)
    selection_run_cancel(call=call, run_id=run.pk)
    with pytest.raises(SelectionTransitionError):
        run_transition(run=stale, to=RunStatus.RUNNING)
    assert SelectionRun.objects.get().status == RunStatus.CANCELLED


def test_cancelling_an_ended_run_is_refused(call):
    run = selection_run(call=call)
    with pytest.raises(SelectionCancelError, match="already ended"):
        selection_run_cancel(call=call, run_id=run.pk)


def test_staff_cancel_a_stuck_run_from_the_page(client, staff, call):
    run = selection_run_start(call=call)
    client.force_login(staff)
    page = client.get(reverse("selection:page", args=[call.code]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cancel = reverse("selection:cancel", args=[call.code, run.pk])
    assert cancel in page and "Cancel this run" in page
    response = client.post(cancel, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert f"Run #{run.pk} has been cancelled" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.failure) == (RunStatus.CANCELLED, RunFailure.CANCELLED)
    assert AuditEntry.objects.get(action="selection.cancelled").actor == staff
    assert "Cancel this run" not in response.content.decode()


def test_a_coordinator_cannot_cancel(client, coordinator, call):
    run = selection_run_start(call=call)
    coordinator.departments.add(call.call_departments.first().department)
    client.force_login(coordinator)
    assert "Cancel this run" not in client.get(reverse("selection:page", args=[call.code])).content.decode()
    assert client.post(reverse("selection:cancel", args=[call.code, run.pk])).status_code == 403
    assert SelectionRun.objects.get().status == RunStatus.QUEUED


@pytest.mark.django_db(transaction=True)  # committed as in a real request, so the run is handed over at once
def test_a_refused_enqueue_fails_the_run_at_once_and_tells_the_user(client, staff, call):
    """Point 1: with the broker unreachable, starting answered HTTP 500 and left the run queued."""
    from mobility.celery import app

    def forget_connections():
        app.close()
        app.amqp._producer_pool = None  # an earlier eager task may have cached the test broker's

    old = (app.conf.broker_url, app.conf.task_always_eager)
    forget_connections()
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False  # nothing listens there
    client.force_login(staff)
    try:
        response = client.post(reverse("selection:start", args=[call.code]), {"confirm": "yes"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    finally:
        forget_connections()
        app.conf.broker_url, app.conf.task_always_eager = old
    assert response.status_code == 200
    assert "could not be handed to the background worker" in response.content.decode()
    run = SelectionRun.objects.get()
    assert (run.status, run.failure) == (RunStatus.FAILED, RunFailure.ENQUEUE)
    assert "The task queue was unreachable" in response.content.decode()
    assert selection_run(call=call).status == RunStatus.FINISHED  # the call is free


def test_the_status_box_stops_polling_once_the_run_is_past_its_limit(client, staff, call, settings):
    settings.SELECTION_RUN_TIMEOUT = 60
    run = selection_run_start(call=call)
    client.force_login(staff)
    url = reverse("selection:status", args=[call.code])
    assert 'hx-trigger="every 2s"' in client.get(url, HTTP_HX_REQUEST="true").content.decode()
    _age(run, seconds=60 + 121)
    late = client.get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "hx-trigger" not in late
    assert "taking much longer than it should" in late and "Cancel this run" in late


def test_runs_are_listed_read_only_in_the_admin(client, admin_user, call):
    apply(call, "CENG", number="1001")
    run = selection_run(call=call)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:selection_selectionrun_changelist"))
    assert listing.status_code == 200 and call.code in listing.content.decode()
    detail = client.get(reverse("admin:selection_selectionrun_change", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200 and "1 applications" in detail.content.decode()
    assert client.get(reverse("admin:selection_selectionrun_add")).status_code == 403
    assert client.post(reverse("admin:selection_selectionrun_delete", args=[run.pk]), {"post": "yes"}).status_code == 403
    assert SelectionRun.objects.filter(pk=run.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_a_worker_is_computing_is_neither_cancelled_nor_expired(call, settings):
    """The worker holds the run's row lock while it computes (PostgreSQL): cancel and sweep leave it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        tool_missing("PostgreSQL (row locks)", hint="run with DATABASE_URL=postgres://…")
    import psycopg2

    settings.SELECTION_RUN_TIMEOUT = 60
    run = selection_run_start(call=call)
    run_transition(run=run, to=RunStatus.RUNNING, started_at=timezone.now() - dt.timedelta(seconds=61))
    db = connection.settings_dict
    worker = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"] or None,
                              host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    try:
        with worker.cursor() as cursor:  # what the computing attempt holds
            cursor.execute("SELECT id FROM selection_selectionrun WHERE id = %s FOR UPDATE", [run.pk])
            with pytest.raises(SelectionCancelError, match="computing this run right now"):
                selection_run_cancel(call=call, run_id=run.pk)
            assert selection_runs_expire(at=timezone.now()) == []
        worker.rollback()  # the worker died: its lock is gone
    finally:
        worker.close()
    assert [r.pk for r in selection_runs_expire(at=timezone.now())] == [run.pk]
