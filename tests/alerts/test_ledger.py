"""The announcement ledger: only genuinely new jobs, once per saved search, ever; written in
the refresh run's own transaction. Through the real refresh service (fake fetcher: no HrFlow)."""

from __future__ import annotations

from typing import Any

import pytest

from alerts import hidden
from alerts.models import AnnouncedJob, LedgerState, OutboxEmail, SkipReason
from alerts.services.compose import compose_run_email
from saved_searches import signals
from saved_searches.models import AlertMode, RunStatus, SavedSearch, SearchRun
from saved_searches.services import crud
from saved_searches.services.refresh import saved_search_refresh
from tests.alerts.conftest import QUERY, alerting_search, refresh_with
from tests.saved_searches.conftest import make_due

pytestmark = pytest.mark.django_db


def states(search: Any) -> dict[str, tuple[str, str]]:
    return {j.job_key: (j.state, j.skip_reason) for j in AnnouncedJob.objects.filter(search=search)}


def pending(search: Any) -> set[str]:
    return set(
        AnnouncedJob.objects.filter(search=search, state=LedgerState.PENDING).values_list(
            "job_key", flat=True
        )
    )


def announce(search: Any) -> set[str]:
    """Compose the e-mail of the search's latest run; the job keys it lists."""
    run = SearchRun.objects.filter(search=search, status=RunStatus.SUCCEEDED).first()
    assert run is not None
    email = compose_run_email(run_id=run.pk)
    return set(email.jobs.values_list("job_key", flat=True)) if email else set()


def test_the_first_run_is_the_baseline_and_announces_nothing(recruiter: Any, fake_upstream: Any) -> None:
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    assert states(search) == {"a": ("skipped", "baseline"), "b": ("skipped", "baseline")}
    assert announce(search) == set()


def test_a_new_job_is_announced_once_and_never_again(recruiter: Any, fake_upstream: Any) -> None:
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    refresh_with(search, ("a", 0.9), ("c", 0.85), ("b", 0.8))
    assert pending(search) == {"c"}
    assert announce(search) == {"c"}
    refresh_with(search, ("a", 0.9), ("c", 0.85), ("b", 0.8))
    assert pending(search) == set()
    assert announce(search) == set()
    assert OutboxEmail.objects.count() == 1


def test_a_job_that_drops_out_and_comes_back_is_not_new(recruiter: Any, fake_upstream: Any) -> None:
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    refresh_with(search, ("a", 0.9))  # b drops out of the top N
    refresh_with(search, ("a", 0.9), ("b", 0.8))  # and comes back
    assert pending(search) == set()


def test_editing_the_filters_does_not_announce_known_jobs_again(recruiter: Any, fake_upstream: Any) -> None:
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("c", 0.85))
    assert announce(search) == {"c"}
    # New filters reset the seen jobs and start a new baseline; the ledger keeps what it knows.
    crud.saved_search_update_filters(search=search, query_string=QUERY.replace("skills=python", "skills=sql"))
    search.refresh_from_db()
    refresh_with(search, ("c", 0.9), ("a", 0.8), ("d", 0.7))  # the new baseline
    refresh_with(search, ("c", 0.9), ("e", 0.85), ("a", 0.8), ("d", 0.7))
    assert pending(search) == {"e"}
    assert states(search)["d"] == ("skipped", "baseline")


def test_jobs_found_while_alerts_are_off_are_never_announced_later(
    recruiter: Any, fake_upstream: Any
) -> None:
    search = alerting_search(recruiter, mode=AlertMode.OFF)
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    assert states(search)["b"] == (LedgerState.SKIPPED, SkipReason.ALERTS_OFF)
    crud.saved_search_set_alert_mode(search=search, alert_mode=AlertMode.EACH_REFRESH)
    refresh_with(search, ("a", 0.9), ("b", 0.8), ("c", 0.7))
    assert pending(search) == {"c"}


def test_no_address_no_alert(recruiter: Any, fake_upstream: Any) -> None:
    recruiter.email = ""
    recruiter.save(update_fields=["email"])
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    assert states(search)["b"] == (LedgerState.SKIPPED, SkipReason.ALERTS_OFF)


def test_a_job_hidden_for_the_candidate_is_not_announced(
    recruiter: Any, fake_upstream: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[dict[str, Any]] = []

    def hidden_job_keys(**kwargs: Any) -> set[str]:
        asked.append(kwargs)
        return {"b"}

    monkeypatch.setattr(hidden, "_provider", lambda: hidden_job_keys)
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9))
    refresh_with(search, ("a", 0.9), ("b", 0.8), ("c", 0.7))
    assert states(search)["b"] == (LedgerState.SKIPPED, SkipReason.HIDDEN)
    assert pending(search) == {"c"}
    assert asked == [{"user": recruiter, "source_key": "s1", "profile_key": "a" * 40}]


def test_the_ledger_commits_or_rolls_back_with_the_run(recruiter: Any, fake_upstream: Any) -> None:
    """A failure after the ledger rows are written (another listener, the run's own save) leaves
    neither the run nor the ledger rows: the jobs are found again, as new, by the next run."""
    search = alerting_search(recruiter)
    refresh_with(search, ("a", 0.9))

    def explode(**_: Any) -> None:
        raise RuntimeError("after the ledger")

    signals.refresh_succeeded.connect(explode, dispatch_uid="test-explode")
    try:
        fake_upstream.answers.append([("a", 0.9), ("b", 0.8)])
        make_due(search)
        with pytest.raises(RuntimeError):
            saved_search_refresh(search_id=search.pk)
    finally:
        signals.refresh_succeeded.disconnect(dispatch_uid="test-explode")
    assert "b" not in states(search)
    assert SearchRun.objects.filter(search=search, status=RunStatus.SUCCEEDED).count() == 1
    SavedSearch.objects.filter(pk=search.pk).update(claimed_until=None)  # as the lease's expiry would
    refresh_with(search, ("a", 0.9), ("b", 0.8))
    assert pending(search) == {"b"}
