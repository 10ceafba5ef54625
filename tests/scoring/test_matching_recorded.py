"""The "What matches" panel on payloads HrFlow really sent (tests/fixtures/hrflow_recorded/).

The shape-only parsed profile (empty experience titles, `languages: []`, null names) reaches the
dashboard through the real client (`HrFlowClient.get_profile`, the answer injected with
`responses`: the sandbox never produces those shapes), the recorded jobs through the real
scoring parser; the panel is read on the HTML the Details view renders. Expected values come
from the raw JSON, computed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import responses
from rapidfuzz import fuzz, utils

from scoring import selectors
from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import (
    AlgorithmOption,
    BoardOption,
    Candidate,
    JobPage,
    ScoringPayload,
    SourceOption,
)
from tests.scoring.hrflow.payloads import ALGORITHM, API_KEY, API_URL, BOARD_A, PROFILE, SOURCE, USER_EMAIL

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "hrflow_recorded"
HX = {"HX-Request": "true"}


def recorded(name: str) -> Any:
    body = json.loads((RECORDED / name).read_text())
    return body.get("data", body)


def shape_only_profile() -> dict[str, Any]:
    return recorded("profile_parsing_201_shape_only.json")["profile"]


def candidate_through_the_client() -> Candidate:
    profile = shape_only_profile()
    client = HrFlowClient(base_url=API_URL, api_key=API_KEY, user_email=USER_EMAIL)
    with responses.RequestsMock() as mocked:
        mocked.get(API_URL + "profile/indexing", json={"code": 200, "message": "Profile", "data": profile})
        return client.get_profile(SOURCE, profile["key"])


def panel_html(body: str) -> str:
    match = re.search(r'<section class="what-matches".*?</section>', body, re.S)
    assert match, "no What-matches panel in the details"
    return match.group(0)


def text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def details(user_client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """GET the Details of `job` (a recorded job dict) for the shape-only profile; returns the body."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    candidate = candidate_through_the_client()
    monkeypatch.setattr(selectors, "board_list", lambda: [BoardOption(BOARD_A, "Board A")])
    monkeypatch.setattr(selectors, "source_list", lambda: [SourceOption(SOURCE, "Source")])
    monkeypatch.setattr(selectors, "algorithm_list", lambda: [AlgorithmOption(ALGORITHM, "Algo")])
    monkeypatch.setattr(selectors, "profile_get", lambda *, source_key, key: candidate)

    def get(job: dict[str, Any], query: JobQuery) -> str:
        payload = ScoringPayload.from_envelope({"data": {"jobs": [job], "predictions": [[0.1, 0.9]]}})

        def job_match_list(*, query: JobQuery, candidate_skills: Any = ()) -> JobPage:
            return JobPage.build(payload, query=query)

        monkeypatch.setattr(selectors, "job_match_list", job_match_list)
        url = f"/jobs/details/?{query.to_query_string()}&job_key={job['key']}"
        response = user_client.get(url, headers=HX)
        assert response.status_code == 200
        return response.content.decode()

    return get


def base_query(**fields: Any) -> JobQuery:
    keys = {"source_key": SOURCE, "profile_key": PROFILE, "algorithm_key": ALGORITHM}
    return JobQuery(board_keys=(BOARD_A,), **keys, **fields)


def test_the_shape_only_profile_through_the_client_keeps_every_experience_and_no_language() -> None:
    profile = shape_only_profile()
    candidate = candidate_through_the_client()

    assert [e.title for e in candidate.experiences] == [e["title"] for e in profile["experiences"]]
    assert "" in [e.title for e in candidate.experiences], "the recording has empty titles"
    assert candidate.languages == ()


def test_the_docs_job_for_the_shape_only_profile(details: Any) -> None:
    job = recorded("job_object_docs_example.json")
    profile = shape_only_profile()
    body = details(job, base_query(salary_min=40, salary_max=60, salary_range_unit="eur", lat=47.8, lng=2.3))
    panel = panel_html(body)
    shown = text(panel)

    assert "Computed by this dashboard from the job and the profile; HrFlow's score is its own." in shown
    # Skills: the job's python (value null) and spark (0.9); the profile has soft skills only.
    profile_skills = {s["name"].casefold() for s in profile["skills"]}
    job_skills = [s["name"] for s in job["skills"]]
    assert not profile_skills & {s.casefold() for s in job_skills}
    assert f"0 of {len(job_skills)} skills" in shown
    assert "Missing, most important first: spark python" in shown
    assert "In the profile:" not in shown, "nothing matched: no empty 'in the profile' list"
    # Languages: the job asks for two, the profile lists none: the part is left out.
    assert "Languages" not in shown
    # Distance: the job's coordinates are null: left out, although a search point is set.
    assert "Distance" not in shown
    assert "km" not in shown
    # Titles: only the non-empty ones, most similar to "Data Engineer" first, with their years.
    titled = [e for e in profile["experiences"] if e["title"]]
    assert len(titled) < len(profile["experiences"])

    def years(e: dict[str, Any]) -> str:
        start, end = (dt.datetime.fromisoformat(e[k]) for k in ("date_start", "date_end"))
        return f"{round((end - start).days / 365.25, 1):g} years"

    def sim(title: str) -> int:
        return round(fuzz.token_set_ratio(job["name"], title, processor=utils.default_process))

    titled.sort(key=lambda e: -sim(e["title"]))
    items = re.findall(r"<li>(.*?)</li>", panel.split('class="what-matches-titles"')[1], re.S)
    assert [text(i) for i in items] == [
        f"{e['title']} ({sim(e['title'])}% similar to the job title, {years(e)})" for e in titled
    ]
    assert "<li> (" not in panel, "no empty title is listed"
    # Salary: the job's 30-50 eur against the filter's 40-60 eur.
    assert "Salary \u20ac30\u2013\u20ac50: overlaps your range (\u20ac40\u2013\u20ac60)" in shown


@pytest.mark.parametrize("name", ["job_indexing_post_201.json", "job_indexing_put_200.json"])
def test_the_indexing_answers_for_the_shape_only_profile(details: Any, name: str) -> None:
    job = recorded(name)
    shown = text(panel_html(details(job, base_query(salary_min=40_000, salary_range_unit="eur"))))

    assert "0 of 2 skills" in shown
    assert "Missing, most important first: spark python" in shown
    assert "\u20ac45k\u2013\u20ac50k: within your range (From \u20ac40k)" in shown
    assert "Languages" not in shown
    assert "Distance" not in shown


def test_the_archive_answer_has_nothing_to_compare_and_shows_no_panel(details: Any) -> None:
    job = recorded("job_indexing_archive_200.json")
    body = details(job, base_query(salary_min=40_000, salary_range_unit="eur"))

    assert "what-matches" not in body
    assert "What matches" not in body
