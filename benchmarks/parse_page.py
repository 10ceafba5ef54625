"""CPU of building the display page of one upstream answer: `JobPage.build` over 30 jobs.

    .venv/bin/python benchmarks/parse_page.py [--runs 300] [--profile]

Every search that is not answered from the page memo (scoring/page_memo.py) pays this, and the
candidate matrix pays it once per candidate. The 30 jobs are the first of the committed demo
snapshot (data/demo/jobs.jsonl.gz), as the sandbox stores them. Prints the CPU time per build
(process time, so a loaded machine changes it less than wall time); `--profile` adds cProfile's
top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
JOBS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrflow_dash.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from scoring.hrflow.query import JobQuery
    from scoring.hrflow.results import JobPage, ScoringPayload

    with gzip.open(REPO / "data" / "demo" / "jobs.jsonl.gz", "rt", encoding="utf-8") as lines:
        jobs = tuple(json.loads(line) for _, line in zip(range(JOBS), lines, strict=False))
    payload = ScoringPayload(
        jobs=jobs, scores=tuple(0.5 for _ in jobs), page=1, max_page=3, total=3 * JOBS, count=JOBS
    )
    query = JobQuery(board_keys=("b",), source_key="s", profile_key="p", algorithm_key="a")
    for _ in range(20):  # warm: imports, regexes, Babel's locale data
        JobPage.build(payload, query=query)
    times = []
    for _ in range(args.runs):
        started = time.process_time()
        JobPage.build(payload, query=query)
        times.append((time.process_time() - started) * 1000)
    tags = sum(len(job.get("tags") or []) for job in jobs) / len(jobs)
    print(f"{JOBS} demo jobs ({tags:.1f} tags each), {args.runs} builds")
    median, mean = statistics.median(times), statistics.mean(times)
    print(f"JobPage.build CPU per page: median {median:.2f} ms, mean {mean:.2f} ms")
    print(f"load average {os.getloadavg()[0]:.2f}")
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [JobPage.build(payload, query=query) for _ in range(100)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
