from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import (
    CARD_SKILLS_MAX,
    SCORE_BANDS,
    Candidate,
    CandidateOption,
    JobPage,
    MalformedEnvelope,
    ScoredJob,
    ScoringPayload,
    SkillMatch,
    TagDisplay,
    page_window,
    parse_datetime,
    salary_display,
    score_band,
    score_legend,
)
from tests.scoring.hrflow.payloads import EXAMPLE_JOB, envelope, job, profile

NOW = dt.datetime(2023, 6, 24, 12, 0, tzinfo=dt.UTC)


def page_of(body: dict, query: JobQuery | None = None, skills: tuple[str, ...] = ()) -> JobPage:
    return JobPage.build(
        ScoringPayload.from_envelope(body), query=query or JobQuery(), candidate_skills=skills, now=NOW
    )


def test_the_documented_example_job_parses_into_display_values() -> None:
    query = JobQuery(lat=48.8566, lng=2.3522, location_distance=30)
    page = page_of(envelope([EXAMPLE_JOB], [0.968809902667999]), query, skills=("Python", "SQL"))
    card = page.jobs[0]

    assert card.key == "8cee3ead87a38cc1f7f3cf9298b7e58e16406e05"
    assert card.name == "Data Engineer"
    assert (card.score_pct, card.score_band, card.score_band_slug, card.has_score) == (
        97,
        "Excellent",
        "excellent",
        True,
    )
    assert card.company == "Google"
    assert card.location_text == "7 rue 4 septembre paris"
    assert card.distance_km == pytest.approx(1.74, abs=0.01)
    assert card.distance_display == "1.7 km"
    assert card.created_at == dt.datetime(2023, 6, 21, 15, 54, 45, tzinfo=dt.UTC)
    assert card.created_display == "2 days ago"
    assert card.salary_display == "\u20ac45k\u2013\u20ac50k"
    assert card.skills == (SkillMatch("python", True), SkillMatch("spark", False))
    assert card.tags == (TagDisplay("active", "yes"), TagDisplay("company", "Google"))
    assert card.board_name == "vulcain_test"
    assert card.url == "https://www.pole-emploi.ai/jobs/data_engineer"
    assert card.archived is False


def test_null_everything_still_gives_a_card() -> None:
    nulls = {name: None for name in EXAMPLE_JOB}
    card = page_of(envelope([nulls], [0.5])).jobs[0]

    assert card.name == "Untitled job"
    assert (card.key, card.company, card.location_text, card.salary_display, card.url) == ("", "", "", "", "")
    assert (card.skills, card.tags, card.created_at, card.created_display) == ((), (), None, "")
    assert card.lat is None
    assert card.distance_km is None


def test_a_job_with_missing_fields_and_empty_location_fields_parses() -> None:
    sparse = {"key": "k", "name": "Analyst", "location": {"text": None, "fields": []}}
    card = page_of(envelope([sparse], [0.3])).jobs[0]

    assert (card.location_text, card.score_band) == ("", "Fair")


def test_location_text_falls_back_to_the_geocoded_fields() -> None:
    located = job(
        location={"text": "", "lat": None, "lng": None, "fields": {"city": "Lyon", "country": "France"}}
    )

    assert page_of(envelope([located])).jobs[0].location_text == "Lyon, France"


def test_mixed_type_values_are_displayed() -> None:
    mixed = job(
        tags=[
            {"name": "remote", "value": False},
            {"name": "level", "value": 3.0},
            {"name": "ratio", "value": 0.25},
            {"name": "empty", "value": None},
            {"name": "obj", "value": {"x": 1}},
            "not a tag",
        ],
        skills=[{"name": "go", "value": "expert"}, {"name": None}, 42],
    )
    card = page_of(envelope([mixed])).jobs[0]

    assert card.tags == (TagDisplay("remote", "no"), TagDisplay("level", "3"), TagDisplay("ratio", "0.25"))
    assert card.skills == (SkillMatch("go", False),)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2023-06-21T15:54:45+0000", dt.datetime(2023, 6, 21, 15, 54, 45, tzinfo=dt.UTC)),
        ("2023-05-18T21:59", dt.datetime(2023, 5, 18, 21, 59, tzinfo=dt.UTC)),
        ("2026-01-10T08:41:25+02:00", dt.datetime(2026, 1, 10, 6, 41, 25, tzinfo=dt.UTC)),
        ("yesterday", None),
        (None, None),
        (1687362885, None),
    ],
)
def test_hrflow_dates_parse_to_aware_datetimes(raw: object, expected: dt.datetime | None) -> None:
    parsed = parse_datetime(raw)

    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


def test_meta_count_may_differ_from_the_number_of_jobs() -> None:
    page = page_of(envelope([job(), job(key="2")], [0.9, 0.8], count=5, total=40, max_page=8))

    assert len(page.jobs) == 2
    assert (page.count, page.total, page.max_page) == (5, 40, 8)


def test_predictions_shorter_than_jobs_drop_the_unscored_jobs() -> None:
    body = envelope([job(key="1"), job(key="2"), job(key="3")], [0.9])

    assert [j.key for j in page_of(body).jobs] == ["1"]


def test_predictions_longer_than_jobs_are_ignored() -> None:
    body = envelope([job(key="1")], [0.9, 0.8, 0.7])

    assert [(j.key, j.score) for j in page_of(body).jobs] == [("1", 0.9)]


def test_no_predictions_keeps_the_jobs_unscored() -> None:
    body = envelope([job(key="1")])
    body["data"]["predictions"] = []
    card = page_of(body).jobs[0]

    assert (card.has_score, card.score_band, card.score_pct) == (False, "", 0)


def test_malformed_prediction_pairs_and_jobs_are_handled() -> None:
    body = envelope([job(key="1"), "junk", job(key="3")], [0.9, 0.8, 0.7])
    body["data"]["predictions"][0] = [0.1]
    body["data"]["predictions"][2] = [-1, 7]

    cards = page_of(body).jobs
    assert [(c.key, c.has_score, c.score) for c in cards] == [("1", False, 0.0), ("3", True, 1.0)]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"code": 200},
        {"code": 200, "data": None},
        {"code": 200, "data": {"predictions": []}},
        {"code": 200, "data": {"jobs": {}, "predictions": []}},
        {"code": 200, "data": {"jobs": [], "predictions": "x"}},
    ],
)
def test_a_malformed_envelope_is_rejected(body: object) -> None:
    with pytest.raises(MalformedEnvelope):
        ScoringPayload.from_envelope(body)


def test_score_is_index_one_of_the_prediction() -> None:
    body = envelope([job()])
    body["data"]["predictions"] = [[0.031190164387226105, 0.968809902667999]]

    assert ScoringPayload.from_envelope(body).scores == (0.968809902667999,)


@pytest.mark.parametrize(
    ("pct", "band"),
    [(100, "Excellent"), (80, "Excellent"), (79, "Strong"), (60, "Strong"), (40, "Good"),
     (20, "Fair"), (19, "Weak"), (0, "Weak")],
)  # fmt: skip
def test_score_bands_follow_the_vendor_buckets(pct: int, band: str) -> None:
    assert score_band(pct) == band


@pytest.mark.parametrize("score", [0.7951, 0.7996])
def test_every_card_that_prints_80_percent_is_excellent(score: float) -> None:
    """The band comes from the rounded percentage: 0.7996 prints "80%" and is not "Strong"."""
    cards = page_of(envelope([job(), job()], [score, 0.8])).jobs
    assert [(c.score_pct, c.score_band) for c in cards] == [(80, "Excellent")] * 2


def test_the_legend_covers_every_percentage_once() -> None:
    rows = score_legend()
    assert rows[0] == ("Excellent", "80\u2013100\u00a0%")
    assert rows[-1] == ("Weak", "0\u201319\u00a0%")
    assert [label for label, _ in rows] == [label for _, label in SCORE_BANDS]


def test_scoring_off_shows_no_score_even_when_predictions_come_back() -> None:
    """use_agent=0: HrFlow's predictions mean nothing (the sandbox sends 0.5 for every job)."""
    page = page_of(envelope([job(key="a"), job(key="b")], [0.5, 0.5]), JobQuery(use_agent=False))
    assert [(j.has_score, j.score_band, j.score_band_slug) for j in page.jobs] == [(False, "", "")] * 2


def _tagged(salary_source: str, date_source: str) -> dict:
    tags = [{"name": "salary_source", "value": salary_source}, {"name": "date_source", "value": date_source}]
    return job(tags=tags)


def test_estimated_salary_and_date_carry_their_source() -> None:
    card = page_of(envelope([_tagged("oews", "estimated")])).jobs[0]
    assert card.salary_source == "oews"
    assert "BLS OEWS" in card.salary_estimate_note
    assert "(salary_source: oews)" in card.salary_estimate_note
    assert card.date_source == "estimated"
    assert "(date_source: estimated)" in card.date_estimate_note


def test_posted_salary_and_date_are_not_marked() -> None:
    card = page_of(envelope([_tagged("posting", "posting")])).jobs[0]
    assert (card.salary_source, card.salary_estimate_note) == ("posting", "")
    assert (card.date_source, card.date_estimate_note) == ("posting", "")


def test_the_estimate_convention_is_a_setting(settings: Any) -> None:
    settings.HRFLOW_SALARY_SOURCE_TAG = "pay_origin"
    settings.HRFLOW_SALARY_ESTIMATE_VALUES = ["Model"]
    settings.HRFLOW_DATE_SOURCE_TAG = ""
    body = envelope(
        [job(tags=[{"name": "pay_origin", "value": "model"}, {"name": "date_source", "value": "estimated"}])]
    )
    card = page_of(body).jobs[0]
    assert card.salary_estimate_note == "Salary is an estimate (pay_origin: model)"
    assert card.date_estimate_note == ""


def test_matched_skills_come_first_and_the_card_shows_at_most_eight() -> None:
    skills = [{"name": f"skill {i}", "type": "hard", "value": None} for i in range(12)]
    card = page_of(envelope([job(skills=skills)]), skills=("skill 10", "SKILL 3")).jobs[0]
    assert [s.name for s in card.skills[:3]] == ["skill 3", "skill 10", "skill 0"]
    assert [s.matched for s in card.skills[:3]] == [True, True, False]
    assert len(card.skills_shown) == CARD_SKILLS_MAX == 8
    assert card.skills_more == 4


@pytest.mark.parametrize(
    ("days", "text"),
    [(0, "today"), (1, "yesterday"), (13, "13 days ago"), (20, "2 weeks ago"), (90, "3 months ago"),
     (400, "1 year ago"), (800, "2 years ago")],
)  # fmt: skip
def test_dates_are_always_relative_with_the_day_as_title(days: int, text: str) -> None:
    created = NOW - dt.timedelta(days=days, hours=1)
    card = page_of(envelope([job(created_at=created.strftime("%Y-%m-%dT%H:%M:%S+0000"))])).jobs[0]
    assert card.created_display == text
    assert card.created_title == f"{created.day} {created:%b} {created.year}"


@pytest.mark.parametrize(
    ("low", "high", "unit", "text"),
    [
        (105000, 172000, "USD/year", "$105k\u2013$172k / year"),
        (105500, None, "USD/year", "From $105.5k / year"),
        (None, 90000, "USD/year", "Up to $90k / year"),
        (25, 40, "USD/hour", "$25\u2013$40 / hour"),
        (1_200_000, 1_200_000, "EUR/year", "\u20ac1.2M / year"),
        (None, None, "USD/year", ""),
        (45000, 50000, "", "45k\u201350k"),
    ],
)
def test_salary_display(low: float | None, high: float | None, unit: str, text: str) -> None:
    assert salary_display(low, high, unit) == text


def test_archived_jobs_are_flagged() -> None:
    card = ScoredJob.from_hrflow(job(archived_at="2024-01-01T00:00:00+0000"), 0.5, now=NOW)

    assert card.archived is True


def test_pagination_window_and_links() -> None:
    query = JobQuery(skills=("python",), page=6)
    page = page_of(envelope([job()], page=6, max_page=20), query)

    assert page.page_numbers == (1, None, 4, 5, 6, 7, 8, None, 20)
    assert (page.has_previous, page.has_next) == (True, True)
    assert page.next_query_string == "page=7&skills=python"
    assert page.previous_query_string == "page=5&skills=python"
    assert page.page_links[0].query_string == "skills=python"
    assert [link.number for link in page.page_links if link.is_current] == [6]


def test_single_and_empty_pages() -> None:
    assert page_window(1, 1) == (1,)
    assert page_window(1, 0) == ()
    empty = page_of(envelope([], [], max_page=0, count=0, total=0))
    assert (empty.jobs, empty.has_next, empty.has_previous, empty.page_numbers) == ((), False, False, ())


@pytest.mark.parametrize(
    ("info", "reference", "name"),
    [
        ({"full_name": "Ada Lovelace", "first_name": "A", "last_name": "L"}, "r", "Ada Lovelace"),
        ({"first_name": "Ada", "last_name": "Lovelace"}, "r", "Ada Lovelace"),
        ({"email": "ada@example.com"}, "r", "ada@example.com"),
        ({}, "ref-9", "ref-9"),
        ({}, None, "d" * 40),
    ],
)
def test_candidate_name_fallback(info: dict, reference: str | None, name: str) -> None:
    data = profile(**info)
    data["reference"] = reference

    assert CandidateOption.from_hrflow(data).name == name


def test_candidate_title_is_the_ongoing_experience_and_skills_are_deduplicated() -> None:
    data = profile(full_name="Ada Lovelace", email="ada@example.com")
    data["skills"].append({"name": "python", "value": None})
    candidate = Candidate.from_hrflow(data)

    assert candidate.title == "Data Engineer"
    assert candidate.skills == ("Python", "SQL")
    assert candidate.email == "ada@example.com"


def test_a_profile_with_nothing_parses() -> None:
    option = CandidateOption.from_hrflow({"key": "k", "info": None, "experiences": None}, source_key="s")

    assert (option.key, option.source_key, option.name, option.title) == ("k", "s", "k", "")


def test_a_missing_meta_falls_back_to_the_query() -> None:
    body = envelope([job()])
    del body["meta"]
    page = page_of(body, JobQuery(page=3))

    assert (page.page, page.max_page, page.count, page.total, page.has_next) == (3, 3, 1, 1, False)
