"""Upstream payloads for the HrFlow tests: docs/hrflow.md §6's example job and envelope builders."""

from __future__ import annotations

import copy
from typing import Any

API_URL = "https://api.hrflow.test/v1/"
API_KEY = "ask_0123456789abcdef0123456789abcdef"
USER_EMAIL = "recruiter@example.com"
BOARD_A = "a" * 40
BOARD_B = "b" * 40
SOURCE = "c" * 40
PROFILE = "d" * 40
ALGORITHM = "e" * 40

# docs/hrflow.md §6, verbatim values.
EXAMPLE_JOB: dict[str, Any] = {
    "id": 1264450,
    "key": "8cee3ead87a38cc1f7f3cf9298b7e58e16406e05",
    "reference": "my_custom_reference",
    "board_key": "7fce016712fa373456ef279c297da5009a2020d9",
    "board": {
        "key": "7fce016712fa373456ef279c297da5009a2020d9",
        "name": "vulcain_test",
        "type": "api",
        "subtype": "python",
        "environment": "production",
    },
    "name": "Data Engineer",
    "url": "https://www.pole-emploi.ai/jobs/data_engineer",
    "picture": None,
    "summary": "As an engineer for the Data Engineering Infrastructure team, you will design...",
    "location": {
        "text": "7 rue 4 septembre paris",
        "lat": 48.869179,
        "lng": 2.33814,
        "gmaps": None,
        "fields": {"city": "Paris", "country": "France", "postcode": "75002", "state": "Île-de-France"},
    },
    "archive": None,
    "archived_at": None,
    "updated_at": "2023-06-21T15:54:45+0000",
    "created_at": "2023-06-21T15:54:45+0000",
    "sections": [{"name": "section 1", "title": "title section 1", "description": "text section 1"}],
    "culture": "We love AI engineering, problem-solving, and business.",
    "responsibilities": "Design and maintain data pipelines.",
    "requirements": "Python, SQL, Spark.",
    "benefits": "Gym club & public transportation.",
    "interviews": "Two interviews with the team lead and the CTO.",
    "skills": [
        {"name": "python", "value": None, "type": "hard"},
        {"name": "spark", "value": 0.9, "type": "hard"},
    ],
    "languages": [{"name": "english", "value": None}, {"name": "french", "value": None}],
    "certifications": [],
    "courses": [],
    "tasks": [],
    "interests": [],
    "tags": [{"name": "active", "value": True}, {"name": "company", "value": "Google"}],
    "metadatas": [{"name": "metadata example", "value": "metadata"}],
    "ranges_float": [{"name": "salary", "value_min": 45000, "value_max": 50000, "unit": "eur"}],
    "ranges_date": [
        {"name": "interview_dates", "value_min": "2023-05-18T21:59", "value_max": "2023-09-15T21:59"}
    ],
}


def job(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE_JOB)
    data.update(overrides)
    return data


def envelope(
    jobs: list[Any] | None = None,
    scores: list[float] | None = None,
    *,
    page: int = 1,
    max_page: int = 1,
    count: int | None = None,
    total: int | None = None,
) -> dict[str, Any]:
    jobs = [job()] if jobs is None else jobs
    scores = [0.9 - 0.1 * i for i in range(len(jobs))] if scores is None else scores
    return {
        "code": 200,
        "message": "Job scoring results",
        "meta": {
            "page": page,
            "maxPage": max_page,
            "count": len(jobs) if count is None else count,
            "total": len(jobs) if total is None else total,
        },
        "data": {"jobs": jobs, "predictions": [[1 - s, s] for s in scores]},
    }


def profile(**info: Any) -> dict[str, Any]:
    return {
        "key": PROFILE,
        "source_key": SOURCE,
        "reference": "ref-1",
        "info": {"full_name": None, "first_name": None, "last_name": None, "email": None, **info},
        "experiences": [
            {
                "title": "Data Analyst",
                "date_start": "2018-01-01T00:00:00+0000",
                "date_end": "2020-01-01T00:00:00+0000",
            },
            {"title": "Data Engineer", "date_start": "2020-02-01T00:00:00+0000", "date_end": None},
        ],
        "skills": [
            {"name": "Python", "type": "hard", "value": None},
            {"name": "SQL", "type": "hard", "value": None},
        ],
    }
