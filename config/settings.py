"""Settings, read from the environment.

SQLite in the project folder is the zero-set-up default; PostgreSQL is chosen
with ``DATABASE_URL=postgres://user@host:5432/name``. ``DEBUG`` defaults to off
so that a forgotten variable never exposes debug pages; in a development checkout
``local/development.env`` (``config/local.py``) turns it on.
"""

import ipaddress
import os
import re
from datetime import timedelta
from pathlib import Path

import csp.constants
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
    # Django's admin, with the project's site: a second factor guards every page of it.
    "incidents.second_factor.StaffAdminConfig",
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
    # A second factor for staff: authenticator apps (TOTP), recovery codes, and security
    # keys and passkeys (WebAuthn). TOTP first: a code is tried on the kind it looks like.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    # Content-Security-Policy (its system checks refuse settings of the 3.x style).
    "csp",
    # django-axes (sign-in lockout), under a translated name in the admin.
    "incidents.signin.SignInAttemptsConfig",
    "incidents",
]

MIDDLEWARE = [
    # First: every answer, whoever gives it, names its request (X-Request-ID).
    "incidents.api.request_id.RequestIdMiddleware",
    # Logs every 401 and 403, whoever answered it (the API, the admin, the CSRF check).
    "incidents.security_log.PermissionDeniedLogMiddleware",
    # Early, so that every answer carries the policy, redirects and static files too.
    "incidents.content_security.ContentSecurityPolicyMiddleware",
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
    "django.contrib.messages.middleware.MessageMiddleware",
    # Ends a staff session idle too long or older than its limit, before anything else
    # reads it (the second factor's step included), saying why in a message.
    "incidents.sessions.StaffSessionMiddleware",
    # Which second factor, if any, this session has passed (django-otp), and then: a staff
    # session that has not passed one reaches only the sign-in pages and is anonymous
    # elsewhere (STAFF_REQUIRE_2FA).
    "django_otp.middleware.OTPMiddleware",
    "incidents.second_factor.SecondFactorMiddleware",
    # Answers vary on the caller's credentials, and are private when there are any.
    "incidents.api.caching.PrivateAnswersMiddleware",
    "incidents.writes.audit.AuditMiddleware",
    # Records who read which restricted record (after auth: who; inside the request id's).
    "incidents.access_log.AccessLogMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused by the lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
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
# secure_delete=ON: freed space is overwritten with zeros, so that a purged value (or a
# deleted row) does not linger in the file's free pages (incidents.writes.purge).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault("timeout", env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1))
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The lockout's backend comes first: it refuses a locked-out account or address before
# any password is checked, at every form that signs in (django.contrib.auth.authenticate).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

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

# Content-Security-Policy (django-csp 4), on every answer. Pages (the admin, the article
# import, Swagger UI, Redoc) load scripts and styles from this server only; the few
# inline ones carry the answer's nonce ({{ request.csp_nonce }}), so an injected script or
# <style> never runs. No 'unsafe-eval' and no 'unsafe-inline' for scripts or styles: the
# admin, Swagger UI and Redoc work without (tests/browser/test_csp.py fails on any
# violation). Answers that are not pages (JSON, CSV, charts) get `default-src 'none'`
# instead (incidents/content_security.py).
# CSP_REPORT_URI: where browsers POST violation reports (report-uri); CSP_REPORT_TO: the
# same for the Reporting API (report-to, with a Reporting-Endpoints header); both empty
# by default. CSP_REPORT_ONLY=1 sends the policy as Content-Security-Policy-Report-Only:
# browsers report what it would block and block nothing, to try a change out.
_csp_report_uri = os.environ.get("CSP_REPORT_URI", "").strip()
_csp_report_to = os.environ.get("CSP_REPORT_TO", "").strip()
_csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'", csp.constants.NONCE],
    "style-src": ["'self'", csp.constants.NONCE],
    # Style attributes that libraries' templates write, allowed by value and no others:
    # django-simple-history's history list and the browsable API's (DEBUG) buttons.
    "style-src-attr": [
        "'unsafe-hashes'",
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        "'sha256-OfgyIBrd+/vP79JdFMYP+re4T+fIenvkrHPD2HZ8/cs='",  # float: right; margin-...
    ],
    # Swagger UI's and the admin's icons are data: URIs in their stylesheets.
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
if _csp_report_uri:
    _csp_directives["report-uri"] = [_csp_report_uri]
REPORTING_ENDPOINTS = {"csp-endpoint": _csp_report_to} if _csp_report_to else {}
if _csp_report_to:
    _csp_directives["report-to"] = "csp-endpoint"
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}

# Logging: one line per event on standard error, where a supervisor (systemd's journal,
# Docker, Kubernetes) collects it. LOG_FORMAT=json (the default) writes JSON lines with
# timestamp, level, logger, message, request_id (the X-Request-ID of the request being
# answered) and the event's fields; LOG_FORMAT=text writes the same for human eyes.
# Every line passes a redaction filter first (incidents/logs.py): tokens' secrets,
# credentials and query strings are cut out, and a traceback names the exception but
# withholds its message, which may quote a record's values.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "").strip().upper() or "INFO"
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {LOG_LEVEL!r}"
    )
LOG_FORMAT = os.environ.get("LOG_FORMAT", "").strip().lower() or "json"
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be json or text; got {LOG_FORMAT!r}")
_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


def _at_least(level: str, floor: str) -> str:
    return max(level, floor, key=_LEVELS.index)


def _at_most(level: str, ceiling: str) -> str:
    return min(level, ceiling, key=_LEVELS.index)


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "incidents.logs.RequestIdFilter"},
        "redact": {"()": "incidents.logs.RedactFilter"},
    },
    "formatters": {
        "json": {"()": "incidents.logs.JsonFormatter"},
        "text": {"()": "incidents.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "redact"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own loggers write through the one handler above (not Django's default
        # console handler, nor mail to ADMINS): every 500 at ERROR with its traceback,
        # other 4xx and 5xx answers at WARNING, each with its request id.
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # SQL at DEBUG carries its parameters, which are record values: never logged.
        "django.db.backends": {"level": _at_least(LOG_LEVEL, "INFO")},
        # Security events (sign-ins, lockouts, factors, tokens, denials, purges) are kept
        # at WARNING and above, however quiet LOG_LEVEL makes the rest; successful
        # sign-ins are INFO.
        "incidents.security": {"level": _at_most(LOG_LEVEL, "WARNING")},
        # Libraries that talk a lot at DEBUG and say nothing an operator needs.
        "matplotlib": {"level": _at_least(LOG_LEVEL, "WARNING")},
        # django-axes logs each failed sign-in and lockout in its own words; lockouts are
        # logged once, as security events (incidents.signin), so only its errors are kept.
        "axes": {"level": _at_least(LOG_LEVEL, "ERROR")},
        "PIL": {"level": _at_least(LOG_LEVEL, "INFO")},
        "django.utils.autoreload": {"level": _at_least(LOG_LEVEL, "INFO")},
    },
}

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
    # No validator badge: Swagger UI would fetch it from swagger.io, telling a third party
    # who reads the documentation (and the Content-Security-Policy would block it).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
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

# Days an entry of the access log (who read which restricted record) is kept
# (purge_access_log deletes older ones).
ACCESS_LOG_RETENTION_DAYS = env_int("ACCESS_LOG_RETENTION_DAYS", 365, minimum=1)

# The staff door. A sensitive action (issuing or revoking tokens, changing roles, purging,
# backups) asks for a second factor confirmed within this many seconds.
STAFF_RECENT_2FA_SECONDS = env_int("STAFF_RECENT_2FA_SECONDS", 10 * 60, minimum=1)
# After a purge, ask the database to let go of the old value's bytes at once: VACUUM
# (ANALYZE) of the tables it changed on PostgreSQL, a truncating WAL checkpoint on SQLite.
PURGE_RECLAIM = env_bool("PURGE_RECLAIM", True)
# Every staff account needs a second factor: after the password, a code from an
# authenticator app or a security key; an account without one enrols at its next sign-in.
# On whenever DEBUG is off, so production cannot forget it; the local demo (DEBUG on) asks
# only those who have enrolled one. Enforced on every request (incidents.second_factor).
STAFF_REQUIRE_2FA = env_bool("STAFF_REQUIRE_2FA", not DEBUG)
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "").strip() or "Incident records"
# The admin never shows an authenticator's secret (the factor pages show one once, to enrol).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


def _domain_names(hosts: list[str]) -> list[str]:
    """The DNS names among ALLOWED_HOSTS (no addresses, no wildcards); a leading dot dropped."""
    names = []
    for host in hosts:
        name = host.lstrip(".").lower()
        if not name or "*" in name or name.startswith("["):
            continue
        try:
            ipaddress.ip_address(name)
        except ValueError:
            names.append(name)
    return names


# Security keys and passkeys (WebAuthn, django-otp-webauthn). A key is bound to the
# relying party id, the site's domain (WEBAUTHN_RP_ID; default the first name in
# ALLOWED_HOSTS, else localhost), and answers only pages at the origins listed
# (WEBAUTHN_ORIGINS, comma-separated; default https:// and each allowed host within that
# domain, and with DEBUG on and the id localhost, http://localhost:8000, the demo). Browsers
# offer WebAuthn on https:// pages and on http://localhost only, never on a bare address
# such as 127.0.0.1. Changing the id later makes every registered key unusable.
_web_names = _domain_names(ALLOWED_HOSTS)
OTP_WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID", "").strip().lower() or (
    _web_names[0] if _web_names else "localhost"
)
OTP_WEBAUTHN_RP_NAME = os.environ.get("WEBAUTHN_RP_NAME", "").strip() or OTP_TOTP_ISSUER
_default_origins = [
    f"https://{name}"
    for name in _web_names
    if name == OTP_WEBAUTHN_RP_ID or name.endswith(f".{OTP_WEBAUTHN_RP_ID}")
] or [f"https://{OTP_WEBAUTHN_RP_ID}"]
if DEBUG and OTP_WEBAUTHN_RP_ID == "localhost":
    _default_origins.append("http://localhost:8000")
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list("WEBAUTHN_ORIGINS", ",".join(_default_origins))
for _origin in OTP_WEBAUTHN_ALLOWED_ORIGINS:
    _match = re.fullmatch(r"(https://|http://localhost)([^/:]*)(:[0-9]+)?", _origin)
    _host = (_match.group(2) or "localhost") if _match else ""
    if not _match or not (_host == OTP_WEBAUTHN_RP_ID or _host.endswith(f".{OTP_WEBAUTHN_RP_ID}")):
        raise ImproperlyConfigured(
            f"WEBAUTHN_ORIGINS: {_origin!r} must be https://<host>[:port] (or "
            f"http://localhost[:port]) with the host {OTP_WEBAUTHN_RP_ID!r} (WEBAUTHN_RP_ID) "
            "or a name under it"
        )
# A key is a second factor after the password, never a way in without one.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Lockout (django-axes). AXES_FAILURE_LIMIT failed sign-ins lock out the account, and
# separately the address they came from (so neither guessing one account's password from
# many addresses nor many accounts' from one address goes on), for AXES_COOLOFF_MINUTES
# counted from the last failure. Failures are kept in the database, which every worker
# shares. The address is the throttles' (NUM_PROXIES), never a client-sent header.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "incidents.addresses.client_address"
# The page a locked-out person sees (in their language, with how long), answered 429.
AXES_LOCKOUT_CALLABLE = "incidents.signin.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# Tries while locked out are refused without extending the lockout: it ends when the page
# said it would, and an adversary cannot keep a colleague locked out beyond that by trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A successful sign-in forgets that account's earlier failures, and not its address's
# (incidents.signin): these may be guesses at other accounts, which whoever holds one
# colleague's password would otherwise wipe by signing in as them.
AXES_RESET_ON_SUCCESS = False
# A lasting record of failures and sign-ins for administrators (Sign-in attempts, in the
# admin); the admin pages are the project's own (incidents/admin/signin.py), translated.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# What the lockout records of a failed form are stored without: passwords always, and
# codes and tokens a sign-in form may carry.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "otp_token",
    "token",
    "code",
    "csrfmiddlewaretoken",
]

# Staff sessions end STAFF_SESSION_MAX_HOURS after sign-in, however active, and after
# STAFF_SESSION_IDLE_MINUTES without a request (incidents.sessions).
STAFF_SESSION_MAX_HOURS = env_int("STAFF_SESSION_MAX_HOURS", 12, minimum=1)
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_HOURS * 60 * 60

# Partner tokens issued without an expiry expire after this many days; 0: they never do.
TOKEN_DEFAULT_TTL_DAYS = env_int("TOKEN_DEFAULT_TTL_DAYS", 90)

# Encrypted backups (`manage.py backup`): scrypt's work factor (log2 N) for the passphrase.
# 18 is age's own default (about a second and 256 MiB per backup or restore); every age
# implementation opens files up to 22. The passphrase itself is never a setting: it comes
# from BACKUP_PASSPHRASE or --passphrase-file, read by the command alone.
BACKUP_SCRYPT_WORK_FACTOR = env_int("BACKUP_SCRYPT_WORK_FACTOR", 18, minimum=14)
if BACKUP_SCRYPT_WORK_FACTOR > 22:
    raise ImproperlyConfigured(
        f"BACKUP_SCRYPT_WORK_FACTOR must be at most 22; got {BACKUP_SCRYPT_WORK_FACTOR}"
    )
