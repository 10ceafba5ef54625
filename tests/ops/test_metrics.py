"""/metrics after a few searches and a refresh: the series of issue 11, token-protected."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from saved_searches.models import SavedSearch
from saved_searches.services import crud
from saved_searches.tasks import enqueue_due_saved_searches, refresh_saved_search

pytestmark = pytest.mark.django_db

TOKEN = "metrics-test-token-0123456789"


def scrape(client: Client) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def total(samples: dict[Any, float], name: str, **labels: str) -> float:
    return sum(
        value
        for (sample_name, sample_labels), value in samples.items()
        if sample_name == name and all((k, v) in sample_labels for k, v in labels.items())
    )


def test_metrics_is_off_without_a_token_and_refuses_a_wrong_one(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_metrics_after_searches_and_a_refresh(
    user_client: Client,
    recruiter: Any,
    live_query: str,
    settings: Any,
) -> None:
    settings.METRICS_TOKEN = TOKEN
    settings.SAVED_SEARCH_TOP_N = 5
    settings.CELERY_TASK_ALWAYS_EAGER = False
    before = scrape(user_client)

    for _ in range(3):
        assert user_client.get("/?" + live_query).status_code == 200
    refreshed = crud.saved_search_create(owner=recruiter, name="metrics", query_string=live_query)
    refresh_saved_search.apply(args=[refreshed.pk])
    # A second search left due for ten minutes: the refresh lag.
    waiting = crud.saved_search_create(owner=recruiter, name="wait", query_string=live_query + "&skills=go")
    SavedSearch.objects.filter(pk=waiting.pk).update(next_due_at=timezone.now() - dt.timedelta(minutes=10))
    after = scrape(user_client)

    def delta(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    assert delta("hrflow_dash_request_duration_seconds_count", view="search", method="GET", status="200") == 3
    calls = "hrflow_dash_hrflow_call_duration_seconds_count"
    assert delta(calls, endpoint="jobs/scoring", kind="interactive", outcome="ok") >= 1
    assert delta(calls, endpoint="jobs/scoring", kind="background", outcome="ok") == 1
    assert delta("hrflow_dash_hrflow_limiter_wait_seconds_count", kind="background", acquired="true") == 1
    assert delta("hrflow_dash_saved_search_refreshes_total", outcome="succeeded", trigger="beat") == 1
    assert total(after, "hrflow_dash_hrflow_breaker_state") == 0  # closed
    assert total(after, "hrflow_dash_saved_searches_due") == 1
    assert 590 <= total(after, "hrflow_dash_saved_search_oldest_due_age_seconds") <= 900
    assert ("hrflow_dash_celery_queue_length", (("queue", "celery"),)) in after

    # The beat tick queues the waiting search: counted, and the queue holds it.
    assert enqueue_due_saved_searches.apply().get() == 1
    queued = scrape(user_client)
    enqueued = "hrflow_dash_saved_searches_enqueued_total"
    assert total(queued, enqueued) - total(after, enqueued) == 1


def test_hrflow_errors_are_counted_by_endpoint_and_kind(client: Client, settings: Any) -> None:
    from tests.ops.helpers import refused_port

    settings.METRICS_TOKEN = TOKEN
    settings.HRFLOW_RETRY_TOTAL_SECONDS = 0
    before = scrape(client)
    from scoring.hrflow.client import get_client
    from scoring.hrflow.errors import HrFlowConnectionError

    with refused_port() as port:
        settings.HRFLOW_API_URL = f"http://127.0.0.1:{port}/v1/"
        with pytest.raises(HrFlowConnectionError):
            get_client().list_boards()
    after = scrape(client)
    errors = "hrflow_dash_hrflow_call_errors_total"
    assert (
        total(after, errors, endpoint="boards", kind="interactive", error="connection_error")
        - total(before, errors, endpoint="boards", kind="interactive", error="connection_error")
        == 1
    )


def test_queue_length_counts_the_filesystem_brokers_waiting_messages(tmp_path: Any, settings: Any) -> None:
    from kombu import Connection

    from ops.metrics import queue_length

    folder = tmp_path / "queue"
    folder.mkdir()
    # The control folder too: kombu's default is "control/" in the working directory (the repo).
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),
    }
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
    assert queue_length("celery") == 0
    with Connection("filesystem://", transport_options=options) as conn:
        queue = conn.SimpleQueue("celery")
        for n in range(3):
            queue.put({"n": n})
        conn.SimpleQueue("other").put({"n": 0})
        assert queue_length("celery") == 3
        queue.get(timeout=1).ack()
    assert queue_length("celery") == 2


def test_serve_metrics_for_worker_nodes_takes_the_same_token(settings: Any) -> None:
    from ops.management.commands.serve_metrics import app

    settings.METRICS_TOKEN = TOKEN
    answers: list[str] = []

    def call(path: str, authorization: str = "") -> bytes:
        environ = {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization}
        return b"".join(app(environ, lambda status, headers: answers.append(status)))

    assert b"hrflow_dash_saved_searches_due" in call("/metrics", f"Bearer {TOKEN}")
    call("/metrics", "Bearer nope")
    call("/other", f"Bearer {TOKEN}")
    assert answers == ["200 OK", "401 Unauthorized", "404 Not Found"]
