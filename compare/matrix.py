"""The candidate matrix: jobs by candidates, each cell a candidate's match % for a job.

Pure data, built from each candidate's outcome (their top jobs, or the error that stopped
them): the rows are the union of every candidate's top jobs, sorted by their best score
across candidates; a cell is blank where the job is not in that candidate's top list, and a
failed candidate's column carries its error instead of cells. No HTTP, no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scoring.hrflow.results import JobRow

MAX_CANDIDATES = 5
TOP_JOBS = 30  # per candidate: the first page of their search at the default page size
CANDIDATE_SEPARATOR = ":"


@dataclass(frozen=True, order=True)
class CandidateRef:
    """A candidate of any source: `<source_key>:<profile_key>` in the URL (`candidate=`)."""

    source_key: str
    profile_key: str

    @property
    def token(self) -> str:
        return f"{self.source_key}{CANDIDATE_SEPARATOR}{self.profile_key}"


@dataclass(frozen=True)
class Column:
    ref: CandidateRef
    name: str
    title: str
    search_url: str  # this candidate's search page with the matrix's filters
    remove_url: str  # the matrix without this candidate
    error: str = ""  # why this candidate has no scores (HrFlow's failure, in plain words)


@dataclass(frozen=True)
class Cell:
    score_pct: int
    has_score: bool  # False: HrFlow sent no prediction for this job (shown as "no score")
    band: str  # "Excellent", … (the search page's bands, from the percentage shown)
    band_slug: str
    rank: int  # 1-based, in this candidate's list
    url: str  # this candidate's search page, at this job's card


@dataclass(frozen=True)
class Row:
    job_key: str
    title: str
    company: str
    location_text: str
    posting_url: str
    best_score: float
    cells: tuple[Cell | None, ...]  # one per column; None: not in that candidate's top list

    @property
    def best_pct(self) -> int:
        return max((c.score_pct for c in self.cells if c is not None and c.has_score), default=0)

    @property
    def has_best(self) -> bool:
        """False when no candidate's cell has a score: the row shows no best, never "0 %"."""
        return any(c is not None and c.has_score for c in self.cells)


@dataclass(frozen=True)
class Matrix:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def failed(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.error)


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's part: their column, and their jobs in ranking order (empty on error)."""

    column: Column
    jobs: Sequence[JobRow] = ()


def build_matrix(results: Sequence[CandidateResult]) -> Matrix:
    columns = tuple(r.column for r in results)
    seen: dict[str, JobRow] = {}
    cells: dict[str, list[Cell | None]] = {}
    best: dict[str, float] = {}
    for index, result in enumerate(results):
        for rank, job in enumerate(result.jobs[:TOP_JOBS], start=1):
            seen.setdefault(job.key, job)
            row = cells.setdefault(job.key, [None] * len(columns))
            if row[index] is not None:  # the same job twice in one list: keep its first rank
                continue
            row[index] = Cell(
                score_pct=job.score_pct,
                has_score=job.has_score,
                band=job.score_band,
                band_slug=job.score_band_slug,
                rank=rank,
                url=f"{result.column.search_url}#job-{job.key}",
            )
            best[job.key] = max(best.get(job.key, 0.0), job.score)
    # Best score first; equal best scores by title, then key, so the order never flickers.
    order = sorted(seen, key=lambda key: (-best[key], seen[key].name.casefold(), key))
    rows = tuple(
        Row(
            job_key=key,
            title=seen[key].name,
            company=seen[key].company,
            location_text=seen[key].location_text,
            posting_url=seen[key].url,
            best_score=best[key],
            cells=tuple(cells[key]),
        )
        for key in order
    )
    return Matrix(columns=columns, rows=rows)
