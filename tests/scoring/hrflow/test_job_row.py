"""The matrix's light row (`JobRow`): the four things a table of scores shows of a job, read
with the card's readers, so a row and a card of the same job never disagree; no score where
HrFlow computed none; every upstream text repaired as the card's is."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import JobRow, ScoredJob, ScoringPayload, job_rows
from tests.scoring.hrflow.payloads import ALGORITHM, BOARD_A, PROFILE, SOURCE, job

DEMO_JOBS = Path(__file__).resolve().parents[3] / "data" / "demo" / "jobs.jsonl.gz"
SCORE = ("score", "has_score", "score_pct", "score_band", "score_band_slug")
SHARED = ("key", "name", *SCORE, "company", "location_text", "url")
QUERY = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)


def demo_jobs(count: int = 30) -> list[dict[str, Any]]:
    with gzip.open(DEMO_JOBS, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for _, line in zip(range(count), lines, strict=False)]


def odd_jobs() -> list[dict[str, Any]]:
    """Shapes real HrFlow sends: no location text (its fields instead), `fields: []`, no
    name, no company tag, a company tag after others, values of the wrong type."""
    return [
        job(location={"text": "", "fields": {"city": "Lyon", "country": "France"}}),
        job(location={"text": None, "fields": []}, name=None, url=None),
        job(tags=[{"name": "remote", "value": True}]),
        job(tags=[{"name": "category", "value": "Sales"}, {"name": "company", "value": " Acme "}]),
        job(tags="not a list", location="not an object", name=42),
    ]


@pytest.mark.parametrize("score", [0.0, 0.5, 0.7996, 1.0, 1.7, -0.2, None, "0.61", float("nan")])
def test_a_row_says_what_the_card_says_of_the_same_job(score: Any) -> None:
    # Bug caught: a row reading the place, company, name or score its own way (no fields
    # fallback, the last company tag, an unrounded or unclamped percentage, a band from the
    # raw score), so the matrix and the candidate's search page disagree about one job.
    for raw in demo_jobs() + odd_jobs():
        row, card = JobRow.from_hrflow(raw, score), ScoredJob.from_hrflow(raw, score)
        assert {f: getattr(row, f) for f in SHARED} == {f: getattr(card, f) for f in SHARED}


def test_a_job_without_a_prediction_has_no_score_in_its_row() -> None:
    # Bug caught: a missing prediction read as 0 (a "0 %" cell and a "Weak" band).
    row = JobRow.from_hrflow(job(), None)
    assert (row.has_score, row.score_pct, row.score_band, row.score_band_slug) == (False, 0, "", "")
    assert JobRow.from_hrflow(job(), 0.0).has_score  # a real 0 is a score


def test_rows_of_an_answer_with_scoring_off_show_no_scores() -> None:
    # Bug caught: the rows taking HrFlow's meaningless use_agent=0 predictions as scores.
    payload = ScoringPayload(jobs=(job(), job()), scores=(0.5, 0.5), page=1, max_page=1, count=2, total=2)
    assert [r.score_pct for r in job_rows(payload, query=QUERY)] == [50, 50]
    off = job_rows(payload, query=replace(QUERY, use_agent=False))
    assert [r.has_score for r in off] == [False, False]


@given(st.text(alphabet=st.characters(categories=("Cs", "L", "N", "P", "Zs")), max_size=40))
@hsettings(max_examples=200, deadline=None)
def test_every_row_text_is_encodable(text: str) -> None:
    # Bug caught: a row field read without `_text`'s repair: a lone surrogate takes the page down.
    raw = job(
        key=text,
        name=text,
        url=text,
        location={"text": text, "fields": []},
        tags=[{"name": "company", "value": text}],
    )
    row = JobRow.from_hrflow(raw, 0.5)
    for value in (row.key, row.name, row.url, row.company, row.location_text):
        value.encode("utf-8")  # raises on a lone surrogate
