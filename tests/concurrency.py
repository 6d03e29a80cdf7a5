"""Real concurrent transactions on PostgreSQL, for tests of locks and unique constraints.

Usage, in a test that takes the `concurrent_db` fixture (tests/conftest.py)::

    def test_two_starts_at_once(concurrent_db):
        call = CallFactory()
        first, second = run_concurrently(
            lambda: selection_run_start(call=call),
            lambda: selection_run_start(call=call),
        )
        assert sorted([first.ok, second.ok]) == [False, True]

Each callable runs in its own thread, so it has its own database connection (Django keeps one
per thread) and its own transactions; every thread opens its connection first, then they all
wait at a barrier and start together. `concurrent_db` gives the tests a real, committed
database (pytest-django's `transactional_db`) so the threads see each other's commits, and is
PostgreSQL only: SQLite serialises writers on one file lock, so nothing would run at once there.
Locally such a test is skipped on SQLite; under CI=true that is a failure (tests/tools.py).
"""
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tests.tools import tool_missing


@dataclass(frozen=True)
class Outcome:
    """What one callable gave: its return value, or the exception it raised."""

    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def postgres_required() -> None:
    """Skip the current test unless the test database is PostgreSQL (fail instead under CI=true)."""
    if connection.vendor != "postgresql":
        tool_missing(
            f"PostgreSQL (the test database is {connection.vendor}; concurrency tests need real concurrent transactions)",
            hint="run with DATABASE_URL=postgres://…",
        )


def run_concurrently(*callables: Callable[[], Any], timeout: float = 30.0) -> list[Outcome]:
    """Run the callables at the same moment, each in its own thread and connection.

    Returns one Outcome per callable, in the order given; exceptions are caught into the
    Outcome, never raised. Fails the test if a callable is still running after `timeout`
    seconds (a deadlock or a lock nobody releases).
    """
    if len(callables) < 2:
        raise ValueError("run_concurrently needs at least two callables")
    barrier = threading.Barrier(len(callables))
    outcomes: list[Outcome | None] = [None] * len(callables)

    def worker(index: int, func: Callable[[], Any]) -> None:
        try:
            connection.ensure_connection()  # connect before the barrier: the start is then simultaneous
            barrier.wait(timeout)
            outcomes[index] = Outcome(value=func())
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcomes[index] = Outcome(error=exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=worker, args=(i, func), name=f"concurrent-{i}", daemon=True)
        for i, func in enumerate(callables)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise AssertionError(f"still running after {timeout} s (deadlock?): {', '.join(stuck)}")
    return [outcome for outcome in outcomes if outcome is not None]


def wait_until_another_transaction_waits_for_this_one(
    *, what: str, timeout: float = 60.0, gave_up: Callable[[], BaseException | None] = lambda: None
) -> None:
    """Return once another connection is blocked on a lock this connection's transaction holds.

    Call it inside the transaction that holds the lock (a row lock, or an uncommitted row in a
    unique index), at the moment the race must happen: the other transaction is then really
    waiting (PostgreSQL's own pg_blocking_pids says so), whatever the speed of either thread.
    Fails, naming `what`, if nobody waits within `timeout` seconds: the race the test is about
    did not happen (the lock is gone, or the other side never reached it). The timeout only
    guards against hanging; the wait normally ends within milliseconds. `gave_up` returns the
    error that ended the other side early, if any: it is raised at once, named.
    """
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            # pg_locks is read live; pg_stat_activity would show the snapshot taken at its first
            # read in this transaction, so a waiter arriving later would never be seen there.
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            error = gave_up()
            if error is not None:
                raise AssertionError(f"{what} failed before it reached the lock: {error!r}") from error
            if time.monotonic() > deadline:
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT pid, state, wait_event_type, wait_event, left(query, 60) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                others = "; ".join(" ".join(map(str, row)) for row in cursor.fetchall()) or "no other connection"
                raise AssertionError(
                    f"the race was not exercised: {what} never waited for this transaction's locks "
                    f"within {timeout:.0f} s (other connections: {others})"
                )
            time.sleep(0.01)
