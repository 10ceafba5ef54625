"""Settings for the hrflow_dash dashboard, read from the environment only.

Every variable is documented in README.md and .env.example. The defaults are the embedded
configuration `make run` uses: SQLite (WAL) and the filesystem Celery broker under var/, and
the local HrFlow sandbox on 127.0.0.1:8001.
"""

import datetime as dt
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from hrflow_dash import demo
from hrflow_dash.env import env_bool, env_email_url, env_float, env_int, env_list, env_pairs, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HRFLOW_DASH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
# Demo mode: the `demo`/`demo` login exists and the sandbox is the default upstream.
DEMO_MODE = env_bool("HRFLOW_DASH_DEMO", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (see .env.example); "
            "`make run` generates one into .env for you."
        )
    SECRET_KEY = "insecure-debug-only-key"  # noqa: S105 - DEBUG only, never served in production

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "accounts",
    "demodata",
    "scoring",
    "saved_searches",
    "shortlists",  # shortlist and hide per candidate (issue 12, part 2)
    "ops",  # health, readiness, metrics, log context (issue 11)
    "preferences",
    "alerts",  # e-mail alerts of saved searches (issue 12 §1)
    "compare",  # the candidate matrix (issue 13 part 3)
]

MIDDLEWARE = [
    # First: answers /healthz, /readyz, /metrics before the host check, HTTPS redirect, session
    # and login; gives every other request its request id and log context (ops/middleware.py).
    "ops.middleware.OpsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside LoginRequiredMiddleware: turns its 302 into HX-Redirect for HTMX requests.
    "accounts.middleware.HtmxLoginRedirectMiddleware",
    "accounts.middleware.PrivateNoStoreMiddleware",
    # Every dashboard page needs a login; the few public pages opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Runs what a view deferred (a recent-search write) once the response has been sent.
    "preferences.middleware.AfterResponseMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hrflow_dash.urls"
WSGI_APPLICATION = "hrflow_dash.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hrflow_dash.context_processors.site",
                "preferences.context_processors.density",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
# Connections are kept between requests (per thread), SQLite's too: opening SQLite and running
# its pragmas on every request cost 2-4 ms of CPU (docs/benchmarks.md, "Load: where the time goes").
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
# PostgreSQL: a bounded pool per process instead of a persistent connection per thread (README
# "How the web tier is sized"): idle connections close, a thread holds one only while it uses the
# database (the HrFlow client hands it back during each upstream request, scoring/hrflow/
# client.py), and the size is a hard cap. Default: the web threads, so no thread ever waits for
# the pool (a log-in holds its connection while it hashes the password: with 8, a burst of 50
# log-ins timed out, docs/benchmarks.md). 0 turns the pool off (one connection per thread).
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", env_int("WEB_THREADS", 32))
DATABASE_POOL_TIMEOUT = env_float("DATABASE_POOL_TIMEOUT", 10.0)  # seconds a thread waits for one
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX_SIZE > 0:
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool replaces persistent connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_MAX_SIZE,
        "timeout": DATABASE_POOL_TIMEOUT,
        "max_idle": 60,  # an idle connection above min_size is closed after a minute
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat write concurrently: WAL + IMMEDIATE transactions + a busy timeout
    # avoid "database is locked" (docs/stack.md §7).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
# Shared between web and worker processes (result cache, upstream rate limits): the database
# by default, Redis when CACHE_URL says so.
CACHE_URL = env_str("CACHE_URL", "db://")
CACHES: dict[str, dict[str, Any]]
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif CACHE_URL.startswith("db://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "hrflow_dash_cache",
            # Django's default (300 entries) is passed, and culled — live entries included — within
            # a minute by 50 recruiters (one entry per new search, HRFLOW_CACHE_TTL 120 s): a culled answer
            # is one more upstream call (docs/benchmarks.md, "Load: where the time goes"). Past
            # this count, expired entries go first.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 5000)},
        }
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must be db://, locmem:// or redis://…, got {CACHE_URL!r}")

# --- Auth and sessions ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username
# from one client address, that pair is locked out for LOGIN_COOLOFF_MINUTES, the right password
# included; the dashboard and admin logins share it, demo mode too. Unlock early with
# `manage.py axes_reset_username <name>` (README). A success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_float("LOGIN_COOLOFF_MINUTES", 15.0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts during a lockout do not restart the wait, so the wait the page shows holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False  # one log line per lockout is enough (axes logs failures at WARNING)

# --- Security -------------------------------------------------------------------------------
SECURE_SSL = env_bool("DJANGO_SECURE_SSL", False)  # behind TLS in production
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if SECURE_SSL else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("DJANGO_BEHIND_PROXY") else None
if env_bool("DJANGO_BEHIND_PROXY"):
    # Behind one reverse proxy every REMOTE_ADDR is the proxy's: throttle on the address it saw.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MAP_TILE_URL = env_str("MAP_TILE_URL", "")  # optional raster tiles; empty = vector outlines only


def _tile_origin(url: str) -> list[str]:
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "a"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # htmx's indicator styles, Leaflet and Tom Select set inline styles (docs/stack.md §4.1).
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", *_tile_origin(MAP_TILE_URL)],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# --- i18n, static ---------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Logging --------------------------------------------------------------------------------
# LOG_FORMAT=plain (the `make run` default): one readable line. LOG_FORMAT=json (production):
# one JSON object per line (python-json-logger) with the request id, user id, HrFlow call fields
# and the Celery task's saved search and refresh run (ops/context.py binds them).
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "ops.context.LogContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["asctime", "levelname", "name", "message"],
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "static_fields": {"node": env_str("NODE_NAME", "")},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- HrFlow (upstream) ----------------------------------------------------------------------
# Pointing the dashboard at the real HrFlow is these three variables (plus your own keys below).
HRFLOW_API_URL = env_str("HRFLOW_API_URL", "http://127.0.0.1:8001/v1/")
HRFLOW_API_KEY = env_str("HRFLOW_API_KEY", demo.DEMO_API_KEY)
HRFLOW_USER_EMAIL = env_str("HRFLOW_USER_EMAIL", demo.DEMO_USER_EMAIL)
HRFLOW_BOARD_KEYS = env_list("HRFLOW_BOARD_KEYS", demo.DEMO_BOARD_KEYS)
HRFLOW_SOURCE_KEYS = env_list("HRFLOW_SOURCE_KEYS", demo.DEMO_SOURCE_KEYS)
# Scoring needs an algorithm key (HrFlow answers 400 without one). The demo keys are the default
# only in demo mode; elsewhere an unset variable is a setup error the search page names.
HRFLOW_ALGORITHM_KEYS = env_list("HRFLOW_ALGORITHM_KEYS", demo.DEMO_ALGORITHM_KEYS if DEMO_MODE else [])
HRFLOW_CONNECT_TIMEOUT = env_float("HRFLOW_CONNECT_TIMEOUT", 3.05)
# Read timeouts: a recruiter's request gives up sooner than a background refresh or the feed
# (scoring/hrflow/calls.py). HRFLOW_READ_TIMEOUT, the single timeout before, sets the background one.
HRFLOW_TIMEOUT_INTERACTIVE = env_float("HRFLOW_TIMEOUT_INTERACTIVE", 5.0)
HRFLOW_TIMEOUT_BACKGROUND = env_float("HRFLOW_TIMEOUT_BACKGROUND", env_float("HRFLOW_READ_TIMEOUT", 15.0))
# Total time one logical call may spend on retries (Retry-After or backoff), attempts uncounted.
HRFLOW_RETRY_TOTAL_SECONDS = env_float("HRFLOW_RETRY_TOTAL_SECONDS", 10.0)
# Circuit breaker (scoring/hrflow/breaker.py): opens after this many consecutive timeouts,
# connection errors or 5xx, lets one probe through after the cool-down.
HRFLOW_BREAKER_FAIL_MAX = env_int("HRFLOW_BREAKER_FAIL_MAX", 5)
HRFLOW_BREAKER_RESET_SECONDS = env_float("HRFLOW_BREAKER_RESET_SECONDS", 30.0)
# "auto": Redis when the cache is Redis, else the scoring.CircuitState table.
HRFLOW_BREAKER_STORE = env_str("HRFLOW_BREAKER_STORE", "auto")
HRFLOW_CACHE_TTL = env_int("HRFLOW_CACHE_TTL", 120)
# Threads per web process that run a request's upstream calls at once (scoring/parallel.py: the
# profile beside the scoring call; the candidate matrix's 5 profiles and 5 scoring calls, all at
# once). Each still takes a limiter slot, so this bounds nothing else.
HRFLOW_PARALLEL_THREADS = env_int("HRFLOW_PARALLEL_THREADS", 16)
# Job tags not shown on cards (still filterable). The defaults are the demo data's bookkeeping.
HRFLOW_CARD_HIDDEN_TAGS = env_list(
    "HRFLOW_CARD_HIDDEN_TAGS",
    ["company", "company_domain", "date_source", "esco_occupation", "onet_soc", "salary_source"],
)
HRFLOW_EXPORT_CAP = env_int("HRFLOW_EXPORT_CAP", 1000)  # rows in one CSV export
# Which job tag says where a salary / posting date came from, and which of its values mean
# "estimated" (cards say "est.", the CSV has the source). HrFlow has no such field; the defaults
# are the demo data's tags (docs/search-filters.md, "Estimated salaries and dates"). An empty tag
# name turns the marking off.
HRFLOW_SALARY_SOURCE_TAG = env_str("HRFLOW_SALARY_SOURCE_TAG", "salary_source")
HRFLOW_SALARY_ESTIMATE_VALUES = env_list("HRFLOW_SALARY_ESTIMATE_VALUES", ["oews", "oews_usd_to_eur"])
HRFLOW_DATE_SOURCE_TAG = env_str("HRFLOW_DATE_SOURCE_TAG", "date_source")
HRFLOW_DATE_ESTIMATE_VALUES = env_list("HRFLOW_DATE_ESTIMATE_VALUES", ["estimated", "first_seen"])
# The salary filter's currency choice: job ranges_float entries as name:unit, the first is the
# default. Defaults: what the demo data holds (US boards in USD/year, one board in eur, as real
# HrFlow jobs carry it).
HRFLOW_SALARY_RANGES = env_pairs("HRFLOW_SALARY_RANGES", ["salary:USD/year", "salary:eur"])
# Older HrFlow accounts know the algorithm parameter as agent_key; send both when set.
HRFLOW_SEND_AGENT_KEY = env_bool("HRFLOW_SEND_AGENT_KEY", False)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = Path(env_str("CELERY_BROKER_DIR", str(VAR_DIR / "broker")))
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)  # kombu does not create them
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),  # in == out: producers and consumers share it
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        "control_folder": str(_broker_dir / "control"),
        # How often a worker looks for messages (kombu's default, 1 s). A worker with prefetch 1
        # takes one message per look, so two ticks sent together a second apart (the integration
        # tests' 1 s ticks) made the second one wait a whole second and expire; they set 0.1.
        "polling_interval": env_float("CELERY_BROKER_POLLING_INTERVAL", 1.0),
    }
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 150)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
REFRESH_TICK_SECONDS = env_float("REFRESH_TICK_SECONDS", 60.0)
# One code-defined beat entry: the database says which saved searches are due (docs/stack.md §2.3).
# `expires` drops ticks that piled up while no worker ran, instead of running them all at once.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "saved-searches-tick": {
        "task": "saved_searches.tick",
        "schedule": REFRESH_TICK_SECONDS,
        "options": {"expires": REFRESH_TICK_SECONDS},
    },
}

# Demo mode: a held-back slice of real listings is indexed into the sandbox a few at a time,
# so boards grow like real ones and saved searches find new jobs.
DEMO_FEED_EVERY_SECONDS = env_float("DEMO_FEED_EVERY_SECONDS", 120.0)
DEMO_FEED_BATCH = env_int("DEMO_FEED_BATCH", 3)
if DEMO_MODE:
    CELERY_BEAT_SCHEDULE["demo-feed-tick"] = {
        "task": "demodata.feed_tick",
        "schedule": DEMO_FEED_EVERY_SECONDS,
        "options": {"expires": DEMO_FEED_EVERY_SECONDS},
    }

# --- Saved searches -------------------------------------------------------------------------
SAVED_SEARCH_CAP_PER_USER = env_int("SAVED_SEARCH_CAP_PER_USER", 25)
SAVED_SEARCH_TOP_N = env_int("SAVED_SEARCH_TOP_N", 50)  # results kept per refresh
# A claim's lease; longer than CELERY_TASK_TIME_LIMIT so only a dead worker's claim expires.
SAVED_SEARCH_LEASE_SECONDS = env_int("SAVED_SEARCH_LEASE_SECONDS", 180)
SAVED_SEARCH_ENQUEUE_TTL_SECONDS = env_int("SAVED_SEARCH_ENQUEUE_TTL_SECONDS", 300)
SAVED_SEARCH_TICK_BATCH = env_int("SAVED_SEARCH_TICK_BATCH", 2000)
SAVED_SEARCH_BACKOFF_BASE_SECONDS = env_int("SAVED_SEARCH_BACKOFF_BASE_SECONDS", 60)
SAVED_SEARCH_BACKOFF_MAX_SECONDS = env_int("SAVED_SEARCH_BACKOFF_MAX_SECONDS", 6 * 3600)
SAVED_SEARCH_DEFER_SECONDS = env_int("SAVED_SEARCH_DEFER_SECONDS", 60)  # after a 429 without Retry-After
# "Refresh now" failing because HrFlow is briefly unreachable: retried with a doubling backoff.
SAVED_SEARCH_MANUAL_RETRIES = env_int("SAVED_SEARCH_MANUAL_RETRIES", 3)
SAVED_SEARCH_MANUAL_RETRY_BACKOFF_SECONDS = env_int("SAVED_SEARCH_MANUAL_RETRY_BACKOFF_SECONDS", 15)
SAVED_SEARCH_MANUAL_RETRY_BACKOFF_MAX_SECONDS = env_int("SAVED_SEARCH_MANUAL_RETRY_BACKOFF_MAX_SECONDS", 120)
SAVED_SEARCH_SCORE_EPSILON = env_float("SAVED_SEARCH_SCORE_EPSILON", 0.001)

# --- E-mail alerts (alerts app, docs/alerts.md) ---------------------------------------------
# The mail server as one URL (smtp://, smtp+tls:// for STARTTLS, smtps://, console://). Demo mode:
# the `mail` process of `make run` (aiosmtpd on 127.0.0.1, messages under var/mail/, the Outbox).
ALERTS_MAIL_SINK_PORT = env_int("MAIL_PORT", 8025)
_DEFAULT_EMAIL_URL = f"smtp://127.0.0.1:{ALERTS_MAIL_SINK_PORT}" if DEMO_MODE else "smtp://localhost:25"
MAILERS = {
    "default": env_email_url("EMAIL_URL", _DEFAULT_EMAIL_URL, timeout=env_float("EMAIL_TIMEOUT", 30.0))
}
ALERTS_FROM_EMAIL = env_str("ALERTS_FROM_EMAIL", "hrflow_dash <alerts@hrflow-dash.local>")
DEFAULT_FROM_EMAIL = ALERTS_FROM_EMAIL
SERVER_EMAIL = ALERTS_FROM_EMAIL
# The dashboard's public address, for the links in e-mails (the saved search, unsubscribe).
ALERTS_SITE_URL = env_str("ALERTS_SITE_URL", f"http://127.0.0.1:{env_str('WEB_PORT', '8000')}")
ALERTS_SEND_RATE_PER_MINUTE = env_float("ALERTS_SEND_RATE_PER_MINUTE", 120.0)  # over all workers
ALERTS_SEND_MAX_WAIT_SECONDS = env_float("ALERTS_SEND_MAX_WAIT_SECONDS", 5.0)
ALERTS_SEND_LEASE_SECONDS = env_int("ALERTS_SEND_LEASE_SECONDS", 120)  # > EMAIL_TIMEOUT + max wait
ALERTS_SEND_MAX_ATTEMPTS = env_int("ALERTS_SEND_MAX_ATTEMPTS", 8)
ALERTS_RETRY_BASE_SECONDS = env_int("ALERTS_RETRY_BASE_SECONDS", 30)
ALERTS_RETRY_MAX_SECONDS = env_int("ALERTS_RETRY_MAX_SECONDS", 3600)
ALERTS_JOBS_PER_EMAIL = env_int("ALERTS_JOBS_PER_EMAIL", 50)
ALERTS_MAIL_DIR = env_str("ALERTS_MAIL_DIR", str(VAR_DIR / "mail"))
ALERTS_TICK_SECONDS = env_float("ALERTS_TICK_SECONDS", REFRESH_TICK_SECONDS)
CELERY_BEAT_SCHEDULE["alerts-tick"] = {
    "task": "alerts.tick",
    "schedule": ALERTS_TICK_SECONDS,
    "options": {"expires": ALERTS_TICK_SECONDS},
}

# --- Upstream limits shared by every web and worker process (scoring/hrflow/ratelimit.py) ---
# HrFlow publishes no rate limit: these let 50 recruiters through without queueing; set your plan's.
HRFLOW_MAX_CONCURRENCY = env_int("HRFLOW_MAX_CONCURRENCY", 64)  # = web threads (2 x 32)
HRFLOW_REQUESTS_PER_MINUTE = env_int("HRFLOW_REQUESTS_PER_MINUTE", 3000)
# Share of both kept for recruiters' (interactive) calls: refreshes never starve a search.
HRFLOW_INTERACTIVE_SHARE = env_float("HRFLOW_INTERACTIVE_SHARE", 0.25)
HRFLOW_LIMIT_WAIT_SECONDS = env_float("HRFLOW_LIMIT_WAIT_SECONDS", 20.0)  # background, then defer
HRFLOW_LIMIT_WAIT_INTERACTIVE_SECONDS = env_float("HRFLOW_LIMIT_WAIT_INTERACTIVE_SECONDS", 2.0)
HRFLOW_SLOT_TTL_SECONDS = env_int("HRFLOW_SLOT_TTL_SECONDS", 60)
# "auto": Redis when the cache is Redis, else a table of the database (atomic on both).
HRFLOW_LIMIT_STORE = env_str("HRFLOW_LIMIT_STORE", "auto")
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Operations (ops app, issue 11): probes, metrics, node name -----------------------------
# This process's name in the X-Served-By response header and in every JSON log line (one per
# web or worker node; empty: no header).
NODE_NAME = env_str("NODE_NAME", "")
# /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset: /metrics is 404.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
# prometheus-client multiprocess mode: every gunicorn worker and Celery child writes its own
# files here (var/prometheus by default); wipe it before a node's processes start (deploy/).
from ops.multiproc import export_multiproc_dir  # noqa: E402 - before anything imports prometheus_client

PROMETHEUS_MULTIPROC_DIR = str(export_multiproc_dir())
OPS_CHECK_TIMEOUT_SECONDS = env_float("OPS_CHECK_TIMEOUT_SECONDS", 2.0)
# Reported by /readyz, never failing it (a down HrFlow keeps the web tier in the load balancer).
OPS_READINESS_REPORTS = {"hrflow": "scoring.ops.hrflow_readiness"}
OPS_METRICS_COLLECTORS = [
    "scoring.hrflow.metrics.BreakerCollector",
    "saved_searches.metrics.SavedSearchCollector",
]
