"""Issue 8 fault 7 (dashboard side): keywords HrFlow cannot match, and the export's statuses.

Why `text_keywords=%` failed: not an encoding problem (`%` travels as `%25` inside the JSON
array and arrives intact; `100%` and `a%b` run fine). Keyword filters match whole words, and a
keyword with no letter or digit has no word to match: the sandbox answers 400 "has no word
characters to match", so every refresh of a saved search holding it failed. The form refuses
such keywords in plain words; the CSV export answers 400 for bad filters (ours or refused
upstream) and 502 only when HrFlow itself fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
import responses
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from saved_searches.services import crud
from scoring.forms import JobSearchForm
from scoring.hrflow.query import JobQuery
from tests.scoring.hrflow.payloads import ALGORITHM, BOARD_A, PROFILE, SOURCE, envelope, job, profile

pytestmark = pytest.mark.django_db
API_URL = "http://hrflow.keywords.test/v1/"
UNMATCHABLE = ["%", "%%", "*", "?", "&", "+", "#", "'", '"', "\\", "[", "-", "..."]
MATCHABLE = ["100%", "a%b", "c++", "c#", "node.js", "_", "é", "data engineer", "3d"]
BASE = f"profile_key={PROFILE}"


def _enc(value: str) -> str:
    return quote(value, safe="")


def make_form(qs: str) -> JobSearchForm:
    return JobSearchForm(
        QueryDict(qs),
        board_choices=[(BOARD_A, "Board")],
        source_choices=[(SOURCE, "Source")],
        algorithm_choices=[(ALGORITHM, "Algo")],
    )


@pytest.mark.parametrize("field", ["text_keywords", "summary_keywords"])
@pytest.mark.parametrize("keyword", UNMATCHABLE)
def test_a_keyword_without_letters_or_digits_is_a_plain_words_form_error(field: str, keyword: str) -> None:
    form = make_form(f"{BASE}&{field}={_enc(keyword)}")
    assert not form.is_valid()
    message = " ".join(form.errors[field])
    assert "letter or digit" in message
    assert keyword in message


@pytest.mark.parametrize("keyword", MATCHABLE)
def test_keywords_with_a_word_are_accepted(keyword: str) -> None:
    form = make_form(f"{BASE}&text_keywords={_enc(keyword)}")
    assert form.is_valid(), form.errors
    assert form.to_query().text_keywords == (keyword,)


@given(st.text(alphabet=st.characters(categories=("P", "S", "Zs"), exclude_characters="_"), max_size=10))
@hsettings(max_examples=100, deadline=None)
def test_no_keyword_without_a_word_character_gets_through(keyword: str) -> None:
    form = make_form(BASE + "&text_keywords=" + _enc(keyword))
    if keyword.strip():
        assert not form.is_valid()
        assert "text_keywords" in form.errors


def test_saving_a_search_with_an_unmatchable_keyword_is_refused(django_user_model: Any) -> None:
    owner = django_user_model.objects.create_user("kw", password="pw-for-tests")
    query = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, text_keywords=("%",))
    with pytest.raises(ValidationError):
        crud.saved_search_create(owner=owner, name="broken", query_string=query.to_query_string())


# --- the search page and the CSV export, through the real client ----------------------------


@pytest.fixture
def upstream(settings: Any) -> Iterator[responses.RequestsMock]:
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_BOARD_KEYS = [BOARD_A]
    settings.HRFLOW_SOURCE_KEYS = [SOURCE]
    settings.HRFLOW_ALGORITHM_KEYS = [ALGORITHM]
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0.0  # no retry waits in these tests
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        for path, body in (
            ("boards", {"code": 200, "message": "ok", "data": [{"key": BOARD_A, "name": "Board"}]}),
            ("sources", {"code": 200, "message": "ok", "data": [{"key": SOURCE, "name": "Source"}]}),
            ("profile/indexing", {"code": 200, "message": "ok", "data": profile(full_name="Ada")}),
        ):
            mocked.add(responses.GET, API_URL + path, json=body)
        yield mocked


@pytest.fixture
def user_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("kw-rec", password="pw-for-tests"))
    return client


def scoring_calls(mocked: responses.RequestsMock) -> int:
    return sum(1 for call in mocked.calls if "jobs/scoring" in (call.request.url or ""))


def export(client: Client, extra: str = "") -> Any:
    query = JobQuery(board_keys=(BOARD_A,), source_key=SOURCE, profile_key=PROFILE, algorithm_key=ALGORITHM)
    return client.get(reverse("export-csv") + "?" + query.to_query_string() + extra)


def test_search_page_shows_the_keyword_error_and_never_asks_upstream(
    upstream: Any, user_client: Client
) -> None:
    upstream.add(responses.GET, API_URL + "jobs/scoring", json=envelope([job()]))
    body = user_client.get(f"/?{BASE}&source_key={SOURCE}&text_keywords=%25").content.decode()
    assert "Some filters need fixing" in body
    assert "letter or digit" in body
    assert scoring_calls(upstream) == 0


def test_export_answers_400_for_an_unmatchable_keyword(upstream: Any, user_client: Client) -> None:
    upstream.add(responses.GET, API_URL + "jobs/scoring", json=envelope([job()]))
    response = export(user_client, "&text_keywords=%25")
    assert response.status_code == 400
    assert "letter or digit" in response.content.decode()
    assert scoring_calls(upstream) == 0


def test_export_answers_400_when_upstream_refuses_the_filters(upstream: Any, user_client: Client) -> None:
    message = "text_keywords[0]: has no word characters to match"
    upstream.add(responses.GET, API_URL + "jobs/scoring", json={"code": 400, "message": message}, status=400)
    response = export(user_client, "&text_keywords=x")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize("status", [500, 401])
def test_export_answers_502_for_upstream_faults(upstream: Any, user_client: Client, status: int) -> None:
    upstream.add(
        responses.GET, API_URL + "jobs/scoring", json={"code": status, "message": "boom"}, status=status
    )
    response = export(user_client)
    assert response.status_code == 502
    assert b"boom" not in response.content  # the raw upstream message never reaches the recruiter


def test_export_answers_502_when_the_form_choices_cannot_load(settings: Any, user_client: Client) -> None:
    settings.HRFLOW_API_URL = API_URL
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    with responses.RequestsMock() as mocked:
        mocked.add(responses.GET, API_URL + "boards", json={"code": 500, "message": "down"}, status=500)
        response = export(user_client)
    assert response.status_code == 502
