"""The "What matches" computation (scoring/matching.py) over HrFlow-shaped jobs and profiles.

Jobs and profiles go through the real parsers (`ScoringPayload` → `JobPage`, `Candidate`), as the
views get them. Expected values are written out by hand (or computed here with plain math and
rapidfuzz), never by calling the module under test for them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from rapidfuzz import fuzz, utils

from scoring import matching
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import Candidate, JobPage, ScoredJob, ScoringPayload

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)


def job(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"key": "j" * 40, "name": "Senior Data Engineer"}
    base.update(fields)
    return base


def parse(raw: dict[str, Any], query: JobQuery | None = None) -> ScoredJob:
    payload = ScoringPayload.from_envelope({"data": {"jobs": [raw], "predictions": [[0.1, 0.9]]}})
    return JobPage.build(payload, query=query or JobQuery(), now=NOW).jobs[0]


def candidate(**fields: Any) -> Candidate:
    return Candidate.from_hrflow({"key": "c" * 40, **fields})


def facts(**fields: Any) -> matching.CandidateFacts:
    return matching.candidate_facts(candidate(**fields), now=NOW)


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Written out here, independently of scoring/hrflow/results.py."""
    (lat1, lng1), (lat2, lng2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


# --- skills --------------------------------------------------------------------------------


def test_missing_skills_most_important_first_valued_before_null_job_order_among_equals() -> None:
    raw = job(
        skills=[
            {"name": "SQL", "value": None},
            {"name": "Python", "value": 0.4},
            {"name": "Spark", "value": 0.9},
            {"name": "Airflow", "value": None},
            {"name": "Kafka", "value": 0.9},
            {"name": "dbt", "value": 0.2},
        ]
    )
    part = matching.skills_part(parse(raw), facts(skills=[{"name": "python"}, {"name": "DBT"}]))

    assert part is not None
    assert part.missing == ("Spark", "Kafka", "SQL", "Airflow")
    assert part.matched == ("Python", "dbt")
    assert part.summary == "2 of 6 skills"


def test_a_skill_listed_twice_counts_once_at_its_highest_value() -> None:
    raw = job(
        skills=[
            {"name": "Go", "value": None},
            {"name": "Rust", "value": 0.5},
            {"name": "go ", "value": 0.8},
        ]
    )
    part = matching.skills_part(parse(raw), facts(skills=[{"name": "Excel"}]))

    assert part is not None
    assert part.missing == ("Go", "Rust")
    assert part.summary == "0 of 2 skills"


def test_string_and_boolean_skill_values_do_not_break_the_order() -> None:
    values = {"A": "0.3", "B": True, "C": 0.6}
    raw = job(skills=[{"name": name, "value": value} for name, value in values.items()])
    part = matching.skills_part(parse(raw), facts(skills=[{"name": "x"}]))

    assert part is not None
    # "0.3" is a number HrFlow sent as text; True is no weight at all (null).
    assert part.missing == ("C", "A", "B")


@pytest.mark.parametrize(
    ("job_skills", "profile_skills"),
    [([], [{"name": "Python"}]), ([{"name": "Python", "value": 1.0}], [])],
    ids=["job-without-skills", "profile-without-skills"],
)
def test_skills_left_out_when_either_side_has_none(job_skills: list[Any], profile_skills: list[Any]) -> None:
    panel = matching.what_matches(parse(job(skills=job_skills)), facts(skills=profile_skills), JobQuery())
    assert panel.skills is None
    assert "skills" not in panel.summary


# --- languages -----------------------------------------------------------------------------


def test_languages_spoken_and_missing_case_insensitive() -> None:
    raw = job(languages=[{"name": "English", "value": 1}, {"name": "French", "value": None}])
    part = matching.languages_part(parse(raw), facts(languages=[{"name": "english", "value": None}]))
    assert part == matching.LanguagesPart(spoken=("English",), missing=("French",))


def test_languages_left_out_when_the_profile_lists_none() -> None:
    raw = job(languages=[{"name": "English", "value": 1}])
    assert matching.languages_part(parse(raw), facts(languages=[])) is None
    assert matching.languages_part(parse(job()), facts(languages=[{"name": "English"}])) is None


# --- distance ------------------------------------------------------------------------------


def test_distance_from_the_search_point_against_the_radius() -> None:
    raw = job(location={"text": "Lyon", "lat": LYON[0], "lng": LYON[1], "fields": []})
    expected = haversine(PARIS, LYON)
    assert 390 < expected < 395  # a sanity check of the formula written above

    near = matching.distance_part(parse(raw), JobQuery(lat=PARIS[0], lng=PARIS[1], location_distance=400))
    far = matching.distance_part(parse(raw), JobQuery(lat=PARIS[0], lng=PARIS[1], location_distance=300))
    no_radius = matching.distance_part(parse(raw), JobQuery(lat=PARIS[0], lng=PARIS[1]))

    assert near is not None
    assert far is not None
    assert no_radius is not None
    assert near.km == pytest.approx(expected, rel=1e-9)
    assert near.text == f"{expected:,.0f} km"
    assert (near.within, far.within, no_radius.within) == (True, False, None)


def test_distance_left_out_without_coordinates_or_search_point() -> None:
    located = parse(job(location={"lat": LYON[0], "lng": LYON[1]}))
    unlocated = parse(job(location={"text": "Dampierre", "lat": None, "lng": None, "fields": None}))
    assert matching.distance_part(located, JobQuery()) is None
    around_paris = JobQuery(lat=PARIS[0], lng=PARIS[1], location_distance=50)
    assert matching.distance_part(unlocated, around_paris) is None


# --- titles and years -------------------------------------------------------------------------


def experience(title: str, start: str | None, end: str | None) -> dict[str, Any]:
    return {"title": title, "company": "Acme", "date_start": start, "date_end": end}


def test_past_titles_ranked_by_rapidfuzz_similarity_with_years() -> None:
    experiences = [
        experience("Barista", "2015-01-01T00:00:00+0000", "2016-07-01T00:00:00+0000"),
        experience("Data Engineer", "2019-06-01T00:00:00+0000", None),  # ongoing: to NOW
        experience("", "2010-01-01T00:00:00+0000", "2012-01-01T00:00:00+0000"),  # empty title: skipped
        experience("Data Analyst", None, None),  # no dates: no years
    ]
    titles = matching.titles_part(parse(job()), facts(experiences=experiences))

    def sim(title: str) -> int:
        return round(fuzz.token_set_ratio("Senior Data Engineer", title, processor=utils.default_process))

    expected_order = sorted(["Barista", "Data Engineer", "Data Analyst"], key=lambda t: -sim(t))
    assert [t.title for t in titles] == expected_order
    assert [t.similarity for t in titles] == [sim(t) for t in expected_order]
    by_title = {t.title: t for t in titles}
    assert by_title["Data Engineer"].similarity == 100  # every word of it is in the job title
    since = dt.datetime(2019, 6, 1, tzinfo=dt.UTC)
    assert by_title["Data Engineer"].years == pytest.approx((NOW - since).days / 365.25)
    assert by_title["Data Engineer"].years_text == "7.5 years"
    assert by_title["Barista"].years_text == "1.5 years"
    assert by_title["Data Analyst"].years is None
    assert by_title["Data Analyst"].years_text == ""


def test_a_title_held_twice_sums_its_dated_roles() -> None:
    experiences = [
        experience("Data Engineer", "2018-01-01T00:00:00+0000", "2019-01-01T00:00:00+0000"),
        experience("data engineer", "2020-01-01T00:00:00+0000", "2020-07-02T00:00:00+0000"),
    ]
    (title,) = matching.titles_part(parse(job()), facts(experiences=experiences))
    assert title.title == "Data Engineer"
    assert title.years == pytest.approx((365 + 183) / 365.25)


def test_titles_left_out_when_every_title_is_empty_or_the_job_is_untitled() -> None:
    empty = facts(experiences=[experience("", "2006-06-01T00:00:00", "2023-06-20T00:00:00")])
    assert matching.titles_part(parse(job()), empty) == ()
    titled = facts(experiences=[experience("Untitled job", None, None)])
    assert matching.titles_part(parse(job(name=None)), titled) == ()


def test_years_of_a_role_ending_before_it_starts_are_not_counted() -> None:
    (title,) = matching.titles_part(
        parse(job()),
        facts(experiences=[experience("Engineer", "2020-01-01T00:00:00+0000", "2019-01-01T00:00:00+0000")]),
    )
    assert title.years is None


def test_a_short_role_reads_in_months() -> None:
    (title,) = matching.titles_part(
        parse(job()),
        facts(experiences=[experience("Engineer", "2026-08-01T00:00:00+0000", "2026-11-01T00:00:00+0000")]),
    )
    assert title.years_text == "3 months"


# --- salary --------------------------------------------------------------------------------


def salary_job(low: float | None, high: float | None, unit: str = "USD/year") -> ScoredJob:
    return parse(job(ranges_float=[{"name": "salary", "value_min": low, "value_max": high, "unit": unit}]))


@pytest.mark.parametrize(
    ("job_range", "filter_range", "verdict"),
    [
        ((120_000, 140_000), (100_000, 150_000), "within your range"),
        ((90_000, 120_000), (100_000, 150_000), "overlaps your range"),
        ((60_000, 90_000), (100_000, None), "below your minimum"),
        ((160_000, 200_000), (None, 150_000), "above your maximum"),
        ((None, 120_000), (100_000, 150_000), "overlaps your range"),
    ],
)
def test_salary_against_the_filter(job_range: Any, filter_range: Any, verdict: str) -> None:
    query = JobQuery(salary_min=filter_range[0], salary_max=filter_range[1])
    part = matching.salary_part(salary_job(*job_range), query)
    assert part is not None
    assert part.verdict == verdict


def test_salary_texts_use_the_cards_formatting() -> None:
    query = JobQuery(salary_min=100_000, salary_max=150_000)
    part = matching.salary_part(salary_job(120_000, 140_000), query)
    assert part is not None
    assert (part.job_text, part.filter_text) == ("$120k\u2013$140k / year", "$100k\u2013$150k / year")


def test_salary_left_out_without_a_filter_or_in_another_unit() -> None:
    assert matching.salary_part(salary_job(120_000, 140_000), JobQuery()) is None
    euro = salary_job(45_000, 50_000, unit="eur")
    assert matching.salary_part(euro, JobQuery(salary_min=40_000)) is None
    assert matching.salary_part(euro, JobQuery(salary_min=40_000, salary_range_unit="EUR")) is not None
    assert matching.salary_part(parse(job()), JobQuery(salary_min=40_000)) is None


# --- summary and the whole panel ---------------------------------------------------------------


def test_card_summary_line() -> None:
    raw = job(
        skills=[{"name": n, "value": None} for n in "ABCDEFGHIJ"],
        location={"lat": LYON[0], "lng": LYON[1]},
    )
    query = JobQuery(lat=PARIS[0], lng=PARIS[1], location_distance=500)
    person = candidate(
        skills=[{"name": n} for n in "ABCDEFG"],
        experiences=[experience("Data Engineer", "2020-01-01T00:00:00+0000", None)],
    )
    summaries = matching.card_summaries([parse(raw)], candidate=person, query=query, now=NOW)
    km = f"{haversine(PARIS, LYON):,.0f} km"
    assert summaries == {"j" * 40: f"7 of 10 skills \u00b7 {km} \u00b7 similar title"}


def test_card_summary_says_no_similar_title_and_leaves_out_what_is_missing() -> None:
    person = candidate(experiences=[experience("Barista", None, None)])
    assert matching.card_summaries([parse(job())], candidate=person, query=JobQuery()) == {
        "j" * 40: "no similar title"
    }
    nobody = candidate(experiences=[experience("", None, None)])
    assert matching.card_summaries([parse(job())], candidate=nobody, query=JobQuery()) == {}


def test_a_panel_with_nothing_to_say_is_empty() -> None:
    panel = matching.what_matches(parse(job()), facts(), JobQuery())
    assert panel.is_empty
    assert panel.summary == ""


def test_the_cards_fast_line_says_what_the_panel_says_on_demo_jobs() -> None:
    """`card_summary` (counts only, for 30 cards) and `MatchPanel.summary` must never disagree."""
    import itertools

    from demodata import snapshot

    profiles = {p["reference"]: p for p in itertools.islice(snapshot.iter_profiles(), 40)}
    people = [Candidate.from_hrflow(profiles[ref]) for ref in ("cand-0001", "cand-0002", "cand-0003")]
    query = JobQuery(lat=40.7128, lng=-74.0060, location_distance=100)
    raws = list(itertools.islice(snapshot.iter_jobs(), 300))
    page = JobPage.build(
        ScoringPayload.from_envelope({"data": {"jobs": raws, "predictions": [[0.5, 0.5]] * len(raws)}}),
        query=query,
        now=NOW,
    )
    seen = set()
    for person in people:
        person_facts = matching.candidate_facts(person, now=NOW)
        for scored in page.jobs:
            full = matching.what_matches(scored, person_facts, query).summary
            assert matching.card_summary(scored, person_facts, query) == full, scored.key
            seen.add(full.split(" \u00b7 ")[-1])
    assert seen == {"similar title", "no similar title"}, "both title verdicts were compared"
