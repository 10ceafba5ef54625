"""The "What matches" panel and card line for a known demo pair, through the views, against the
live sandbox. Expected values: tests/scoring/demo_pair.py (raw JSON, computed independently)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client

from tests.fixtures.sandbox import point_dashboard_at
from tests.scoring import demo_pair

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
HX = {"HX-Request": "true"}


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def items(html: str, marker: str) -> list[str]:
    """The <li> texts of the list that follows `marker` in `html`."""
    after = html.split(marker, 1)[1]
    block = after.split("</ul>", 1)[0].split("</ol>", 1)[0]
    return [text(li) for li in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]


@pytest.fixture
def pair(live_sandbox: Any, settings: Any) -> demo_pair.Expected:
    point_dashboard_at(settings, live_sandbox)
    return demo_pair.expected(
        demo_pair.raw_job(live_sandbox), demo_pair.raw_profile(live_sandbox), now=dt.datetime.now(dt.UTC)
    )


def test_the_demo_pairs_card_line_and_details_panel(user_client: Client, pair: demo_pair.Expected) -> None:
    results = user_client.get("/?" + demo_pair.search_query_string(), headers=HX).content.decode()
    card = re.search(rf'<li class="job-card" data-job-key="{demo_pair.JOB_KEY}".*?</article>', results, re.S)
    assert card, "the demo job is on the first page of its search"
    line = re.search(r'<p class="match-summary"[^>]*>(.*?)</p>', card.group(0), re.S)
    assert line
    assert text(line.group(1)) == "What matches, computed by the dashboard: " + pair.summary

    link = re.search(r'<div class="details-body"><a href="([^"]+)"', card.group(0))
    assert link
    body = user_client.get(unescape(link.group(1)), headers=HX).content.decode()
    panel = re.search(r'<section class="what-matches".*?</section>', body, re.S)
    assert panel
    html = panel.group(0)
    shown = text(html)

    assert "Computed by this dashboard from the job and the profile; HrFlow's score is its own." in shown
    assert f"{len(pair.matched)} of {pair.total} skills" in shown
    assert items(html, 'aria-label="Skills in the profile"') == pair.matched
    assert items(html, 'aria-label="Skills missing from the profile"') == pair.missing
    assert f"In the profile: {', '.join(pair.languages_spoken)}" in shown
    assert pair.languages_missing == []  # the job asks for English only
    assert "not in the profile" not in shown
    assert f"{pair.km_text} from the search point, within the {demo_pair.RADIUS_KM} km radius" in shown
    assert items(html, 'class="what-matches-titles"') == pair.titles
    # The job's $90k-$174k against the filter's $100k-$150k: overlapping, not inside.
    salary = r"Salary \$[\d.]+k\u2013\$[\d.]+k / year: overlaps your range \(\$100k\u2013\$150k / year\)"
    assert re.search(salary, shown)
