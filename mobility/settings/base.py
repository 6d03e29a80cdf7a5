"""Settings for every environment, read from environment variables.

Defaults give a working development portal with nothing but Python: SQLite under var/ and
Celery on a filesystem broker. Production (`mobility.settings.production`) tightens them.
"""
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=True)
# Only for development; production.py refuses to start with it.
INSECURE_DEV_SECRET_KEY = "django-insecure-development-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=INSECURE_DEV_SECRET_KEY)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "django_countries",  # country names in the user's language (its own translations)
    "import_export",
    "mobility",
    "applications",
    "selection",
    "letters",
    "appeals",
    "traineeships",
    "internships",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "mobility.middleware.PermissionsPolicyMiddleware",
    "mobility.middleware.RefuseNulBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mobility.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts from
# the portal itself only, no inline script, no plugins, no framing by other sites. The admin's
# own templates carry a few style attributes: mobility.middleware relaxes style-src there only.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
        "frame-src": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
    },
}
# Permissions-Policy on every response (mobility.middleware): the portal uses none of these.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

ROOT_URLCONF = "mobility.urls"
WSGI_APPLICATION = "mobility.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "mobility.context_processors.portal",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in development: wait for locks, don't fail.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "mobility.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email + password, verified email, rate-limited login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_RATE_LIMIT", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
}
ACCOUNT_ADAPTER = "portal.accounts.PortalAccountAdapter"
# Sign-up asks for the name and student number the account is linked by (applications.student.accounts).
ACCOUNT_SIGNUP_FORM_CLASS = "applications.student.forms.StudentSignupForm"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False

# One cache for every process (gunicorn workers, Celery): the sign-in and sign-up rate limits
# above count in it, and a per-process memory cache would multiply them by the worker count.
# Redis when REDIS_URL is set, else a database table (created by the mobility migrations);
# CACHE_URL overrides both.
if env.str("CACHE_URL", default=""):
    CACHES = {"default": env.cache("CACHE_URL")}
elif env.str("REDIS_URL", default=""):
    # Redis down must not take pages down: this backend falls back to a per-process memory cache.
    CACHES = {"default": {"BACKEND": "mobility.cache.ResilientRedisCache", "LOCATION": env.str("REDIS_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mobility_cache"}}
CACHES["default"].setdefault("KEY_PREFIX", env.str("CACHE_KEY_PREFIX", default="mobility"))

LANGUAGE_CODE = "tr"
LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["mobility.formats"]
# Printed at the top of published lists.
UNIVERSITY_NAME = env.str("UNIVERSITY_NAME", default="Üniversite Dış İlişkiler Ofisi")
USE_I18N = True
TIME_ZONE = "Europe/Istanbul"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Students' documents: outside MEDIA_ROOT and the web root, served only through permission checks.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
# Every file the portal stores (uploads, admin import files, long PDF lists) is private: the
# default storage has no URL, and nothing under MEDIA_ROOT is served (mobility.uploads).
STORAGES = {
    "default": {"BACKEND": "mobility.uploads.storage.PrivateStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="mobility@localhost")
# Links and the sender name in e-mails come from here, never from the host a request came in on.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The default name is translated where it is shown (pages, e-mail signatures); a name set here is kept as it is.
PORTAL_NAME_DEFAULT = "Mobility portal"
PORTAL_NAME = env.str("PORTAL_NAME", default=PORTAL_NAME_DEFAULT)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "

# Celery: Redis when REDIS_URL is set; otherwise a broker on the filesystem so that
# `make run` has a real worker and beat without any service.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "broker"

# A selection run queued or running for longer than this (seconds) is failed by the periodic
# sweep, so a call is never blocked for good. 50,000 applications take about 5 s.
SELECTION_RUN_TIMEOUT = env.int("SELECTION_RUN_TIMEOUT", default=600)

# What happens to a run when its worker dies, by design:
# - acks_late: the message is acknowledged when the task ends, not when it starts, so a task
#   whose worker is killed (SIGKILL, OOM, machine lost) is not forgotten by the broker;
# - reject_on_worker_lost: when only the pool process dies, the worker puts the message back at
#   once; the next attempt finds the run `running` and unlocked and reports it failed
#   (selection.services.selection_run_execute);
# - visibility_timeout (Redis): when the whole worker dies, Redis hands the unacknowledged
#   message out again after this delay. It must exceed the longest task (the hard limit below),
#   or a slow but live run would be delivered twice. By then the sweep has already failed the
#   run, so the late copy finds it ended and does nothing;
# - prefetch 1: a worker reserves no more messages than it has processes, so none wait
#   unacknowledged behind a long run and get redelivered elsewhere;
# - soft/hard time limits: the soft one raises inside the run (which is then failed with the
#   reason); the hard one kills the process, after which the sweep fails the run.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ANNOTATIONS = {
    "selection.tasks.execute_selection_run": {
        "soft_time_limit": max(1, SELECTION_RUN_TIMEOUT - max(5, SELECTION_RUN_TIMEOUT // 10)),
        "time_limit": SELECTION_RUN_TIMEOUT,
    },
}
# Publishing a task must fail fast when the broker is down: the web request waits for it.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": SELECTION_RUN_TIMEOUT + 300,
        "socket_connect_timeout": 3,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # The exchange table; kombu's default is ./control, in whatever folder the worker starts.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "deadline-sweep": {"task": "mobility.tasks.sweep", "schedule": 60.0},
    "import-job-expiry": {"task": "applications.tasks.expire_import_jobs", "schedule": 600.0},
    # The outbox: e-mails owed while the broker or the mail server was down go out from here.
    "outbox-send": {"task": "mobility.tasks.outbox_send", "schedule": env.float("OUTBOX_SEND_EVERY", default=60.0)},
    "selection-run-sweep": {"task": "selection.tasks.expire_stuck_runs", "schedule": 60.0},
    "internship-offer-expiry": {"task": "internships.tasks.expire_offers", "schedule": 60.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # PDF rendering logs every font subsetting step at INFO.
    "loggers": {name: {"level": "WARNING"} for name in ("fontTools", "weasyprint")},
}

IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Admin imports: the largest upload, and the size above which the worker checks and imports.
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
IMPORT_BACKGROUND_BYTES = env.int("IMPORT_BACKGROUND_BYTES", default=1024 * 1024)
