"""A real Celery worker whose selection engine first sleeps, so that a test can kill it in the
middle of a run: `python -m tests.selection.slow_worker QUEUE NAME`.

SLOW_ENGINE_SECONDS sets the sleep; SLOW_WORKER_PID_FILE receives the id of the pool process
that is computing the run.
"""
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")

import django  # noqa: E402

django.setup()

from mobility.celery import app  # noqa: E402
from selection import engine  # noqa: E402

_real_run_selection = engine.run_selection


def _slow_run_selection(*args, **kwargs):
    if os.environ.get("SLOW_WORKER_PID_FILE"):
        Path(os.environ["SLOW_WORKER_PID_FILE"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SLOW_ENGINE_SECONDS", "0")))
    return _real_run_selection(*args, **kwargs)


engine.run_selection = _slow_run_selection  # the pool processes are forked after this

if __name__ == "__main__":
    queue, name = sys.argv[1], sys.argv[2]
    app.worker_main([
        "worker", "--queues", queue, "--hostname", f"{name}@%h", "--pool", "prefork", "--concurrency", "1",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
    ])
