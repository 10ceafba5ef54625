"""The tag-syntax data migration (issue 7) through Django's migration executor, and the
"needs review" state it gives to searches whose meaning it cannot keep.

Each migration test migrates saved_searches back to 0001, inserts rows with the old syntax
through the historical models, and migrates forward.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from saved_searches.models import SavedSearch
from saved_searches.services import crud
from saved_searches.services.claim import saved_search_claim, saved_search_due_ids
from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import TagFilter
from tests.saved_searches.conftest import make_due, make_search

BEFORE = [("saved_searches", "0001_initial")]
AFTER = [("saved_searches", "0003_convert_tag_syntax")]
BASE = "board_keys=b1&profile_key=" + "a" * 40 + "&skills=python&source_key=s1"
OLD_EXAMPLE = (
    "board_keys=b1&profile_key=" + "a" * 40 + "&skills=python&source_key=s1"
    "&tags_excluded=work_mode%3Aonsite"
    "&tags_included=category%3Asales%2Bremote%3Atrue&tags_included=category%3Amarketing%2Bremote%3Atrue"
)
# 5 AND-groups of 2 tags → 2^5 = 32 OR-groups: more than 16.
OLD_HUGE = BASE + "".join(f"&tags_included=a%3A{i}%2Bb%3A{i}" for i in range(5))
OLD_JOINT_EXCLUSION = BASE + "&tags_excluded=remote%3Atrue%2Bcategory%3Asales"


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema(transactional_db: None) -> Iterator[Any]:
    apps = migrate(BEFORE)
    yield apps
    # Back to every app's latest migration, not only saved_searches': going back to 0001 also
    # unapplied the apps that depend on it (alerts), and a later test (or a real worker sharing
    # PostgreSQL's test database) would meet their missing tables.
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    migrate(latest)
    assert not MigrationExecutor(connection).migration_plan(latest), "migrations left unapplied"


def insert_old(apps: Any, owner_id: int, query_string: str, **fields: Any) -> int:
    SavedSearch_ = apps.get_model("saved_searches", "SavedSearch")
    now = timezone.now()
    row = SavedSearch_.objects.create(
        owner_id=owner_id, name="old", query_string=query_string,
        baseline_started_at=now - dt.timedelta(days=3), next_due_at=now - dt.timedelta(minutes=1), **fields,
    )  # fmt: skip
    return row.pk


def test_old_rows_are_converted_to_the_same_meaning_and_keep_their_history(old_schema: Any) -> None:
    User = old_schema.get_model("auth", "User")
    SearchRun_ = old_schema.get_model("saved_searches", "SearchRun")
    SeenJob_ = old_schema.get_model("saved_searches", "SeenJob")
    owner = User.objects.create(username="alice")
    pk = insert_old(old_schema, owner.pk, OLD_EXAMPLE, params={"old": ["x"]})
    now = timezone.now()
    run = SearchRun_.objects.create(
        search_id=pk, claim_token="00000000-0000-0000-0000-000000000001", trigger="beat", status="succeeded",
        started_at=now - dt.timedelta(days=2),
    )  # fmt: skip
    old_apps_search = old_schema.get_model("saved_searches", "SavedSearch")
    old_apps_search.objects.filter(pk=pk).update(baseline_run_id=run.pk, last_viewed_at=now)
    SeenJob_.objects.create(search_id=pk, job_key="k" * 40, first_seen_at=now - dt.timedelta(days=1))
    kept = ("baseline_started_at", "baseline_run_id", "last_viewed_at")
    before = old_apps_search.objects.values(*kept).get(pk=pk)

    apps = migrate(AFTER)

    search = apps.get_model("saved_searches", "SavedSearch").objects.get(pk=pk)
    assert search.needs_review is False
    assert "tags_included" not in search.query_string
    assert "tags_excluded" not in search.query_string
    query = JobQuery.from_query_string(search.query_string)
    assert query.tags_included == (
        (TagFilter("category", "marketing"), TagFilter("category", "sales")),
        (TagFilter("remote", "true"),),
    )
    assert query.tags_excluded == (TagFilter("work_mode", "onsite"),)
    assert search.query_string == query.to_query_string(), "stored in canonical form"
    assert search.params["tags_in"] == ["category:marketing", "category:sales", "remote:true"]
    assert search.params["tags_out"] == ["work_mode:onsite"]
    after = {k: getattr(search, k) for k in kept}
    assert after == before, "converting does not reset the New baseline"
    assert apps.get_model("saved_searches", "SeenJob").objects.filter(search_id=pk).count() == 1


def test_rows_past_16_groups_or_with_joint_exclusions_need_review(old_schema: Any) -> None:
    User = old_schema.get_model("auth", "User")
    owner = User.objects.create(username="bob")
    huge = insert_old(old_schema, owner.pk, OLD_HUGE)
    joint = insert_old(old_schema, owner.pk, OLD_JOINT_EXCLUSION)
    plain = insert_old(old_schema, owner.pk, BASE)

    apps = migrate(AFTER)

    rows = {s.pk: s for s in apps.get_model("saved_searches", "SavedSearch").objects.all()}
    assert rows[huge].needs_review is True
    assert "32 groups" in rows[huge].review_reason
    assert rows[huge].query_string == OLD_HUGE, "kept as it was, for its owner to review"
    assert rows[joint].needs_review is True
    assert "several tags together" in rows[joint].review_reason
    assert rows[plain].needs_review is False
    assert rows[plain].query_string == BASE


def test_migrating_back_restores_the_old_syntax_with_the_same_meaning(old_schema: Any) -> None:
    User = old_schema.get_model("auth", "User")
    owner = User.objects.create(username="carol")
    pk = insert_old(old_schema, owner.pk, OLD_EXAMPLE)
    migrate(AFTER)

    apps = migrate(BEFORE)

    restored = apps.get_model("saved_searches", "SavedSearch").objects.get(pk=pk).query_string
    assert sorted(parse_qsl(restored)) == sorted(parse_qsl(OLD_EXAMPLE))


# --- the needs-review state ---------------------------------------------------------------


@pytest.fixture
def review(user: Any) -> SavedSearch:
    search = make_search(user)
    SavedSearch.objects.filter(pk=search.pk).update(
        query_string=OLD_HUGE, needs_review=True, review_reason="its tag filter would need 32 groups"
    )
    make_due(search)
    search.refresh_from_db()
    return search


@pytest.mark.django_db
def test_a_search_that_needs_review_is_never_claimed_or_queued(review: SavedSearch, user: Any) -> None:
    normal = make_search(user, name="normal")
    make_due(normal)

    assert saved_search_due_ids() == [normal.pk]
    assert saved_search_claim(search_id=review.pk) is None
    assert crud.saved_search_request_refresh(search=review) is False
    review.refresh_from_db()
    assert review.last_status == "never", "not left queued forever"


@pytest.mark.django_db
def test_saving_the_filters_again_ends_the_review(review: SavedSearch) -> None:
    crud.saved_search_update_filters(search=review, query_string=BASE + "&tags_in=remote%3Atrue")

    review.refresh_from_db()
    assert (review.needs_review, review.review_reason) == (False, "")
    assert saved_search_claim(search_id=review.pk, now=timezone.now() + dt.timedelta(seconds=1)) is not None


@pytest.mark.django_db
def test_the_list_and_the_opened_search_say_filters_changed_meaning(
    client: Client, user: Any, review: SavedSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scoring import selectors
    from scoring.hrflow.results import AlgorithmOption, BoardOption, Candidate, SourceOption

    monkeypatch.setattr(selectors, "board_list", lambda: [BoardOption("b1", "Board")])
    monkeypatch.setattr(selectors, "source_list", lambda: [SourceOption("s1", "Source")])
    monkeypatch.setattr(selectors, "algorithm_list", lambda: [AlgorithmOption("a" * 40, "Algo")])
    monkeypatch.setattr(selectors, "profile_get", lambda **kw: Candidate.from_hrflow({"key": kw["key"]}))
    client.force_login(user)

    listing = client.get("/saved/").content.decode()
    assert "Filters changed meaning, please review: its tag filter would need 32 groups" in listing
    assert "Needs review" in listing
    opened = client.get(f"/saved/{review.pk}/", follow=True).content.decode()
    assert "Filters changed meaning, please review" in opened
    assert "Continue without the old tag filter" in opened
