"""The engine as pure functions over in-memory jobs (no database, no HTTP)."""

import numpy as np
import pytest

from sandbox.engine import scoring
from sandbox.engine.index import IndexedJob, build_index
from sandbox.engine.search import search
from sandbox.params import DateRange, FloatRange, RawParams, ScoringRequest, parse_scoring

BOARD = "a" * 40
ALGORITHM = "c" * 40


def job(number: int, name: str, skills: list[str], **extra: object) -> IndexedJob:
    payload = {
        "key": f"{number:040x}",
        "board_key": BOARD,
        "name": name,
        "summary": extra.pop("summary", f"{name} role"),
        "skills": [{"name": s, "type": "hard", "value": None} for s in skills],
        "tags": extra.pop("tags", []),
        "location": extra.pop("location", {"lat": None, "lng": None}),
        "created_at": f"2026-01-{number:02d}T00:00:00+0000",
        **extra,
    }
    return IndexedJob(number, payload["key"], BOARD, payload)


JOBS = [
    job(1, "Data Scientist", ["python", "statistics", "machine learning"]),
    job(2, "Senior Data Scientist", ["python", "machine learning", "deep learning"]),
    job(3, "Accountant", ["excel", "gaap"], tags=[{"name": "remote", "value": True}]),
    job(4, "Python Developer", ["python", "django", "sql"], location={"lat": 48.85, "lng": 2.35}),
    job(
        5,
        "Sales Executive",
        ["salesforce", "negotiation"],
        ranges_date=[{"name": "start", "value_min": "2026-03-01", "value_max": None}],
    ),
    job(
        6,
        "Backend Engineer",
        ["python", "sql"],
        ranges_float=[{"name": "salary", "value_min": 50000, "value_max": 70000, "unit": "EUR"}],
    ),
]
PROFILE = {
    "info": {"summary": "Data scientist doing machine learning in python"},
    "experiences": [{"title": "Data Scientist", "description": "statistics and python models"}],
    "skills": [{"name": "Python"}, {"name": "Statistics"}, {"name": "Machine Learning"}],
    "experiences_duration": 4,
}


@pytest.fixture(scope="module")
def index():  # type: ignore[no-untyped-def]
    return build_index(JOBS, version=1)


def scores(index, weights=scoring.ALGORITHM_WEIGHTS["balanced"]):  # type: ignore[no-untyped-def]
    return scoring.combine(scoring.features(index, scoring.profile_vector(index, PROFILE)), weights)


def request(**params: object) -> ScoringRequest:
    return parse_scoring(
        RawParams(
            {"board_keys": [BOARD], "algorithm_key": ALGORITHM, "use_agent": 0, **params}, from_query=False
        ),
        max_limit=100,
    )


def test_scores_are_probabilities_and_rank_the_data_jobs_first(index) -> None:  # type: ignore[no-untyped-def]
    values = scores(index)
    assert np.all((values > 0) & (values < 1))
    ranked = search(index, request(limit=6), values)
    assert [index.ids[r] for r in ranked.rows[:2]] == [1, 2]
    assert index.ids[ranked.rows[-1]] in (3, 5)


def test_algorithms_weigh_differently(index) -> None:  # type: ignore[no-untyped-def]
    assert not np.allclose(scores(index), scores(index, scoring.ALGORITHM_WEIGHTS["skills-first"]))


def test_reasons(index) -> None:  # type: ignore[no-untyped-def]
    vector = scoring.profile_vector(index, PROFILE)
    assert scoring.reasons(JOBS[1].payload, vector) == {
        "matched_skills": ["python", "machine learning"],
        "missing_skills": ["deep learning"],
    }


def test_ties_break_by_id_and_filters_keep_order(index) -> None:  # type: ignore[no-untyped-def]
    flat = np.full(index.n, 0.5)
    everything = search(index, request(limit=100), flat)
    assert list(
        index.ids[
            search(
                index,
                request(limit=100, sort_by="scoring", use_agent=1, source_key=BOARD, profile_key=BOARD),
                flat,
            ).rows
        ]
    ) == [1, 2, 3, 4, 5, 6]
    narrowed = search(index, request(limit=100, skills=["python"]), flat)
    assert set(index.ids[narrowed.rows]) == {1, 2, 4, 6}
    positions = [list(everything.rows).index(r) for r in narrowed.rows]
    assert positions == sorted(positions)


def test_top_k_pages_equal_full_sort(index) -> None:  # type: ignore[no-untyped-def]
    values = scores(index)
    full = list(
        search(index, request(limit=100, use_agent=1, source_key=BOARD, profile_key=BOARD), values).rows
    )
    paged = [
        r
        for page in (1, 2, 3)
        for r in search(
            index, request(limit=2, page=page, use_agent=1, source_key=BOARD, profile_key=BOARD), values
        ).rows
    ]
    assert paged == full


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tags_included": [[{"name": "remote", "value": "TRUE"}]]}, {3}),
        ({"tags_excluded": [[{"name": "remote", "value": 1 == 1}]]}, {1, 2, 4, 5, 6}),
        ({"text_keywords": ["data SCIENTIST"]}, {1, 2}),
        ({"summary_keywords": ["senior"]}, {2}),
        ({"location_geopoint": {"lat": 48.9, "lng": 2.4}, "location_distance": 10}, {4}),
        ({"location_geopoint": {"lat": 48.9, "lng": 2.4}, "location_distance": 1}, set()),
        ({"date_range_min": "2026-01-03", "date_range_max": "2026-01-04T00:00:00+0000"}, {3, 4}),
    ],
)
def test_filters(index, params: dict, expected: set[int]) -> None:  # type: ignore[no-untyped-def]
    assert set(index.ids[search(index, request(limit=100, **params), None).rows]) == expected


def test_range_overlap(index) -> None:  # type: ignore[no-untyped-def]
    def ids(req: ScoringRequest) -> set[int]:
        return set(index.ids[search(index, req, None).rows])

    base = request(limit=100)
    assert ids(
        ScoringRequest(**{**base.__dict__, "ranges_float": [FloatRange("salary", 65000, None, None)]})
    ) == {6}
    assert (
        ids(ScoringRequest(**{**base.__dict__, "ranges_float": [FloatRange("salary", 80000, 90000, None)]}))
        == set()
    )
    assert (
        ids(ScoringRequest(**{**base.__dict__, "ranges_float": [FloatRange("salary", 0, 60000, "usd")]}))
        == set()
    )
    from datetime import UTC, datetime

    later = DateRange("start", datetime(2027, 1, 1, tzinfo=UTC), None)
    earlier = DateRange("start", None, datetime(2026, 1, 1, tzinfo=UTC))
    assert ids(ScoringRequest(**{**base.__dict__, "ranges_date": [later]})) == {5}
    assert ids(ScoringRequest(**{**base.__dict__, "ranges_date": [earlier]})) == set()


def test_empty_corpus_builds() -> None:
    empty = build_index([], version=0)
    assert search(empty, request(), None).total == 0
