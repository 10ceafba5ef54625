"""Results on the map (issue 13 part 2) in Chromium, against live_server + live_sandbox.

Fourteen jobs indexed into a board of this module's own: six spread over New York (apart at
zoom 11, one cluster at the world view), two in Paris, two in Chicago, one in San Francisco and
three without coordinates; ten cards a page, so page 2 holds the other four. Which jobs land on
which page is the sandbox's ranking, read from the cards, never assumed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from scoring import selectors
from scoring.hrflow.query import JobQuery
from tests.browser.test_search import a_candidate, wait_for_results
from tests.fixtures.browser import login, screenshot_path, serious_axe_violations
from tests.fixtures.sandbox import own_board, settle

pytestmark = [pytest.mark.browser]

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "tests" / "vendor" / "axe.min.js"
NEW_YORK = [
    ("Manhattan", 40.7831, -73.9712),
    ("Brooklyn", 40.6782, -73.9442),
    ("Queens", 40.7282, -73.7949),
    ("The Bronx", 40.8448, -73.8648),
    ("Staten Island", 40.5795, -74.1502),
    ("Jersey City", 40.7178, -74.0431),
]
ELSEWHERE = [
    ("Paris", 48.8566, 2.3522),
    ("Paris", 48.8606, 2.3376),
    ("Chicago", 41.8781, -87.6298),
    ("Chicago", 41.8827, -87.6233),
    ("San Francisco", 37.7749, -122.4194),
]
NOWHERE = 3
PER_PAGE = 10
LAYER_KEYS = "() => document.getElementById('map-panel').resultLayer.getLayers().map((m) => m.jobKey)"


@pytest.fixture(scope="module")
def map_board(live_sandbox: Any) -> dict[str, Any]:
    """The board's key and, per job key, its place (None: no coordinates)."""
    board = own_board(live_sandbox, "Results map board")
    places: dict[str, tuple[str, float, float] | None] = {}
    rows = [*NEW_YORK, *ELSEWHERE, *([None] * NOWHERE)]
    for i, place in enumerate(rows):
        location = (
            {"text": place[0], "lat": place[1], "lng": place[2], "fields": []}
            if place
            else {"text": "Remote", "lat": None, "lng": None, "fields": []}
        )
        stored = live_sandbox.index_job(
            {
                "board_key": board,
                "reference": f"map-{os.getpid()}-{i}",
                "name": f"Account Executive {i} ({location['text']})",
                "summary": "Sell software to mid-market companies.",
                "location": location,
                "created_at": f"2026-11-{i + 1:02d}T09:00:00+0000",
                # Different skills, so the sandbox gives different scores (and bands).
                "skills": [{"name": s, "type": "hard", "value": None} for s in SKILLS[: 1 + i % len(SKILLS)]],
                "tags": [{"name": "company", "value": f"Company {i}"}],
            }
        )
        places[stored["key"]] = place
    settle(live_sandbox, board)
    return {"board": board, "places": places}


SKILLS = ["Sales", "Negotiation", "Salesforce", "Communication", "Python", "Account management"]


@pytest.fixture
def search_url(dashboard: str, settings: Any, map_board: dict[str, Any]) -> str:
    settings.HRFLOW_BOARD_KEYS = [map_board["board"]]
    candidate = a_candidate(settings.HRFLOW_SOURCE_KEYS[0])
    return f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}&limit={PER_PAGE}"


@pytest.fixture
def logged_in(page: Page, dashboard: str) -> Page:
    login(page, dashboard)
    return page


def card_keys(page: Page) -> list[str]:
    return page.locator(".job-card").evaluate_all("els => els.map((e) => e.dataset.jobKey)")


def layer_keys(page: Page) -> list[str]:
    return list(page.evaluate(LAYER_KEYS))


def map_ready(page: Page) -> None:
    expect(page.locator("#map-panel.outlines-ready")).to_be_attached()
    page.wait_for_function("() => document.getElementById('map-panel').resultLayer !== undefined")


def show_new_york(page: Page) -> None:
    """The small map on New York at a zoom where its six places are apart (9.4 km or more,
    more than the 40 px cluster radius) and all in view."""
    page.evaluate(
        "() => document.getElementById('map-panel').leafletMap"
        ".setView([40.715, -73.97], 9.5, {animate: false})"
    )


def assert_markers_are_the_cards_with_coordinates(page: Page, places: dict[str, Any]) -> list[str]:
    cards = card_keys(page)
    assert cards, "no cards"
    mapped = [k for k in cards if places[k] is not None]
    expect(page.locator("#map-results")).to_have_attribute("data-markers", re.compile(r"^\["))
    page.wait_for_function(
        "(n) => document.getElementById('map-panel').resultLayer.getLayers().length === n", arg=len(mapped)
    )
    assert sorted(layer_keys(page)) == sorted(mapped)
    unmapped = len(cards) - len(mapped)
    count = page.locator("#map-results .map-count")
    if unmapped:
        expect(count).to_contain_text(f"{unmapped} job{'s' if unmapped > 1 else ''} not on the map")
    else:
        expect(count).not_to_contain_text("not on the map")
    # Each marker has its card's band colour (the cards' one scale).
    for key in mapped:
        band = page.locator(f'.job-card[data-job-key="{key}"] .score').get_attribute("class") or ""
        tone = page.evaluate(
            """(key) => document.getElementById('map-panel').resultLayer.getLayers()
                 .find((m) => m.jobKey === key).options.icon.options.className""",
            key,
        )
        assert band.split("score-")[-1] in tone.split(" ")[-1], (band, tone)
    return cards


# --- scenarios --------------------------------------------------------------------------------


def test_markers_are_the_cards_with_coordinates_and_follow_pages_and_filters(
    logged_in: Page, search_url: str, map_board: dict[str, Any]
) -> None:
    page, places = logged_in, map_board["places"]
    page.goto(search_url)
    map_ready(page)
    first = assert_markers_are_the_cards_with_coordinates(page, places)
    assert len(first) == PER_PAGE

    page.locator("nav.pager a.next").click()
    wait_for_results(page, "page=2")
    second = assert_markers_are_the_cards_with_coordinates(page, places)
    assert len(second) == len(places) - PER_PAGE
    assert not set(first) & set(second)
    # Three jobs without coordinates over both pages: the counts add up.
    unmapped = [k for k in first + second if places[k] is None]
    assert len(unmapped) == NOWHERE

    # A filter change (a city picked: New York, 50 km) redraws the markers.
    page.get_by_label("Find a city").fill("New York")
    page.locator("#city-options a.city-option", has_text="New York").first.click()
    wait_for_results(page, "lat=40.7")
    nearby = assert_markers_are_the_cards_with_coordinates(page, places)
    assert {places[k][0] for k in nearby} <= {name for name, _, _ in NEW_YORK}
    assert len(nearby) >= 5  # Staten Island is 20 km out, the Bronx 14: all within 50 km


def test_clusters_at_low_zoom_open_up_when_zoomed_in(
    logged_in: Page, search_url: str, map_board: dict[str, Any]
) -> None:
    page, places = logged_in, map_board["places"]
    page.goto(search_url)
    map_ready(page)
    mapped = [k for k in card_keys(page) if places[k] is not None]
    clusters = page.locator("#map .result-cluster")
    expect(clusters.first).to_be_visible()  # the world view: New York (and more) is one cluster
    singles = page.locator("#map .result-marker")
    counts = [int(t) for t in clusters.all_inner_texts()]
    assert sum(counts) + singles.count() == len(mapped)
    assert max(counts) >= 2

    # A click on the biggest cluster zooms in on it (and never sets the search point).
    zoom = "() => document.getElementById('map-panel').leafletMap.getZoom()"
    before = page.evaluate(zoom)
    biggest = clusters.filter(has_text=re.compile(rf"^{max(counts)}$")).first
    biggest.click()
    page.wait_for_function(f"(z) => ({zoom})() > z", arg=before)
    expect(page.locator("#id_lat")).to_have_value("")
    in_new_york = [k for k in mapped if places[k][0] in {n for n, _, _ in NEW_YORK}]
    assert len(in_new_york) >= 2
    # At zoom 7 New York's places are 9-40 px apart: dense, so one cluster of them all.
    page.evaluate(
        "() => document.getElementById('map-panel').leafletMap.setView([40.715, -73.97], 7, {animate: false})"
    )
    expect(clusters.filter(has_text=re.compile(rf"^{len(in_new_york)}$"))).to_have_count(1)
    expect(page.locator("#map .result-marker")).to_have_count(0)
    # On New York (zoom 9.5), every New York job of this page is a marker of its own.
    show_new_york(page)
    for key in in_new_york:
        expect(page.locator(f'#map .result-marker[data-job-key="{key}"]')).to_be_visible()


def test_hover_and_click_link_cards_and_markers_and_never_move_the_point(
    logged_in: Page, search_url: str, map_board: dict[str, Any]
) -> None:
    page, places = logged_in, map_board["places"]
    page.goto(f"{search_url}&lat=40.7128&lng=-74.0060&location_distance=60")
    map_ready(page)
    keys = [k for k in card_keys(page) if places[k] is not None]
    assert len(keys) >= 2
    show_new_york(page)
    one, other = keys[0], keys[-1]

    # Card → marker.
    card = page.locator(f'.job-card[data-job-key="{one}"]')
    marker = page.locator(f'#map .result-marker[data-job-key="{one}"]')
    card.locator(".job-title").hover()
    expect(marker).to_have_class(re.compile(r"\bis-hovered\b"))
    # Marker → card (the map is back in view first).
    page.locator("#map").scroll_into_view_if_needed()
    other_marker = page.locator(f'#map .result-marker[data-job-key="{other}"]')
    other_card = page.locator(f'.job-card[data-job-key="{other}"]')
    other_marker.hover()
    expect(other_card).to_have_class(re.compile(r"\bis-hovered\b"))
    expect(card).not_to_have_class(re.compile(r"\bis-hovered\b"))

    # Click: the card is selected, scrolled to and focused; the search point stays.
    url = page.url
    other_marker.click()
    expect(page.locator("#id_lat")).to_have_value("40.7128")
    expect(page.locator("#id_lng")).to_have_value("-74.0060")
    expect(other_card).to_be_focused()
    expect(other_card).to_be_in_viewport()
    expect(other_card).to_have_class(re.compile(r"\bis-selected\b"))
    assert page.url == url


def test_markers_are_no_tab_stops_and_hidden_from_screen_readers(
    logged_in: Page, search_url: str, map_board: dict[str, Any]
) -> None:
    page = logged_in
    page.goto(search_url)
    map_ready(page)
    show_new_york(page)
    expect(page.locator("#map .result-marker").first).to_be_visible()
    pane = page.locator("#map .leaflet-results-pane")
    expect(pane).to_have_attribute("aria-hidden", "true")
    assert pane.locator("[tabindex]:not([tabindex='-1']), a, button").count() == 0
    # From the map, Tab goes through Leaflet's own controls (zoom, attribution) and out: never
    # onto a marker or a cluster.
    page.locator("#map").focus()
    visited = []
    for _ in range(6):
        page.keyboard.press("Tab")
        where = page.evaluate(
            """() => { const el = document.activeElement;
                       if (el.closest('.leaflet-results-pane')) return 'marker';
                       return el.closest('#map') ? 'map' : 'out'; }"""
        )
        visited.append(where)
        if where == "out":
            break
    assert visited[-1] == "out", visited
    assert "marker" not in visited


@pytest.mark.parametrize(
    "viewport",
    [{"width": 390, "height": 844}, {"width": 720, "height": 450}],  # a phone; a laptop at 200 % zoom
    ids=["phone", "zoom200"],
)
def test_the_map_toggle_shows_a_large_map_above_the_results(
    logged_in: Page, search_url: str, map_board: dict[str, Any], tmp_path: Path, viewport: dict[str, int]
) -> None:
    page = logged_in
    width, height = viewport["width"], viewport["height"]
    page.set_viewport_size(viewport)
    page.goto(search_url)
    map_ready(page)
    toggle = page.get_by_role("button", name="Map", exact=True)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    large = page.locator("#results-map #map")
    expect(large).to_be_visible()
    # The filters' note says where the map went; on a phone it waits in the closed filters drawer.
    assert page.evaluate("() => !document.getElementById('map-moved').hidden")
    expect(page.locator("#results-map .result-marker, #results-map .result-cluster").first).to_be_visible()
    box = large.bounding_box()
    assert box is not None
    assert box["height"] >= 0.5 * height - 1
    assert box["width"] <= width
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width  # no sideways scroll
    # The large map is fitted to the page's markers: all of them in view.
    assert page.evaluate(
        """() => { const panel = document.getElementById('map-panel');
                   return panel.leafletMap.getBounds().contains(panel.resultLayer.getBounds()); }"""
    )

    large.scroll_into_view_if_needed()
    page.screenshot(path=str(Path(os.environ.get("SCREENSHOT_DIR") or tmp_path) / f"map-{width}.png"))
    assert serious_axe_violations(page) == []

    # Keyboard: the toggle puts the map back in the filters.
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#results-map")).to_be_hidden()
    expect(page.locator("fieldset.location #map")).to_be_attached()


def test_axe_clean_with_markers_and_with_the_large_map(
    logged_in: Page, search_url: str, map_board: dict[str, Any]
) -> None:
    page = logged_in
    page.goto(search_url)
    map_ready(page)
    expect(page.locator("#map .result-cluster, #map .result-marker").first).to_be_visible()
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: not subject to the page's CSP
    for state in ("markers in the filters", "the large map"):
        if state == "the large map":
            page.get_by_role("button", name="Map", exact=True).click()
            expect(
                page.locator("#results-map .result-marker, #results-map .result-cluster").first
            ).to_be_visible()
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], state


def test_results_map_screenshot(logged_in: Page, dashboard: str, settings: Any, tmp_path: Path) -> None:
    """The README's picture (UPDATE_SCREENSHOT=1 writes docs/img/results-map.png): the demo
    boards within 400 km of New York (Boston to Washington), 30 cards, the large map. The
    markers are the cards with coordinates as the dashboard's own selector reads the same search."""
    page = logged_in
    candidate = a_candidate(settings.HRFLOW_SOURCE_KEYS[0])
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=candidate.source_key,
        profile_key=candidate.key,
        algorithm_key=settings.HRFLOW_ALGORITHM_KEYS[0],
        lat=40.7128,
        lng=-74.006,
        location_distance=400,
    )
    jobs = selectors.job_match_list(query=query).jobs
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(
        f"{dashboard}/?source_key={candidate.source_key}&profile_key={candidate.key}"
        "&lat=40.7128&lng=-74.006&location_distance=400"
    )
    map_ready(page)
    assert card_keys(page) == [j.key for j in jobs]
    mapped = [j.key for j in jobs if j.lat is not None]
    page.wait_for_function(
        "(n) => document.getElementById('map-panel').resultLayer.getLayers().length === n", arg=len(mapped)
    )
    assert sorted(layer_keys(page)) == sorted(mapped)
    page.get_by_role("button", name="Map", exact=True).click()
    expect(page.locator("#results-map .result-marker, #results-map .result-cluster").first).to_be_visible()
    page.locator(".job-card").first.locator(".job-title").hover()
    target = screenshot_path("results-map.png", tmp_path)
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 20_000
