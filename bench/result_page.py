"""Staff result page benchmark: 50,000 applications, gunicorn with 2 workers, PostgreSQL.

Builds the data set of `bench/selection.py` (or reuses it), runs the selection once, then
serves the portal with gunicorn on loopback and requests the first page (100 rows) of the
largest department as a signed-in office user from a few threads. Bounded: a fixed number of
requests and a time cap; nothing leaves 127.0.0.1.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench .venv/bin/python bench/result_page.py

The database named by DATABASE_URL is migrated and its bench call replaced: use a scratch database.
"""
import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def _dataset_module():
    # bench/selection.py would shadow the `selection` app if imported by its name.
    spec = importlib.util.spec_from_file_location("bench_selection", Path(__file__).with_name("selection.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(applications: int, departments: int, reuse: bool):
    from django.core.management import call_command

    from applications.models import Application
    from mobility.models import Call, Role, User
    from mobility.services.roles import user_set_role
    from selection.models import RunStatus, SelectionResult
    from selection.services import selection_run

    call_command("migrate", verbosity=0)
    bench = _dataset_module()
    call = Call.objects.filter(code=bench.CALL_CODE).first()
    if not (reuse and call and Application.objects.filter(call=call).count() == applications
            and call.selection_runs.filter(status=RunStatus.FINISHED).exists()):
        start = time.perf_counter()
        call = bench.load_call(bench.build_dataset(applications, departments), departments)
        run = selection_run(call=call)
        assert run.status == RunStatus.FINISHED, run.error
        print(f"data set loaded and selected in {time.perf_counter() - start:.0f} s")
    run = call.selection_runs.filter(status=RunStatus.FINISHED).defer("inputs_snapshot", "rules_snapshot").latest()
    counts = {}
    for code in SelectionResult.objects.filter(run=run).values_list("department_code", flat=True).iterator():
        counts[code] = counts.get(code, 0) + 1
    largest = max(counts, key=counts.get)

    user, created = User.objects.get_or_create(email="bench-staff@example.edu.tr", defaults={"first_name": "Bench"})
    if created:
        user_set_role(user=user, role=Role.OFFICE_STAFF)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return call.code, largest, counts[largest], client.cookies["sessionid"].value


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "mobility.wsgi:application", f"--bind=127.0.0.1:{port}",
         f"--workers={workers}", "--timeout=60"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except (OSError, urllib.error.HTTPError):
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def load(url: str, session: str, *, requests: int, concurrency: int, cap_s: float, expect: bytes = b"ranking") -> tuple[list[float], int]:
    """`requests` GETs from `concurrency` threads, stopping early at `cap_s` seconds."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    stop_at = time.monotonic() + cap_s

    def worker():
        nonlocal errors
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > stop_at:
                    return
                remaining[0] -= 1
            request = urllib.request.Request(url, headers={"Cookie": f"sessionid={session}", "Accept-Language": "tr"})
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    body = response.read()
                    ok = response.status == 200 and expect in body
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            with lock:
                if ok:
                    times.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times, errors


def worker_cpu_seconds(master: int) -> float:
    """CPU time used so far by gunicorn's workers: a figure that other load on the machine
    does not inflate (Linux /proc)."""
    total = 0
    for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=50_000)
    parser.add_argument("--departments", type=int, default=20)
    parser.add_argument("--port", type=int, default=8120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--cap", type=float, default=120.0, help="stop after this many seconds of load")
    parser.add_argument("--reuse", action="store_true", help="keep the data set already in the database")
    parser.add_argument("--repeat", type=int, default=1, help="rounds, each the floor then the page; medians reported")
    args = parser.parse_args()

    import django

    django.setup()
    code, department, rows, session = prepare(args.applications, args.departments, args.reuse)
    url = f"http://127.0.0.1:{args.port}/office/calls/{code}/selection/?department={department}"
    print(f"data set: {args.applications} applications, {args.departments} departments; "
          f"largest department {department} with {rows} rows, page 1 (100 rows)")
    server = start_gunicorn(args.port, args.workers)
    rounds = []
    try:
        load(url, session, requests=20, concurrency=args.concurrency, cap_s=30)  # warm up
        for round_no in range(args.repeat):
            # The floor of the same round: the portal's lightest page (one SELECT 1, the cache and broker
            # answering) from as many clients, through the same gunicorn.
            floor, _ = load(f"http://127.0.0.1:{args.port}/healthz", session, requests=args.requests,
                            concurrency=args.concurrency, cap_s=args.cap, expect=b"ok")
            load_before = os.getloadavg()[0]
            cpu_before = worker_cpu_seconds(server.pid)
            started = time.perf_counter()
            times, errors = load(url, session, requests=args.requests, concurrency=args.concurrency, cap_s=args.cap)
            wall = time.perf_counter() - started
            cpu = worker_cpu_seconds(server.pid) - cpu_before
            if not times:
                raise SystemExit(f"no successful request ({errors} errors)")
            ms = [t * 1000 for t in times]
            p95, floor95 = percentile(ms, 95), percentile([t * 1000 for t in floor], 95)
            rounds.append((p95, floor95, os.getloadavg()[0]))
            print(f"round {round_no + 1}: gunicorn {args.workers} workers, {args.concurrency} concurrent clients: {len(ms)} requests "
                  f"({errors} errors) in {wall:.1f} s, {len(ms) / wall:.1f} req/s; "
                  f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, p99 {percentile(ms, 99):.0f} ms, "
                  f"max {max(ms):.0f} ms; gunicorn CPU {cpu / (len(ms) + errors) * 1000:.0f} ms per request; "
                  f"floor (healthz) p95 {floor95:.0f} ms; load average before {load_before:.1f}, after {rounds[-1][2]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"median of {len(rounds)}: p95 {statistics.median(r[0] for r in rounds):.0f} ms, floor p95 "
          f"{statistics.median(r[1] for r in rounds):.0f} ms, ratio {statistics.median(r[0] / r[1] for r in rounds):.1f}")

if __name__ == "__main__":
    main()
