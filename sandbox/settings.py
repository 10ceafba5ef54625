"""Settings for the HrFlow sandbox: its own process, its own database, JSON only.

It shares nothing at run time with the dashboard but this code base: the dashboard reaches it
only over HTTP, exactly as it would reach api.hrflow.ai.
"""

from pathlib import Path

import dj_database_url

from hrflow_dash import demo
from hrflow_dash.env import env_bool, env_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("HRFLOW_DASH_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", False)
# The sandbox signs nothing (no sessions, no CSRF); Django still wants a key.
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "sandbox-has-no-sessions")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = ["sandbox", "demodata"]
# SecurityMiddleware: `X-Content-Type-Options: nosniff` on every response, errors and Django's
# own 404 included (SECURE_CONTENT_TYPE_NOSNIFF, on by default), so no browser sniffs a body.
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
SECURE_CONTENT_TYPE_NOSNIFF = True
APPEND_SLASH = False
ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
TEMPLATES: list[dict[str, object]] = []

SANDBOX_DATABASE_URL = env_str("SANDBOX_DATABASE_URL", f"sqlite:///{VAR_DIR / 'sandbox.sqlite3'}")
# Persistent connections: opening SQLite and running the WAL pragmas on every request cost the
# sandbox a few milliseconds of its 20 ms budget (docs/benchmarks.md, "Sandbox").
DATABASES = {"default": dj_database_url.parse(SANDBOX_DATABASE_URL, conn_max_age=600)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django's default, stated: a larger JSON body is answered 413 (sandbox/errors.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
USE_TZ = True
TIME_ZONE = "UTC"

# Credentials the sandbox accepts; the defaults equal the dashboard's defaults.
SANDBOX_API_KEY = env_str("SANDBOX_API_KEY", demo.DEMO_API_KEY)
SANDBOX_USER_EMAIL = env_str("SANDBOX_USER_EMAIL", demo.DEMO_USER_EMAIL)
SANDBOX_MAX_LIMIT = env_int("SANDBOX_MAX_LIMIT", 1000)
DEMO_DATA_DIR = Path(env_str("DEMO_DATA_DIR", str(BASE_DIR / "data" / "demo")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# Profiles (vector + per-algorithm scores) kept per worker; each entry costs ~8 bytes x jobs.
SANDBOX_PROFILE_CACHE_SIZE = env_int("SANDBOX_PROFILE_CACHE_SIZE", 128)
