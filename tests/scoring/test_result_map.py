"""The results map's data (scoring/result_map.py) and how it rides in the search page: one
marker per card with coordinates, coloured by the card's band (by date rank with scoring off),
the others counted, all of it in the HTMX swap out of band. Upstream is faked as in
test_views.py; the browser side is tests/browser/test_results_map.py."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import JobPage, ScoringPayload
from scoring.result_map import page_map
from tests.scoring.test_views import HX, Q, make_job
from tests.scoring.test_views import upstream as upstream  # the shared fixture

NOWHERE = {"text": "Remote", "lat": None, "lng": None, "fields": []}


def build(jobs: list[dict[str, Any]], scores: list[float | None], *, use_agent: bool = True) -> JobPage:
    payload = ScoringPayload(
        jobs=tuple(jobs), scores=tuple(scores), page=1, max_page=1, count=len(jobs), total=len(jobs)
    )
    return JobPage.build(payload, query=JobQuery(use_agent=use_agent))


def markers_of(body: str) -> list[list[Any]]:
    """The `data-markers` JSON of `#map-results` in a response, as the browser reads it."""
    found = re.findall(r'<div id="map-results"[^>]*data-markers="([^"]*)"', body)
    assert len(found) == 1, found
    return list(json.loads(html.unescape(found[0])))


# --- the data ---------------------------------------------------------------------------------


def test_one_marker_per_job_with_coordinates_in_card_order_with_its_band() -> None:
    jobs = [
        make_job(0, location={"text": "Austin", "lat": 30.267153, "lng": -97.743061}),
        make_job(1, location=NOWHERE),
        make_job(2, location={"text": "Paris", "lat": 48.8566, "lng": 2.3522}),
        make_job(3, location={"text": "Off the map", "lat": 91.0, "lng": 10.0}),  # not a latitude
        make_job(4, location={"text": "Lyon", "lat": "45.764", "lng": "4.8357"}),  # strings upstream
    ]
    page = build(jobs, [0.7996, 0.7, 0.42, 0.3, 0.05])  # 0.7996 prints "80%": Excellent, as its card
    data = page_map(page.jobs, scored=True)
    assert [(m.key, m.lat, m.lng, m.tone) for m in data.markers] == [
        (f"{0:040x}", 30.2672, -97.7431, "excellent"),
        (f"{2:040x}", 48.8566, 2.3522, "good"),
        (f"{4:040x}", 45.764, 4.8357, "weak"),
    ]
    assert (data.mapped, data.unmapped) == (3, 2)
    # Each tone is the band its card prints (the cards' one scale), not a scale of its own.
    bands = {j.key: j.score_band_slug for j in page.jobs}
    assert all(m.tone == bands[m.key] for m in data.markers)
    assert json.loads(data.json) == [[m.key, m.lat, m.lng, m.tone] for m in data.markers]
    assert [e.tone for e in data.legend] == ["excellent", "strong", "good", "fair", "weak"]


def test_scoring_off_colours_by_date_rank_newest_first() -> None:
    days = ["2026-11-03", "2026-11-29", "2026-10-01", "2026-11-15", "2026-11-20", None, "2026-11-30"]
    jobs = [
        make_job(i, created_at=f"{d}T08:00:00+0000" if d else None, location={"lat": 40.0 + i, "lng": -74.0})
        for i, d in enumerate(days)
    ]
    data = page_map(build(jobs, [None] * len(jobs), use_agent=False).jobs, scored=False)
    tones = {int(m.key, 16): m.tone for m in data.markers}
    # Six dated jobs ranked newest first: 6 (30 Nov), 1, 4, 3, 0, 2 (1 Oct); five steps.
    assert tones == {
        6: "date-1",
        1: "date-1",
        4: "date-2",
        3: "date-3",
        0: "date-4",
        2: "date-5",
        5: "undated",
    }
    assert data.scale == "dates"
    assert [e.label for e in data.legend] == ["Newest", "", "", "", "Oldest on this page", "No date"]


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5)),
            st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.booleans()),
        ),
        max_size=12,
    )
)
def test_any_upstream_coordinates_give_drawable_markers_and_a_true_count(points: list[Any]) -> None:
    jobs = [make_job(i, location={"lat": lat, "lng": lng}) for i, (lat, lng) in enumerate(points)]
    page = build(jobs, [0.5] * len(jobs))
    data = page_map(page.jobs, scored=True)
    assert data.mapped + data.unmapped == len(page.jobs)
    decoded = json.loads(data.json)  # strict JSON: no NaN or Infinity
    assert all(-90 <= lat <= 90 and -180 <= lng <= 180 for _, lat, lng, _ in decoded)


# --- in the page ------------------------------------------------------------------------------


def test_the_swap_carries_the_markers_out_of_band_and_counts_the_rest(user_client, upstream) -> None:
    upstream.jobs = [make_job(0), make_job(1, location=NOWHERE), make_job(2), make_job(3, location=NOWHERE)]
    body = user_client.get("/" + Q, headers=HX).content.decode()
    assert re.search(r'<div id="map-results" class="map-results" hx-swap-oob="true"', body)
    cards = re.findall(r'class="job-card" data-job-key="([0-9a-f]{40})"', body)
    assert [m[0] for m in markers_of(body)] == [cards[0], cards[2]]
    assert "2 jobs of this page on the map" in body
    assert "2 jobs not on the map" in body
    assert "<script" not in body


def test_the_full_page_has_the_markers_under_the_map_once(user_client, upstream) -> None:
    upstream.jobs = [make_job(0), make_job(1, location=NOWHERE)]
    body = user_client.get("/" + Q).content.decode()
    assert [m[0] for m in markers_of(body)] == [f"{0:040x}"]
    opening = re.search(r'<div id="map-results"[^>]*>', body)
    assert opening
    assert "hx-swap-oob" not in opening.group(0)
    assert "1 job not on the map" in body
    assert 'id="map-toggle"' in body


def test_without_results_the_map_is_emptied(user_client, upstream) -> None:
    upstream.jobs = []
    body = user_client.get("/" + Q, headers=HX).content.decode()
    assert markers_of(body) == []
    assert "not on the map" not in body
