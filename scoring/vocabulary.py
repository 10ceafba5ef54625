"""The skills and languages vocabulary of the search form's typeahead.

Suggestions for a typed text come, in this order, from

1. the chosen candidate's own skills (the profile the page already reads, cached);
2. the names seen in the jobs of search results, per HrFlow account (`account_id()`: the API
   URL and a hash of the key), kept in the database with counts (`VocabularyTerm`), most seen
   first, at most `VOCABULARY_MAX_TERMS` per account and kind (the least seen are dropped);
3. the shipped list: the skill and language labels of the demo snapshot (`data/demo/`, ESCO
   labels such as "Python (computer programming)"), most frequent first.

A suggestion matches when every typed word starts a word of it, case-insensitively ("py" and
"comp prog" both find "Python (computer programming)"). Free text stays allowed: the field
takes what is typed.

Recording never slows a results response: `note_page()` only adds names to an in-process
buffer, once per upstream answer; the buffer is written in one batch (an upsert per kind) by a
`request_finished` receiver, i.e. after the WSGI server has sent the response, at most every
`VOCABULARY_FLUSH_SECONDS` (10) per process (and by `flush()` anywhere else).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from scoring.models import VocabularyTerm

logger = logging.getLogger(__name__)
KINDS = ("skills", "languages")
TAGS = "tags"  # tag tokens (`category:Sales`) seen in results, for the tag pickers
MAX_NAME = 200
SUGGEST_LIMIT = 12
_WORD = re.compile(r"\w+")
_lock = threading.Lock()
_pending: dict[tuple[str, str], Counter[str]] = {}
_names: dict[tuple[str, str, str], str] = {}
NOTED_KEPT = 1024
_noted: OrderedDict[str, None] = OrderedDict()  # stamps of the answers already counted


def max_terms() -> int:
    return int(getattr(settings, "VOCABULARY_MAX_TERMS", 5000))


def account_id() -> str:
    """One vocabulary per HrFlow account: the API URL and the key, hashed (never the key)."""
    key_hash = hashlib.sha256(settings.HRFLOW_API_KEY.encode()).hexdigest()
    return hashlib.sha256(f"{settings.HRFLOW_API_URL}\n{key_hash}".encode()).hexdigest()[:40]


# --- recording ---------------------------------------------------------------------------------


def note_seen(jobs: Iterable[Any]) -> None:
    """Remember the skills and languages of these jobs (ScoredJob), to be written later."""
    account = account_id()
    # Each distinct name once: a page's jobs repeat many skills, and counting is done in C.
    seen: dict[str, Counter[str]] = {"skills": Counter(), "languages": Counter(), TAGS: Counter()}
    for job in jobs:
        seen["skills"].update(s.name for s in job.skills)
        seen["languages"].update(job.languages)
        seen[TAGS].update(getattr(job, "tag_tokens", ()))
    with _lock:
        for kind, counts in seen.items():
            bucket = _pending.setdefault((account, kind), Counter())
            for raw, n in counts.items():
                name = raw.strip()[:MAX_NAME]
                if name and (name.isascii() or _storable(name)):  # ASCII is always UTF-8
                    key = name if kind == TAGS else name.casefold()  # tag values match exactly
                    bucket[key] += n
                    _names.setdefault((account, kind, key), name)


def note_page(page: Any) -> None:
    """`note_seen(page.jobs)`, once per upstream answer (JobPage.stamp) in this process: a page
    shown again from the cache (Back, a reload, Details) is not counted again, and costs nothing."""
    stamp = getattr(page, "stamp", "")
    if stamp:
        with _lock:
            if stamp in _noted:
                return
            _noted[stamp] = None
            while len(_noted) > NOTED_KEPT:
                _noted.popitem(last=False)
    note_seen(page.jobs)


def _storable(name: str) -> bool:
    """Upstream text may hold lone surrogates (tests/scoring/test_lone_surrogate.py): not UTF-8."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def flush() -> int:
    """Write the buffered names in one batch per account and kind; returns the rows touched."""
    with _lock:
        pending = {k: v for k, v in _pending.items() if v}
        names = dict(_names)
        _pending.clear()
        _names.clear()
    touched = 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for (account, kind), counts in pending.items():
        # One upsert statement run for every name (INSERT ... ON CONFLICT DO UPDATE, the same
        # SQL on SQLite >= 3.24 and PostgreSQL): the increments happen in the database, so two
        # processes flushing the same name both count. (The ORM's read + bulk_update + bulk_create
        # cost ~16 % of the web tier's CPU under the load test: docs/benchmarks.md.)
        rows = [(account, kind, key, names[(account, kind, key)], n, now) for key, n in counts.items()]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(), rows)
            touched += len(rows)
            _prune(account, kind)
    return touched


def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(VocabularyTerm._meta.db_table)
    columns = ", ".join(q(c) for c in ("account", "kind", "key", "name", "count", "last_seen"))
    # Only identifiers of our own model are formatted in; every value is a query parameter.
    return (
        f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({q('account')}, {q('kind')}, {q('key')}) DO UPDATE SET "
        f"{q('count')} = {table}.{q('count')} + excluded.{q('count')}, "
        f"{q('last_seen')} = excluded.{q('last_seen')}"
    )


def _prune(account: str, kind: str) -> None:
    rows = VocabularyTerm.objects.filter(account=account, kind=kind)
    limit = max_terms()
    if rows.count() <= limit:
        return
    keep = rows.order_by("-count", "-last_seen", "key").values_list("pk", flat=True)[:limit]
    rows.exclude(pk__in=list(keep)).delete()


# -inf, not 0.0: time.monotonic() counts from boot, so a process on a machine up for less
# than VOCABULARY_FLUSH_SECONDS would otherwise wait that long for its first write.
_last_flush = [float("-inf")]


def flush_seconds() -> float:
    return float(getattr(settings, "VOCABULARY_FLUSH_SECONDS", 10))


def _flush_after_response(**kwargs: Any) -> None:
    """After a response: write the buffer, at most every VOCABULARY_FLUSH_SECONDS per process
    (a busy worker writes one batch per interval, not one per page)."""
    if not any(_pending.values()):
        return
    now = time.monotonic()
    if now - _last_flush[0] < flush_seconds():
        return
    _last_flush[0] = now
    try:
        flush()
    except (DatabaseError, ValueError):  # a vocabulary write must never break anything else
        logger.exception("could not record the skills seen in results")


request_finished.connect(_flush_after_response, dispatch_uid="scoring.vocabulary.flush")


# --- suggesting --------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def matches(label: str, typed: str) -> bool:
    """Every typed word starts some word of the label (case-insensitive)."""
    wanted = _words(typed)
    if not wanted:
        return False
    have = _words(label)
    return all(any(word.startswith(w) for word in have) for w in wanted)


@functools.cache
def shipped(kind: str) -> tuple[str, ...]:
    """The demo snapshot's labels of this kind, most frequent first (once per process)."""
    from demodata.snapshot import iter_jobs, iter_profiles

    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    try:
        for record in (*iter_jobs(), *iter_profiles()):
            for item in record.get(kind) or []:
                name = str((item or {}).get("name") or "").strip()
                if name:
                    counts[name.casefold()] += 1
                    names.setdefault(name.casefold(), name)
    except OSError:
        logger.warning("no shipped %s list: the demo snapshot is missing", kind)
    return tuple(names[key] for key, _ in counts.most_common())


def tag_names(limit: int = 40) -> list[str]:
    """Tag names seen in results, the most seen first (the pickers' first choice)."""
    totals: Counter[str] = Counter()
    rows = VocabularyTerm.objects.filter(account=account_id(), kind=TAGS).order_by("-count")
    for key, count in rows.values_list("key", "count")[:5000]:
        totals[key.partition(":")[0]] += count
    return [name for name, _ in totals.most_common(limit)]


def tag_values(name: str, typed: str, *, limit: int = 20) -> list[dict[str, str]]:
    """Values seen for one tag name, most seen first, with their counts: `{"value": token,
    "text": "Sales (12 seen)", "label": "category: Sales", "group": "seen"}`."""
    rows = VocabularyTerm.objects.filter(
        account=account_id(), kind=TAGS, key__startswith=f"{name}:"
    ).order_by("-count", "key")
    out = []
    for key, count in rows.values_list("key", "count")[:500]:
        value = key[len(name) + 1 :].strip('"')
        if typed.strip() and not matches(value, typed):
            continue
        out.append(
            {"value": key, "text": f"{value} ({count} seen)", "label": f"{name}: {value}", "group": "seen"}
        )
        if len(out) >= limit:
            break
    return out


_warming = threading.Event()


def warm() -> None:
    """Read the shipped lists in a background thread, once per process (the search page calls
    this, so the typeahead's first answer does not wait for the snapshot)."""
    if _warming.is_set():
        return
    _warming.set()
    threading.Thread(
        target=lambda: [shipped(kind) for kind in KINDS], name="vocabulary-warm", daemon=True
    ).start()


def suggest(
    kind: str, typed: str, *, candidate: Iterable[str] = (), limit: int = SUGGEST_LIMIT
) -> list[dict[str, str]]:
    """Up to `limit` suggestions, `{"value", "text", "group"}`, in source order, no duplicates."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()

    def add(names: Iterable[str], group: str) -> None:
        for name in names:
            if len(out) >= limit:
                return
            if name.casefold() not in seen and matches(name, typed):
                seen.add(name.casefold())
                out.append({"value": name, "text": name, "group": group})

    add(candidate, "candidate")
    first = (_words(typed) or [""])[0]
    rows = (
        VocabularyTerm.objects.filter(account=account_id(), kind=kind, key__contains=first)
        .order_by("-count", "key")
        .values_list("name", flat=True)[:200]
    )
    add(rows, "seen")
    add(shipped(kind), "shipped")
    return out
