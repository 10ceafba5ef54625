from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from saved_searches.models import SavedSearch
from saved_searches.services import crud
from tests.integration.testdb import use_file_sqlite_test_db
from tests.saved_searches import fakes

QUERY = (
    "algorithm_key=" + "e" * 40 + "&board_keys=b1&profile_key=" + "a" * 40 + "&skills=python&source_key=s1"
)
FAKE_FETCHER = "tests.saved_searches.fakes.fetch"


@pytest.fixture(autouse=True)
def _clean_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    # Rate-limit keys live in the shared cache (Redis, or the database cache that transactional
    # tests do not roll back): start and end each database test with it empty.
    uses_db = request.node.get_closest_marker("django_db") is not None
    if uses_db:
        cache.clear()
    yield
    if uses_db:
        cache.clear()


@pytest.fixture
def fake_upstream(settings: Any) -> Iterator[Any]:
    settings.SAVED_SEARCH_FETCHER = FAKE_FETCHER
    fakes.reset()
    yield fakes
    fakes.reset()


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("alice", password="pw-alice-123")


@pytest.fixture
def other_user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("mallory", password="pw-mallory-123")


def make_search(owner: Any, *, name: str = "Python jobs", query: str = QUERY, **fields: Any) -> SavedSearch:
    search = crud.saved_search_create(owner=owner, name=name, query_string=query, allow_duplicate=True)
    if fields:
        SavedSearch.objects.filter(pk=search.pk).update(**fields)
        search.refresh_from_db()
    return search


def make_due(search: SavedSearch, *, ago: float = 1) -> None:
    SavedSearch.objects.filter(pk=search.pk).update(next_due_at=timezone.now() - dt.timedelta(seconds=ago))


# Concurrent-claim tests need real locking: a file database, not shared-cache memory.
use_file_sqlite_test_db()
