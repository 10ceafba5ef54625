"""Typed readers for environment variables.

Settings come from the environment only. A malformed value is a startup error with the
variable's name in it, never a silent fallback (healthchecks' envbool/envint habit).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """An unset or empty variable means the default (so a copied .env.example changes nothing)."""
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, got {raw!r}") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_pairs(name: str, default: list[str] | None = None, *, sep: str = ":") -> list[tuple[str, str]]:
    """A comma-separated list of `left:right` pairs (split at the first `sep`), e.g.
    `salary:USD/year,salary:eur`; both sides required."""
    pairs = []
    for item in env_list(name, default):
        left, found, right = item.partition(sep)
        if not found or not left.strip() or not right.strip():
            raise ImproperlyConfigured(f"{name}: each item must be written name{sep}unit, got {item!r}")
        pairs.append((left.strip(), right.strip()))
    return pairs


EMAIL_SCHEMES = {
    # scheme: (backend, STARTTLS, implicit TLS)
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", False, False),
    "submission": ("django.core.mail.backends.smtp.EmailBackend", True, False),  # port 587, STARTTLS
    "smtp+tls": ("django.core.mail.backends.smtp.EmailBackend", True, False),
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", False, True),  # port 465
    "console": ("django.core.mail.backends.console.EmailBackend", False, False),
    "locmem": ("django.core.mail.backends.locmem.EmailBackend", False, False),
}
EMAIL_DEFAULT_PORTS = {"smtp": 25, "submission": 587, "smtp+tls": 587, "smtps": 465}


def env_email_url(name: str, default: str, *, timeout: float) -> dict[str, object]:
    """One URL for the mail server, e.g. `smtp+tls://user:password@smtp.example.com:587`
    (user and password percent-encoded), as a Django MAILERS entry."""
    from urllib.parse import unquote, urlsplit

    raw = env_str(name, default)
    parts = urlsplit(raw)
    if parts.scheme not in EMAIL_SCHEMES:
        known = ", ".join(sorted(EMAIL_SCHEMES))
        raise ImproperlyConfigured(f"{name} must start with one of {known}://, got {parts.scheme or raw!r}")
    backend, starttls, implicit_tls = EMAIL_SCHEMES[parts.scheme]
    if "smtp" not in backend:
        return {"BACKEND": backend}
    try:
        port = parts.port or EMAIL_DEFAULT_PORTS[parts.scheme]
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port") from None
    options = {
        "host": parts.hostname or "localhost",
        "port": port,
        "username": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "use_tls": starttls,
        "use_ssl": implicit_tls,
        "timeout": timeout,
    }
    return {"BACKEND": backend, "OPTIONS": options}
