"""Running callables at the same moment, each thread on its own database connection."""
import threading

from django.db import connection, connections


def at_once(callables, timeout: float = 60) -> list:
    """Start every callable behind one barrier; return each result or the exception it raised."""
    barrier = threading.Barrier(len(callables))
    results: list = [None] * len(callables)

    def worker(index, func):
        try:
            barrier.wait(timeout)
            results[index] = func()
        except BaseException as exc:  # noqa: BLE001 — reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(callables)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


def on_postgresql() -> bool:
    return connection.vendor == "postgresql"
