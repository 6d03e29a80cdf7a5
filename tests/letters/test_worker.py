"""A real Celery worker on Redis and PostgreSQL: a withdrawal on the web promotes the next reserve and
e-mails them; the same tasks delivered again change nothing.

The tests wait for the state they expect; their timeouts only guard against a hang (speed is not
asserted here: a loaded machine may be slow)."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from applications.models import Applicant
from letters.models import Placement
from mobility.celery import app
from mobility.models import Call, OutboxMessage
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline
from tests.tools import tool_missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_worker_services")]


@pytest.fixture
def real_worker_services():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not os.environ.get("REDIS_URL"):
        tool_missing("PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) for a real worker")


HANG_GUARD = 300  # seconds; only a worker that is stuck or dead takes this long


def wait_until(check, seconds: float = HANG_GUARD) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def worker():
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "mobility.settings.base",
           "CELERY_TASK_ALWAYS_EAGER": "false", "EMAIL_URL": "dummymail://", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "mobility", "worker", "--pool=solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.environ.get("WORKER_LOG", os.devnull), "w"), start_new_session=True,
    )
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        assert wait_until(lambda: bool(app.control.ping(timeout=0.5))), "the worker did not start"
        yield process
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_withdrawal_on_the_web_is_promoted_at_once_and_e_mailed_by_the_worker_once(tmp_path, client, worker):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + timezone.timedelta(days=10))
    timeline.publish(at=(now - timezone.timedelta(days=1)).isoformat())
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number="2001").update(user=user)
    client.force_login(user)
    client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})
    placement = Placement.objects.get(student_number="2002")
    assert (placement.status, placement.promotion_seq) == ("primary", 1)  # inside the request's own transaction

    def mailed():
        return OutboxMessage.objects.filter(key__endswith=f"placement:{placement.pk}:promoted", sent_at__isnull=False).exists()

    assert wait_until(mailed), f"worker exit code {worker.poll()}"
    message = OutboxMessage.objects.get(key__endswith=f"placement:{placement.pk}:promoted")
    before = timeline.run("export_placements", CODE)
    from mobility.tasks import outbox_send_task

    outbox_send_task.delay()
    outbox_send_task.delay()
    # A probe owed last: once it is sent, the kicks before it have run.
    probe = OutboxMessage.objects.create(key="probe", recipient="probe@example.edu.tr", language="tr", subject="probe", body="probe")
    outbox_send_task.delay()
    assert wait_until(lambda: OutboxMessage.objects.get(pk=probe.pk).sent_at is not None, 30)
    assert timeline.run("export_placements", CODE) == before
    assert OutboxMessage.objects.get(pk=message.pk).sent_at == message.sent_at
    assert OutboxMessage.objects.filter(key__endswith=":promoted").count() == 1
