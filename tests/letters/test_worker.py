"""A real Celery worker on Redis and PostgreSQL: a withdrawal on the web promotes the next reserve and
e-mails them within seconds; the same tasks delivered again change nothing."""
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
from letters.models import Notice, Placement
from mobility.celery import app
from mobility.models import Call
from tests.factories import UserFactory
from tests.letters.timeline import CODE, Timeline
from tests.tools import tool_missing

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_worker_services")]


@pytest.fixture
def real_worker_services():
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"] or not os.environ.get("REDIS_URL"):
        tool_missing("PostgreSQL (DATABASE_URL) and Redis (REDIS_URL) for a real worker")


def wait_until(check, seconds: float = 30) -> bool:
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
        assert wait_until(lambda: bool(app.control.ping(timeout=0.5)), 60), "the worker did not start"
        yield process
    finally:
        app.conf.task_always_eager = eager
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_withdrawal_on_the_web_is_promoted_and_e_mailed_by_the_worker_once(tmp_path, client, worker):
    now = timezone.now()
    timeline = Timeline(tmp_path)
    Call.objects.filter(code=CODE).update(letter_deadline=now + timezone.timedelta(days=10))
    timeline.publish(at=(now - timezone.timedelta(days=1)).isoformat())
    user = UserFactory(role="student")
    Applicant.objects.filter(student_number="2001").update(user=user)
    client.force_login(user)
    started = time.monotonic()
    client.post(reverse("letters:withdraw", args=[CODE]), {"confirm": "on"})

    def promoted_and_mailed():
        notice = Notice.objects.filter(placement__student_number="2002", kind="promoted").first()
        return notice is not None and notice.sent_at is not None

    assert wait_until(promoted_and_mailed), f"worker exit code {worker.poll()}"
    assert time.monotonic() - started < 30
    placement = Placement.objects.get(student_number="2002")
    assert (placement.status, placement.promotion_seq) == ("primary", 1)

    before = timeline.run("export_placements", CODE)
    notice = Notice.objects.get(placement__student_number="2002", kind="promoted")
    sent_at = notice.sent_at
    from letters.notifications import notify
    from letters.services.promotion import promote

    call = Call.objects.get(code=CODE)
    promote.delay(call.pk, timezone.now().isoformat())
    notify.delay(notice.pk)
    # A probe sent last: the solo worker runs tasks in order, so once the probe is sent the others are done.
    probe = Notice.objects.create(placement=placement, kind="reminder", key="probe")
    notify.delay(probe.pk)
    assert wait_until(lambda: Notice.objects.get(pk=probe.pk).sent_at is not None, 30)
    assert timeline.run("export_placements", CODE) == before
    notice.refresh_from_db()
    assert notice.sent_at == sent_at
    assert Notice.objects.filter(kind="promoted").count() == 1
