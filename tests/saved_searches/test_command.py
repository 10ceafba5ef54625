from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from saved_searches.models import SavedSearch, SearchRun, Trigger
from tests.saved_searches.conftest import make_due, make_search

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("refresh_saved_searches", *args, stdout=out)
    return out.getvalue()


def test_due_all_and_id(user: Any, fake_upstream: Any) -> None:
    due = make_search(user, name="due")
    make_due(due)
    later = make_search(user, name="later")
    SavedSearch.objects.filter(pk=later.pk).update(next_due_at=timezone.now() + dt.timedelta(days=1))
    fake_upstream.answers += [[("j1", 0.5)]] * 4
    assert "1 saved search(es): 1 succeeded" in _run()  # --due is the default
    assert "nothing due" in _run("--due")
    assert f"{later.pk}: succeeded" in _run("--id", str(later.pk))
    assert "2 saved search(es): 2 succeeded" in _run("--all")
    assert set(SearchRun.objects.values_list("trigger", flat=True)) == {Trigger.COMMAND}
    assert SearchRun.objects.count() == 4


def test_unknown_id_is_an_error(user: Any) -> None:
    with pytest.raises(CommandError, match="no saved search with id 999"):
        _run("--id", "999")


def test_a_live_lease_is_respected(user: Any, fake_upstream: Any) -> None:
    search = make_search(user)
    SavedSearch.objects.filter(pk=search.pk).update(claimed_until=timezone.now() + dt.timedelta(minutes=1))
    assert f"{search.pk}: skipped" in _run("--id", str(search.pk))
    assert fake_upstream.calls == []
