import uuid

import pytest
from django.utils import translation

from tests import hypothesis_profiles  # noqa: F401 - registers the profiles before --hypothesis-profile loads one
from tests.factories import CallDepartmentFactory, CallFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    """Assertions read English msgids; Turkish output has tests of its own (test_turkish_output.py).

    Requests still negotiate their language through LocaleMiddleware (Turkish by default).
    """
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    """An empty cache for each test: the configured one (Redis in CI) outlives tests and runs,
    and the sign-in rate limits count in it. The shared cache itself is tested across processes."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": f"test-{uuid.uuid4().hex}"},
    }


@pytest.fixture
def call(db):
    call = CallFactory(code="UZEM-2022-SMT-1")
    for code, name in (("CENG", "Bilgisayar Mühendisliği"), ("SENG", "Yazılım Mühendisliği"), ("MIS", "Yönetim Bilişim Sistemleri")):
        CallDepartmentFactory(call=call, department__code=code, department__name=name)
    return call


@pytest.fixture
def student(db):
    return UserFactory(role="student")


@pytest.fixture
def staff(db):
    return UserFactory(role="office_staff")


@pytest.fixture
def coordinator(db):
    return UserFactory(role="department_coordinator")


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_superuser=True, is_staff=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Say clearly, at the end, which tests did not run because a tool is missing on this machine."""
    from tests.tools import MISSING_TOOL

    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        message = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        message = message.removeprefix("Skipped: ")
        if message.startswith(MISSING_TOOL):
            reasons[message] = reasons.get(message, 0) + 1
    if not reasons:
        return
    total = sum(reasons.values())
    terminalreporter.section("not tested on this machine", sep="!", yellow=True, bold=True)
    terminalreporter.write_line(
        f"{total} test(s) SKIPPED because a tool is missing here; they run (and must pass) in CI:", yellow=True, bold=True,
    )
    for message, count in sorted(reasons.items()):
        terminalreporter.write_line(f"  {count} × {message}", yellow=True)


@pytest.fixture
def concurrent_db(transactional_db):
    """A committed PostgreSQL test database for tests/concurrency.run_concurrently (see there)."""
    from tests.concurrency import postgres_required

    postgres_required()

