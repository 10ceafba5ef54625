"""Reading a profile, a board or a source the way the candidate panel, the pickers and the
"What matches" panel need it. Written from mutmut's survivors in scoring/hrflow/results.py
(docs/testing.md, 2026-12-04): each test names the mistake it catches."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.hrflow.results import (
    Candidate,
    CandidateOption,
    Experience,
    option_from_hrflow,
    profile_current_title,
    profile_display_name,
    salary_display,
)
from tests.scoring.hrflow.payloads import PROFILE, SOURCE, profile

UTC = dt.UTC


def experience(title: str, start: str | None, end: str | None = None) -> dict[str, str | None]:
    return {"title": title, "date_start": start, "date_end": end}


def test_an_ongoing_experience_is_the_title_even_when_an_ended_one_started_later() -> None:
    # Caught: "ongoing" not read from date_end (every experience counted as ongoing, so the
    # most recently started one won).
    data = {
        "experiences": [
            experience("Head of Data", "2015-01-01T00:00:00+0000"),
            experience("Consultant (side project)", "2021-01-01T00:00:00+0000", "2021-06-01T00:00:00+0000"),
        ]
    }
    assert profile_current_title(data) == "Head of Data"


def test_among_ongoing_experiences_the_latest_started_wins_and_an_undated_one_counts_as_oldest() -> None:
    # Caught: no fallback date for an experience without date_start (comparing None fails).
    data = {
        "experiences": [
            experience("Mentor", None),
            experience("Engineer", "2019-01-01T00:00:00+0000"),
            experience("Lead Engineer", "2022-03-01T00:00:00+0000"),
        ]
    }
    assert profile_current_title(data) == "Lead Engineer"
    assert profile_current_title({"experiences": [experience("Mentor", None)]}) == "Mentor"


def test_untitled_experiences_are_skipped_and_no_title_is_an_empty_string() -> None:
    data = {"experiences": [experience("", "2023-01-01T00:00:00+0000"), experience("Analyst", "2010-01-01")]}
    assert profile_current_title(data) == "Analyst"
    assert profile_current_title({"experiences": [experience(" ", None)]}) == ""


def test_a_profile_with_no_name_at_all_is_named_by_an_empty_string() -> None:
    # Caught: None (or a placeholder) instead of "" when nothing names the profile.
    assert profile_display_name({"info": {}, "reference": None, "key": None}) == ""


def test_a_candidate_carries_reference_source_languages_and_dated_experiences() -> None:
    data = profile(full_name="Ada Lovelace")
    data["languages"] = [{"name": "French"}, {"name": "English"}, {"name": "French"}, {"name": ""}]
    candidate = Candidate.from_hrflow(data, source_key="not-this-one")
    # Caught: each field read from the wrong key, dropped, or the given source_key winning over
    # the profile's own.
    assert (candidate.key, candidate.source_key, candidate.reference) == (PROFILE, SOURCE, "ref-1")
    assert candidate.languages == ("French", "English")
    assert candidate.experiences == (
        Experience("Data Analyst", dt.datetime(2018, 1, 1, tzinfo=UTC), dt.datetime(2020, 1, 1, tzinfo=UTC)),
        Experience("Data Engineer", dt.datetime(2020, 2, 1, tzinfo=UTC), None),
    )


@pytest.mark.parametrize("parse", [Candidate.from_hrflow, CandidateOption.from_hrflow])
def test_the_source_key_falls_back_to_the_callers_then_to_nothing(parse: object) -> None:
    # Caught: the profile's own source_key not read (the caller's always used).
    assert parse(profile(), source_key="s-given").source_key == SOURCE  # type: ignore[operator]
    data = profile()
    del data["source_key"]
    assert parse(data, source_key="s-given").source_key == "s-given"  # type: ignore[operator]
    # Caught: a placeholder default for the caller's source key.
    assert parse(data).source_key == ""  # type: ignore[operator]


def test_a_board_or_source_is_its_key_and_its_name_else_its_key() -> None:
    # Caught: the key or the name read from the wrong field, or "name and key" for "name or key".
    assert option_from_hrflow({"key": " b1 ", "name": " Jobs in Lyon "}) == ("b1", "Jobs in Lyon")
    assert option_from_hrflow({"key": "b2", "name": None}) == ("b2", "b2")
    assert option_from_hrflow({"key": "b3", "name": ""}) == ("b3", "b3")
    assert option_from_hrflow("not an object") == ("", "")


def test_a_salary_in_a_unit_that_is_not_a_currency_is_compact_with_one_decimal() -> None:
    # Caught: the compact form's locale or its one decimal changed (1.23M, 45.25k, 1M).
    assert salary_display(45_250, 1_234_567, "points") == "45.2k\u20131.2M points"
