"""Load benchmark: N students upload a 2 MB acceptance letter within S seconds, against gunicorn.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mobility_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/letters_upload.py --students 600 --seconds 60 --port 8000

Sets up a call with a final list of N placements (half primaries, half reserves) and a signed-in
session per student, starts gunicorn on loopback, then replays the uploads at an even rate from a
pool of client threads: each student opens the letter page (GET, for the CSRF token) and posts the
form with the PDF. Afterwards every upload must be stored: one letter per student, every file the
size that was sent. Prints latency percentiles of the POSTs (and the GETs).
"""
import argparse
import http.client
import io
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobility.settings.base")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "false")


def letter_pdf(size: int) -> bytes:
    """A one-page PDF carrying `size` bytes of incompressible image data, like a scan."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, NumberObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    image = StreamObject()
    image.set_data(os.urandom(size))
    image.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                  NameObject("/Width"): NumberObject(1000), NameObject("/Height"): NumberObject(size // 3000),
                  NameObject("/ColorSpace"): NameObject("/DeviceRGB"), NameObject("/BitsPerComponent"): NumberObject(8)})
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/XObject"): DictionaryObject({NameObject("/Im0"): writer._add_object(image)})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def setup(students: int) -> tuple[str, list[tuple[str, str]]]:
    """A call with a final list of `students` placements; returns (call code, [(student number, session key)])."""
    import datetime as dt
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from applications.models import Applicant, Application
    from letters.models import Placement
    from mobility.models import Call, CallStatus, Department, User
    from mobility.services.calls import call_load

    call_command("migrate", verbosity=0)
    code = f"UPLOAD-BENCH-{uuid.uuid4().hex[:8]}"
    now = dt.datetime.now(dt.UTC)
    places = students // 2
    call, _created = call_load(data={
        "code": code, "title": "Upload benchmark", "programme": "KA131-SMT",
        "applications_open": (now - dt.timedelta(days=60)).isoformat(), "applications_close": (now - dt.timedelta(days=30)).isoformat(),
        "letter_deadline": (now + dt.timedelta(days=10)).isoformat(), "mobility_start": "2030-07-01", "mobility_end": "2030-10-31",
        "budget_eur": f"{places * 1350}.00", "planning_amount_eur": "1350.00",
        "departments": [{"code": f"UB{d}", "name": f"Bölüm {d}"} for d in range(4)],
    })
    Call.objects.filter(pk=call.pk).update(status=CallStatus.FINAL_PUBLISHED)
    departments = list(Department.objects.filter(code__startswith="UB").order_by("code"))
    prefix = uuid.uuid4().hex[:6]
    users = User.objects.bulk_create(
        User(email=f"{prefix}-{i}@bench.example", first_name="Ayşe", last_name=f"Yılmaz{i}", password="!") for i in range(students)
    )
    applicants = Applicant.objects.bulk_create(
        Applicant(student_number=f"{prefix}{i:05d}", first_name="Ayşe", last_name=f"Yılmaz{i}", email=users[i].email, user=users[i])
        for i in range(students)
    )
    applications = Application.objects.bulk_create(
        Application(call=call, applicant=a, department=departments[i % 4], level="bachelor", gpa=Decimal("3.00"))
        for i, a in enumerate(applicants)
    )
    Placement.objects.bulk_create(
        Placement(call=call, application=app, student_number=app.applicant.student_number, department_code=departments[i % 4].code,
                  order=i + 1, status="primary" if i < places else "reserve",
                  held_eur=Decimal("1350.00") if i < places else Decimal("0"))
        for i, app in enumerate(applications)
    )
    sessions = []
    backend = settings.AUTHENTICATION_BACKENDS[0]
    for user, applicant in zip(User.objects.filter(email__startswith=f"{prefix}-").order_by("pk"), applicants):
        store = SessionStore()
        store[SESSION_KEY], store[BACKEND_SESSION_KEY], store[HASH_SESSION_KEY] = str(user.pk), backend, user.get_session_auth_hash()
        store.create()
        sessions.append((applicant.student_number, store.session_key))
    return code, sessions


def multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


LOAD_BEFORE = ""
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def upload(port: int, code: str, session: str, pdf: bytes) -> dict:
    result = {"ok": False}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        path = f"/calls/{code}/letter/"
        start = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": f"sessionid={session}", "Accept-Language": "tr"})
        response = conn.getresponse()
        html = response.read().decode()
        result["get"] = time.perf_counter() - start
        cookies = "; ".join(h.split(";", 1)[0] for k, h in response.getheaders() if k.lower() == "set-cookie")
        token = CSRF_INPUT.search(html)
        if response.status != 200 or token is None:
            result["error"] = f"GET {response.status}"
            return result
        body, content_type = multipart({
            "csrfmiddlewaretoken": token.group(1), "host_name": "Fraunhofer IIS", "host_type": "research", "country": "DE",
            "city": "Erlangen", "address": "Am Wolfsmantel 33", "contact_person": "Dr. Weber",
            "start_date": "2030-07-01", "end_date": "2030-08-30",
        }, "pdf", "letter.pdf", pdf)
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers={
            "Cookie": f"sessionid={session}; {cookies}", "Content-Type": content_type, "Referer": f"http://127.0.0.1:{port}{path}",
            "Accept-Language": "tr",
        })
        response = conn.getresponse()
        response.read()
        result["post"] = time.perf_counter() - start
        result["ok"] = response.status == 302
        if not result["ok"]:
            result["error"] = f"POST {response.status}"
    except Exception as exc:  # noqa: BLE001 — counted as an error
        result["error"] = repr(exc)
    finally:
        conn.close()
    return result


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU seconds of the server's processes (gunicorn master and workers), from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: process group
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--size-mb", type=float, default=2)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="gunicorn threads per worker")
    parser.add_argument("--clients", type=int, default=64, help="client threads")
    args = parser.parse_args()

    global LOAD_BEFORE
    LOAD_BEFORE = f"{os.getloadavg()[0]:.2f}"
    media = tempfile.mkdtemp(prefix="letters-bench-")
    os.environ["MEDIA_ROOT"] = media
    import django

    django.setup()
    from django.db import connection

    from letters.models import Letter

    code, sessions = setup(args.students)
    pdf = letter_pdf(int(args.size_mb * 1024 * 1024))
    env = {**os.environ, "DEBUG": "false", "PYTHONWARNINGS": "ignore"}
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "mobility.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", str(args.workers),
         "--threads", str(args.threads), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    connection.close()
    try:
        for _ in range(100):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", args.port, timeout=2)
                probe.request("GET", "/healthz")
                probe.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        interval = args.seconds / args.students
        results: list[dict] = []
        lock = threading.Lock()
        began = time.perf_counter()

        def one(index: int, session: str):
            delay = began + index * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            outcome = upload(args.port, code, session, pdf)
            with lock:
                results.append(outcome)

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for index, (_number, session) in enumerate(sessions):
                pool.submit(one, index, session)
        wall = time.perf_counter() - began
        cpu = group_cpu_seconds(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    letters = Letter.objects.filter(placement__call__code=code)
    stored = [letter.pdf.size for letter in letters]
    errors = [r.get("error") for r in results if not r["ok"]]
    posts = [r["post"] for r in results if "post" in r]
    gets = [r["get"] for r in results if "get" in r]
    print(f"{args.students} students, {len(pdf) / 1024 / 1024:.2f} MB PDF each, planned over {args.seconds:.0f} s, "
          f"finished in {wall:.1f} s; gunicorn {args.workers} workers × {args.threads} threads, {connection.vendor}")
    print(f"  errors: {len(errors)} {errors[:5]}")
    print(f"  server CPU: {cpu:.1f} s in all, {cpu / args.students * 1000:.0f} ms per student (page + upload); "
          f"load average before/after: {LOAD_BEFORE} / {os.getloadavg()[0]:.2f}")
    print(f"  letters stored: {letters.count()} of {args.students}; files of the size sent: {sum(1 for s in stored if s == len(pdf))}")
    print(f"  POST (upload) latency: median {statistics.median(posts):.3f} s, p95 {percentile(posts, 95):.3f} s, max {max(posts):.3f} s")
    shutil.rmtree(media, ignore_errors=True)
    print(f"  GET (letter page) latency: median {statistics.median(gets):.3f} s, p95 {percentile(gets, 95):.3f} s")


if __name__ == "__main__":
    main()
