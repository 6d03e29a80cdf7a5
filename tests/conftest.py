import uuid

import pytest
from django.utils import translation

from tests.factories import CallDepartmentFactory, CallFactory, UserFactory


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    """Assertions read English msgids; Turkish output has tests of its own (test_turkish_output.py).

    Requests still negotiate their language through LocaleMiddleware (Turkish by default).
    """
    settings.MEDIA_ROOT = tmp_path / "media"
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
