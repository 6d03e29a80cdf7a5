"""The broker stops while a student acts: the e-mail owed is sent later by the periodic job, none is lost.

A real Redis broker on a port of its own is stopped before the action and started again after; a
real Celery worker with beat then sends the outbox. Needs PostgreSQL (the worker is another
process) and `redis-server`; skipped without them locally, a failure under CI=true.
"""
import os
import socket
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
from tests.tools import executable_required, tool_missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(check, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.3)
    return False


class Broker:
    """A redis-server of the test's own, to stop and start at will."""

    def __init__(self, tmp_path: Path):
        self.binary = executable_required("redis-server", what="redis-server (a broker to stop)")
        self.port, self.dir, self.process = free_port(), tmp_path, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        assert wait_until(self._answers, 20), "redis-server did not start"

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(20)
            self.process = None
        assert not self._answers()


@pytest.fixture
def broker(tmp_path):
    if connection.vendor != "postgresql":
        tool_missing("PostgreSQL (the worker that sends the outbox is another process)", hint="run with DATABASE_URL=postgres://…")
    broker = Broker(tmp_path)
    broker.start()
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = broker.url, False
    app._pool = None  # connections to the broker are made anew from the URL above
    try:
        yield broker
    finally:
        broker.stop()
        app.conf.broker_url, app.conf.task_always_eager = saved
        app._pool = None


@pytest.fixture
def worker_with_beat(tmp_path, broker):
    """Started on demand: a Celery worker with beat, sending the outbox every second, mail to files."""
    processes = []

    def start():
        db = connection.settings_dict
        env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "mobility.settings.base", "CELERY_TASK_ALWAYS_EAGER": "false",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": broker.url, "EMAIL_URL": f"filemail:///{tmp_path / 'mails'}", "OUTBOX_SEND_EVERY": "1",
            "LOG_LEVEL": "WARNING",
        }
        processes.append(subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "mobility", "worker", "-B", "-s", str(tmp_path / "beat"),
             "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "worker.log", "w"), start_new_session=True,
        ))
        return tmp_path / "mails"

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_a_mail_owed_while_the_broker_is_down_is_sent_by_the_periodic_job(tmp_path, client, broker, worker_with_beat):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + timezone.timedelta(days=10))
    timeline.publish(at=(now - timezone.timedelta(days=1)).isoformat())
    OutboxMessage.objects.update(sent_at=now)  # the "results published" mails: not this test's business
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number="2001").update(user=user)
    client.force_login(user)

    broker.stop()
    response = client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})
    assert response.status_code == 302  # the withdrawal is saved; the broker being down is no error
    placement = Placement.objects.get(student_number="2002")
    assert placement.status == "primary"  # promoted in the request's own transaction
    owed = OutboxMessage.objects.get(key__endswith=f"placement:{placement.pk}:promoted")
    assert owed.sent_at is None and owed.recipient == "2002@ogr.example.edu.tr"

    broker.start()  # the broker is back; nobody re-queues anything: the periodic job finds the row
    mails = worker_with_beat()
    assert wait_until(lambda: OutboxMessage.objects.get(pk=owed.pk).sent_at is not None, 90), (
        (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    )
    written = "".join(p.read_text(errors="replace") for p in mails.glob("*"))
    assert "To: 2002@ogr.example.edu.tr" in written
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    assert settings.CELERY_BEAT_SCHEDULE["outbox-send"]["task"] == "mobility.tasks.outbox_send"
