"""A small load tool: GET some URLs of a running server from several threads; median and p95 latency.

    .venv/bin/python bench/page_load.py http://127.0.0.1:8160/results/BENCH-PUBLISH/BENCH-A/?page=3 \\
        --requests 400 --concurrency 4 [--cookie sessionid=...] [--floor http://127.0.0.1:8160/healthz] [--repeat 3]

Every response must be 200; the first 10 requests of each round warm up and are not counted.
With --floor, each round first loads that URL the same way (the portal's lightest page, from as
many clients: what the machine's load alone costs), and the ratio of the p95s is reported.
"""
import argparse
import http.client
import os
import statistics
import threading
import time
from urllib.parse import urlsplit


def load(urls: list[str], *, requests: int, concurrency: int, cookie: str) -> tuple[list[float], list[int], float]:
    targets = [urlsplit(u) for u in urls]
    times, errors, lock = [], [], threading.Lock()
    counter = iter(range(requests + 10))

    def worker():
        connections = {}
        for i in counter:
            url = targets[i % len(targets)]
            conn = connections.get(url.netloc) or http.client.HTTPConnection(url.netloc, timeout=30)
            connections[url.netloc] = conn
            started = time.perf_counter()
            conn.request("GET", url.path + (f"?{url.query}" if url.query else ""), headers={"Cookie": cookie} if cookie else {})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status != 200:
                    errors.append(response.status)
                elif i >= 10:
                    times.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    times.sort()
    return times, errors, time.perf_counter() - started


def p95(times: list[float]) -> float:
    return times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--cookie", default="")
    parser.add_argument("--floor", default="", help="a URL loaded the same way before each round")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    rounds = []
    for round_no in range(args.repeat):
        floor = None
        if args.floor:
            floor_times, _, _ = load([args.floor], requests=args.requests, concurrency=args.concurrency, cookie=args.cookie)
            floor = p95(floor_times)
        load_before = os.getloadavg()[0]
        times, errors, wall = load(args.urls, requests=args.requests, concurrency=args.concurrency, cookie=args.cookie)
        rounds.append((p95(times), floor))
        print(f"round {round_no + 1}: {len(times)} requests, concurrency {args.concurrency}: median {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {p95(times) * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms, {len(times) / wall:.1f} req/s, errors {len(errors)}"
              + (f"; floor p95 {floor * 1000:.0f} ms" if floor else "")
              + f"; load average {load_before:.1f} → {os.getloadavg()[0]:.1f}")
    if args.repeat > 1:
        line = f"median of {args.repeat}: p95 {statistics.median(r[0] for r in rounds) * 1000:.0f} ms"
        if args.floor:
            line += (f", floor p95 {statistics.median(r[1] for r in rounds) * 1000:.0f} ms, "
                     f"ratio {statistics.median(r[0] / r[1] for r in rounds):.1f}")
        print(line)


if __name__ == "__main__":
    main()
