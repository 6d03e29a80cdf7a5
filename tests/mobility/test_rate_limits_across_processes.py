"""Point 4: the sign-in limit counts across processes, behind real gunicorn.

Before, the count lived in each worker's memory cache, so three gunicorn workers let three
times the limit through. Here gunicorn runs 2 workers that are replaced after every request
(`--max-requests 1`), so each attempt is answered by a process that has never seen the
earlier ones: only a cache shared by all processes (Redis with REDIS_URL, else the database)
can stop the attempt after the limit.
"""
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
LOGIN = "/accounts/login/"
LOCKED = "Too many failed login attempts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path: Path) -> dict[str, str]:
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "TMPDIR") if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="mobility.settings.base", PYTHONPATH=str(ROOT), DEBUG="false",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", LOG_LEVEL="WARNING",
        # Fresh counters on every run, even in a shared Redis.
        CACHE_KEY_PREFIX=f"ratelimit-test-{uuid.uuid4().hex[:8]}",
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


@pytest.fixture
def gunicorn(tmp_path):
    env = _env(tmp_path)
    migrate = subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    port = _free_port()
    log = open(tmp_path / "gunicorn.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mobility.wsgi:application", f"--bind=127.0.0.1:{port}",
         "--workers=2", "--max-requests=1", "--preload", "--timeout=60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5)
                break
            except urllib.error.HTTPError:
                break  # answering (503 without a broker is fine here)
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text(errors="replace"))
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def test_failed_sign_ins_are_counted_across_gunicorn_workers(gunicorn):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Accept-Language", "en")]
    form = opener.open(gunicorn + LOGIN, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    def attempt() -> str:
        data = urllib.parse.urlencode(
            {"login": "target@example.edu.tr", "password": "wrong-password", "csrfmiddlewaretoken": token}
        ).encode()
        return opener.open(gunicorn + LOGIN, data=data, timeout=30).read().decode()

    # The default limit: 5 failures per address within 5 minutes.
    answers = [attempt() for _ in range(6)]
    assert not any(LOCKED in page for page in answers[:5])
    assert LOCKED in answers[5]
