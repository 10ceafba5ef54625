"""Benchmark: 1,000 saved searches with "After each refresh", refreshed twice by a real
Celery worker + beat against a private sandbox, e-mails sent through a real SMTP server
(aiosmtpd, the demo mail sink's code) at the configured send rate.

    .venv/bin/python benchmarks/alert_deliveries.py                 # 1,000 searches, 600 e-mails/min
    .venv/bin/python benchmarks/alert_deliveries.py --searches 200 --send-rate 120

1. Every search is refreshed once (its baseline: no e-mail).
2. Copies of some candidates' best jobs are indexed (new keys, unique names), so they enter the
   top N of many searches.
3. Every search is refreshed again; the run's new jobs are e-mailed.

The expected deliveries are computed from the two runs' stored results alone (the keys of run 2
absent from run 1, per search), never from the ledger or the outbox, and compared with what the
SMTP server received (each message's saved-search link and job titles): lost = expected job
announcements missing; duplicated = an e-mail or a job received more than expected; unexpected
= a job listed that is not new. Also: the send rate achieved (busiest 60 s window and overall).
"""

from __future__ import annotations

import argparse
import email
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks._common import demo_snapshot, read_profiles  # noqa: E402
from sandbox.devserver import free_port, prepare_database, start_server  # noqa: E402

CELERY = str(Path(sys.executable).with_name("celery"))
OPEN_LINK = re.compile(r"/saved/(\d+)/")


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--searches", type=int, default=1000)
    p.add_argument("--users", type=int, default=50, help="owners (searches are spread over them)")
    p.add_argument("--new-jobs", type=int, default=40, help="copies of best jobs indexed between the runs")
    p.add_argument("--send-rate", type=float, default=600.0, help="ALERTS_SEND_RATE_PER_MINUTE")
    p.add_argument("--worker-concurrency", type=int, default=4)
    p.add_argument("--top-n", type=int, default=20)
    p.add_argument("--tick", type=float, default=2.0, help="beat tick seconds (refreshes and alerts)")
    p.add_argument("--timeout", type=float, default=1800.0)
    return p.parse_args()


def sandbox_get(sandbox: Any, path: str, params: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(
        sandbox.url + path + "?" + urllib.parse.urlencode(params),
        headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["data"]  # type: ignore[no-any-return]


def wait(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(1.0)


def busiest_minute(stamps: list[float]) -> int:
    stamps = sorted(stamps)
    best, start = 0, 0
    for end, stamp in enumerate(stamps):
        while stamp - stamps[start] >= 60.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-alerts-"))
    data_dir, corpus = demo_snapshot(tmp)
    profiles = read_profiles(data_dir)
    sandbox = start_server(
        prepare_database(tmp / "sandbox", data_dir), data_dir, log_path=tmp / "sandbox.log"
    )
    mail_port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks._alerts_settings",
        "DJANGO_SECRET_KEY": "benchmark-only",
        "HRFLOW_DASH_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'dash.sqlite3'}",
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_BROKER_DIR": str(tmp / "broker"),
        "CACHE_URL": "db://",
        "HRFLOW_API_URL": sandbox.url,
        "HRFLOW_API_KEY": sandbox.api_key,
        "HRFLOW_USER_EMAIL": sandbox.user_email,
        "HRFLOW_REQUESTS_PER_MINUTE": "6000",
        "HRFLOW_MAX_CONCURRENCY": str(args.worker_concurrency),
        "SAVED_SEARCH_TOP_N": str(args.top_n),
        "REFRESH_TICK_SECONDS": str(args.tick),
        "EMAIL_URL": f"smtp://127.0.0.1:{mail_port}",
        "ALERTS_SEND_RATE_PER_MINUTE": str(args.send_rate),
        "ALERTS_SITE_URL": "http://dashboard.bench",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.utils import timezone

    from alerts.mailsink import start_sink
    from alerts.models import EmailStatus, OutboxEmail
    from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS
    from saved_searches.models import AlertMode, RunStatus, SavedSearch, SearchRun
    from scoring.hrflow.query import JobQuery

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    cache.clear()
    mail_dir = tmp / "mail"
    controller, _ = start_sink(folder=mail_dir, port=mail_port)
    users = [User.objects.create_user(f"bench{i}", email=f"bench{i}@example.com") for i in range(args.users)]
    board_sets = [tuple(DEMO_BOARD_KEYS)] + [(key,) for key in DEMO_BOARD_KEYS]
    combos = [(p, a, b) for b in board_sets for a in DEMO_ALGORITHM_KEYS for p in profiles]
    if len(combos) < args.searches:
        raise SystemExit(f"only {len(combos)} distinct searches available")
    now = timezone.now()
    searches = []
    for number, (profile, algorithm, boards) in enumerate(combos[: args.searches]):
        query = JobQuery(
            board_keys=boards,
            source_key=profile["source_key"],
            profile_key=profile["key"],
            algorithm_key=algorithm,
        )
        searches.append(
            SavedSearch(owner=users[number % len(users)], name=f"bench {number}",
                        query_string=query.to_query_string(), alert_mode=AlertMode.EACH_REFRESH,
                        baseline_started_at=now, next_due_at=None)
        )  # fmt: skip
    SavedSearch.objects.bulk_create(searches, batch_size=500)

    procs: dict[str, subprocess.Popen[bytes]] = {}
    worker = ["worker", "-l", "warning", "--concurrency", str(args.worker_concurrency)]
    worker += ["--without-gossip", "--without-mingle", "-n", "bench-alerts@%h"]
    beat = ["beat", "-l", "warning", "-s", str(tmp / "beat-schedule"), "--pidfile", str(tmp / "beat.pid")]
    for kind, extra in (("worker", worker), ("beat", beat)):
        log = (tmp / f"{kind}.log").open("wb")
        procs[kind] = subprocess.Popen(
            [CELERY, "-A", "hrflow_dash", *extra],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )

    def succeeded_searches(runs: int) -> int:
        per = SavedSearch.objects.annotate(ok=Count("runs", filter=Q(runs__status=RunStatus.SUCCEEDED)))
        return per.filter(ok__gte=runs).count()

    try:
        started = time.time()
        SavedSearch.objects.update(next_due_at=timezone.now())
        wait(lambda: succeeded_searches(1) >= args.searches, timeout=args.timeout, what="the baseline runs")
        baseline_s = time.time() - started

        # New jobs: copies of the best job of some searches, named so a title says which copy.
        firsts = list(SearchRun.objects.filter(status=RunStatus.SUCCEEDED).order_by("pk"))
        sources = {run.results[0]["key"] for run in firsts if run.results}
        names: dict[str, str] = {}
        for number, key in enumerate(sorted(sources)[: args.new_jobs]):
            for board in DEMO_BOARD_KEYS:
                try:
                    raw = sandbox_get(sandbox, "job/indexing", {"board_key": board, "key": key})
                except urllib.error.HTTPError:
                    continue
                job = {k: v for k, v in raw.items() if k not in ("key", "id", "board")}
                job.update(name=f"{raw['name']} [bench copy {number}]", reference=f"bench-copy-{number}")
                names[sandbox.index_job({**job, "board_key": board})["key"]] = job["name"]
                break
        cache.clear()

        second = time.time()
        SavedSearch.objects.update(next_due_at=timezone.now())
        wait(lambda: succeeded_searches(2) >= args.searches, timeout=args.timeout, what="the second runs")
        refresh_s = time.time() - second

        # Expected, from the runs' stored results alone.
        expected: dict[int, Counter[str]] = {}
        title_of: dict[str, str] = dict(names)

        def title(key: str) -> str:
            if key not in title_of:  # not one of the copies: ask the sandbox
                for board in DEMO_BOARD_KEYS:
                    try:
                        title_of[key] = str(
                            sandbox_get(sandbox, "job/indexing", {"board_key": board, "key": key})["name"]
                        )
                        break
                    except urllib.error.HTTPError:
                        continue
            return " ".join(title_of.get(key, f"?{key}").split())  # as the card shows it: stripped

        for search in SavedSearch.objects.all():
            baseline, latest = list(
                SearchRun.objects.filter(search=search, status=RunStatus.SUCCEEDED).order_by("pk")
            )
            new = [
                row["key"] for row in latest.results if row["key"] not in {r["key"] for r in baseline.results}
            ]
            if new:
                expected[search.pk] = Counter(title(key) for key in new)
        expected_jobs = sum(sum(c.values()) for c in expected.values())

        def received() -> list[Path]:
            return sorted(mail_dir.glob("*.eml"))

        wait(lambda: len(received()) >= len(expected), timeout=args.timeout, what="the e-mails")
        # Until the outbox is idle, then a few more ticks: a duplicate would arrive now.
        done = [EmailStatus.SENT, EmailStatus.FAILED]
        wait(
            lambda: not OutboxEmail.objects.exclude(status__in=done).exists(),
            timeout=args.timeout,
            what="the outbox to drain",
        )
        time.sleep(5 * args.tick)
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        controller.stop()
        sandbox.stop()

    got: dict[int, list[Counter[str]]] = defaultdict(list)
    stamps = []
    message_ids = Counter()
    for path in received():
        stamps.append(int(path.name.split("-", 1)[0]) / 1e9)
        message = email.message_from_bytes(path.read_bytes(), policy=default_policy)
        message_ids[str(message["Message-ID"])] += 1
        text = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
        match = OPEN_LINK.search(text)
        titles = [
            " ".join(line[2:].rsplit(" (", 1)[0].split())
            for line in text.splitlines()
            if line.startswith("* ")
        ]
        got[int(match.group(1)) if match else -1].append(Counter(titles))
    lost = duplicated = unexpected = 0
    for search_id in set(expected) | set(got):
        want = expected.get(search_id, Counter())
        messages = got.get(search_id, [])
        duplicated += max(0, len(messages) - (1 if want else 0))
        union: Counter[str] = Counter()
        for counter in messages:
            union += counter
        lost += sum((want - union).values())
        extra = union - want
        unexpected += sum(extra.values())
    span = max(stamps) - min(stamps) if len(stamps) > 1 else float("nan")
    result = {
        "searches": args.searches,
        "users": args.users,
        "corpus": corpus,
        "top_n": args.top_n,
        "new_jobs_indexed": len(names),
        "worker_concurrency": args.worker_concurrency,
        "baseline_refresh_s": round(baseline_s, 1),
        "second_refresh_s": round(refresh_s, 1),
        "expected_emails": len(expected),
        "expected_job_announcements": expected_jobs,
        "received_emails": len(stamps),
        "lost_job_announcements": lost,
        "duplicated_emails": duplicated,
        "unexpected_jobs": unexpected,
        "distinct_message_ids": len(message_ids),
        "send_rate_configured_per_min": args.send_rate,
        "send_busiest_60s": busiest_minute(stamps),
        "send_rate_overall_per_min": round((len(stamps) - 1) / span * 60, 1)
        if span == span and span
        else None,
        "outbox": dict(OutboxEmail.objects.values_list("status").annotate(n=Count("pk")).order_by()),
        "workdir": str(tmp),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
