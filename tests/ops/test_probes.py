"""/healthz and /readyz: no login, JSON, cheap; readiness names the unreachable part, and a down
HrFlow never fails it."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pybreaker
import pytest
from django.test import Client

from scoring.hrflow.breaker import get_breaker
from tests.ops.helpers import base_env, http_get, refused_port, start_web


def _get(client: Client, path: str, **headers: str) -> Any:
    return client.get(path, headers=headers)


@pytest.mark.django_db
def test_healthz_answers_without_login_and_without_any_query(
    user_client: Client, django_assert_num_queries: Any
) -> None:
    # A logged-in browser's session cookie too: nothing is read for the probe.
    with django_assert_num_queries(0):
        response = user_client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_is_ok_when_every_part_answers(client: Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert {name for name, check in body["checks"].items() if check["ok"]} == {"database", "cache", "broker"}


@pytest.mark.django_db
def test_readyz_fails_naming_the_broker(client: Client, settings: Any) -> None:
    with refused_port() as port:
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert str(port) not in response.content.decode(), "no connection detail in a public answer"


@pytest.mark.django_db
def test_readyz_fails_naming_the_cache(client: Client, settings: Any) -> None:
    with refused_port() as port:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_readyz_stays_ready_when_hrflow_is_down(client: Client, settings: Any) -> None:
    with refused_port() as port:
        settings.HRFLOW_API_URL = f"http://127.0.0.1:{port}/v1/"
        breaker = get_breaker(settings.HRFLOW_API_URL)
        breaker.open()  # HrFlow known down: the breaker fails calls fast
        try:
            response = client.get("/readyz")
        finally:
            breaker.close()
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["reports"]["hrflow"] == {"ok": False, "reachable": False, "breaker": pybreaker.STATE_OPEN}


@pytest.mark.django_db
def test_readyz_reports_a_reachable_hrflow(client: Client, settings: Any, live_sandbox: Any) -> None:
    settings.HRFLOW_API_URL = live_sandbox.url
    body = client.get("/readyz").json()
    assert body["reports"]["hrflow"]["reachable"] is True


def test_request_id_is_taken_from_the_proxy_or_generated(client: Client) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "req-42.abc"})
    assert given["X-Request-ID"] == "req-42.abc"
    generated = client.get("/healthz")
    assert len(generated["X-Request-ID"]) == 32
    hostile = client.get("/healthz", headers={"X-Request-ID": 'x" injected\nline'})
    assert hostile["X-Request-ID"] not in ('x" injected\nline', "")
    assert len(hostile["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_probes_stay_out_of_the_request_log_at_info(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ops.request"):
        client.get("/healthz")
        client.get("/readyz")
        client.get("/login/")
    paths = [getattr(record, "path", "") for record in caplog.records if record.name == "ops.request"]
    assert paths == ["/login/"]


@pytest.mark.slow
def test_readyz_of_a_real_web_process_names_an_unreachable_database(tmp_path: Path) -> None:
    """gunicorn with the production settings and the Procfile's config, its database on a port
    that refuses connections: alive (/healthz 200), not ready (/readyz 503 naming the
    database); the access log carries no probe at INFO."""
    with refused_port() as port:
        env = {**base_env(tmp_path), "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/nothing"}
        web = start_web(env, tmp_path, extra_args=("--workers", "1"))
        try:
            status, body, _ = http_get(web.url + "readyz")
            assert status == 503, body
            payload = json.loads(body)
            assert payload["failing"] == ["database"]
            assert payload["checks"]["cache"]["ok"] is True
            assert payload["reports"]["hrflow"] == {"ok": False, "skipped": "database unreachable"}
            assert http_get(web.url + "healthz")[0] == 200
            http_get(web.url + "login/")  # a page that needs the database: in the access log
        finally:
            web.stop()
    log = web.log()
    assert '"GET /login/' in log
    assert "GET /healthz" not in log, log[-3000:]
    assert "GET /readyz" not in log, log[-3000:]
