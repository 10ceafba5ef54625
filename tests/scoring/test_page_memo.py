"""The per-process memo of built result pages (scoring/page_memo.py): the same upstream answer,
query and skills within a minute give the same page without building it again; anything the
build reads that changes gives a new one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_BOARD_KEYS
from scoring import page_memo, selectors
from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import JobPage, ScoringPayload
from tests.fixtures.sandbox import point_dashboard_at
from tests.scoring import demo_pair
from tests.scoring.test_views import make_job

QUERY = JobQuery(board_keys=("b",), source_key="s", profile_key="p")


@pytest.fixture(autouse=True)
def _empty_memo() -> None:
    page_memo.forget_all()


def payload(stamp: str) -> ScoringPayload:
    jobs = (make_job(0), make_job(1))
    return ScoringPayload(jobs=jobs, scores=(0.9, 0.8), page=1, max_page=1, count=2, total=2, stamp=stamp)


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = JobPage.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[JobPage], *args: Any, **kwargs: Any) -> JobPage:
        calls.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(JobPage, "build", classmethod(counting))
    return calls


def test_the_same_answer_is_built_once(builds: list[int]) -> None:
    first = page_memo.build_page(payload("a"), query=QUERY, candidate_skills=("Python",))
    again = page_memo.build_page(payload("a"), query=QUERY, candidate_skills=(" python ",))
    assert again is first
    assert len(builds) == 1


def test_what_the_build_reads_is_part_of_the_key(builds: list[int], settings: Any) -> None:
    first = page_memo.build_page(payload("a"), query=QUERY, candidate_skills=("Python",))
    assert page_memo.build_page(payload("b"), query=QUERY, candidate_skills=("Python",)) is not first
    other_skills = page_memo.build_page(payload("a"), query=QUERY, candidate_skills=("Rust",))
    assert other_skills.jobs[0].skills != first.jobs[0].skills  # "Rust" matched, not "Python"
    assert (
        page_memo.build_page(payload("a"), query=QUERY.with_page(2), candidate_skills=("Python",))
        is not first
    )
    assert len(builds) == 4
    settings.HRFLOW_SALARY_RANGES = settings.HRFLOW_SALARY_RANGES  # any settings change empties it
    assert page_memo.build_page(payload("a"), query=QUERY, candidate_skills=("Python",)) is not first


def test_relative_dates_are_at_most_a_minute_old(builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    now = dt.datetime(2026, 12, 3, 10, 0, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(page_memo.timezone, "now", lambda: now)
    first = page_memo.build_page(payload("a"), query=QUERY)
    now = now + dt.timedelta(seconds=20)  # same minute
    assert page_memo.build_page(payload("a"), query=QUERY) is first
    now = now + dt.timedelta(minutes=1)
    assert page_memo.build_page(payload("a"), query=QUERY) is not first


def test_an_answer_without_a_stamp_is_always_built(builds: list[int]) -> None:
    page_memo.build_page(payload(""), query=QUERY)
    page_memo.build_page(payload(""), query=QUERY)
    assert len(builds) == 2


def test_the_memo_is_bounded(builds: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_memo, "KEPT", 3)
    for stamp in "abcde":
        page_memo.build_page(payload(stamp), query=QUERY)
    assert len(page_memo._pages) == 3


@pytest.mark.slow
@pytest.mark.django_db
def test_a_refresh_brings_a_new_answer_and_a_new_page(live_sandbox: Any, settings: Any) -> None:
    """Through the selector against the live sandbox: a cached answer gives the same page, a
    saved-search refresh (`fresh=True`) a new answer, a new stamp and a newly built page."""
    point_dashboard_at(settings, live_sandbox)
    page_memo.forget_all()
    query = JobQuery(
        board_keys=tuple(DEMO_BOARD_KEYS), source_key=demo_pair.SOURCE_KEY, profile_key=demo_pair.PROFILE_KEY,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
    )  # fmt: skip
    first = selectors.job_match_list(query=query, candidate_skills=("Python",))
    assert first.jobs
    assert first.stamp
    assert selectors.job_match_list(query=query, candidate_skills=("Python",)) is first
    refreshed = selectors.job_match_list(query=query, candidate_skills=("Python",), fresh=True)
    assert refreshed is not first
    assert refreshed.stamp != first.stamp
    assert [j.key for j in refreshed.jobs] == [j.key for j in first.jobs]
    assert selectors.job_match_list(query=query, candidate_skills=("Python",)) is refreshed
