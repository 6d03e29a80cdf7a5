"""The deployment files agree with the code: docker-compose.yml, Dockerfile, .dockerignore.

No Docker engine is needed: the compose file is read with PyYAML and compared with what the
settings actually read from the environment.
"""
import importlib.util
import re
import shlex
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SETTINGS_DIR = ROOT / "mobility" / "settings"

APP_SERVICES = ("web", "worker", "beat")

# env("NAME"...), env.str("NAME"...), env.db("NAME"...), env.list('NAME'...) ...
ENV_READ = re.compile(r"""\benv(?:\.\w+)?\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']""")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?message}, ${NAME?message}
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


@pytest.fixture(scope="module")
def dockerfile():
    return DOCKERFILE.read_text(encoding="utf-8")


def settings_env_names() -> set[str]:
    names = set()
    for path in SETTINGS_DIR.glob("*.py"):
        names.update(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names


def interpolate(value: str) -> str:
    """Resolve Compose's ${...} the way an operator who only sets the required ones would."""

    def resolve(match):
        name, operator, argument = match.groups()
        if operator in (":-", "-"):
            return argument
        if operator in (":?", "?"):
            return f"REQUIRED-{name}"
        return ""

    return INTERPOLATION.sub(resolve, value)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["NAME=value", ...]
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def command(service: dict) -> list[str]:
    cmd = service.get("command") or []
    return shlex.split(cmd) if isinstance(cmd, str) else [str(part) for part in cmd]


def mounts(service: dict) -> dict[str, str]:
    """Container path -> named volume (or host path) for each of the service's volumes."""
    result = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            result[volume["target"]] = volume.get("source", "")
        else:
            source, target = volume.split(":")[:2]
            result[target] = source
    return result


def test_the_five_services_exist(services):
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7")


def test_web_worker_and_beat_run_the_same_image(services):
    builds = {name: (repr(services[name].get("build")), services[name].get("image")) for name in APP_SERVICES}
    assert len(set(builds.values())) == 1, builds
    assert services["web"].get("build") is not None, "the app services must build the project's Dockerfile"
    assert services["migrate"].get("build") == services["web"].get("build")


def test_commands(services):
    web = command(services["web"])
    assert web[0] == "gunicorn"
    assert any(part.split(":")[0] == "mobility.wsgi" for part in web), web
    assert command(services["worker"])[:4] == ["celery", "-A", "mobility", "worker"]
    assert command(services["beat"])[:4] == ["celery", "-A", "mobility", "beat"]


def test_migrations_and_roles_run_before_the_app_starts(services):
    migrate = " ".join(command(services["migrate"]))
    assert "manage.py migrate" in migrate and "manage.py setup_roles" in migrate
    assert migrate.index("migrate") < migrate.index("setup_roles")
    assert services["migrate"].get("restart") == "no"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy", name
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"


def test_the_settings_read_every_variable_the_services_set(services):
    readable = settings_env_names() | {"DJANGO_SETTINGS_MODULE"}
    # The regex must find what base.py plainly reads, or this test would prove nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS", "EMAIL_URL", "MEDIA_ROOT"} <= readable
    for name in ("migrate", *APP_SERVICES):
        unread = set(environment(services[name])) - readable
        assert not unread, f"{name} sets {sorted(unread)}, which no settings module reads"


def test_required_configuration(services):
    for name in ("migrate", *APP_SERVICES):
        env = environment(services[name])
        assert env["DJANGO_SETTINGS_MODULE"] == "mobility.settings.production", name
        assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", env["SECRET_KEY"]), "SECRET_KEY must be required"
        for variable in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "EMAIL_URL", "MEDIA_ROOT", "REDIS_URL", "DATABASE_URL"):
            assert variable in env, (name, variable)


def test_the_settings_module_exists(services):
    modules = {environment(services[name])["DJANGO_SETTINGS_MODULE"] for name in ("migrate", *APP_SERVICES)}
    for module in modules:
        assert importlib.util.find_spec(module) is not None, module
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file(), module


def test_database_url_points_at_the_db_service(services):
    db_env = environment(services["db"])
    for name in ("migrate", *APP_SERVICES):
        url = urlsplit(interpolate(environment(services[name])["DATABASE_URL"]))
        assert url.scheme in ("postgres", "postgresql", "pgsql"), url
        assert url.hostname == "db"
        assert (url.port or 5432) == 5432
        assert url.username == db_env["POSTGRES_USER"]
        assert url.password == interpolate(db_env["POSTGRES_PASSWORD"])
        assert url.path.lstrip("/") == db_env["POSTGRES_DB"]


def test_redis_url_points_at_the_redis_service(services):
    for name in APP_SERVICES:
        url = urlsplit(interpolate(environment(services[name])["REDIS_URL"]))
        assert url.scheme == "redis"
        assert url.hostname == "redis"
        assert (url.port or 6379) == 6379


def test_volumes_for_database_media_and_beat_schedule(compose, services):
    declared = set(compose.get("volumes") or {})
    db_volume = mounts(services["db"]).get("/var/lib/postgresql/data")
    assert db_volume in declared, "the database needs a named volume"

    media_root = environment(services["web"])["MEDIA_ROOT"]
    assert media_root.startswith("/")
    web_media = mounts(services["web"]).get(media_root)
    worker_media = mounts(services["worker"]).get(media_root)
    assert web_media in declared, "MEDIA_ROOT must be on a named volume"
    assert worker_media == web_media, "web and worker must share the media volume"
    assert environment(services["worker"])["MEDIA_ROOT"] == media_root

    beat = command(services["beat"])
    schedule = next(
        (part.split("=", 1)[1] if "=" in part else beat[i + 1])
        for i, part in enumerate(beat)
        if part in ("-s", "--schedule") or part.startswith("--schedule=")
    )
    beat_mounts = mounts(services["beat"])
    schedule_dir = str(Path(schedule).parent)
    assert beat_mounts.get(schedule_dir) in declared, "beat's schedule file must be on a volume"


def test_healthchecks(services):
    web_test = services["web"]["healthcheck"]["test"]
    script = next(part for part in web_test if part.endswith(".py"))
    local = ROOT / "docker" / Path(script).name
    assert local.is_file(), script
    assert "/healthz" in local.read_text(encoding="utf-8")
    assert "healthz" in (ROOT / "mobility" / "urls.py").read_text(encoding="utf-8")
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in " ".join(services["redis"]["healthcheck"]["test"])


def test_dockerfile_base_and_install(dockerfile):
    assert re.search(r"^FROM python:3\.11(-slim)?(\S*)?\s*$", dockerfile, re.MULTILINE), "base must be python:3.11"
    assert re.search(r"pip install[^\n]*-c constraints\.txt \.", dockerfile), "install with the constraints"


def test_dockerfile_builds_translations_and_static_with_production_settings(dockerfile):
    assert "compile_translations" in dockerfile
    assert "collectstatic --noinput" in dockerfile
    assert "DJANGO_SETTINGS_MODULE=mobility.settings.production" in dockerfile
    key = re.search(r'SECRET_KEY="([^"]+)"', dockerfile)
    assert key and len(key.group(1)) >= 50, "production settings refuse a key shorter than 50 characters"
    assert not re.search(r"^\s*ENV\s[^\n]*SECRET_KEY", dockerfile, re.MULTILINE), "no key baked into the image"


def test_production_install_has_the_redis_transport():
    """The image installs only the main dependencies, not the dev extras.

    Kombu's Redis transport imports `packaging`, which kombu declares only in its `redis`
    extra; in development pytest brings it in, so only this check sees it missing.
    Without it the worker, beat and /healthz cannot reach Redis.
    """
    from packaging.requirements import Requirement

    declared = [Requirement(r) for r in tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]]
    assert any(
        (req.name.lower() in ("celery", "kombu") and "redis" in req.extras) or req.name.lower() == "packaging"
        for req in declared
    ), "declare celery[redis] (or packaging) in pyproject.toml's dependencies"


def test_dockerfile_weasyprint_libraries_and_fonts(dockerfile):
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz", "fonts-dejavu"):
        assert package in dockerfile, package


def test_dockerfile_runs_gunicorn_as_a_non_root_user(dockerfile):
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1] not in ("root", "0"), users
    cmd = re.findall(r"^CMD\s+(.+)$", dockerfile, re.MULTILINE)
    assert cmd and "gunicorn" in cmd[-1] and "mobility.wsgi" in cmd[-1]


def test_dockerignore_keeps_secrets_and_local_state_out():
    ignored = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()}
    for entry in (".env", ".git", ".venv", "var"):
        assert entry in ignored, entry
