"""Point 1 with a real worker: a Celery worker on Redis is killed in the middle of a run, and the
call is usable again once the run's time limit has passed (before, the run stayed `running` for good).

The waits are for the state each step expects; their timeouts only guard against a hang, since a
loaded machine may be slow (no wall-clock limit is asserted).

The worker shares the test database, so these tests need PostgreSQL and Redis. They skip
without them on a developer's machine and fail under CI=true, where both must be there.
"""
import os
import signal
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from selection.models import ACTIVE_RUN_STATUSES, RunFailure, RunStatus, SelectionRun
from selection.services import selection_run_start
from tests.selection.helpers import apply
from tests.tools import tool_missing

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent
EXECUTE = "selection.tasks.execute_selection_run"
SWEEP = "selection.tasks.expire_stuck_runs"
HANG_GUARD = 300  # seconds; a wait this long means a stuck or dead worker, not a slow machine


def _missing_services() -> list[str]:
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL=postgres://...): the worker must share the test database")
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        missing.append("Redis (REDIS_URL=redis://...)")
    else:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            missing.append(f"Redis at REDIS_URL ({type(exc).__name__})")
    return missing


@pytest.fixture
def services():
    missing = _missing_services()
    if missing:
        tool_missing("a real worker needs " + " and ".join(missing))


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, tmp_path: Path, queue: str, *, timeout: int, engine_seconds: float):
        self.queue = queue
        self.pid_file = tmp_path / f"pool-{uuid.uuid4().hex[:6]}.pid"
        self.log = open(tmp_path / "worker.log", "ab")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "mobility.settings.base", "DATABASE_URL": _database_url(),
            "SELECTION_RUN_TIMEOUT": str(timeout), "SLOW_ENGINE_SECONDS": str(engine_seconds),
            "SLOW_WORKER_PID_FILE": str(self.pid_file), "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "WARNING",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.selection.slow_worker", queue, f"kill-test-{uuid.uuid4().hex[:6]}"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )

    def kill_all(self):
        """SIGKILL to the worker and its pool processes, as an OOM killer or a lost machine would."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        self.log.close()

    def kill_pool_process(self) -> int:
        pid = int(self.pid_file.read_text())
        os.kill(pid, signal.SIGKILL)
        return pid


@pytest.fixture
def queue():
    from mobility.celery import app

    name = f"kill-test-{uuid.uuid4().hex[:8]}"
    yield name
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        redis = channel.client
        # The killed worker's message waits in the unacknowledged set for a consumer of this
        # queue that never comes; drop it with the queue.
        for tag, payload in redis.hgetall(channel.unacked_key).items():
            if name.encode() in payload:
                redis.hdel(channel.unacked_key, tag)
                redis.zrem(channel.unacked_index_key, tag)
        redis.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


def _send(task: str, queue: str, *args):
    from celery.exceptions import AlwaysEagerIgnored

    from mobility.celery import app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)  # the test settings' eager mode is not wanted here
        app.send_task(task, args=list(args), queue=queue)


def _wait_for(predicate, *, seconds: float, what: str, tmp_path: Path):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    pytest.fail(f"{what} did not happen within {seconds} s; worker log:\n{log}")


def _status(run_id: int) -> SelectionRun:
    return SelectionRun.objects.get(pk=run_id)


def test_a_killed_worker_leaves_a_run_the_sweep_fails_after_the_time_limit(services, call, queue, tmp_path):
    limit = 20
    apply(call, "CENG", number="1001")
    worker = Worker(tmp_path, queue, timeout=limit, engine_seconds=120)
    restarted = None
    try:
        run = selection_run_start(call=call)
        _send(EXECUTE, queue, run.pk)
        _wait_for(lambda: worker.pid_file.exists(), seconds=HANG_GUARD, what="the worker starting the run", tmp_path=tmp_path)
        assert _status(run.pk).status == RunStatus.RUNNING
        worker.kill_all()
        killed_at = timezone.now()

        restarted = Worker(tmp_path, queue, timeout=limit, engine_seconds=0)
        # Playing beat: the periodic sweep, delivered to the restarted worker through Redis.
        def ended():
            if _status(run.pk).status in ACTIVE_RUN_STATUSES:
                _send(SWEEP, queue)
                time.sleep(1.5)
                return False
            return True

        _wait_for(ended, seconds=HANG_GUARD, what="the stuck run ending", tmp_path=tmp_path)
        stuck = _status(run.pk)
        assert (stuck.status, stuck.failure) == (RunStatus.FAILED, RunFailure.TIMEOUT)
        # The sweep fails a run only once its time limit has passed, never earlier.
        assert (stuck.finished_at - stuck.started_at).total_seconds() >= limit
        assert stuck.finished_at > killed_at

        again = selection_run_start(call=call)  # the call is usable again
        _send(EXECUTE, queue, again.pk)
        _wait_for(lambda: _status(again.pk).status == RunStatus.FINISHED, seconds=HANG_GUARD, what="the next run finishing",
                  tmp_path=tmp_path)
    finally:
        worker.kill_all() if worker.process.poll() is None else None
        if restarted is not None:
            restarted.kill_all()


def test_a_killed_pool_process_is_reported_at_once_by_the_redelivered_task(services, call, queue, tmp_path):
    limit = 120  # far away: what ends the run here is the redelivered task, not the sweep
    apply(call, "CENG", number="1001")
    worker = Worker(tmp_path, queue, timeout=limit, engine_seconds=120)
    try:
        run = selection_run_start(call=call)
        _send(EXECUTE, queue, run.pk)
        _wait_for(lambda: worker.pid_file.exists(), seconds=HANG_GUARD, what="the worker starting the run", tmp_path=tmp_path)
        worker.kill_pool_process()
        _wait_for(lambda: _status(run.pk).status not in ACTIVE_RUN_STATUSES, seconds=HANG_GUARD,
                  what="the run being reported", tmp_path=tmp_path)
        ended = _status(run.pk)
        assert (ended.status, ended.failure) == (RunStatus.FAILED, RunFailure.WORKER_LOST)
        selection_run_start(call=call)
    finally:
        worker.kill_all()
