"""Settings for the test suite: production settings plus what only tests may assume.

Tests run with DEBUG off like production. The environment still wins, so CI's
DATABASE_URL / CELERY_BROKER_URL / CACHE_URL select the scale-out configuration.
"""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-never-used-outside-the-test-suite")
os.environ.setdefault("HRFLOW_DASH_VAR_DIR", str(Path(__file__).resolve().parent.parent / "var" / "test"))

from hrflow_dash.settings import *  # noqa: F403
from hrflow_dash.settings import STORAGES

# Manifest storage needs collectstatic first; tests serve the source files as they are.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Fast hashing: test users are throwaway.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
