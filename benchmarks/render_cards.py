"""Server time of an HTMX results response with 30 cards, minus the upstream call.

    .venv/bin/python benchmarks/render_cards.py [--runs 300]

The HrFlow client is replaced by one that returns a pre-fetched scoring payload of 30 rich jobs
from the demo snapshot (data/demo/, else the synthetic fixture snapshot) in zero time, and the
cache is a DummyCache, so every request runs the whole server path except the HTTP call: the
middleware (session, auth, CSP), the form, `JobPage.build` (display values), and the template.
Prints p50/p90/max of the full request and of the template render alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CARDS = 30


def setup_django(tmp: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrflow_dash.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only")
    os.environ["HRFLOW_DASH_VAR_DIR"] = str(tmp / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ["CACHE_URL"] = "locmem://"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0, interactive=False)


def rich_jobs(n: int = CARDS) -> list[dict[str, Any]]:
    """The n demo jobs with the most skills and tags (the heaviest cards)."""
    from demodata import snapshot

    data = REPO / "data" / "demo"
    if not (data / "jobs.jsonl.gz").exists():
        from sandbox.fixture_snapshot import write_snapshot

        data = write_snapshot(Path(tempfile.mkdtemp()) / "snap")
    jobs = []
    for job in snapshot.iter_jobs(data):
        jobs.append(job)
        if len(jobs) >= 2000:
            break
    jobs.sort(key=lambda j: -(len(j.get("skills") or []) + len(j.get("tags") or [])))
    return jobs[:n]


class FakeClient:
    """Stands in for HrFlowClient: answers instantly with pre-fetched data."""

    def __init__(self, payload: Any, boards: Any, sources: Any, candidate: Any) -> None:
        self.payload, self.boards, self.sources, self.candidate = payload, boards, sources, candidate

    def score_jobs(self, query: Any) -> Any:
        return self.payload

    def list_boards(self) -> Any:
        return self.boards

    def list_sources(self) -> Any:
        return self.sources

    def get_profile(self, source_key: str, key: str) -> Any:
        return self.candidate


def prepared_client() -> tuple[Any, str]:
    """A logged-in test client and the URL of a 30-card search, with the fake upstream in place."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from scoring import selectors
    from scoring.hrflow.results import BoardOption, Candidate, ScoringPayload, SourceOption

    jobs = rich_jobs()
    payload = ScoringPayload(
        jobs=tuple(jobs),
        scores=tuple(0.97 - i * 0.01 for i in range(len(jobs))),
        page=1,
        max_page=40,
        count=len(jobs),
        total=1200,
    )
    skills = sorted({s["name"] for j in jobs for s in j.get("skills") or []})[::3]
    source = settings.HRFLOW_SOURCE_KEYS[0]
    candidate = Candidate(
        key="c" * 40, source_key=source, reference="bench", name="Bench Candidate", title="Engineer",
        email="", location_text="", summary="", skills=tuple(skills),
    )  # fmt: skip
    boards = [BoardOption(k, f"Board {i}") for i, k in enumerate(settings.HRFLOW_BOARD_KEYS)]
    sources = [SourceOption(k, f"Source {i}") for i, k in enumerate(settings.HRFLOW_SOURCE_KEYS)]
    fake = FakeClient(payload, boards, sources, candidate)
    selectors.get_client = lambda: fake  # type: ignore[assignment]
    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    lat, lng = jobs[0]["location"].get("lat") or 40.0, jobs[0]["location"].get("lng") or -74.0
    url = f"/?source_key={source}&profile_key={'c' * 40}&lat={lat}&lng={lng}&location_distance=20000"
    return client, url


def selectors_payload() -> Any:
    from scoring import selectors

    return selectors.get_client().score_jobs(None)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: this process's CPU time (time.process_time), far less moved by other load on a "
        "shared machine than wall time; it leaves out waits (SQLite fsync, locks)",
    )
    args = parser.parse_args()
    clock = time.process_time if args.clock == "cpu" else time.perf_counter
    tmp = Path(tempfile.mkdtemp(prefix="bench-render-"))
    setup_django(tmp)
    from django.template.loader import get_template

    from scoring.views import search as views

    client, url = prepared_client()
    headers = {"HX-Request": "true"}
    first = client.get(url, headers=headers)
    body = first.content.decode()
    assert first.status_code == 200, first.status_code
    assert body.count('class="job-card"') == CARDS, body.count('class="job-card"')
    for _ in range(20):  # warm-up: template compilation, imports
        client.get(url, headers=headers)
    request_ms = []
    for _ in range(args.runs):
        start = clock()
        client.get(url, headers=headers)
        request_ms.append((clock() - start) * 1000)

    # Fixed cost of any logged-in HTMX request here (session + user from the DB, middleware,
    # the form): the same partial without a candidate, so no cards and no JobPage.
    baseline_url = url.split("&profile_key=")[0]
    baseline_ms = []
    for _ in range(args.runs):
        start = clock()
        client.get(baseline_url, headers=headers)
        baseline_ms.append((clock() - start) * 1000)

    # The template alone, with the context the view builds.
    captured: dict[str, Any] = {}
    original_render = views.render

    def capture(request: Any, template: str, ctx: dict[str, Any]) -> Any:
        captured.update(ctx=ctx, request=request)
        return original_render(request, template, ctx)

    views.render = capture  # type: ignore[assignment]
    client.get(url, headers=headers)
    views.render = original_render  # type: ignore[assignment]
    template = get_template("scoring/search.html#results")
    template_ms = []
    for _ in range(args.runs):
        start = clock()
        template.render(captured["ctx"], captured["request"])
        template_ms.append((clock() - start) * 1000)

    # The display-value preparation of the service layer (JobPage.build), alone.
    from scoring.hrflow.results import JobPage

    page = captured["ctx"]["page"]
    skills = captured["ctx"]["candidate"].skills
    payload = selectors_payload()
    build_ms = []
    for _ in range(args.runs):
        start = clock()
        JobPage.build(payload, query=page.query, candidate_skills=skills)
        build_ms.append((clock() - start) * 1000)

    def line(name: str, values: list[float]) -> str:
        return (
            f"{name:<34} p50 {statistics.median(values):6.2f} ms   p90 {percentile(values, 0.9):6.2f} ms"
            f"   max {max(values):6.2f} ms"
        )

    print(f"HTMX results response, {CARDS} cards, {args.runs} runs, upstream excluded")
    print(line("request (middleware+form+build+tpl)", request_ms))
    print(line("same request, no cards (fixed cost)", baseline_ms))
    print(line("template #results only", template_ms))
    print(line("JobPage.build only (service layer)", build_ms))
    print(f"response size: {len(first.content):,} bytes")
    load = os.getloadavg()
    print(f"clock: {args.clock}")
    print(f"load average {load[0]:.2f} on {os.cpu_count()} CPUs (timings grow with machine load)")


if __name__ == "__main__":
    main()
