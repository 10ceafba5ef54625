"""The demo feed (issue 4): held-back real listings indexed a few at a time, so boards grow.

`demo_feed_index_next(batch=3)` indexes the next `batch` jobs of `feed.jsonl.gz` that the boards
do not hold yet, each dated now, through `scoring.hrflow.client` (the only code that talks to
HrFlow). Run by the Celery beat task `demodata.feed_tick` in demo mode, or once by
`manage.py demo_feed`.

Identity and state: a feed job's `reference` is its identity; HrFlow itself is the state.
A job counts as done when `GET job/indexing?board_key=&reference=` finds it, so the service is
stateless, idempotent and crash-safe (a job indexed just before a crash is found and skipped
next time; a duplicate POST is refused by HrFlow's unique reference and also skipped). Django's
cache only keeps a *hint*: the feed position before which every job is known to be indexed, so
a tick costs about `batch` + 1 GETs instead of one per job already fed. The hint is checked (the
job just before it must exist) and dropped when wrong, e.g. after the sandbox was reloaded or
the cache flushed, when the scan restarts from the top.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache

from demodata import snapshot
from scoring.hrflow.client import HrFlowClient, get_client
from scoring.hrflow.errors import HrFlowBadRequest

logger = logging.getLogger(__name__)

# Fields HrFlow assigns itself; a feed line's `key` is the snapshot's, not the indexed job's.
ASSIGNED = ("key", "id", "board")


def _cursor_key(client: HrFlowClient) -> str:
    digest = hashlib.sha256(client.base_url.encode()).hexdigest()[:16]
    return f"demodata:feed-cursor:{digest}"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000")


def _exists(client: HrFlowClient, job: dict[str, Any]) -> bool:
    return client.get_job(board_key=job["board_key"], reference=job["reference"]) is not None


def _start(client: HrFlowClient, feed: Sequence[dict[str, Any]]) -> int:
    """The cached position, if the job just before it is indexed; else 0."""
    hint = cache.get(_cursor_key(client))
    if not isinstance(hint, int) or not 0 < hint <= len(feed):
        return 0
    return hint if _exists(client, feed[hint - 1]) else 0


def _as_posted_now(job: dict[str, Any], stamp: str) -> dict[str, Any]:
    """The feed job as its board posts it now: dated now, seen online from now, tagged as such."""
    body = {k: v for k, v in job.items() if k not in ASSIGNED}
    body.update(created_at=stamp, updated_at=stamp)
    body["ranges_date"] = [
        {**r, "value_min": stamp, "value_max": stamp} if r.get("name") == "seen_online" else r
        for r in body.get("ranges_date") or []
    ]
    body["tags"] = [
        {**t, "value": "indexed"} if t.get("name") == "date_source" else t for t in body.get("tags") or []
    ]
    return body


def demo_feed_index_next(
    *,
    batch: int,
    client: HrFlowClient | None = None,
    feed: Iterable[dict[str, Any]] | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Index the next `batch` feed jobs not yet on their board; returns their references
    (empty once the whole feed is indexed)."""
    if batch < 1:
        return []
    client = client or get_client()
    jobs = list(snapshot.iter_feed_jobs() if feed is None else feed)
    stamp = _stamp(now or datetime.now(UTC))
    indexed: list[str] = []
    position = _start(client, jobs)
    while position < len(jobs) and len(indexed) < batch:
        job = jobs[position]
        if not _exists(client, job):
            body = _as_posted_now(job, stamp)
            try:
                client.index_job(board_key=job["board_key"], job=body)
            except HrFlowBadRequest as exc:
                # Another tick indexed it between our GET and POST: done all the same.
                if not _exists(client, job):
                    raise
                logger.info("demo feed: %s was indexed concurrently (%s)", job["reference"], exc.detail)
            else:
                indexed.append(job["reference"])
        position += 1
        # Saved after each job, so a crash mid-batch loses no progress (and the hint is only
        # ever a position whose predecessors are all indexed).
        cache.set(_cursor_key(client), position, timeout=None)
    if indexed:
        logger.info("demo feed: indexed %d job(s): %s", len(indexed), ", ".join(indexed))
    return indexed
