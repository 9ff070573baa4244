"""Settings, read from the environment.

SQLite in the project folder is the zero-set-up default; PostgreSQL is chosen
with ``DATABASE_URL=postgres://user@host:5432/name``. ``DEBUG`` defaults to off
so that a forgotten variable never exposes debug pages; in a development checkout
``local/development.env`` (``config/local.py``) turns it on.
"""

import ipaddress
import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import local

BASE_DIR = Path(__file__).resolve().parent.parent

# A checkout's local development file (``config/local.py``, written by ``make install``)
# supplies what the environment does not set: DEBUG on and a key of its own, so that
# every command the docs print works as printed. A server has no such file.
local.apply(local.path())


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; refuse values that are neither yes nor no."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """A whole number of at least ``minimum``; refuse anything else."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {value}")
    return value


def env_rate(name: str, default: str) -> str:
    """A request rate as Django REST framework reads it: ``<count>/<second|minute|hour|day>``."""
    value = os.environ.get(name, "").strip() or default
    if not re.fullmatch(r"[0-9]+/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(
            f"{name} must look like 120/minute (per second, minute, hour or day); got {value!r}"
        )
    return value


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    # Local development only: a fixed key is harmless when DEBUG is on and the
    # server listens on loopback; production refuses to start without one.
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Browser clients on other origins (a journalist's dashboard): the API only, for the origins
# listed (comma-separated, e.g. https://dashboard.example.org; none by default). No cookies
# cross origins: a page elsewhere never acts with a staff session; tokens go in Authorization.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS", "")
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_CREDENTIALS = False
# The headers the API reads from a client, and those of its answers a client needs to read.
CORS_ALLOW_HEADERS = [
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "if-match",
    "idempotency-key",
    "x-change-reason",
]
CORS_EXPOSE_HEADERS = [
    "ETag",
    "Location",
    "X-Upsert-Outcome",
    "Idempotent-Replayed",
    "Retry-After",
    "Content-Disposition",
    "X-Request-ID",
    # Announce a deprecated operation (CHANGELOG.md, "API versioning and deprecation policy").
    "Deprecation",
    "Sunset",
    "Link",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_countries",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "corsheaders",
    "incidents",
]

MIDDLEWARE = [
    # First: every answer, whoever gives it, names its request (X-Request-ID).
    "incidents.api.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer on its own (WhiteNoise, the 413 below, CommonMiddleware's
    # redirects), so that every /api/ answer carries CORS headers; preflights end here.
    "corsheaders.middleware.CorsMiddleware",
    # Static files, answered before sessions and the rest (production: collectstatic first).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses oversized API bodies before anything reads them.
    "incidents.limits.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the language from Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Answers vary on the caller's credentials, and are private when there are any.
    "incidents.api.caching.PrivateAnswersMiddleware",
    "incidents.writes.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
# PostgreSQL compiles a query to machine code when its estimated cost is high; the
# contested filter's correlated subqueries look costly, and compiling them took 0.6 s
# of a 1.2 s count. API queries are short: run them without JIT, unless told.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "POSTGRES_JIT", False
):
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
# SQLite takes one writer at a time. Its defaults make concurrent writers fail rather
# than wait: a transaction that reads, then writes (every upsert) cannot take the
# write lock once another writer holds it, and SQLite answers "database is locked"
# at once, without waiting. So: BEGIN IMMEDIATE takes the write lock at the start of
# every transaction.atomic(), where waiting works; a writer waits up to
# SQLITE_BUSY_TIMEOUT seconds for it; and WAL lets readers go on while one writes.
# synchronous=FULL (SQLite's default, kept): a write a client saw succeed survives a
# power cut too; NORMAL would be faster and could lose the last ones.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1))
    options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
# The app's own translations are in incidents/locale; these are for libraries that ship
# no Spanish of their own (django-simple-history's history pages).
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Where collectstatic puts them: the project folder in a checkout; set it where the app is
# installed from its wheel (BASE_DIR is then the virtualenv's site-packages).
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "").strip() or BASE_DIR / "staticfiles")

# WhiteNoise serves STATIC_ROOT; in production from hashed, compressed copies
# made by `manage.py collectstatic`.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The largest request body accepted, in bytes. Django checks it for forms; the API
# checks Content-Length against it before reading (incidents.limits).
MAX_REQUEST_BYTES = env_int("MAX_REQUEST_BYTES", 1024 * 1024, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

# A cache every worker process shares; it holds the throttling counters. The
# database by default (`manage.py createcachetable` makes the table), Redis with
# REDIS_URL (needs the `redis` package).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "django_cache",
            # One entry per active client; Django's default of 300 would cull live counters.
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }

# HTTPS. Secure by default when DEBUG is off; each can be turned off explicitly.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health probes (/healthz, /readyz) come over plain HTTP from inside: a load balancer,
# the kubelet, curl on the machine. A redirect to https would fail them.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
# Only behind a proxy that sets X-Forwarded-Proto itself (and drops the client's own).
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TRUST_X_FORWARDED_PROTO", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = env_bool("SECURE_CONTENT_TYPE_NOSNIFF", True)
X_FRAME_OPTIONS = os.environ.get("X_FRAME_OPTIONS", "").strip().upper() or "DENY"
if X_FRAME_OPTIONS not in {"DENY", "SAMEORIGIN"}:
    raise ImproperlyConfigured(
        f"X_FRAME_OPTIONS must be DENY or SAMEORIGIN; got {X_FRAME_OPTIONS!r}"
    )
SECURE_REFERRER_POLICY = env_list("SECURE_REFERRER_POLICY", "same-origin")

FIXTURE_DIRS = [BASE_DIR / "fixtures"]
SEEDS_DIR = BASE_DIR / "seeds"

# The read API. Anonymous reads only in v1 so far; authentication for partners
# comes with the write API. Errors use one shape (drf-standardized-errors), which
# the schema documents for every operation.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "incidents.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": (
        ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"]
        if DEBUG
        else ["rest_framework.renderers.JSONRenderer"]
    ),
    "DEFAULT_PARSER_CLASSES": ["incidents.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "incidents.api.pagination.KeysetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "incidents.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_VERSIONING_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # One throttle applies to each request: per address, per partner token, or per staff user.
    "DEFAULT_THROTTLE_CLASSES": [
        "incidents.api.throttling.AnonymousRateThrottle",
        "incidents.api.throttling.PartnerRateThrottle",
        "incidents.api.throttling.StaffRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_rate("THROTTLE_ANON", "120/minute"),
        "partner": env_rate("THROTTLE_PARTNER", "600/minute"),
        "staff": env_rate("THROTTLE_STAFF", "1200/minute"),
    },
    # Proxies in front whose X-Forwarded-For is trusted for the anonymous client address;
    # 0 means the address the server sees (REMOTE_ADDR).
    "NUM_PROXIES": env_int("NUM_PROXIES", 0),
}

DRF_STANDARDIZED_ERRORS = {
    # Also answers a database too busy to take a write with 503 and Retry-After.
    "EXCEPTION_HANDLER_CLASS": "incidents.api.errors.ExceptionHandler",
    # The statuses the API can answer with; the schema documents each where it applies.
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "409",
        "412",
        "413",
        "415",
        "422",
        "429",
        "500",
        "503",
    ],
    "ERROR_SCHEMAS": {
        status: "incidents.api.schema.ClientErrorResponseSerializer"
        for status in ("409", "412", "413", "422")
    }
    | {"503": "incidents.api.schema.BusyErrorResponseSerializer"},
}

# Enums of the error shape, named once in the schema.
_ERROR_ENUMS = ["ValidationErrorEnum", "ClientErrorEnum", "ServerErrorEnum"] + [
    f"ErrorCode{status}Enum" for status in (401, 403, 404, 405, 406, 415, 429, 500)
]

SPECTACULAR_SETTINGS = {
    "TITLE": "Incident records API",
    "DESCRIPTION": (
        "Structured human-rights incident records: incidents, detained groups, the "
        "figures sources report about them, allegations, and who said so, when, and "
        "in what words. Every figure and allegation carries its citations."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        **{
            name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
            for name in _ERROR_ENUMS
        },
        "ActorKindEnum": "incidents.choices.ActorKind",
        "SourceKindEnum": "incidents.choices.SourceKind",
        "IncidentKindEnum": "incidents.choices.IncidentKind",
        "AllegationStatusEnum": "incidents.choices.AllegationStatus",
        "VisibilityEnum": "incidents.choices.Visibility",
        "DatePrecisionEnum": "incidents.choices.DatePrecision",
        "StanceEnum": "incidents.choices.Stance",
        "VocabularyEnum": "incidents.choices.Vocabulary",
        "CountryEnum": "incidents.api.schema.country_choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
        "incidents.api.schema.unify_enums",
        "incidents.api.schema.optional_auth_at_the_top",
    ],
}


# Background work (large imports, webhook deliveries): Django's Tasks API with its
# database backend, so a task is queued in the same transaction as the change that
# caused it. Run the worker beside the web server: `python manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# /readyz fails when a task has waited this many seconds and no worker took any task
# meanwhile (the worker keeps no heartbeat: incidents/api/health.py); 0 leaves it out.
READY_WORKER_STALE_SECONDS = env_int("READY_WORKER_STALE_SECONDS", 120)

# Webhooks: how hard to try, and where deliveries may go.
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10, minimum=1)  # seconds
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8, minimum=1)
WEBHOOK_BACKOFF_SECONDS = env_int("WEBHOOK_BACKOFF_SECONDS", 30)
WEBHOOK_PAUSE_AFTER = env_int("WEBHOOK_PAUSE_AFTER", 10)
# Webhooks go to public addresses only, whatever DEBUG says. Networks listed here
# (comma-separated CIDR, e.g. "127.0.0.0/8,::1/128" for a receiver on this machine,
# or "10.1.2.0/24" for one on the operator's own network) are allowed as well, and
# so are http URLs then.
try:
    WEBHOOK_ALLOWED_NETWORKS = [
        ipaddress.ip_network(network, strict=False)
        for network in env_list("WEBHOOK_ALLOWED_NETWORKS", "")
    ]
except ValueError as error:
    raise ImproperlyConfigured(f"WEBHOOK_ALLOWED_NETWORKS: {error}") from None

# Bulk imports: batches above this many rows run in the background.
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 200)
# The most one import may carry: more is refused (413) as soon as it is read. A batch is
# read a row at a time; the rows cap bounds what a job's report holds, the bytes cap what
# the job stores and reads again.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1)
# Where a background import's batch waits for the worker, deleted once the job has run.
# Every web server and worker must see the same files: with several machines, a shared
# directory, or replace STORAGES["imports"] with another storage (object storage).
IMPORT_SPOOL_DIR = Path(
    os.environ.get("IMPORT_SPOOL_DIR", "").strip() or BASE_DIR / "var" / "imports"
)
STORAGES["imports"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    # Batches may hold restricted records: readable by the server's own user only.
    "OPTIONS": {
        "location": IMPORT_SPOOL_DIR,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# Days an import job and its report are kept after it finished (purge_import_jobs).
IMPORT_RETENTION_DAYS = env_int("IMPORT_RETENTION_DAYS", 30, minimum=1)

# The staff door. A sensitive action (issuing or revoking tokens, changing roles, purging,
# backups) asks for a second factor confirmed within this many seconds.
STAFF_RECENT_2FA_SECONDS = env_int("STAFF_RECENT_2FA_SECONDS", 10 * 60, minimum=1)
