"""Settings come from the environment.

Each case imports the settings in a fresh interpreter with a crafted environment, so the
variables of the process running the tests (CI exports DATABASE_URL and REDIS_URL) and the
settings already loaded by pytest-django play no part.
"""
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = "mobility.settings.base"
PRODUCTION = "mobility.settings.production"

PRINT_SETTINGS = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "ENGINE": db["ENGINE"], "NAME": str(db["NAME"]), "HOST": db.get("HOST"), "PORT": db.get("PORT"),
    "USER": db.get("USER"), "PASSWORD": db.get("PASSWORD"),
    "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    "CELERY_BROKER_TRANSPORT_OPTIONS": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS, "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND, "EMAIL_HOST": getattr(settings, "EMAIL_HOST", None),
    "EMAIL_PORT": getattr(settings, "EMAIL_PORT", None), "EMAIL_HOST_USER": getattr(settings, "EMAIL_HOST_USER", None),
    "EMAIL_USE_TLS": getattr(settings, "EMAIL_USE_TLS", None),
    "DEBUG": settings.DEBUG, "MEDIA_ROOT": str(settings.MEDIA_ROOT), "STATIC_ROOT": str(settings.STATIC_ROOT),
    "TIME_ZONE": settings.TIME_ZONE, "USE_TZ": settings.USE_TZ, "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "SECURE_SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE, "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "STATICFILES_BACKEND": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def good_key() -> str:
    return secrets.token_urlsafe(50)


def clean_env(settings_module: str, **variables: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR") if name in os.environ}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    env.update(variables)
    return env


def run(args: list[str], settings_module: str, **variables: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean_env(settings_module, **variables),
        capture_output=True,
        text=True,
        timeout=120,
    )


def load(settings_module: str = BASE, **variables: str) -> dict:
    result = run(["-c", PRINT_SETTINGS], settings_module, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def defaults():
    return load(BASE)


def production_env(**overrides: str) -> dict[str, str]:
    return {"SECRET_KEY": good_key(), "ALLOWED_HOSTS": "mobility.example.edu.tr", **overrides}


# --- base settings -------------------------------------------------------------------


def test_database_url_selects_postgresql():
    values = load(DATABASE_URL="postgres://u:p@h:5432/n")
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert values["NAME"] == "n"
    assert (values["HOST"], str(values["PORT"]), values["USER"], values["PASSWORD"]) == ("h", "5432", "u", "p")


def test_default_database_is_sqlite_under_var(defaults):
    assert defaults["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(defaults["NAME"]) == ROOT / "var" / "db.sqlite3"


def test_redis_url_is_the_celery_broker():
    values = load(REDIS_URL="redis://cache.internal:6380/2")
    assert values["CELERY_BROKER_URL"] == "redis://cache.internal:6380/2"
    # Longer than the longest run (its hard time limit), or a live run would be delivered twice.
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"]["visibility_timeout"] > 600


def test_without_redis_the_broker_is_on_the_filesystem(defaults):
    assert defaults["CELERY_BROKER_URL"] == "filesystem://"
    folder = Path(defaults["CELERY_BROKER_TRANSPORT_OPTIONS"]["data_folder_in"])
    assert folder.is_relative_to(ROOT / "var")


def test_allowed_hosts_and_csrf_origins_are_comma_separated_lists(defaults):
    values = load(ALLOWED_HOSTS="mobility.example.edu.tr,.example.org,localhost", CSRF_TRUSTED_ORIGINS="https://mobility.example.edu.tr")
    assert values["ALLOWED_HOSTS"] == ["mobility.example.edu.tr", ".example.org", "localhost"]
    assert values["CSRF_TRUSTED_ORIGINS"] == ["https://mobility.example.edu.tr"]
    assert defaults["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"]
    assert defaults["CSRF_TRUSTED_ORIGINS"] == []


def test_email_url_configures_smtp(defaults):
    values = load(EMAIL_URL="smtp+tls://mailer:secret@smtp.example.edu.tr:587")
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["EMAIL_HOST"] == "smtp.example.edu.tr"
    assert values["EMAIL_PORT"] == 587
    assert values["EMAIL_HOST_USER"] == "mailer"
    assert values["EMAIL_USE_TLS"] is True
    assert defaults["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_debug_is_read_from_the_environment(defaults):
    assert defaults["DEBUG"] is True
    assert load(DEBUG="false")["DEBUG"] is False


def test_media_root_from_the_environment(tmp_path, defaults):
    assert load(MEDIA_ROOT=str(tmp_path / "media"))["MEDIA_ROOT"] == str(tmp_path / "media")
    assert Path(defaults["MEDIA_ROOT"]) == ROOT / "var" / "media"


def test_locale_and_time_zone(defaults):
    assert defaults["TIME_ZONE"] == "Europe/Istanbul"
    assert defaults["USE_TZ"] is True
    assert defaults["LANGUAGE_CODE"] == "tr"


# --- production settings -------------------------------------------------------------


@pytest.mark.parametrize(
    "secret_key",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("django-insecure-development-key-do-not-use-in-production", id="development-default"),
        pytest.param("Zq8-short-but-random-looking-key-3uK1", id="shorter-than-50"),
        pytest.param("a" * 60, id="one-character-repeated"),
        pytest.param("abcd" * 20, id="four-distinct-characters"),
        pytest.param("django-insecure-" + "Zq8x3uK1-p" * 6, id="django-generated-development-key"),
    ],
)
def test_production_refuses_a_missing_or_weak_secret_key(secret_key):
    variables = {"ALLOWED_HOSTS": "mobility.example.edu.tr"}
    if secret_key is not None:
        variables["SECRET_KEY"] = secret_key
    result = run(["-c", PRINT_SETTINGS], PRODUCTION, **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_development_key_matches_base():
    # The refusal above must be of the key base.py actually falls back to.
    from mobility.settings import base

    assert base.INSECURE_DEV_SECRET_KEY == "django-insecure-development-key-do-not-use-in-production"


def test_production_requires_allowed_hosts():
    result = run(["-c", PRINT_SETTINGS], PRODUCTION, SECRET_KEY=good_key())
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_defaults_are_secure():
    values = load(PRODUCTION, **production_env())
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == ["mobility.example.edu.tr"]
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["STATICFILES_BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert (values["TIME_ZONE"], values["USE_TZ"], values["LANGUAGE_CODE"]) == ("Europe/Istanbul", True, "tr")


def test_production_passes_check_deploy():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_development_settings():
    # Proves the check above can fail: base settings (DEBUG, no HSTS) are not deployable.
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], BASE, SECRET_KEY=good_key())
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG = True


def test_every_folder_of_the_filesystem_broker_is_under_var(defaults):
    options = defaults["CELERY_BROKER_TRANSPORT_OPTIONS"]
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        assert Path(options[key]).is_relative_to(ROOT / "var"), key
