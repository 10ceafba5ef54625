"""The CSV export's rows: one line per job, ISO dates, where salary and date came from, and a
first-line comment when the export cap cut the list (the header row follows it).

The view streams these rows; the first upstream page is fetched before the response starts, so
the total is known when the first line is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scoring.hrflow.errors import HrFlowError
from scoring.hrflow.results import ScoredJob

CSV_COLUMNS = [
    "rank", "score_pct", "title", "company", "location", "distance_km", "created_at", "date_source",
    "salary", "salary_source", "skills", "tags", "url", "job_key",
]  # fmt: skip
CAPPED_NOTE = (
    "# export capped: the first {cap} of {total} jobs (HRFLOW_EXPORT_CAP); narrow the filters for the rest"
)


def cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheet formula injection: upstream text must never run as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def capped_note(*, cap: int, total: int) -> str:
    """The first line when the cap cut the export, else ""."""
    return CAPPED_NOTE.format(cap=f"{cap:,}", total=f"{total:,}") if total > cap else ""


def csv_rows(jobs: Iterator[ScoredJob], *, note: str = "") -> Iterator[list[str]]:
    if note:
        yield [note]
    yield CSV_COLUMNS
    rank = 0
    while True:
        try:
            job = next(jobs, None)
        except HrFlowError as exc:
            # Headers are sent already: say in the file itself that it is incomplete.
            yield [cell(f"# export stopped after {rank} jobs: {exc.user_message}")]
            return
        if job is None:
            return
        rank += 1
        yield [
            cell(v)
            for v in (
                rank,
                job.score_pct if job.has_score else "",
                job.name,
                job.company,
                job.location_text,
                "" if job.distance_km is None else f"{job.distance_km:.0f}",
                job.created_iso,
                job.date_source,
                job.salary_display,
                job.salary_source,
                "; ".join(name for name, _ in job.skills),
                "; ".join(f"{name}: {value}" for name, value in job.tags),
                job.url,
                job.key,
            )
        ]
