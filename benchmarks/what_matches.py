"""What the "What matches" panel adds to a Details response (issue 13: ≤ 2 ms p50), profile cached.

    .venv/bin/python benchmarks/what_matches.py [--runs 400]

Same setup as benchmarks/render_cards.py (the real middleware, form, view and templates; the
HrFlow client replaced by one that answers instantly with 30 rich demo jobs), except that the
cache is a real LocMemCache: the scoring payload and the candidate are read back from it, as
on a Details open after the search page (the profile is "already cached"). The candidate is a
real demo profile (cand-0001, parsed by `Candidate.from_hrflow`) and the search has a point, a
radius and a salary filter, so every part of the panel is computed and shown.

Measures, in interleaved rounds (so machine load hits both alike):
* the HTMX Details response with the panel, and the same with `matching.details_context`
  replaced by `{}` (no panel): the difference of the p50s is what the panel costs;
* `matching.details_context` alone (profile read from the cache + computation), and the
  Details partial rendered with and without the panel: their sum is the panel's own cost,
  free of the request's noise on a loaded machine;
* `matching.card_summaries` for the 30 cards of a results page (the card line's cost).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import render_cards

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PROFILE_REFERENCE = "cand-0001"


def demo_profile() -> dict[str, Any]:
    with gzip.open(REPO / "data" / "demo" / "profiles.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            profile: dict[str, Any] = json.loads(line)
            if profile.get("reference") == PROFILE_REFERENCE:
                return profile
    raise SystemExit(f"no profile {PROFILE_REFERENCE} in data/demo/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=400)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-what-matches-"))
    render_cards.setup_django(tmp)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from scoring import matching, selectors
    from scoring.hrflow.query import JobQuery
    from scoring.hrflow.results import BoardOption, Candidate, JobPage, ScoringPayload, SourceOption

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    jobs = render_cards.rich_jobs()
    payload = ScoringPayload(
        jobs=tuple(jobs), scores=tuple(0.97 - i * 0.01 for i in range(len(jobs))),
        page=1, max_page=40, count=len(jobs), total=1200,
    )  # fmt: skip
    source = settings.HRFLOW_SOURCE_KEYS[0]
    raw = demo_profile()
    candidate = Candidate.from_hrflow(raw, source_key=source)
    boards = [BoardOption(k, f"Board {i}") for i, k in enumerate(settings.HRFLOW_BOARD_KEYS)]
    sources = [SourceOption(k, f"Source {i}") for i, k in enumerate(settings.HRFLOW_SOURCE_KEYS)]
    fake = render_cards.FakeClient(payload, boards, sources, candidate)
    vars(selectors)["get_client"] = lambda: fake
    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)

    def salary(j: dict[str, Any]) -> dict[str, Any] | None:
        return next((r for r in j.get("ranges_float") or [] if r.get("name") == "salary"), None)

    job = max((j for j in jobs if salary(j) and j["location"].get("lat")), key=lambda j: len(j["skills"]))
    unit = salary(job)["unit"]  # type: ignore[index]
    lat, lng = job["location"]["lat"] + 0.05, job["location"]["lng"] + 0.05
    query_string = (
        f"source_key={source}&profile_key={candidate.key}&lat={lat}&lng={lng}&location_distance=50"
        f"&salary_min=80000&salary_max=160000&salary_range=salary:{unit}"
    )
    url = f"/jobs/details/?{query_string}&job_key={job['key']}"
    headers = {"HX-Request": "true"}
    first = client.get(url, headers=headers)
    body = first.content.decode()
    assert first.status_code == 200, first.status_code
    for part in ("What matches", "Skills", "Distance", "Past titles", "Salary", "Languages"):
        assert part in body, f"the panel lacks {part!r}: the benchmark would not measure it"

    real_context = matching.details_context

    def no_panel(**_: Any) -> dict[str, Any]:
        return {}

    def panel(on: bool) -> None:  # what views.job_details calls
        vars(matching)["details_context"] = real_context if on else no_panel

    def timed_get() -> float:
        start = time.perf_counter()
        client.get(url, headers=headers)
        return (time.perf_counter() - start) * 1000

    for _ in range(30):  # warm-up: template compilation, imports, both variants
        for on in (True, False):
            panel(on)
            timed_get()
    with_ms: list[float] = []
    without_ms: list[float] = []
    for run in range(args.runs):
        # Alternate which variant goes first, so neither always pays for the other's garbage.
        for on in (True, False) if run % 2 else (False, True):
            panel(on)
            (with_ms if on else without_ms).append(timed_get())
    panel(False)
    assert "What matches" not in client.get(url, headers=headers).content.decode()
    panel(True)

    query = JobQuery(
        source_key=source, profile_key=candidate.key, lat=lat, lng=lng, location_distance=50,
        salary_min=80000, salary_max=160000, salary_range_unit=unit,
    )  # fmt: skip
    page = JobPage.build(payload, query=query)
    scored = next(j for j in page.jobs if j.key == job["key"])
    context_ms = []
    for _ in range(args.runs):
        start = time.perf_counter()
        real_context(query=query, job=scored)
        context_ms.append((time.perf_counter() - start) * 1000)
    # The view alone (no middleware, no test client), both variants alternating.
    from django.test import RequestFactory
    from django_htmx.middleware import HtmxDetails

    from scoring.views import search as views

    def timed_view() -> float:
        request = RequestFactory().get(url, headers=headers)
        request.user = user
        request.htmx = HtmxDetails(request)  # type: ignore[attr-defined]
        start = time.perf_counter()
        views.job_details(request)
        return (time.perf_counter() - start) * 1000

    view_with_ms: list[float] = []
    view_without_ms: list[float] = []
    for run in range(args.runs):
        for on in (True, False) if run % 2 else (False, True):
            panel(on)
            (view_with_ms if on else view_without_ms).append(timed_view())
    panel(True)

    # The Details partial alone, with and without the panel in its context (no middleware noise).
    from django.template.loader import get_template

    body_template = get_template("scoring/job_details.html#body")
    request = RequestFactory().get(url)
    panel_ctx = {"job": scored, **real_context(query=query, job=scored)}
    assert panel_ctx["match"] is not None
    body_with_ms, body_without_ms = [], []
    for _ in range(args.runs):
        start = time.perf_counter()
        body_template.render(panel_ctx, request)
        body_with_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        body_template.render({"job": scored}, request)
        body_without_ms.append((time.perf_counter() - start) * 1000)
    summaries_ms = []
    for _ in range(args.runs):
        start = time.perf_counter()
        matching.card_summaries(page.jobs, candidate=candidate, query=query)
        summaries_ms.append((time.perf_counter() - start) * 1000)

    def line(name: str, values: list[float]) -> str:
        p50, p90 = statistics.median(values), render_cards.percentile(values, 0.9)
        return f"{name:<40} p50 {p50:6.3f} ms   p90 {p90:6.3f} ms   max {max(values):6.2f} ms"

    print(f"Details (HTMX) of one job, {args.runs} interleaved runs each, upstream excluded, profile cached")
    print(line("details request with the panel", with_ms))
    print(line("same request, panel left out", without_ms))
    added = statistics.median(with_ms) - statistics.median(without_ms)
    paired = statistics.median(a - b for a, b in zip(with_ms, without_ms, strict=True))
    print(f"{'panel adds: difference of the p50s':<40} {added:6.3f} ms")
    print(f"{'panel adds: median of paired differences':<40} {paired:6.3f} ms")
    print(line("view alone, with the panel", view_with_ms))
    print(line("view alone, panel left out", view_without_ms))
    print(line("matching.details_context alone", context_ms))
    print(line("details partial rendered, with panel", body_with_ms))
    print(line("details partial rendered, without", body_without_ms))
    own = statistics.median(context_ms) + statistics.median(body_with_ms) - statistics.median(body_without_ms)
    print(f"{'panel own cost (context + render delta)':<40} {own:6.3f} ms")
    print(line(f"matching.card_summaries, {len(page.jobs)} cards", summaries_ms))
    print(f"details response size: {len(first.content):,} bytes")
    load = os.getloadavg()
    print(f"load average {load[0]:.2f} on {os.cpu_count()} CPUs (machine shared; timings grow with load)")


if __name__ == "__main__":
    main()
