"""LOG_FORMAT=json: one object per line with the request id, the user id (never the name or
e-mail) and the HrFlow call's fields; Celery task lines carry the saved search and refresh run."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client

from saved_searches.models import SearchRun
from saved_searches.services import crud
from saved_searches.tasks import refresh_saved_search
from tests.ops.helpers import json_lines

pytestmark = pytest.mark.django_db


def test_a_search_logs_request_id_user_id_and_the_hrflow_call(
    user_client: Client, recruiter: Any, live_query: str, upstream: Any
) -> None:
    with json_lines() as lines:
        response = user_client.get("/?" + live_query, headers={"X-Request-ID": "search-req-1"})
    assert response.status_code == 200
    objects = lines.objects
    assert objects, "nothing logged"
    assert {obj["request_id"] for obj in objects} == {"search-req-1"}, "every line of the request"
    calls = [obj for obj in objects if obj.get("hrflow_endpoint") == "jobs/scoring"]
    assert calls, [obj["message"] for obj in objects]
    call = calls[0]
    assert call["user_id"] == recruiter.pk
    assert call["hrflow_status"] == 200
    assert call["hrflow_attempt"] == 1
    assert call["hrflow_method"] == "GET"
    assert call["hrflow_call_kind"] == "interactive"
    assert isinstance(call["hrflow_duration_ms"], float)
    assert call["level"] == "INFO"
    request_line = [obj for obj in objects if obj["logger"] == "ops.request"]
    assert request_line[-1]["view"] == "search"
    assert request_line[-1]["status"] == 200
    text = "\n".join(lines.text)
    for secret_or_personal in (upstream.api_key, recruiter.username, recruiter.email, upstream.user_email):
        assert secret_or_personal not in text


def test_refresh_task_lines_carry_the_saved_search_and_the_run(
    recruiter: Any, live_query: str, settings: Any
) -> None:
    settings.SAVED_SEARCH_TOP_N = 5
    search = crud.saved_search_create(owner=recruiter, name="ops log", query_string=live_query)
    with json_lines() as lines:
        refresh_saved_search.apply(args=[search.pk])
    run = SearchRun.objects.get(search=search)
    objects = lines.objects
    calls = [obj for obj in objects if obj.get("hrflow_endpoint") == "jobs/scoring"]
    assert calls
    for obj in [*calls, *[o for o in objects if o["logger"] == "saved_searches.tasks"]]:
        assert obj["saved_search_id"] == search.pk
        assert obj["refresh_run_id"] == run.pk
        assert obj["task_id"]
    assert calls[0]["hrflow_call_kind"] == "background"
    done = [obj for obj in objects if obj["logger"] == "saved_searches.tasks"]
    assert done[-1]["outcome"] == "succeeded"


def test_context_does_not_leak_into_the_next_task(recruiter: Any, live_query: str) -> None:
    search = crud.saved_search_create(owner=recruiter, name="ops leak", query_string=live_query)
    refresh_saved_search.apply(args=[search.pk])
    with json_lines() as lines:
        logging.getLogger("tests.ops").info("after the task")
    assert lines.objects[0]["saved_search_id"] is None
    assert lines.objects[0]["refresh_run_id"] is None
