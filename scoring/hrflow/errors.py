"""Named HrFlow errors, each with a message a recruiter can read.

`user_message` is for the page; `str(exc)` is for logs and carries the status and HrFlow's own
message. Neither ever contains the API key: HrFlow's 401 message echoes the secret back
("Invalid secret key: <key> …", docs/hrflow.md §5.3), so every upstream text goes through
`redact()` first.
"""

from __future__ import annotations

import re

BAD_CREDENTIALS_MESSAGE = (
    "HrFlow refused the dashboard's credentials (API key or user email). "
    "Ask an administrator to check the HrFlow settings."
)
OVER_QUOTA_MESSAGE = (
    "The HrFlow account has used up its plan quota for this service. "
    "Try again later or ask an administrator to raise the quota."
)
BAD_REQUEST_MESSAGE = "HrFlow could not run this search: {detail}"
BAD_REQUEST_FALLBACK_DETAIL = "one of the filters was not accepted."
BAD_REQUEST_PARAMETER_DETAIL = "it did not accept the {parameter} parameter."
BAD_REQUEST_FILTER_DETAIL = (
    "it did not accept the “{label}” filter. Change or remove that filter and try again."
)
BAD_REQUEST_MISSING_OBJECT_DETAIL = "it could not find the {obj} this request names."
SETUP_MESSAGE = (
    "The dashboard is not set up to score jobs: no HrFlow scoring algorithm is configured, or "
    "HrFlow did not accept it. An administrator must set HRFLOW_ALGORITHM_KEYS to the key of an "
    "algorithm of this HrFlow account (see .env.example)."
)
NOT_FOUND_MESSAGE = (
    "HrFlow could not find the board, source, profile or algorithm this search uses. "
    "It may have been deleted; pick another one."
)
RATE_LIMITED_MESSAGE = "HrFlow is receiving too many requests right now. Wait a minute and try again."
UPSTREAM_ERROR_MESSAGE = "HrFlow had a problem answering. Try again in a few minutes."
TIMEOUT_MESSAGE = "HrFlow took too long to answer. Try again, or narrow the search."
CONNECTION_MESSAGE = "The dashboard could not reach HrFlow. Try again in a few minutes."
MALFORMED_RESPONSE_MESSAGE = "HrFlow sent an answer the dashboard could not read. Try again in a few minutes."
UNAVAILABLE_MESSAGE = (
    "HrFlow is not answering at the moment, so the dashboard has stopped asking for a short while. "
    "Try again in a minute."
)
BUSY_MESSAGE = (
    "The dashboard is already sending HrFlow as many requests as it is allowed to. Try again in a moment."
)

REDACTED = "[redacted]"
# HrFlow secrets look like ask_/askr_/askw_ + 32 hex (docs/hrflow.md §1).
_SECRET_PATTERN = re.compile(r"ask[rw]?_[0-9a-fA-F]{8,}")


def redact(text: str, *secrets: str) -> str:
    """Remove the given secrets and anything shaped like an HrFlow API key."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _SECRET_PATTERN.sub(REDACTED, text)


class HrFlowError(Exception):
    """Base class. `retryable` says whether the client may try the same call again."""

    default_message = UPSTREAM_ERROR_MESSAGE
    retryable = False

    def __init__(self, detail: str = "", *, status: int | None = None, user_message: str = "") -> None:
        self.detail = redact(detail)
        self.status = status
        self.user_message = user_message or self.default_message
        super().__init__(f"{type(self).__name__} (HTTP {status or '-'}): {self.detail or self.user_message}")


class HrFlowBadCredentials(HrFlowError):
    default_message = BAD_CREDENTIALS_MESSAGE


class HrFlowOverQuota(HrFlowError):
    default_message = OVER_QUOTA_MESSAGE


# Parameters a 400 may name; the recruiter is told which one, never HrFlow's sentence.
KNOWN_PARAMETERS = (
    "board_keys", "source_key", "profile_key", "algorithm_key", "agent_key", "use_algorithm",
    "use_agent", "text_keywords", "summary_keywords", "skills", "languages", "tags_included",
    "tags_excluded", "date_range_min", "date_range_max", "ranges_float", "ranges_date",
    "location_geopoint", "location_distance", "score_threshold", "sort_by", "order_by", "page",
    "limit", "reference", "name", "board_key", "key",
)  # fmt: skip
_PARAMETER_PATTERN = re.compile(r"\b(" + "|".join(KNOWN_PARAMETERS) + r")\b")
_MISSING_OBJECT_PATTERN = re.compile(r"unable to find object:\s*(board|source|profile|job|algorithm)", re.I)
_ALGORITHM_PATTERN = re.compile(r"\b(algorithm_key|agent_key)\b|unable to find object:\s*algorithm", re.I)


def bad_request_message(detail: str) -> str:
    """Our words for a 400: the parameter or missing object it names, never its raw text
    (HrFlow's messages name our reference strings, keys and internals)."""
    missing = _MISSING_OBJECT_PATTERN.search(detail)
    if missing:
        return BAD_REQUEST_MESSAGE.format(
            detail=BAD_REQUEST_MISSING_OBJECT_DETAIL.format(obj=missing[1].lower())
        )
    named = _PARAMETER_PATTERN.search(detail)
    label = _filter_label(named[1]) if named else ""
    if label:
        return BAD_REQUEST_MESSAGE.format(detail=BAD_REQUEST_FILTER_DETAIL.format(label=label))
    if named:
        return BAD_REQUEST_MESSAGE.format(detail=BAD_REQUEST_PARAMETER_DETAIL.format(parameter=named[1]))
    return BAD_REQUEST_MESSAGE.format(detail=BAD_REQUEST_FALLBACK_DETAIL)


def _filter_label(parameter: str) -> str:
    """The search filter that sends this HrFlow parameter ("Other date range" for ranges_date)."""
    from scoring.hrflow.filters import FILTERS

    return next((f.label for f in FILTERS if parameter in (p.strip() for p in f.hrflow.split(","))), "")


class HrFlowBadRequest(HrFlowError):
    """400 or 422. `user_message` names the parameter HrFlow complained about, in our words."""

    default_message = BAD_REQUEST_MESSAGE.format(detail=BAD_REQUEST_FALLBACK_DETAIL)

    def __init__(self, detail: str = "", *, status: int | None = None, user_message: str = "") -> None:
        super().__init__(
            detail, status=status, user_message=user_message or bad_request_message(redact(detail))
        )


class HrFlowSetupError(HrFlowBadRequest):
    """No usable scoring algorithm: none configured (caught before any call), or HrFlow's 400
    about `algorithm_key` / `agent_key`. The page names the setting to fix."""

    default_message = SETUP_MESSAGE

    def __init__(self, detail: str = "", *, status: int | None = None, user_message: str = "") -> None:
        super().__init__(detail, status=status, user_message=user_message or SETUP_MESSAGE)


class HrFlowNotFound(HrFlowError):
    default_message = NOT_FOUND_MESSAGE


class HrFlowRateLimited(HrFlowError):
    default_message = RATE_LIMITED_MESSAGE
    retryable = True

    def __init__(
        self,
        detail: str = "",
        *,
        status: int | None = 429,
        user_message: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail, status=status, user_message=user_message)
        self.retry_after = retry_after


class HrFlowUpstreamError(HrFlowError):
    """5xx. Only gateway-type failures (502/503/504) are worth retrying; a 500 is a bug upstream.
    A 503 may say when to come back (Retry-After), like a 429."""

    default_message = UPSTREAM_ERROR_MESSAGE

    def __init__(
        self,
        detail: str = "",
        *,
        status: int | None = None,
        user_message: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(detail, status=status, user_message=user_message)
        self.retryable = status in RETRYABLE_STATUSES
        self.retry_after = retry_after


class HrFlowTimeout(HrFlowError):
    """The read timed out. Not retried: the server may still be working, and retrying doubles
    the wait the recruiter already sat through."""

    default_message = TIMEOUT_MESSAGE


class HrFlowConnectionError(HrFlowError):
    """Nothing was sent (refused, DNS, connect timeout): safe to retry."""

    default_message = CONNECTION_MESSAGE
    retryable = True


class HrFlowUnavailable(HrFlowError):
    """Not sent: the circuit breaker knows HrFlow is down (consecutive timeouts, connection
    errors or 5xx) and lets no call through until its cool-down ends (scoring/hrflow/breaker.py).
    A background refresh defers on it instead of failing."""

    default_message = UNAVAILABLE_MESSAGE

    def __init__(self, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class HrFlowBusy(HrFlowRateLimited):
    """Not sent: the dashboard's own limiter had no capacity within the caller's wait
    (scoring/hrflow/ratelimit.py). Never retried by the client: the wait already happened."""

    default_message = BUSY_MESSAGE
    retryable = False

    def __init__(self, detail: str = "", *, retry_after: float | None = 1.0) -> None:
        super().__init__(detail, status=None, retry_after=retry_after)


class HrFlowMalformedResponse(HrFlowError):
    """Not JSON, wrong Content-Type, or JSON that is not HrFlow's envelope."""

    default_message = MALFORMED_RESPONSE_MESSAGE


RETRYABLE_STATUSES = frozenset({502, 503, 504})


def error_for_status(status: int, message: str, *, retry_after: float | None = None) -> HrFlowError:
    """The named error for an HTTP (or envelope) error code."""
    if status in (401, 403):  # 403: e.g. a write-only askw_ key used for a read
        return HrFlowBadCredentials(message, status=status)
    if status == 402:
        return HrFlowOverQuota(message, status=status)
    if status in (400, 422):
        if _ALGORITHM_PATTERN.search(message):
            return HrFlowSetupError(message, status=status)
        return HrFlowBadRequest(message, status=status)
    if status == 404:
        return HrFlowNotFound(message, status=status)
    if status == 429:
        return HrFlowRateLimited(message, status=status, retry_after=retry_after)
    if status >= 500:
        return HrFlowUpstreamError(message, status=status, retry_after=retry_after)
    # Other undocumented 4xx: a request HrFlow will not serve as sent.
    return HrFlowBadRequest(message, status=status)
