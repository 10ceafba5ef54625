"""`HrFlowClient`: the only code that talks HTTP to HrFlow (or the sandbox, same contract).

Contract: docs/hrflow.md (decisions 1-9). What this adds to the vendor SDK:
timeouts (shorter for a recruiter's request than for background work, scoring/hrflow/calls.py),
retries of what is safe to retry within a total time budget, JSON-encoded dicts (the SDK's dict
bug, §2.3), the POST variant for long URLs, named errors, no secret in any message, log line or
URL (the key travels only in the X-API-KEY header), and, as `get_client()` wires it, the
shared upstream limiter (ratelimit.py) and circuit breaker (breaker.py) around every attempt.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import json as jsonlib
import logging
import socket
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlencode, urlsplit

import pybreaker
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from requests.adapters import HTTPAdapter

from scoring.hrflow import breaker as breaker_module
from scoring.hrflow import metrics, ratelimit
from scoring.hrflow.calls import CallKind, current_call_kind
from scoring.hrflow.errors import (
    HrFlowBadRequest,
    HrFlowBusy,
    HrFlowConnectionError,
    HrFlowError,
    HrFlowMalformedResponse,
    HrFlowNotFound,
    HrFlowSetupError,
    HrFlowTimeout,
    error_for_status,
    redact,
)
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import (
    BoardOption,
    Candidate,
    CandidateOption,
    MalformedEnvelope,
    ScoringPayload,
    SourceOption,
    option_from_hrflow,
)

logger = logging.getLogger(__name__)

# Past this many characters a GET URL risks a 414 from a proxy; HrFlow takes the same
# parameters as a POST body then (docs/hrflow.md §1, §8.6).
MAX_GET_URL_LENGTH = 4000
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 4.0
# A Retry-After of 0 still waits this long, so a retry loop can never spin.
MIN_RETRY_WAIT_SECONDS = 0.1
LIST_LIMIT = 100  # boards and sources per listing page
# Connections kept per host: one per web thread that may call HrFlow at once
# (gunicorn_conf.threads), so a busy process does not open and discard connections.
POOL_CONNECTIONS = 32

Limiter = Callable[[], contextlib.AbstractContextManager[bool]]


def release_database_connection() -> None:
    """Give this thread's database connection back to the pool before waiting on HrFlow.

    With PostgreSQL's pool (settings DATABASE_POOL_MAX_SIZE) a thread would otherwise hold its
    connection from its first query to the end of the request, HrFlow's latency (or a hang, up
    to the read timeout) included, and 32 threads would need 32 connections. The next query
    takes one from the pool again. Nothing to do without a pool (SQLite, pool off) or inside a
    transaction (closing would end it).
    """
    conn = connections[DEFAULT_DB_ALIAS]
    pooled = conn.settings_dict.get("OPTIONS", {}).get("pool")
    if pooled and conn.connection is not None and not conn.in_atomic_block:
        conn.close()


def _is_json_content_type(value: str) -> bool:
    # HrFlow sends exactly "application/json" (decision 8); a "; charset=" suffix is harmless to
    # us, so only the media type is checked. An HTML gateway page fails here.
    return value.split(";", 1)[0].strip().lower() == "application/json"


def _retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _items(data: Any, *names: str) -> list[Any]:
    """List endpoints put items in `data` (a list) or in `data.<name>` depending on the endpoint."""
    if isinstance(data, list):
        return data
    if isinstance(data, Mapping):
        for name in names:
            if isinstance(data.get(name), list):
                return list(data[name])
    raise HrFlowMalformedResponse("data is neither a list nor an object with a list")


class HrFlowClient:
    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        user_email: str,
        connect_timeout: float = 3.05,
        interactive_timeout: float = 5.0,
        background_timeout: float = 15.0,
        retry_total_seconds: float = 10.0,
        send_agent_key: bool = False,
        session: requests.Session | None = None,
        limiter: Limiter | None = None,
        breaker: pybreaker.CircuitBreaker | None = None,
    ) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._api_key = api_key
        self.connect_timeout = connect_timeout
        self.read_timeouts = {
            CallKind.INTERACTIVE: interactive_timeout,
            CallKind.BACKGROUND: background_timeout,
        }
        self.retry_total_seconds = retry_total_seconds
        # Both shared by every process when set (get_client() sets them); None: not limited.
        self.limiter = limiter
        self.breaker = breaker
        # Older HrFlow accounts still name the algorithm `agent_key` (docs/hrflow.md §1.2).
        self.send_agent_key = send_agent_key
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=POOL_CONNECTIONS)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
        self.session = session
        self.session.headers.update(
            {"X-API-KEY": api_key, "X-USER-EMAIL": user_email, "Accept": "application/json"}
        )
        # Replaceable so tests record waits instead of sleeping.
        self.sleep: Callable[[float], None] = time.sleep
        self.clock: Callable[[], float] = time.monotonic

    def __repr__(self) -> str:  # never show the key, even in a debugger or a traceback
        return f"<HrFlowClient {self.base_url}>"

    def reachable(self, timeout: float = 1.0) -> bool:
        """Whether HrFlow's host takes a TCP connection: no HTTP request, no quota, no key sent
        (/readyz reports it)."""
        parts = urlsplit(self.base_url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        try:
            with socket.create_connection((parts.hostname or "", port), timeout=timeout):
                return True
        except OSError:
            return False

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read) for the kind of call being made now."""
        return (self.connect_timeout, self.read_timeouts[current_call_kind()])

    # --- endpoints ---------------------------------------------------------------------------

    def score_jobs(self, query: JobQuery) -> ScoringPayload:
        """Jobs of `query.board_keys` ranked for one profile, with scores.

        Reference: https://developers.hrflow.ai/reference/score-jobs-for-a-profile
        GET with every value a string; when the URL would be too long, POST with the same names
        and native JSON values in the body (the sandbox accepts both; HrFlow documents POST).
        """
        if not query.algorithm_key:  # HrFlow requires one: say what to configure, call nothing
            raise HrFlowSetupError("no algorithm_key configured")
        params = query.to_hrflow_params()
        if self.send_agent_key and query.algorithm_key:
            params["agent_key"] = query.algorithm_key
        if len(self.base_url + "jobs/scoring?" + urlencode(params)) > MAX_GET_URL_LENGTH:
            body = query.to_hrflow_json()
            if self.send_agent_key and query.algorithm_key:
                body["agent_key"] = query.algorithm_key
            envelope = self._request("POST", "jobs/scoring", json=body)
        else:
            envelope = self._request("GET", "jobs/scoring", params=params)
        try:
            return ScoringPayload.from_envelope(envelope)
        except MalformedEnvelope as exc:
            raise HrFlowMalformedResponse(str(exc)) from None

    def list_boards(self) -> list[BoardOption]:
        # Reference: https://developers.hrflow.ai/reference/get-boards
        envelope = self._request(
            "GET",
            "boards",
            params={"page": "1", "limit": str(LIST_LIMIT), "sort_by": "date", "order_by": "desc"},
        )
        return [BoardOption(*option_from_hrflow(b)) for b in _items(envelope.get("data"), "boards")]

    def list_sources(self) -> list[SourceOption]:
        # Reference: https://developers.hrflow.ai/reference/get-sources
        envelope = self._request(
            "GET",
            "sources",
            params={"page": "1", "limit": str(LIST_LIMIT), "sort_by": "date", "order_by": "desc"},
        )
        return [SourceOption(*option_from_hrflow(s)) for s in _items(envelope.get("data"), "sources")]

    def list_profiles(
        self, source_key: str, name: str = "", page: int = 1, limit: int = 10
    ) -> list[CandidateOption]:
        """Profiles of one source whose name matches (the candidate picker).

        Reference: https://developers.hrflow.ai/reference/list-profiles (storing API, no
        Searching licence needed, docs/hrflow.md §7). `return_profile=True` as the SDK sends it,
        or the items carry no name.
        """
        params = {
            "source_keys": jsonlib.dumps([source_key], separators=(",", ":")),
            "name": name.strip(),
            "page": str(page),
            "limit": str(limit),
            "sort_by": "created_at",
            "order_by": "desc",
            "return_profile": "True",
        }
        envelope = self._request("GET", "storing/profiles", params={k: v for k, v in params.items() if v})
        profiles = _items(envelope.get("data"), "profiles")
        return [
            CandidateOption.from_hrflow(p, source_key=source_key) for p in profiles if isinstance(p, Mapping)
        ]

    def get_profile(self, source_key: str, key: str) -> Candidate:
        # Reference: https://developers.hrflow.ai/reference/get-a-profile-indexed-in-a-source
        envelope = self._request("GET", "profile/indexing", params={"source_key": source_key, "key": key})
        data = envelope.get("data")
        if not isinstance(data, Mapping):
            raise HrFlowMalformedResponse("profile response has no data object")
        return Candidate.from_hrflow(data, source_key=source_key)

    def index_job(self, *, board_key: str, job: Mapping[str, Any]) -> dict[str, Any]:
        """Index a Job object into a board; returns the stored job (with its `key`).

        Reference: https://developers.hrflow.ai/reference/index-a-job (SDK
        `job.storing.add_json`): POST job/indexing, the Job object as the JSON body with
        `board_key` in it. Not retried: a POST that may have reached HrFlow could create the job
        twice (a caller retrying should check by reference first, see `get_job`).
        """
        body = {**job, "board_key": board_key}
        envelope = self._request("POST", "job/indexing", json=body, retry=False)
        data = envelope.get("data")
        if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
            raise HrFlowMalformedResponse("job indexing response has no data object with a key")
        return dict(data)

    def get_job(self, *, board_key: str, key: str = "", reference: str = "") -> dict[str, Any] | None:
        """One job of a board by key or reference (SDK `job.storing.get`), None when the board
        holds no such job (HrFlow: 400 "Unable to find object: job")."""
        if not (key or reference):
            raise ValueError("get_job needs a key or a reference")
        params = {"board_key": board_key, **({"key": key} if key else {"reference": reference})}
        try:
            envelope = self._request("GET", "job/indexing", params=params)
        except (HrFlowBadRequest, HrFlowNotFound) as exc:
            if "unable to find object: job" in exc.detail.lower() or exc.status == 404:
                return None
            raise
        data = envelope.get("data")
        if not isinstance(data, Mapping):
            raise HrFlowMalformedResponse("job response has no data object")
        return dict(data)

    def archive_job(self, *, board_key: str, key: str, archive: bool = True) -> str:
        """Archive (or, `archive=False`, restore) a job of a board; returns its key.

        Reference: the SDK's `job.storing.archive`: PATCH job/indexing/archive with the JSON
        body `{"board_key", "key", "is_archive": 1}`; the recorded answer is `{"code": 200,
        "message": "Job archived", "data": {"key": …}}`. Idempotent (the same flag twice leaves
        the same state), so it is retried like a read.
        """
        body = {"board_key": board_key, "key": key, "is_archive": 1 if archive else 0}
        envelope = self._request("PATCH", "job/indexing/archive", json=body)
        data = envelope.get("data")
        if not isinstance(data, Mapping) or not isinstance(data.get("key"), str):
            raise HrFlowMalformedResponse("job archive response has no data object with a key")
        return str(data["key"])

    # --- transport ---------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        retry: bool = True,
    ) -> dict[str, Any]:
        """One logical call: retries 429 / 502-504 / connection errors within the budget
        `retry_total_seconds`, waiting what HrFlow asks (Retry-After) or backing off
        exponentially. Attempts are not counted: a wait that would end past the budget is not
        taken, and the error is raised. `retry=False` (non-idempotent writes): one attempt."""
        started = self.clock()
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._guarded_attempt(method, path, params=params, json=json, attempt=attempt)
            except HrFlowError as exc:
                if not retry or not exc.retryable:
                    raise
                wait = min(BACKOFF_BASE_SECONDS * 2 ** (attempt - 1), BACKOFF_MAX_SECONDS)
                retry_after = getattr(exc, "retry_after", None)
                if retry_after is not None:
                    wait = max(retry_after, MIN_RETRY_WAIT_SECONDS)
                if self.clock() - started + wait > self.retry_total_seconds:
                    logger.warning(
                        "HrFlow %s %s: giving up after %d attempt(s): %s", method, path, attempt, exc
                    )
                    raise
                logger.warning("HrFlow %s %s: %s; retrying in %.1fs", method, path, exc, wait)
                self.sleep(wait)

    def _guarded_attempt(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json: Mapping[str, Any] | None,
        attempt: int,
    ) -> dict[str, Any]:
        """One HTTP attempt behind the breaker (fails fast when HrFlow is known down) and the
        limiter (one slot and one rate token, or HrFlowBusy after the caller's wait)."""
        try:
            if self.breaker is not None:
                breaker_module.fail_fast_if_open(self.breaker)  # before taking any capacity
            with contextlib.ExitStack() as stack:
                # The limiter outside the breaker: "no capacity" says nothing about HrFlow's health.
                if self.limiter is not None:
                    waiting_since = time.monotonic()
                    acquired = stack.enter_context(self.limiter())
                    metrics.observe_limiter_wait(time.monotonic() - waiting_since, acquired)
                    if not acquired:
                        raise HrFlowBusy(f"no upstream capacity for a {current_call_kind()} call")
                if self.breaker is not None:
                    stack.enter_context(breaker_module.guarded(self.breaker))
                return self._attempt(method, path, params=params, json=json, attempt=attempt)
        except HrFlowError as exc:
            metrics.count_error(path, exc)
            raise
        raise AssertionError("unreachable")  # pragma: no cover - for mypy: ExitStack may swallow

    def _attempt(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json: Mapping[str, Any] | None,
        attempt: int,
    ) -> dict[str, Any]:
        started = time.monotonic()
        status: int | None = None
        release_database_connection()
        try:
            try:
                response = self.session.request(
                    method, self.base_url + path, params=params, json=json, timeout=self.timeout
                )
            except requests.ConnectTimeout as exc:  # before ReadTimeout's parent: nothing was sent
                raise HrFlowConnectionError(self._safe(exc)) from None
            except requests.Timeout as exc:
                raise HrFlowTimeout(self._safe(exc)) from None
            except requests.ConnectionError as exc:
                raise HrFlowConnectionError(self._safe(exc)) from None
            except requests.RequestException as exc:
                raise HrFlowConnectionError(self._safe(exc)) from None
            status = response.status_code
            elapsed_ms = (time.monotonic() - started) * 1000
            logger.info(
                "HrFlow %s %s -> %s in %.0f ms (attempt %d)",
                method,
                path,
                status,
                elapsed_ms,
                attempt,
                extra=self._log_fields(method, path, status, attempt, elapsed_ms),
            )
            envelope = self._envelope(response)
        except HrFlowError as exc:
            elapsed = time.monotonic() - started
            metrics.observe_call(path, elapsed, metrics.error_kind(exc))
            if status is None:  # no answer at all: the line above was not written
                logger.info(
                    "HrFlow %s %s -> %s after %.0f ms (attempt %d)",
                    method,
                    path,
                    metrics.error_kind(exc),
                    elapsed * 1000,
                    attempt,
                    extra=self._log_fields(method, path, None, attempt, elapsed * 1000),
                )
            raise
        metrics.observe_call(path, time.monotonic() - started, "ok")
        return envelope

    @staticmethod
    def _log_fields(
        method: str, path: str, status: int | None, attempt: int, elapsed_ms: float
    ) -> dict[str, Any]:
        # Structured fields for the JSON log (ops): never the key, the URL's query or a body.
        return {
            "hrflow_method": method,
            "hrflow_endpoint": path,
            "hrflow_status": status,
            "hrflow_attempt": attempt,
            "hrflow_duration_ms": round(elapsed_ms, 1),
            "hrflow_call_kind": str(current_call_kind()),
        }

    def _envelope(self, response: requests.Response) -> dict[str, Any]:
        status = response.status_code
        body: Any = None
        if _is_json_content_type(response.headers.get("Content-Type", "")):
            try:
                body = response.json()
            except ValueError:
                body = None
        if not isinstance(body, dict):
            if status >= 400:  # e.g. a gateway's HTML 502: the status says enough
                raise error_for_status(
                    status, f"non-JSON {status} response", retry_after=self._retry_after(response)
                )
            raise HrFlowMalformedResponse(
                f"expected a JSON object, got {response.headers.get('Content-Type') or 'no Content-Type'}",
                status=status,
            )
        # The Python SDK trusts the body's code over the HTTP status (docs/hrflow.md §5.3).
        code = body.get("code")
        code = code if isinstance(code, int) and not isinstance(code, bool) else status
        if status >= 400 or code >= 400:
            message = self._safe(body.get("message") or "")
            raise error_for_status(max(status, code), message, retry_after=self._retry_after(response))
        return body

    @staticmethod
    def _retry_after(response: requests.Response) -> float | None:
        return _retry_after_seconds(response.headers.get("Retry-After"))

    def _safe(self, value: object) -> str:
        return redact(str(value), self._api_key)


def get_client() -> HrFlowClient:
    """The client configured by the HRFLOW_* settings (one per distinct configuration)."""
    for name in ("HRFLOW_API_URL", "HRFLOW_API_KEY", "HRFLOW_USER_EMAIL"):
        if not getattr(settings, name, ""):
            raise ImproperlyConfigured(f"{name} is not set; see .env.example.")
    connect = float(settings.HRFLOW_CONNECT_TIMEOUT)
    background = float(settings.HRFLOW_TIMEOUT_BACKGROUND)
    client = _build_client(
        settings.HRFLOW_API_URL,
        settings.HRFLOW_API_KEY,
        settings.HRFLOW_USER_EMAIL,
        connect,
        float(settings.HRFLOW_TIMEOUT_INTERACTIVE),
        background,
        float(settings.HRFLOW_RETRY_TOTAL_SECONDS),
        bool(getattr(settings, "HRFLOW_SEND_AGENT_KEY", False)),
    )
    # Looked up per call (cheap, cached): tests and operators change their settings at run time.
    client.breaker = breaker_module.get_breaker(
        settings.HRFLOW_API_URL, probe_ttl=int(connect + background) + 1
    )
    return client


@functools.lru_cache(maxsize=8)
def _build_client(
    base_url: str,
    api_key: str,
    user_email: str,
    connect_timeout: float,
    interactive_timeout: float,
    background_timeout: float,
    retry_total_seconds: float,
    send_agent_key: bool,
) -> HrFlowClient:
    # One Session per configuration keeps connections alive between requests of a process.
    return HrFlowClient(
        base_url=base_url,
        api_key=api_key,
        user_email=user_email,
        connect_timeout=connect_timeout,
        interactive_timeout=interactive_timeout,
        background_timeout=background_timeout,
        retry_total_seconds=retry_total_seconds,
        send_agent_key=send_agent_key,
        limiter=ratelimit.upstream_slot,
    )
