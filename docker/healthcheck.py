"""Container health check for the web service: GET /healthz on the local gunicorn.

/healthz answers 200 only when the database and the Celery broker are reachable. The
request carries a Host that ALLOWED_HOSTS accepts and says it came through the HTTPS
proxy (SECURE_PROXY_SSL_HEADER), so that production's SSL redirect does not answer it.
Standard library only: the slim image has no curl.
"""
import os
import sys
import urllib.request

URL = os.environ.get("HEALTHCHECK_URL", "http://127.0.0.1:8000/healthz")


def host_header() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    if host.startswith("."):  # ".example.org" allows any subdomain
        return "www" + host
    return host


def main() -> int:
    request = urllib.request.Request(URL, headers={"Host": host_header(), "X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except Exception as exc:  # noqa: BLE001 — any failure means unhealthy
        print(f"healthcheck failed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
