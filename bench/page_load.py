"""A small load tool: GET some URLs of a running server from several threads; median and p95 latency.

    .venv/bin/python bench/page_load.py http://127.0.0.1:8160/results/BENCH-PUBLISH/BENCH-A/?page=3 \\
        --requests 400 --concurrency 4 [--cookie sessionid=...]

Every response must be 200; the first 10 requests warm up and are not counted.
"""
import argparse
import http.client
import statistics
import threading
import time
from urllib.parse import urlsplit


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--cookie", default="")
    args = parser.parse_args()
    targets = [urlsplit(u) for u in args.urls]
    times, errors, lock = [], [], threading.Lock()
    counter = iter(range(args.requests + 10))

    def worker():
        connections = {}
        for i in counter:
            url = targets[i % len(targets)]
            conn = connections.get(url.netloc) or http.client.HTTPConnection(url.netloc, timeout=30)
            connections[url.netloc] = conn
            started = time.perf_counter()
            conn.request("GET", url.path + (f"?{url.query}" if url.query else ""), headers={"Cookie": args.cookie} if args.cookie else {})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status != 200:
                    errors.append(response.status)
                elif i >= 10:
                    times.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{len(times)} requests, concurrency {args.concurrency}: median {statistics.median(times) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms, {len(times) / wall:.1f} req/s, errors {len(errors)}")


if __name__ == "__main__":
    main()
