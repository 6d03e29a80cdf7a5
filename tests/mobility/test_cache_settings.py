"""The cache every process shares (point 4): Redis with REDIS_URL, else the database."""
import json

from tests.mobility.test_settings import BASE, run

PRINT_CACHE = "import json; from django.conf import settings; print(json.dumps(settings.CACHES['default']))"


def cache(**variables: str) -> dict:
    result = run(["-c", PRINT_CACHE], BASE, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_cache_is_redis_when_redis_url_is_set():
    values = cache(REDIS_URL="redis://cache.internal:6380/2")
    assert values["BACKEND"] == "mobility.cache.ResilientRedisCache"  # a Redis cache that survives Redis down
    assert values["LOCATION"] == "redis://cache.internal:6380/2"


def test_without_redis_the_cache_is_a_database_table():
    values = cache()
    assert values["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


def test_cache_url_overrides_both():
    assert cache(REDIS_URL="redis://x:6379/0", CACHE_URL="locmemcache://")["BACKEND"].endswith("LocMemCache")


def test_migrate_creates_the_cache_table(tmp_path):
    db = tmp_path / "db.sqlite3"
    result = run(["manage.py", "migrate", "-v0"], BASE, DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    import sqlite3

    tables = {row[0] for row in sqlite3.connect(db).execute("select name from sqlite_master where type='table'")}
    assert "mobility_cache" in tables
