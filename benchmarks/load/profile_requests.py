"""Where a dashboard request's time goes: CPU and SQL per kind of request of the load test.

    .venv/bin/python benchmarks/load/profile_requests.py                 # embedded defaults
    .venv/bin/python benchmarks/load/profile_requests.py --rounds 40 --cprofile search-hit
    .venv/bin/python benchmarks/load/profile_requests.py \\
        --database-url postgres://postgres@127.0.0.1:5432/hrflow_h1 --cache-url redis://127.0.0.1:6379/2

One process, one thread, no think time: the same requests as benchmarks/load/locustfile.py
(type-ahead, search that misses the cache, the same search again, details, next page, saved
searches page, save, login page) through Django's test client (the whole middleware stack and
WSGI handler), against the real sandbox (gunicorn over the demo snapshot, no added latency) on a
fresh database set up like `make run`. Per kind: the thread's CPU time (time.thread_time, which
other processes on a shared machine change far less than wall time), SQL statements and writes
per request (django's connection.queries). Nothing is asserted: the output is for before/after
comparisons in docs/benchmarks.md (run both versions one after the other).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from sandbox.devserver import prepare_database, start_server  # noqa: E402

WRITE_PREFIXES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cache-url", default="")
    parser.add_argument("--cprofile", default="", help="kind of request to profile with cProfile")
    parser.add_argument("--sql", default="", help="print the SQL of one request of this kind")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hrflow-prof-"))
    data_dir = REPO / "data" / "demo"
    database_url = prepare_database(tmp / "sandbox", data_dir)
    sandbox = start_server(database_url, data_dir, log_path=tmp / "sandbox.log")
    try:
        return run(args, tmp, sandbox)
    finally:
        sandbox.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, tmp: Path, sandbox: Any) -> int:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="hrflow_dash.settings",
        DJANGO_SECRET_KEY="profile-only-secret-key-" + "x" * 30,
        HRFLOW_DASH_VAR_DIR=str(tmp / "var"),
        HRFLOW_API_URL=sandbox.url,
        LOG_LEVEL="WARNING",
    )
    for name, value in (("DATABASE_URL", args.database_url), ("CACHE_URL", args.cache_url)):
        if value:
            os.environ[name] = value
        else:
            os.environ.pop(name, None)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import close_old_connections, connection, reset_queries
    from django.test import Client

    from hrflow_dash import demo

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", "--noinput", "-v0")
    call_command("createcachetable", "-v0")
    call_command("collectstatic", "--noinput", "-v0")
    cache.clear()
    connection.force_debug_cursor = True  # connection.queries records every statement
    from saved_searches.models import SavedSearch

    User = get_user_model()
    user, _ = User.objects.get_or_create(username="prof-00")
    user.set_password("prof-pw-7f3a")
    user.save()
    SavedSearch.objects.filter(owner=user).delete()
    client = Client()
    anonymous = Client()  # one handler: a new Client loads the middleware (WhiteNoise scans static/)
    client.force_login(user)  # the password hash is not what is measured
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}

    import json
    import urllib.request

    source = demo.DEMO_SOURCE_KEYS[0]
    request = urllib.request.Request(
        sandbox.url + f"storing/profiles?source_keys=%5B%22{source}%22%5D&limit=200&return_profile=True",
        headers={"X-API-KEY": sandbox.api_key, "X-USER-EMAIL": sandbox.user_email},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        items = json.load(response)["data"]
    profiles = [(p["key"], (p.get("info") or {}).get("full_name") or "x") for p in items]
    rng = random.Random(7)
    rng.shuffle(profiles)

    stats: dict[str, dict[str, list[float]]] = {}
    profiler = cProfile.Profile() if args.cprofile else None
    shown_sql: set[str] = set()

    def measure(kind: str, call: Callable[[], Any]) -> Any:
        reset_queries()
        if profiler and kind == args.cprofile:
            profiler.enable()
        cpu = time.thread_time()
        wall = time.perf_counter()
        response = call()
        close_old_connections()  # as a server does at the end of every request (the test client does not)
        wall = time.perf_counter() - wall
        cpu = time.thread_time() - cpu
        if profiler and kind == args.cprofile:
            profiler.disable()
        assert response.status_code < 400, (kind, response.status_code)
        queries = list(connection.queries)
        row = stats.setdefault(kind, {"cpu": [], "wall": [], "sql": [], "writes": []})
        row["cpu"].append(cpu * 1000)
        row["wall"].append(wall * 1000)
        row["sql"].append(len(queries))
        row["writes"].append(sum(q["sql"].lstrip().upper().startswith(WRITE_PREFIXES) for q in queries))
        if kind == args.sql and kind not in shown_sql:
            shown_sql.add(kind)
            print(f"--- SQL of one {kind} request")
            for q in queries:
                print(f"  {q['time']}s {q['sql'][:200]}")
        return response

    for n in range(args.rounds):
        key, name = profiles[n % len(profiles)]
        query = {
            "source_key": source,
            "profile_key": key,
            "board_keys": list(demo.DEMO_BOARD_KEYS),
            "algorithm_key": demo.DEMO_ALGORITHM_KEYS[n % len(demo.DEMO_ALGORITHM_KEYS)],
        }
        prefix = name.split()[-1][:3].lower()
        typeahead = "/candidates/?" + urlencode({"source_key": source, "name": prefix})
        measure("candidates", functools.partial(client.get, typeahead, **htmx))
        search_url = "/?" + urlencode({**query, "page": 1}, doseq=True)
        response = measure("search-miss", functools.partial(client.get, search_url, **htmx))
        measure("search-hit", functools.partial(client.get, search_url, **htmx))
        job_keys = re.findall(r"job_key=([0-9a-f]{40})", response.content.decode())
        pushed = response.headers.get("HX-Push-Url", "")
        if job_keys:
            details = "/jobs/details/?" + urlencode({**query, "page": 1, "job_key": job_keys[0]}, doseq=True)
            measure("details", functools.partial(client.get, details, **htmx))
        page2 = "/?" + urlencode({**query, "page": 2}, doseq=True)
        measure("search-page2", functools.partial(client.get, page2, **htmx))
        page = measure("saved-searches", functools.partial(client.get, "/saved/"))
        if n < 20 and "?" in pushed:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
            data = {
                "name": f"prof search {n}",
                "schedule": "daily",
                "query_string": pushed.split("?", 1)[1],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            }
            measure("save", functools.partial(client.post, "/saved/new/", data, **htmx))
        anonymous.cookies.clear()
        measure("login", functools.partial(anonymous.get, "/login/"))

    print(f"database {connection.vendor} ({settings.DATABASES['default']['NAME']}), cache "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, {args.rounds} rounds, "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"{'request':16} {'n':>4} {'cpu p50':>8} {'cpu p90':>8} {'wall p50':>9} {'SQL':>5} {'writes':>7}")
    for kind, row in stats.items():
        cpu = sorted(row["cpu"])
        print(
            f"{kind:16} {len(cpu):4d} {statistics.median(cpu):8.2f} {cpu[int(len(cpu) * 0.9)]:8.2f} "
            f"{statistics.median(row['wall']):9.2f} {statistics.mean(row['sql']):5.1f} "
            f"{statistics.mean(row['writes']):7.1f}"
        )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 0


if __name__ == "__main__":
    sys.exit(main())
