"""Benchmark: refresh N saved searches through a real Celery worker + beat against the sandbox,
behind a proxy that adds latency and answers 429 over a requests-per-minute cap.

    .venv/bin/python benchmarks/refresh_saved_searches.py                  # 1,000 searches, defaults
    .venv/bin/python benchmarks/refresh_saved_searches.py --searches 200 --cap-rpm 300

Embedded configuration by default (SQLite file, filesystem broker, database cache, one worker);
pass --database-url / --broker-url / --cache-url for PostgreSQL + Redis.

Reports: upstream throughput as a fraction of the cap (budget >= 90 %), 429s seen (budget 0),
runs lost or duplicated (budget 0), worker peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks._common import demo_snapshot, read_profiles  # noqa: E402
from benchmarks._refresh_proxy import RateCappedProxy  # noqa: E402
from sandbox.devserver import prepare_database, start_server  # noqa: E402

CELERY = str(Path(sys.executable).with_name("celery"))


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--searches", type=int, default=1000)
    p.add_argument("--cap-rpm", type=int, default=600, help="the proxy's cap (429 above it)")
    p.add_argument(
        "--limiter-fraction", type=float, default=0.97, help="HRFLOW_REQUESTS_PER_MINUTE = cap x this"
    )
    p.add_argument("--latency", type=float, default=0.25, help="seconds the proxy adds to each request")
    p.add_argument("--max-concurrency", type=int, default=8, help="HRFLOW_MAX_CONCURRENCY")
    p.add_argument("--worker-concurrency", type=int, default=8)
    p.add_argument("--top-n", type=int, default=50)
    p.add_argument("--tick", type=float, default=5.0, help="beat tick seconds")
    p.add_argument("--timeout", type=float, default=900.0)
    p.add_argument("--database-url", default="")
    p.add_argument("--broker-url", default="")
    p.add_argument("--cache-url", default="")
    p.add_argument("--json", action="store_true", help="print only the JSON result")
    return p.parse_args()


def group_rss(pid: int) -> tuple[int, int]:
    """(sum of current RSS, max per-process peak RSS) in KiB over a process and its children."""
    pids, total, peak = [pid], 0, 0
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        total += int(fields.get("VmRSS", "0 kB").split()[0])
        peak = max(peak, int(fields.get("VmHWM", "0 kB").split()[0]))
    return total, peak


def main() -> None:
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-refresh-"))
    data_dir, corpus = demo_snapshot(tmp)
    profiles = read_profiles(data_dir)
    sandbox = start_server(
        prepare_database(tmp / "sandbox", data_dir), data_dir, log_path=tmp / "sandbox.log"
    )
    proxy = RateCappedProxy(sandbox.url, cap_per_minute=args.cap_rpm, latency=args.latency).start()
    limiter_rpm = int(args.cap_rpm * args.limiter_fraction)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks._refresh_settings",
        "DJANGO_SECRET_KEY": "benchmark-only",
        "HRFLOW_DASH_VAR_DIR": str(tmp / "var"),
        "DATABASE_URL": args.database_url or f"sqlite:///{tmp / 'dash.sqlite3'}",
        "CELERY_BROKER_URL": args.broker_url or "filesystem://",
        "CELERY_BROKER_DIR": str(tmp / "broker"),
        "CACHE_URL": args.cache_url or "db://",
        "HRFLOW_API_URL": proxy.url,
        "HRFLOW_API_KEY": sandbox.api_key,
        "HRFLOW_USER_EMAIL": sandbox.user_email,
        "HRFLOW_REQUESTS_PER_MINUTE": str(limiter_rpm),
        "HRFLOW_MAX_CONCURRENCY": str(args.max_concurrency),
        "SAVED_SEARCH_TOP_N": str(args.top_n),
        "REFRESH_TICK_SECONDS": str(args.tick),
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db.models import Count, Max, Min, Q
    from django.utils import timezone

    from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS
    from saved_searches.models import RunStatus, SavedSearch, SearchRun
    from scoring.hrflow.query import JobQuery

    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    cache.clear()
    SavedSearch.objects.all().delete()
    owner, _ = User.objects.get_or_create(username="bench")
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
            SavedSearch(owner=owner, name=f"bench {number}", query_string=query.to_query_string(),
                        baseline_started_at=now, next_due_at=None)
        )  # fmt: skip
    SavedSearch.objects.bulk_create(searches, batch_size=500)

    procs: dict[str, subprocess.Popen[bytes]] = {}
    worker = ["worker", "-l", "warning", "--concurrency", str(args.worker_concurrency)]
    worker += ["--without-gossip", "--without-mingle", "-n", "bench@%h"]
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
    time.sleep(3)  # let the worker boot before the clock starts
    started = time.time()
    SavedSearch.objects.update(next_due_at=timezone.now())
    rss_sum_peak, rss_proc_peak = 0, 0
    deadline = started + args.timeout
    while time.time() < deadline:
        done = SearchRun.objects.filter(status=RunStatus.SUCCEEDED).values("search").distinct().count()
        total, peak = group_rss(procs["worker"].pid)
        rss_sum_peak, rss_proc_peak = max(rss_sum_peak, total), max(rss_proc_peak, peak)
        if done >= args.searches:
            break
        time.sleep(0.5)
    finished = time.time()
    time.sleep(2 * args.tick)  # a couple more ticks: anything duplicated would show now
    _, peak = group_rss(procs["worker"].pid)
    rss_proc_peak = max(rss_proc_peak, peak)
    for proc in procs.values():
        proc.send_signal(signal.SIGTERM)  # the main process only: a warm shutdown
    for proc in procs.values():
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    proxy.stop()
    sandbox.stop()

    per_search = SavedSearch.objects.annotate(ok=Count("runs", filter=Q(runs__status=RunStatus.SUCCEEDED)))
    lost = per_search.filter(ok=0).count()
    duplicated = sum(max(0, row.ok - 1) for row in per_search)  # type: ignore[attr-defined]
    statuses = dict(SearchRun.objects.values_list("status").annotate(n=Count("pk")).order_by())
    span = SearchRun.objects.filter(status=RunStatus.SUCCEEDED).aggregate(
        a=Min("started_at"), b=Max("finished_at")
    )
    forwarded = sorted(proxy.forwarded)
    upstream_minutes = (forwarded[-1] - forwarded[0]) / 60 if len(forwarded) > 1 else float("nan")
    upstream_rpm = (len(forwarded) - 1) / upstream_minutes if upstream_minutes else float("nan")
    result: dict[str, Any] = {
        "searches": args.searches,
        "corpus": corpus,
        "cap_rpm": args.cap_rpm,
        "limiter_rpm": limiter_rpm,
        "latency_s": args.latency,
        "max_concurrency": args.max_concurrency,
        "worker_concurrency": args.worker_concurrency,
        "top_n": args.top_n,
        "database": env["DATABASE_URL"].split(":", 1)[0],
        "broker": env["CELERY_BROKER_URL"].split(":", 1)[0],
        "cache": env["CACHE_URL"].split(":", 1)[0],
        "upstream_requests": len(forwarded),
        "upstream_rpm": round(upstream_rpm, 1),
        "throughput_pct_of_cap": round(100 * upstream_rpm / args.cap_rpm, 1),
        "end_to_end_s": round(finished - started, 1),
        "end_to_end_pct_of_cap": round(100 * args.searches / ((finished - started) / 60) / args.cap_rpm, 1),
        "http_429": proxy.rejected,
        "proxy_peak_in_flight": proxy.peak_in_flight,
        "runs_by_status": statuses,
        "lost": lost,
        "duplicated": duplicated,
        "first_run_started": span["a"].isoformat() if span["a"] else None,
        "last_run_finished": span["b"].isoformat() if span["b"] else None,
        "worker_rss_sum_peak_mib": round(rss_sum_peak / 1024, 1),
        "worker_rss_max_process_peak_mib": round(rss_proc_peak / 1024, 1),
        "workdir": str(tmp),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
