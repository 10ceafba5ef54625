"""The matrix as CSV: one line per job in the page's order, one column per candidate (their
match %, blank where the job is not in their top list). A candidate whose scoring failed is
named in a `# ` comment line first, and their column is left blank."""

from __future__ import annotations

from collections.abc import Iterator

from compare.matrix import Matrix
from scoring.export import cell

FIXED_COLUMNS = ["best_pct", "title", "company", "location", "url", "job_key"]


def matrix_csv_rows(matrix: Matrix) -> Iterator[list[str]]:
    for column in matrix.failed:
        yield [cell(f"# {column.name}: not scored ({column.error})")]
    yield [cell(v) for v in (*FIXED_COLUMNS[:1], *(c.name for c in matrix.columns), *FIXED_COLUMNS[1:])]
    for row in matrix.rows:
        scores = ["" if c is None or not c.has_score else str(c.score_pct) for c in row.cells]
        yield [
            cell(v)
            for v in (
                row.best_pct if row.has_best else "",
                *scores,
                row.title,
                row.company,
                row.location_text,
                row.posting_url,
                row.job_key,
            )
        ]
