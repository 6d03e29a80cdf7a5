"""Content-Security-Policy (no inline script) and Permissions-Policy on every page."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
# Rendered by WeasyPrint into PDFs, never by a browser: their <style> is not a page's.
PDF_TEMPLATES = re.compile(r"(_pdf\.html|_pdf_style\.html|list_pdf\.html)$")


def _directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/verify/", "/admin/login/", "/no-such-page/"])
def test_every_page_has_a_csp_without_inline_script_and_a_permissions_policy(client, url):
    response = client.get(url)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    if not url.startswith("/admin/"):
        assert policy["style-src"] == ["'self'"]
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_file_downloads_carry_the_headers_too(client, staff):
    client.force_login(staff)
    response = client.get("/dashboard/")
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def _templates():
    return [p for p in (ROOT / "templates").rglob("*.html") if not PDF_TEMPLATES.search(p.name)]


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_no_template_has_inline_script_event_handlers_or_style_attributes(path):
    text = path.read_text(encoding="utf-8")
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag or 'type="application/json"' in tag, f"inline <script> in {path.name}: {tag}"
    assert not re.search(r"\son[a-z]+\s*=", text), f"inline event handler in {path.name}"
    assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, f"inline style in {path.name}"
    assert "javascript:" not in text.lower()
    assert "hx-on" not in text  # htmx would need eval, which the policy refuses
