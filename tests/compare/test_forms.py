"""The matrix form: the search form's filters plus up to 5 candidates of any offered source;
whatever the URL holds, the form is valid or says which field is wrong (hypothesis)."""

from __future__ import annotations

from django.http import QueryDict
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from compare.forms import (
    NOT_A_CANDIDATE,
    TOO_MANY,
    UNKNOWN_SOURCE,
    CandidateMatrixForm,
    candidate_query,
    matrix_query_items,
)
from compare.matrix import CandidateRef

SOURCES = ["5" * 40, "6" * 40]
ALGO = "a" * 40
BOARDS = ["b" * 40, "c" * 40]
CHOICES = {
    "source_choices": [(k, k[:4]) for k in SOURCES],
    "algorithm_choices": [(ALGO, "Algo")],
    "board_choices": [(k, k[:4]) for k in BOARDS],
}


def form(query: str) -> CandidateMatrixForm:
    return CandidateMatrixForm(QueryDict(query), **CHOICES)


def token(source: str, n: int) -> str:
    return f"{source}:{n:040x}"


def test_candidates_of_any_source_in_the_order_given_without_repeats() -> None:
    f = form(
        f"candidate={token(SOURCES[1], 2)}&candidate={token(SOURCES[0], 1)}&candidate={token(SOURCES[1], 2)}"
    )
    assert f.is_valid(), f.errors
    assert f.candidates == (CandidateRef(SOURCES[1], f"{2:040x}"), CandidateRef(SOURCES[0], f"{1:040x}"))


def test_at_most_five_candidates() -> None:
    query = "&".join(f"candidate={token(SOURCES[0], n)}" for n in range(6))
    f = form(query)
    assert not f.is_valid()
    assert f.errors["candidate"] == [TOO_MANY]
    assert form("&".join(f"candidate={token(SOURCES[0], n)}" for n in range(5))).is_valid()


def test_a_malformed_candidate_or_a_source_not_offered_is_a_form_error() -> None:
    assert form("candidate=../../etc").errors["candidate"] == [NOT_A_CANDIDATE.format(value="../../etc")]
    assert form(f"candidate={token('7' * 40, 1)}").errors["candidate"] == [UNKNOWN_SOURCE]


def test_the_search_forms_filters_are_the_matrix_filters() -> None:
    f = form("skills__text=Python, SQL&lat=40.7&lng=-74&location_distance=25&min_score=40&page=3&limit=10")
    assert f.is_valid(), f.errors
    filters = f.filters_query()
    assert filters.skills == ("Python", "SQL")
    assert (filters.lat, filters.lng, filters.location_distance) == (40.7, -74, 25)
    assert filters.score_threshold == 0.4
    # The matrix sets each column's own page, size and order: the search's are dropped.
    assert (filters.page, filters.limit, filters.profile_key) == (1, 30, "")


def test_a_column_is_its_candidates_first_page_by_score() -> None:
    f = form("skills=Python&sort_by=created_at&limit=10")
    assert f.is_valid(), f.errors
    ref = CandidateRef(SOURCES[1], "d" * 40)
    query = candidate_query(f.filters_query(), ref)
    assert (query.source_key, query.profile_key, query.sort_by, query.order_by) == (
        SOURCES[1],
        "d" * 40,
        "scoring",
        "desc",
    )
    assert (query.page, query.limit, query.skills) == (1, 30, ("Python",))


def test_the_canonical_url_round_trips_through_the_form() -> None:
    f = form(f"skills__text=SQL, Python&candidate={token(SOURCES[0], 1)}&candidate={token(SOURCES[1], 2)}")
    assert f.is_valid(), f.errors
    items = matrix_query_items(f.filters_query(), f.candidates)
    again = CandidateMatrixForm(_query(items), **CHOICES)
    assert again.is_valid(), again.errors
    assert (again.filters_query(), again.candidates) == (f.filters_query(), f.candidates)


def _query(items: list[tuple[str, str]]) -> QueryDict:
    q = QueryDict(mutable=True)
    for name, value in items:
        q.appendlist(name, value)
    return q


PARAMS = ["candidate", "skills", "skills__text", "lat", "lng", "location_distance", "min_score",
          "score_threshold", "tags_in__text", "date_preset", "salary_min", "board_keys",
          "use_agent"]  # fmt: skip
VALUES = st.one_of(
    st.text(max_size=90),
    st.sampled_from([token(SOURCES[0], 1), "nan", "inf", "-1", "1e400", "remote:true", "(a:b|", "7d", ALGO]),
)


@hsettings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=12))
def test_any_url_is_valid_or_a_form_error(items: list[tuple[str, str]]) -> None:
    f = CandidateMatrixForm(_query(items), **CHOICES)
    if f.is_valid():
        filters = f.filters_query()  # never raises on a valid form
        assert len(f.candidates) <= 5
        assert filters.page == 1
    else:
        assert f.errors
