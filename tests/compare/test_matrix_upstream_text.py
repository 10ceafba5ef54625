"""What the matrix page prints of upstream's jobs, through the real client, parser (its light
rows), view and template, with HrFlow's answers injected by `responses`: hostile text
escaped, lone surrogates repaired, and no score shown where HrFlow computed none (neither in
the cell nor as the row's best, nor in the CSV)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import responses
from django.test import Client

from tests.scoring.hrflow.payloads import ALGORITHM, BOARD_A, PROFILE, SOURCE, envelope, job, profile

pytestmark = pytest.mark.django_db(transaction=True)

API_URL = "http://hrflow.matrix-text.test/v1/"
LONE = "\ud800"
REPLACEMENT = "\ufffd"
HOSTILE = '<script>alert("x")</script> & <b>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;"
QUERY = f"board_keys={BOARD_A}&algorithm_key={ALGORITHM}&candidate={SOURCE}:{PROFILE}"


def jobs() -> list[dict[str, Any]]:
    return [
        job(
            key="1" * 40,
            name=f"Engineer {HOSTILE}",
            url="https://example.com/1",
            location={"text": f"Paris {HOSTILE}", "lat": 48.86, "lng": 2.33, "fields": []},
            tags=[{"name": "company", "value": f"Acme {HOSTILE}"}],
        ),
        job(
            key="2" * 40,
            name=f"Data {LONE} Analyst",
            url="https://example.com/2",
            location={"text": f"Lyon {LONE}", "fields": []},
            tags=[{"name": "company", "value": f"Beta {LONE}"}],
        ),
        job(key="3" * 40, name="Unscored Job", url="https://example.com/3"),
    ]


def scoring_answer() -> str:
    body = envelope(jobs(), [0.81, 0.42, 0.0])
    body["data"]["predictions"][2] = [None, None]  # HrFlow computed no score for the third job
    text = json.dumps(body)  # ensure_ascii: the surrogate travels as the escape \ud800
    assert "\\ud800" in text
    return text


@pytest.fixture
def upstream(settings: Any) -> Iterator[responses.RequestsMock]:
    settings.HRFLOW_API_URL = API_URL
    settings.HRFLOW_BOARD_KEYS = [BOARD_A]
    settings.HRFLOW_SOURCE_KEYS = [SOURCE]
    settings.HRFLOW_ALGORITHM_KEYS = [ALGORITHM]
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": uuid.uuid4().hex}
    }
    ok = {"code": 200, "message": "ok"}
    answers = {
        "boards": json.dumps({**ok, "data": [{"key": BOARD_A, "name": "Board"}]}),
        "sources": json.dumps({**ok, "data": [{"key": SOURCE, "name": "Source"}]}),
        "profile/indexing": json.dumps({**ok, "data": profile(full_name="Ada Lovelace")}),
        "jobs/scoring": scoring_answer(),
    }
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        for path, body in answers.items():
            mocked.add(responses.GET, API_URL + path, body=body, content_type="application/json")
        yield mocked


@pytest.fixture
def recruiter(client: Client, django_user_model: Any) -> Client:
    client.force_login(django_user_model.objects.create_user("tess", password="x"))
    return client


def matrix_html(client: Client) -> str:
    response = client.get("/compare/?" + QUERY)
    assert response.status_code == 200
    assert not response.context["matrix"].failed
    return response.content.decode("utf-8")


def row_html(html: str, key: str) -> str:
    start = html.index(f'<tr data-job-key="{key}">')
    return html[start : html.index("</tr>", start)]


def test_upstream_text_is_escaped_in_the_matrix(upstream: Any, recruiter: Client) -> None:
    # Bug caught: a row's title, company or place printed unescaped (`|safe`, or a row type
    # whose strings are marked safe): a job's name would run script in the recruiter's page.
    row = row_html(matrix_html(recruiter), "1" * 40)
    assert "<script>" not in row
    assert "<b>" not in row
    for text in (f"Engineer {ESCAPED}", f"Acme {ESCAPED}", f"Paris {ESCAPED}"):
        assert text in row


def test_lone_surrogates_are_repaired_in_the_matrix_and_its_csv(upstream: Any, recruiter: Client) -> None:
    # Bug caught: a row's text read without the repair: the page cannot be encoded (a 500).
    row = row_html(matrix_html(recruiter), "2" * 40)
    for text in (f"Data {REPLACEMENT} Analyst", f"Beta {REPLACEMENT}", f"Lyon {REPLACEMENT}"):
        assert text in row
    response = recruiter.get("/compare/export.csv?" + QUERY)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert [r[2] for r in rows[1:]] == ["Engineer " + HOSTILE, f"Data {REPLACEMENT} Analyst", "Unscored Job"]


def test_a_job_without_a_score_shows_none_in_its_cell_its_best_or_the_csv(
    upstream: Any, recruiter: Client
) -> None:
    # Bug caught: a missing prediction shown as "0 %" (in the cell, or as the row's best) or
    # exported as 0, which reads as a computed zero match.
    row = row_html(matrix_html(recruiter), "3" * 40)
    assert "0 %" not in row
    assert row.count("no score") == 2  # the best column and the candidate's cell
    scored = row_html(matrix_html(recruiter), "1" * 40)
    assert '<td class="best">81 %</td>' in scored
    response = recruiter.get("/compare/export.csv?" + QUERY)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert rows[0][:2] == ["best_pct", "Ada Lovelace"]
    assert [r[:2] for r in rows[1:]] == [["81", "81"], ["42", "42"], ["", ""]]
