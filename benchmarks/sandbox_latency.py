"""Sandbox scoring latency (whole HTTP request, with filters) vs a plain rank_bm25 baseline.

    .venv/bin/python benchmarks/sandbox_latency.py                 # demo, 10k, 30k, 100k
    .venv/bin/python benchmarks/sandbox_latency.py --sizes demo 10000

For each corpus it builds a throwaway SQLite (demo jobs replicated with new keys and jittered
coordinates for the scaled sizes), starts gunicorn (1 worker, --preload), then times
`GET /v1/jobs/scoring` with a realistic filter set: all boards, sort by score, limit 30,
location within 150 km of the busiest job location, salary overlapping 60k-250k USD/year,
created after the corpus' first-quartile date.

* "cold": the first request of each (profile, algorithm): profile vector + scoring of all jobs.
* "repeat": the same requests again (the per-process LRU already holds the scores).
* BM25: rank_bm25.BM25Okapi.get_scores over the same job texts plus a top-30 argsort;
  in-process, no HTTP, no filters, index build not counted. Two queries: the same profile text
  the sandbox scores with ("same query", hundreds of tokens), and a short one (latest title +
  skills). English stop words removed from both.
"""

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import demo_snapshot, percentile, read_jobs, read_profiles, scaled_snapshot
from rank_bm25 import BM25Okapi
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from hrflow_dash import demo
from sandbox.devserver import prepare_database, start_server
from sandbox.engine import text
from sandbox.timeutil import parse_hrflow_datetime

WORD = re.compile(r"\w+")


def tokenize(document: str) -> list[str]:
    return [t for t in WORD.findall(document.lower()) if t not in ENGLISH_STOP_WORDS]


def realistic_filters(jobs: list[dict[str, Any]]) -> dict[str, Any]:
    places = Counter(
        (round(j["location"]["lat"], 1), round(j["location"]["lng"], 1))
        for j in jobs
        if isinstance(j.get("location"), dict) and j["location"].get("lat") is not None
    )
    (lat, lng), _ = places.most_common(1)[0]
    dates = sorted(parse_hrflow_datetime(j["created_at"]) for j in jobs)
    return {
        "location_geopoint": {"lat": lat, "lng": lng},
        "location_distance": 150,
        "ranges_float": [{"name": "salary", "value_min": 60000, "value_max": 250000, "unit": "USD/year"}],
        "date_range_min": dates[len(dates) // 4].strftime("%Y-%m-%dT%H:%M:%S+0000"),
    }


def encode(params: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v) if isinstance(v, list | dict) else v for k, v in params.items()}


def time_sandbox(server: Any, profiles: list[dict[str, Any]], filters: dict[str, Any]) -> dict[str, Any]:
    session = requests.Session()
    headers = {"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email}
    url = server.url + "jobs/scoring"
    calls = [
        encode(
            {
                "board_keys": demo.DEMO_BOARD_KEYS,
                "source_key": p["source_key"],
                "profile_key": p["key"],
                "algorithm_key": algorithm,
                "sort_by": "scoring",
                "order_by": "desc",
                "limit": 30,
                **filters,
            }
        )
        for algorithm in demo.DEMO_ALGORITHM_KEYS
        for p in profiles
    ]
    # Warm the connection and the code paths (not the profiles measured below).
    for _ in range(3):
        session.get(server.url + "health", timeout=30)
    totals = []

    def run() -> list[float]:
        out = []
        for params in calls:
            start = time.perf_counter()
            response = session.get(url, params=params, headers=headers, timeout=120)
            out.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.text
            totals.append(response.json()["meta"]["total"])
        return out

    cold = run()
    repeat = run()
    return {"cold": cold, "repeat": repeat, "matches": int(np.median(totals))}


def short_query(profile: dict[str, Any]) -> str:
    """What a recruiter would type: the latest title and the skills."""
    return " ".join(text.profile_titles(profile)[:1] + text.profile_skills(profile))


def time_bm25(jobs: list[dict[str, Any]], profiles: list[dict[str, Any]]) -> dict[str, list[float]]:
    bm25 = BM25Okapi([tokenize(text.job_text(j)) for j in jobs])
    out: dict[str, list[float]] = {"full": [], "short": []}
    for profile in profiles:
        for kind, document in (("full", text.profile_text(profile)), ("short", short_query(profile))):
            query = tokenize(document)
            start = time.perf_counter()
            scores = bm25.get_scores(query)
            top = np.argpartition(-scores, 30)[:30]
            top[np.argsort(-scores[top])]
            out[kind].append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs="+", default=["demo", "10000", "30000", "100000"])
    parser.add_argument("--profiles", type=int, default=40, help="profiles per corpus (x2 algorithms)")
    parser.add_argument("--bm25-profiles", type=int, default=10)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="sandbox-bench-") as tmp_name:
        tmp = Path(tmp_name)
        source, label = demo_snapshot(tmp)
        print(f"corpus source: {label}", flush=True)
        for size in args.sizes:
            work = tmp / f"corpus-{size}"
            data_dir = source if size == "demo" else scaled_snapshot(source, work / "snapshot", int(size))
            jobs = read_jobs(data_dir)
            profiles = read_profiles(data_dir)[: args.profiles]
            started = time.perf_counter()
            database_url = prepare_database(work, data_dir)
            loaded = time.perf_counter() - started
            started = time.perf_counter()
            server = start_server(
                database_url, data_dir, log_path=work / "gunicorn.log", workers=1, deadline_s=900
            )
            boot = time.perf_counter() - started
            try:
                sandbox = time_sandbox(server, profiles, realistic_filters(jobs))
            finally:
                server.stop()
            bm25 = time_bm25(jobs, profiles[: args.bm25_profiles])
            row = {
                "corpus": f"{size} ({len(jobs)} jobs)",
                "load_s": round(loaded, 1),
                "boot_s": round(boot, 1),
                "matches": sandbox["matches"],
                "cold_p50": percentile(sandbox["cold"], 50),
                "cold_p95": percentile(sandbox["cold"], 95),
                "repeat_p50": percentile(sandbox["repeat"], 50),
                "repeat_p95": percentile(sandbox["repeat"], 95),
                "bm25_p50": percentile(bm25["full"], 50),
                "bm25_p95": percentile(bm25["full"], 95),
                "bm25_short_p50": percentile(bm25["short"], 50),
                "bm25_short_p95": percentile(bm25["short"], 95),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    print()
    print(
        "| corpus | load + index (s) | filtered matches | sandbox cold p50 / p95 (ms) "
        "| sandbox repeat p50 / p95 (ms) | rank_bm25, same query, p50 / p95 (ms) "
        "| rank_bm25, short query, p50 / p95 (ms) | short-query BM25 / sandbox cold p50 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['load_s']} + {r['boot_s']} | {r['matches']} "
            f"| {r['cold_p50']:.1f} / {r['cold_p95']:.1f} "
            f"| {r['repeat_p50']:.1f} / {r['repeat_p95']:.1f} | {r['bm25_p50']:.1f} / {r['bm25_p95']:.1f} "
            f"| {r['bm25_short_p50']:.1f} / {r['bm25_short_p95']:.1f} "
            f"| {r['bm25_short_p50'] / r['cold_p50']:.1f}x |"
        )


if __name__ == "__main__":
    main()
