"""Contract tests from payloads HrFlow really sent (tests/fixtures/hrflow_recorded/, see its README).

Every recorded job goes through the real parser (`ScoredJob` via `ScoringPayload`/`JobPage`) and
the real card and details rendering; each field a recruiter reads is asserted on the HTML, so
"nothing lost" means: name, company tag, location text (coordinates null), `+0000` dates, salary
in EUR, skills with null/float values, languages, string/boolean tags, `ranges_date`, and the
text of summary, every section, culture, benefits, interviews, responsibilities, requirements.
`metadatas` stay hidden on purpose. The recorded 400 goes through the client's error mapping
(injected with `responses`: the sandbox cannot produce that body), and the shape-only parsed
profile through the candidate parser.
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

from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import HrFlowBadRequest
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import Candidate, CandidateOption, JobPage, ScoredJob, ScoringPayload
from scoring.templatetags.job_cards import render_card, render_details
from tests.scoring.hrflow.payloads import ALGORITHM, API_KEY, API_URL, BOARD_A, PROFILE, SOURCE, USER_EMAIL

RECORDED = Path(__file__).resolve().parents[1] / "fixtures" / "hrflow_recorded"
NOW = dt.datetime(2023, 6, 24, 12, 0, tzinfo=dt.UTC)
JOB_FILES = (
    "job_indexing_post_201.json",
    "job_indexing_put_200.json",
    "job_indexing_archive_200.json",
    "job_object_docs_example.json",
)


def recorded(name: str) -> Any:
    return json.loads((RECORDED / name).read_text())


def recorded_job(name: str) -> dict[str, Any]:
    """The job inside the envelope (the docs example is a bare job)."""
    body = recorded(name)
    return body.get("data", body)


def parse(job: dict[str, Any], query: JobQuery | None = None) -> ScoredJob:
    payload = ScoringPayload.from_envelope(
        {"code": 200, "message": "ok", "meta": {}, "data": {"jobs": [job], "predictions": [[0.2, 0.8]]}}
    )
    return JobPage.build(payload, query=query or JobQuery(lat=47.8, lng=2.3), now=NOW).jobs[0]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<br>", "\n", re.sub(r"<(?!br>)[^>]+>", " ", html)))).strip()


def shown(job: ScoredJob) -> str:
    """What a recruiter reads: the card and its opened details, as text."""
    card = render_card(job, "/jobs/details/?job_key=", hidden_tags=frozenset())
    return text_of(card) + " | " + text_of(render_details(job))


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", ["job_indexing_post_201.json", "job_indexing_put_200.json"])
def test_recorded_indexing_answers_lose_nothing_a_recruiter_reads(name: str) -> None:
    raw = recorded_job(name)
    job = parse(raw)
    page = shown(job)

    assert job.name == "Data Engineer"
    assert job.company == "Google"
    assert "Google" in page
    assert job.location_text == "Dampierre en Burly (45)"
    assert (job.lat, job.lng, job.distance_km) == (None, None, None), "null coordinates: no distance"
    assert "Dampierre en Burly (45)" in page
    assert "km away" not in page
    assert job.created_at == dt.datetime.strptime(raw["created_at"], "%Y-%m-%dT%H:%M:%S%z")
    assert f'datetime="{job.created_at.isoformat()}"' in render_card(job, "/d?job_key=")
    assert job.salary_display == "\u20ac45k\u2013\u20ac50k"
    assert "\u20ac45k\u2013\u20ac50k" in page
    assert [(s.name) for s in job.skills] == ["python", "spark"]  # values null and 0.9
    assert "python" in page
    assert "spark" in page
    assert job.languages == ("english", "french")
    assert "Languages english, french" in page
    assert "company: Google" in page
    # The recorded range `interview_dates`, its name in words (scoring/hrflow/names.py).
    assert "Interview dates 18 May 2023 \u2013 15 Sep 2023" in page
    for field in ("summary", "culture", "benefits", "interviews", "responsibilities", "requirements"):
        assert normalised(raw[field]) in normalised(page), field
    for section in raw["sections"]:
        assert f"{section['title']} {section['description']}" in page
    assert job.teaser.startswith("As an engineer for the Data Engineering Infrastructure team")
    assert job.url in render_details(job)
    assert "metadata" not in page, "metadatas stay hidden"


def test_the_reference_docs_job_object_with_typed_values() -> None:
    raw = recorded_job("job_object_docs_example.json")
    job = parse(raw)
    page = shown(job)

    assert job.name == "Data Engineer"
    assert job.company == "", "no company tag in this object"
    assert job.location_text == "Dampierre en Burly (45)"
    assert job.distance_km is None
    assert job.created_at == dt.datetime(2020, 7, 28, 14, 4, 33, tzinfo=dt.UTC)
    assert job.salary_display == "\u20ac30\u2013\u20ac50"
    assert [s.name for s in job.skills] == ["python", "spark"]
    assert job.languages == ("english", "french")  # values 1
    assert [(t.name, t.value_display) for t in job.tags] == [("tag example", "yes"), ("tag2 example", "tag")]
    assert "tag example: yes" in page
    assert "tag2 example: tag" in page
    assert "Searched Profile Bac+5" in page
    assert "Dates 18 May 2020 \u2013 15 Sep 2020" in page
    assert normalised(raw["summary"]) in normalised(page)


def test_the_archive_answer_holds_only_a_key_and_still_parses() -> None:
    job = parse(recorded_job("job_indexing_archive_200.json"))

    assert job.key == "4f2e11266a11e728e794dc5f0867462fa60321ba"
    assert job.name == "Untitled job"
    assert render_details(job) == ""
    assert 'data-job-key="4f2e11266a11e728e794dc5f0867462fa60321ba"' in render_card(job, "/d?job_key=")


@pytest.mark.parametrize("name", JOB_FILES)
def test_every_recorded_job_renders_through_the_template_tag(name: str) -> None:
    from django.template import Context, Template

    job = parse(recorded_job(name))
    html = Template("{% load job_cards %}{% job_cards jobs base %}{% job_details job %}").render(
        Context({"jobs": (job,), "base": "/d?job_key=", "job": job})
    )

    assert f'data-job-key="{job.key}"' in html


def test_the_recorded_400_reaches_the_recruiter_in_our_words() -> None:
    body = recorded("profile_indexing_duplicate_reference_400.json")
    client = HrFlowClient(base_url=API_URL, api_key=API_KEY, user_email=USER_EMAIL)
    with responses.RequestsMock() as mocked:
        mocked.post(API_URL + "job/indexing", status=400, json=body)
        with pytest.raises(HrFlowBadRequest) as caught:
            client.index_job(board_key=BOARD_A, job={"name": "x", "reference": "my_custom_reference"})

    message = caught.value.user_message
    assert message == "HrFlow could not run this search: it did not accept the reference parameter."
    assert "my_custom_reference" not in message
    assert "Already used" not in message
    assert body["message"] in str(caught.value), "HrFlow's text stays in the log line"


def test_the_recorded_400_on_the_search_page_shows_our_message(
    user_client: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring import selectors
    from scoring.hrflow.results import AlgorithmOption, BoardOption, SourceOption

    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_API_KEY = API_KEY
    settings.HRFLOW_USER_EMAIL = USER_EMAIL
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setattr(selectors, "board_list", lambda: [BoardOption(BOARD_A, "Board A")])
    monkeypatch.setattr(selectors, "source_list", lambda: [SourceOption(SOURCE, "Source")])
    monkeypatch.setattr(selectors, "algorithm_list", lambda: [AlgorithmOption(ALGORITHM, "Algo")])
    monkeypatch.setattr(selectors, "profile_get", lambda **_: Candidate.from_hrflow({"key": PROFILE}))
    body = recorded("profile_indexing_duplicate_reference_400.json")
    with responses.RequestsMock() as mocked:
        mocked.get(API_URL + "jobs/scoring", status=400, json=body)
        page = user_client.get(f"/?source_key={SOURCE}&profile_key={PROFILE}").content.decode()

    assert "HrFlow could not run this search: it did not accept the reference parameter." in page
    # Issue 10: HrFlow's own words only as a secondary, folded detail, never the main text.
    main, _, detail = page.partition('<details class="error-detail">')
    assert "Already used" not in main
    assert "my_custom_reference" not in main
    assert "Already used" in detail.split("</details>")[0]


def test_the_shape_only_parsed_profile_goes_through_the_candidate_parser() -> None:
    profile = recorded("profile_parsing_201_shape_only.json")["data"]["profile"]

    candidate = Candidate.from_hrflow(profile)
    option = CandidateOption.from_hrflow(profile)

    assert candidate.key == profile["key"]
    assert candidate.source_key == profile["source_key"]
    assert candidate.name == "candidate@example.com", "null names: the e-mail is the next best label"
    assert option.name == candidate.name
    assert candidate.email == "candidate@example.com"
    assert candidate.location_text == "[text 1]"
    assert candidate.summary == "[summary 1]"
    titles = [e["title"] for e in profile["experiences"] if e["title"]]
    assert candidate.title in titles, "empty experience titles are skipped, a real one is shown"
    assert candidate.title == option.title
    assert list(candidate.skills) == list(dict.fromkeys(s["name"] for s in profile["skills"]))
    assert profile["languages"] == []
