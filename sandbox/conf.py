"""Typed access to the sandbox's settings (sandbox/settings.py).

mypy's Django plugin reads the dashboard's settings, which do not define these names, so the
sandbox reads them through here rather than as `settings.SANDBOX_*` attributes.
"""

from pathlib import Path

from django.conf import settings


def api_key() -> str:
    return str(getattr(settings, "SANDBOX_API_KEY", ""))


def user_email() -> str:
    return str(getattr(settings, "SANDBOX_USER_EMAIL", ""))


def max_limit() -> int:
    return int(getattr(settings, "SANDBOX_MAX_LIMIT", 1000))


def profile_cache_size() -> int:
    return int(getattr(settings, "SANDBOX_PROFILE_CACHE_SIZE", 128))


def demo_data_dir() -> Path:
    return Path(getattr(settings, "DEMO_DATA_DIR", "data/demo"))
