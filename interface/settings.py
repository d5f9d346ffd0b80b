"""Settings for Interface: one file, every value from the environment.

With no environment at all the app runs on an embedded default: a SQLite file beside
``manage.py`` and Celery tasks executed in-process. ``.env.example`` lists every variable.
Setting ``INTERFACE_ENV=production`` switches on the production checks: the app refuses to
start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``, and ``manage.py check --deploy`` is clean.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from interface.env import env_bool, env_int, env_list

BASE_DIR = Path(__file__).resolve().parent.parent


INTERFACE_ENV = os.environ.get("INTERFACE_ENV", "development")
PRODUCTION = INTERFACE_ENV == "production"

DEBUG = env_bool("DEBUG", default=False)

if PRODUCTION:
    # Fail fast: a production deployment must state its secret and its host names.
    try:
        SECRET_KEY = os.environ["SECRET_KEY"]
        ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    except KeyError as exc:
        raise ImproperlyConfigured(
            f"{exc.args[0]} must be set when INTERFACE_ENV=production"
        ) from exc
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when INTERFACE_ENV=production")
else:
    SECRET_KEY = os.environ.get(
        "SECRET_KEY", "development-only-key-never-use-in-production-0123456789abcdef"
    )
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Reverse proxies in front of the app: only their X-Forwarded-For/-Proto are believed.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    "rest_framework",
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "core",
    "audit",
    "directory",
    "alerts",
    "triage",
    "diagnostics",
    "prescribing",
    "contracts",
    "dashboards",
    "devtools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The Content-Security-Policy header on every response, refusals below included.
    "csp.middleware.CSPMiddleware",
    # Before anything reads the request: a control character in the path, the query, a header
    # we read or a form field is a 400 naming the field (docs/api.md, Errors).
    "core.middleware.RefuseControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, so every response of a Django view (never a static file) is no-store.
    "core.middleware.NoStoreMiddleware",
    # A view whose statement outran WEB_STATEMENT_TIMEOUT_MS answers a clean 503 (core/db.py).
    "core.db.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's 404s and 403s are audited as "refused".
    "audit.middleware.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: signs an idle session out and says why.
    "directory.web.signin.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An API POST repeated with its Idempotency-Key gets the first response (docs/api.md).
    "core.idempotency.IdempotencyKeyMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "interface.urls"
WSGI_APPLICATION = "interface.wsgi.application"

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
                "core.context_processors.navigation",
            ],
        },
    },
]

# Database: DATABASE_URL (postgres://user@host:5432/name) or the embedded SQLite default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        # A kept connection the server has closed (a restart, a failover, pg_terminate_backend)
        # is replaced at the start of the next request instead of failing it.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and an in-process task share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
    }
else:
    # An unreachable database fails a request in seconds rather than holding its worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
# statement_timeout in ms (0: none), per session (core/db.py): web processes, then batch ones.
WEB_STATEMENT_TIMEOUT_MS = env_int("WEB_STATEMENT_TIMEOUT_MS", 10_000)
BATCH_STATEMENT_TIMEOUT_MS = env_int("BATCH_STATEMENT_TIMEOUT_MS", 30 * 60 * 1000)
# The role the app runs as; migrations run as the owner (audit/roles.py, docs/operations.md).
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "directory.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (django-axes), site and admin, by account only: a whole trust may sign in
# from behind one proxy (docs/operations.md, Accounts and sign-in).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30)) or None
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "directory.web.signin.locked_out"
AXES_VERBOSE = False  # no start-up banner in every command's output; failures are still logged
# axes.W006 asks for "ip_address" among the lockout parameters; see above for why it is not.
# models.W040: covering indexes (INCLUDE) are PostgreSQL's; SQLite, the demo's database, builds
# the same index without the extra columns, which is all the demo needs.
SILENCED_SYSTEM_CHECKS = ["axes.W006", "models.W040"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # docs/product.md: dates are English local dates
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# nhsuk-frontend, htmx and Chart.js are installed from the npm registry at set-up (see
# package.json), never committed; the finders pick them up from node_modules.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    # The dashboards' charts (Chart.js, drawn on canvas by static/js/dashboards.js).
    ("chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves from the finders as files are asked for: no collectstatic,
# and no "No directory at staticfiles" warning.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG or not PRODUCTION

# Security. Production turns every protection on; check --deploy is clean.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
# Seconds without a request after which a signed-in session is signed out.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Container health probes call /health/ready over plain HTTP from inside (core/health.py).
    SECURE_REDIRECT_EXEMPT = [r"^health/"]
if TRUSTED_PROXIES:
    # Only behind a named TLS proxy (docs/operations.md, Security headers and proxies).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy (django-csp): everything from the app itself, no inline script, no
# eval, no framing; the system font stack, so no page needs another host (docs/operations.md).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Django REST framework: the same access rules as the browser.
REST_FRAMEWORK = {
    # The token class first: its challenge makes an unauthenticated call 401, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "directory.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("API_THROTTLE_USER_RATE", "1200/minute"),
        "anon": os.environ.get("API_THROTTLE_ANON_RATE", "60/minute"),
    },
    # The client address is REMOTE_ADDR, never a client-supplied X-Forwarded-For.
    "NUM_PROXIES": 0,
    "DEFAULT_PAGINATION_CLASS": "core.api.CursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # core.api.exception_handler, wrapped to audit the API's 404s and 403s as "refused".
    "EXCEPTION_HANDLER": "audit.refusals.api_exception_handler",
    # DRF's JSON parser plus a 400 for too-deep nesting and for control characters.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
}
# How long an API POST's Idempotency-Key is remembered (core/idempotency.py, docs/api.md).
API_IDEMPOTENCY_KEY_HOURS = env_int("API_IDEMPOTENCY_KEY_HOURS", 24)
SPECTACULAR_SETTINGS = {
    "TITLE": "Interface API",
    "DESCRIPTION": (
        "Referral queues, review panels, diagnostics, prescribing and contract obligations "
        "across primary, community and secondary care. Token or session authentication; "
        "cursor pagination; every patient-identifiable read is audited."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Offline: Swagger UI and Redoc are served from the drf-spectacular-sidecar package.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Two "status" enums: a referral's keeps its name, a panel seat's gets its own.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "triage.models.Status",
        "MembershipStatusEnum": "triage.models.MembershipStatus",
        # Contracts: three sets of duties (all, obligations, breaches), and its own enums.
        "DutyEnum": "contracts.models.Duty",
        "ObligationDutyEnum": "contracts.models.OBLIGATION_DUTY_CHOICES",
        "BreachDutyEnum": "contracts.models.BREACH_DUTY_CHOICES",
        "ObligationStatusEnum": "contracts.models.ObligationStatus",
        "DischargeKindEnum": "contracts.models.DischargeKind",
        "FitNoteEnum": "contracts.models.FitNote",
    },
}

# Celery: CELERY_BROKER_URL (redis://…) selects a real broker; without it tasks run in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
# No result backend: nothing reads a result (docs/architecture.md, Follow-up work and sweeps).
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Sending is best effort: an unreachable broker fails the send in well under a second.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY = True
_ONE_QUICK_RETRY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = _ONE_QUICK_RETRY
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # The visibility timeout must outlast the longest task, or Redis redelivers it mid-run.
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + 5 * 60,
    "socket_connect_timeout": 1,
    "socket_timeout": 1,
    # How the producer's first connection retries (kombu's default_channel): once, at once.
    **_ONE_QUICK_RETRY,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE: dict = {
    "triage-recompute-queue-nightly": {
        "task": "triage.tasks.queue_recompute_task",
        # docs/product.md section 2: nightly by default.
        "schedule": crontab(
            hour=env_int("QUEUE_RECOMPUTE_HOUR", 2), minute=env_int("QUEUE_RECOMPUTE_MINUTE", 0)
        ),
    },
}
# One periodic task per sweep (core/sweeps.py); a message older than its period expires.
# Each app's own settings, the sweeps' periods among them (SWEEPS_SCHEDULE).
from interface.product_settings import *  # noqa: E402, F403
from interface.product_settings import SWEEPS_SCHEDULE  # noqa: E402

CELERY_BEAT_SCHEDULE.update(
    {
        f"sweep-{name}": {
            "task": "core.tasks.sweep_task",
            "schedule": every,
            "args": [name],
            "options": {"expires": every.total_seconds()},
        }
        for name, every in SWEEPS_SCHEDULE.items()
    }
)

# The cache holds the API throttle counts; CACHE_URL (redis://…) shares them between processes.
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": os.environ.get("SQL_LOG_LEVEL", "WARNING")}},
}

# Interface's own settings. docs/product.md marks these as *defaults* a local system may change.
INTERFACE_DEMO_PASSWORD = os.environ.get("INTERFACE_DEMO_PASSWORD", "interface-demo-2026")
# Key for the stable pseudonyms managers see in place of patient identifiers.
INTERFACE_PSEUDONYM_KEY = os.environ.get("INTERFACE_PSEUDONYM_KEY", SECRET_KEY)
# Days an API token stays good (revoked sooner if its holder's organisation or role changes).
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 30)
