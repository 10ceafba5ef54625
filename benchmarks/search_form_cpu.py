"""CPU time of building the search form (`JobSearchForm`), with and without its
`_describe_fields` (every control's `aria-describedby`, issue 10), in alternating rounds.

    .venv/bin/python benchmarks/search_form_cpu.py [--builds 3000] [--rounds 5]

CPU time of this thread (`time.thread_time`), so a shared machine's load moves it less than
the wall clock would; the form is built as a results request builds it (a candidate, two
skills, a point).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrflow_dash.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--builds", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.http import QueryDict

    from scoring.forms import JobSearchForm

    data = QueryDict(
        f"source_key={'5' * 40}&profile_key={'c' * 40}&skills=Python&skills=SQL&lat=41.8&lng=-87.6"
        "&location_distance=50"
    )
    choices = {
        "board_choices": [("b" * 40, "Board")],
        "algorithm_choices": [("a" * 40, "Algorithm")],
        "source_choices": [("5" * 40, "Source")],
    }

    def per_build_us() -> float:
        start = time.thread_time()
        for _ in range(args.builds):
            JobSearchForm(data, **choices)
        return (time.thread_time() - start) / args.builds * 1e6

    real = JobSearchForm._describe_fields
    times: dict[str, list[float]] = {"with _describe_fields": [], "without": []}
    for _ in range(args.rounds):
        JobSearchForm._describe_fields = real  # type: ignore[method-assign]
        times["with _describe_fields"].append(per_build_us())
        JobSearchForm._describe_fields = lambda self: None  # type: ignore[method-assign]
        times["without"].append(per_build_us())
    JobSearchForm._describe_fields = real  # type: ignore[method-assign]
    for label, values in times.items():
        print(f"{label:24} median {statistics.median(values):7.1f} µs per form  {[round(v) for v in values]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
