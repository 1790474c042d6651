"""Settings for the Luton Plan portal.

One module for every environment: what differs between a laptop and production is configuration
(environment variables), not code. Production is the default: DEBUG is off unless DJANGO_DEBUG
asks for it, and without DEBUG the portal refuses to start without a real secret key.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_dates, env_int, env_list, env_pounds, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - only ever used with DEBUG on
SECRET_KEY = env_str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY
elif not DEBUG and (len(SECRET_KEY) < 40 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is too short or a placeholder: use at least 40 random characters.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "luton_plan.apps.PortalAdminConfig",  # django.contrib.admin with the portal's rules and the second factor
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "import_export",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "health_check",
    "django_tasks_db",  # Django's tasks framework on the database: a worker runs them (manage.py db_worker)
    "core",
    "plans",
    "indicators",
    "partners",
    "accounts",
    "returns",
    "portal",
    "reports",
]

MIDDLEWARE = [
    "core.logging.RequestLogMiddleware",  # first: times everything, one log line per request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.CacheHeadersMiddleware",  # outside sessions and CSRF: it sees the cookies they set
    "portal.page_cache.PublicPageCacheMiddleware",  # public pages whole, before sessions are read
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",  # before the session limits, which leave a message
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.SessionLimitsMiddleware",
    "accounts.two_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "luton_plan.urls"
WSGI_APPLICATION = "luton_plan.wsgi.application"

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
                "returns.context_processors.navigation",
            ],
        },
    },
]

# SQLite by default so that `make run` needs nothing installed; PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60,
        conn_health_checks=True,
    )
}
# A read replica for public pages (core/routers.py), when one is configured: PostgreSQL streaming
# replication of DATABASE_URL. In tests the replica is a mirror of the primary.
if replica_url := env_str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **dj_database_url.parse(replica_url, conn_max_age=60, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["core.routers.PublicReadsToReplica"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Caches are keyed on versions read from the database on every request (indicators.models.DataVersion:
# the data version for judged statuses, the publication version for whole public pages), so no cache is
# ever stale and none needs invalidating. Without REDIS_URL each process keeps its own (local memory,
# bounded: entries under superseded versions are culled); with it, every worker on every machine shares
# one, and the throttles' counts with it (docs/deploy.md).
REDIS_URL = env_str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "luton",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "luton-pages",
        },
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "luton-plan",
            "OPTIONS": {"MAX_ENTRIES": 300},
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "luton-plan-pages",
            "OPTIONS": {"MAX_ENTRIES": 2000},  # ~30 KB each, gzipped and plain: some 100 MB at most
        },
    }
# Whole public pages cached under the publication version (portal/page_cache.py).
LUTON_PAGE_CACHE = env_bool("LUTON_PAGE_CACHE", default=True)
LUTON_PAGE_CACHE_SECONDS = env_int("LUTON_PAGE_CACHE_SECONDS", default=24 * 60 * 60)
# How often a process re-reads the publication version for the page cache: a visitor sees a publication
# at most this long after it is committed, and a cached page costs no database query in between.
LUTON_PUBLICATION_POLL_MS = env_int("LUTON_PUBLICATION_POLL_MS", default=1000)
# The address the public uses: the page cache is warmed for it after a publication (portal/warming.py),
# and its host must be one of DJANGO_ALLOWED_HOSTS.
LUTON_PUBLIC_URL = env_str("LUTON_PUBLIC_URL", default="http://127.0.0.1:8000")

# Background work (Django's tasks framework): report packs that take too long for a request and cache
# warming after a publication. Tasks are rows in the database; `manage.py db_worker` runs them (started
# by `make run` and `make serve`, a service of its own in compose.yaml).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# After a publication the bulk downloads are rebuilt in the background (portal/tasks.py); for this long
# the previous files are served meanwhile. Past it (no worker running?) a request builds them itself.
LUTON_OPEN_DATA_WAIT_SECONDS = env_int("LUTON_OPEN_DATA_WAIT_SECONDS", default=300)

# ---- Signing in -------------------------------------------------------------------------------

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out username and address pair
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Repeats, keyboard rows, dictionary words, dates and the person's own names (zxcvbn).
    {"NAME": "accounts.passwords.GuessabilityValidator", "OPTIONS": {"min_score": 3}},
]

# Lockout (django-axes): a username and the address it is tried from are locked together, so an
# attacker cannot lock a colleague out from elsewhere. Failures count while each comes within the
# cool-off of the one before; the lock lasts the cool-off from the failure that set it, and further
# attempts during it neither count nor extend it. Locks live in the database (AccessAttempt rows),
# shared by every worker, where the performance team can see and lift them (/accounts/locks/).
AXES_FAILURE_LIMIT = env_int("LUTON_LOCKOUT_FAILURES", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LUTON_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.locks.locked_out"
AXES_CLIENT_IP_CALLABLE = "core.network.client_address"  # the same address the API throttles by
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the request log already
AXES_VERBOSE = False  # the portal logs each lock itself, as one structured line

# Two-factor sign-in (django-otp): authenticator apps (TOTP) and single-use recovery codes.
OTP_TOTP_ISSUER = "Luton Plan"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's key or a recovery code

# Sessions: signed out after 30 minutes without a request, and 12 hours after signing in whatever
# happens (accounts.sessions). The cookie lives no longer than the absolute limit.
LUTON_SESSION_IDLE_MINUTES = env_int("LUTON_SESSION_IDLE_MINUTES", default=30)
LUTON_SESSION_MAX_HOURS = env_int("LUTON_SESSION_MAX_HOURS", default=12)
SESSION_COOKIE_AGE = LUTON_SESSION_MAX_HOURS * 60 * 60

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names for far-future caching; with DEBUG on, Django serves the plain names instead.
    "staticfiles": {"BACKEND": "core.storage.StaticStorage"},
}
# Files the portal keeps (issued report packs, uploads kept as evidence) on S3-compatible storage
# shared by every web server, when a bucket is named; else on the local disk (one machine only).
# Credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
if bucket := env_str("LUTON_S3_BUCKET", default=""):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": env_str("LUTON_S3_ENDPOINT_URL", default="") or None,  # MinIO, Ceph, ...
            "region_name": env_str("LUTON_S3_REGION", default="") or None,
            "default_acl": None,  # private: files are handed out through the portal's own checks
            "querystring_auth": True,
            "file_overwrite": False,  # an issued pack is never replaced
        },
    }
MEDIA_ROOT = env_str("LUTON_MEDIA_ROOT", default=str(BASE_DIR / "media"))

# Serve static files straight from the finders when there is no collectstatic run (tests, local).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Security: production-safe unless DEBUG. TLS normally ends at the load balancer, which must
# send X-Forwarded-Proto; set DJANGO_BEHIND_PROXY=1 there.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way decision for the council's domain, taken outside this codebase.
    "security.W021",
]
# A load balancer probes /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    # No nonce: a page must be the same bytes for everyone so that its ETag means something. The one
    # inline script (templates/base.html, marking the page as JavaScript-capable before it paints) is
    # allowed by its hash; tests/test_headers.py recomputes it from the template.
    "script-src": [CSP.SELF, "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

REST_FRAMEWORK = {
    # DRF's defaults are open (AllowAny, Basic auth): every endpoint states its own permission.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "core.api.PortalAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "COERCE_DECIMAL_TO_STRING": False,
    # Anonymous clients by address, signed-in users by account; writes of returns have their own,
    # tighter scope. Counts are kept in the default cache, per worker process (see docs/operations.md).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.ScopedRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("LUTON_API_ANON_RATE", default="120/minute"),
        "user": env_str("LUTON_API_USER_RATE", default="600/minute"),
        "returns": env_str("LUTON_API_RETURNS_RATE", default="60/minute"),
    },
    # Behind a proxy the client is the last address it adds to X-Forwarded-For; otherwise that header
    # is the client's own word and is ignored.
    "NUM_PROXIES": 1 if BEHIND_PROXY else 0,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Luton Plan open data API",
    "DESCRIPTION": "The published data of Luton Borough Council and its partners: plans, indicators with their "
    "targets and statuses, approved figures, departments, services, budget tables, actions with their latest "
    "approved update, partners with their sign-ups, the glossary and risks. Read-only and public; approved "
    "figures only. Bulk downloads (CSV and a Frictionless Data Package) at /data/.",
    "LICENSE": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,  # request and response bodies described apart (read-only fields)
    "ENUM_NAME_OVERRIDES": {
        "FigureStatusEnum": "portal.figures_api.STATUS_CHOICES",
        "DirectionEnum": "portal.figures_api.DIRECTION_CHOICES",
        "PlanStatusEnum": "plans.models.PlanStatus",
        "PlanKindEnum": "plans.models.PlanKind",
        "ActionKindEnum": "plans.models.ActionKind",
        "ActionStatusEnum": "plans.models.ActionStatus",
        "PartnerKindEnum": "partners.models.PartnerKind",
    },
}

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# One JSON object per line on standard error, each carrying the request's id (core.logging).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # import-export logs the details of a failed import (with the traceback) at DEBUG; the admin
        # shows the message only.
        "import_export.resources": {"level": "DEBUG"},
        # runserver's own access line repeats luton.requests.
        "django.server": {"level": "WARNING"},
        # django-axes logs every attempt with the username and address masked; accounts.locks logs
        # failures and locks itself, legibly.
        "axes": {"level": "ERROR"},
        # WeasyPrint (report packs' PDFs) logs each step, and a warning for every rule of the site's
        # stylesheet it does not apply to paper (screen widths, scrolling): only its errors matter.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "landing"  # each role's own page (portal.views.landing)
LOGOUT_REDIRECT_URL = "home"

# Email (return reminders): the console with DEBUG on, SMTP otherwise (Django 6.1 mailers).
_EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": env_str("DJANGO_EMAIL_HOST", default="localhost"),
                "port": int(env_str("DJANGO_EMAIL_PORT", default="587")),
                "username": env_str("DJANGO_EMAIL_USER", default=""),
                "password": env_str("DJANGO_EMAIL_PASSWORD", default=""),
                "use_tls": env_bool("DJANGO_EMAIL_TLS", default=True),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", default="performance@luton.gov.uk")
LUTON_PERFORMANCE_TEAM_EMAIL = env_str("LUTON_PERFORMANCE_TEAM_EMAIL", default="performance@luton.gov.uk")
PORTAL_URL = env_str("LUTON_PORTAL_URL", default="http://127.0.0.1:8000")

# Days the council is closed besides bank holidays in England and Wales (which core/calendar.py knows),
# e.g. "2025-12-29,2025-12-30": return deadlines and reminders count working days without them.
LUTON_EXTRA_HOLIDAYS = env_dates("LUTON_EXTRA_HOLIDAYS")

# Public pages may be kept by browsers and shared caches this many seconds (core.middleware).
LUTON_PUBLIC_MAX_AGE = env_int("LUTON_PUBLIC_MAX_AGE", default=300)

# The LAA's Performance Reward Grant (indicators/reward.py): the documents do not state Luton's pot, so it
# is configuration (pounds; unset, the packs show shares of the pot); the threshold and cap follow the
# published rule: nothing for less than 60% of a target's improvement, at most 100%.
LUTON_REWARD_POT = env_pounds("LUTON_REWARD_POT")
LUTON_REWARD_THRESHOLD_PERCENT = env_int("LUTON_REWARD_THRESHOLD_PERCENT", default=60)
LUTON_REWARD_CAP_PERCENT = env_int("LUTON_REWARD_CAP_PERCENT", default=100)
if not 0 <= LUTON_REWARD_THRESHOLD_PERCENT <= LUTON_REWARD_CAP_PERCENT:
    raise ImproperlyConfigured(
        "LUTON_REWARD_THRESHOLD_PERCENT must be between 0 and LUTON_REWARD_CAP_PERCENT; got "
        f"{LUTON_REWARD_THRESHOLD_PERCENT} and {LUTON_REWARD_CAP_PERCENT}."
    )

# Backups (manage.py backup / restore, `make backup`): where they are written.
LUTON_BACKUP_DIR = Path(env_str("LUTON_BACKUP_DIR", default=str(BASE_DIR / "backups")))

# Where the loader finds the curated Luton data.
LUTON_FIXTURES_DIR = BASE_DIR / "fixtures"
