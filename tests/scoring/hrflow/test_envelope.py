"""Unpacking a scoring answer's envelope (`ScoringPayload.from_envelope`): what the page numbers,
the scores and the answer's stamp rest on. Written from mutmut's survivors (docs/testing.md,
2026-12-04); each test names the mistake it catches."""

from __future__ import annotations

import pytest

from scoring.hrflow.results import ScoringPayload
from tests.scoring.hrflow.payloads import envelope, job


def with_meta(**meta: object) -> dict:
    body = envelope([job(), job(key="2")], [0.9, 0.8])
    body["meta"] = meta
    return body


@pytest.mark.parametrize(
    ("meta", "page", "max_page"),
    [
        ({"page": 3, "maxPage": 7}, 3, 7),
        ({"page": 3, "max_page": 7}, 3, 7),  # the snake_case spelling some answers use
        ({"page": -2, "maxPage": -1}, 0, 0),  # nonsense: "not said"
        ({}, 0, 0),
    ],
)
def test_the_page_and_last_page_come_from_meta(meta: dict, page: int, max_page: int) -> None:
    # Caught: meta's page not read (the query's page always used, so a page HrFlow moved is
    # shown under the asked number), max_page's snake_case spelling ignored.
    payload = ScoringPayload.from_envelope(with_meta(**meta))
    assert (payload.page, payload.max_page) == (page, max_page)


def test_scores_outside_zero_to_one_are_clamped() -> None:
    # Caught: a wrong upper bound (a 130 % card).
    payload = ScoringPayload.from_envelope(envelope([job(), job(key="2")], [1.3, -0.2]))
    assert payload.scores == (1.0, 0.0)


def test_every_answer_gets_its_own_stamp() -> None:
    # Caught: no stamp, or one shared by answers: the page memo (scoring/page_memo.py) would show
    # an older answer's page for a newer one.
    first, second = (ScoringPayload.from_envelope(envelope()) for _ in range(2))
    assert first.stamp
    assert second.stamp
    assert first.stamp != second.stamp
