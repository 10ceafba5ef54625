"""Real `JobRow`s from HrFlow-shaped job dicts, for the matrix's pure tests."""

from __future__ import annotations

from typing import Any

from compare.matrix import CandidateRef, CandidateResult, Column
from scoring.hrflow.results import JobRow


def job(key: int, score: float | None, name: str = "") -> JobRow:
    raw: dict[str, Any] = {
        "key": f"{key:040x}",
        "board_key": "b" * 40,
        "name": name or f"Job {key}",
        "location": {"text": "Austin, TX", "lat": 30.27, "lng": -97.74, "fields": []},
        "tags": [{"name": "company", "value": "Acme"}],
        "url": f"https://example.com/{key}",
    }
    return JobRow.from_hrflow(raw, score)


def column(n: int, *, error: str = "") -> Column:
    ref = CandidateRef("5" * 40, f"{n:040x}")
    return Column(ref, f"Candidate {n}", "", f"/?profile_key={ref.profile_key}", "/compare/", error)


def result(n: int, scored: list[tuple[int, float]], *, error: str = "") -> CandidateResult:
    return CandidateResult(column(n, error=error), tuple(job(k, s) for k, s in scored))
