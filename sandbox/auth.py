"""HrFlow's authentication: headers X-API-KEY and X-USER-EMAIL, compared in constant time."""

import hmac

from django.http import HttpRequest

from sandbox import conf


def check_credentials(request: HttpRequest) -> str | None:
    """None when the pair is right; else the 401 message HrFlow gives."""
    key = request.headers.get("X-API-KEY", "")
    email = request.headers.get("X-USER-EMAIL", "")
    key_ok = hmac.compare_digest(key.encode(), conf.api_key().encode())
    email_ok = hmac.compare_digest(email.strip().lower().encode(), conf.user_email().lower().encode())
    if key_ok and email_ok:
        return None
    # HrFlow echoes the secret it was given (docs/hrflow.md §5.3); cap it so logs stay short.
    shown = key[:64]
    if key_ok:
        return f"Unauthorized. Invalid secret key: {shown} for user: {email[:100]}"
    return f"Unauthorized. Invalid secret key: {shown}"
