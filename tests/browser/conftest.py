"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's own browser downloads are not used (they cannot be fetched on the build machines);
the tests look for a `chromium` executable on PATH and are skipped when there is none (a failure
under CI=true, see tests/tools.py).
Screenshots go to $BROWSER_SCREENSHOTS when set, otherwise to var/screenshots/ (ignored by git).
"""
import os
from pathlib import Path

import pytest

from tests.tools import executable_required, tool_missing

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    return executable_required(
        "chromium", "chromium-browser", what="chromium (no `chromium` executable on PATH)",
        hint="install it with `apt-get install chromium` to run the browser tests",
    )


@pytest.fixture(scope="session")
def browser(chromium_executable):
    try:
        from playwright import sync_api
    except ImportError:
        tool_missing("Playwright for Python", hint="`make install` installs it")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    """The demo call DEMO-UZEM-SMT with its 36 applications and the four demo accounts."""
    from portal.demo import demo_load

    call, _logins = demo_load()
    return call


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts on the live server; a Turkish-speaking browser unless told otherwise."""
    contexts = []

    def make(*, viewport=None, locale="tr-TR", **kwargs):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport or DESKTOP, locale=locale, **kwargs
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    # Kept as test artefacts under var/ (ignored by git) unless $BROWSER_SCREENSHOTS says where.
    folder = os.environ.get("BROWSER_SCREENSHOTS") or Path(__file__).resolve().parents[2] / "var" / "screenshots"
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def shoot(screenshot_dir):
    def take(page, name: str):
        page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)

    return take
