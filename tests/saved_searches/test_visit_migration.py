"""Migration 0006 moves the owner's view state off the saved search row into `SearchVisit`
(one mechanism for owner and teammates): existing visits are kept, so no owner's "New" badges
change, and going back puts the owner's visit on the row again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.saved_searches.test_tag_migration import migrate

BEFORE = [("saved_searches", "0005_savedsearch_alert_mode")]
AFTER = [("saved_searches", "0006_search_visits_and_team_sharing")]
QUERY = "board_keys=b1&profile_key=" + "a" * 40 + "&source_key=s1"


@pytest.fixture
def old_schema(transactional_db: None) -> Iterator[Any]:
    apps = migrate(BEFORE)
    yield apps
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_visits_move_to_their_table_and_back(old_schema: Any) -> None:
    User = old_schema.get_model("auth", "User")
    Search = old_schema.get_model("saved_searches", "SavedSearch")
    owner = User.objects.create(username="alice")
    now = timezone.now()
    last, previous = now - dt.timedelta(hours=1), now - dt.timedelta(days=2)
    common = {"owner_id": owner.pk, "query_string": QUERY, "baseline_started_at": now}
    visited = Search.objects.create(
        name="visited", last_viewed_at=last, previous_viewed_at=previous, **common
    )
    once = Search.objects.create(name="once", last_viewed_at=last, **common)
    never = Search.objects.create(name="never", **common)

    apps = migrate(AFTER)

    Visit = apps.get_model("saved_searches", "SearchVisit")
    rows = {v.search_id: (v.user_id, v.last_viewed_at, v.previous_viewed_at) for v in Visit.objects.all()}
    assert rows == {visited.pk: (owner.pk, last, previous), once.pk: (owner.pk, last, None)}
    assert never.pk not in rows

    back = migrate(BEFORE).get_model("saved_searches", "SavedSearch")
    restored = {s.pk: (s.last_viewed_at, s.previous_viewed_at) for s in back.objects.all()}
    assert restored == {visited.pk: (last, previous), once.pk: (last, None), never.pk: (None, None)}
