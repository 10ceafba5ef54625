"""The matrix's table body (`<tbody>` rows) as HTML, built in Python.

Up to 150 rows of 5 cells are ~8,000 template nodes: ~20 ms of the request thread in Django's
template language, spent after the slowest upstream call returns, so all of it added to the
page's wait (docs/benchmarks.md, "Candidate matrix"). Here it is a few string joins. Every
value is escaped with `conditional_escape`, as `{{ value }}` in a template is; the markup is
the one the template had (the page's CSS, script and tests select on it).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from compare.matrix import Cell, Column, Matrix, Row


def matrix_rows_html(matrix: Matrix) -> SafeString:
    names = [conditional_escape(column.name) for column in matrix.columns]
    return mark_safe("".join(_row(row, matrix.columns, names) for row in matrix.rows))  # noqa: S308 - escaped above and in _row


def _row(row: Row, columns: tuple[Column, ...], names: Sequence[str]) -> str:
    title, company, place = (conditional_escape(v) for v in (row.title, row.company, row.location_text))
    where = ""
    if company or place:
        where = f'<span class="job-where">{company}{" · " if company and place else ""}{place}</span>'
    best = f"{row.best_pct} %" if row.has_best else "no score"
    cells = "".join(
        _cell(cell, column, name) for cell, column, name in zip(row.cells, columns, names, strict=True)
    )
    key = conditional_escape(row.job_key)
    return (
        f'<tr data-job-key="{key}"><th scope="row"><span class="job-name">{title}</span>{where}</th>'
        f'<td class="best">{best}</td>{cells}</tr>'
    )


def _cell(cell: Cell | None, column: Column, name: str) -> str:
    if column.error:
        css = "failed"
    elif cell is not None:
        css = f"score-{cell.band_slug}"
    else:
        css = "blank"
    if cell is not None:
        text = f"{cell.score_pct} %" if cell.has_score else "no score"
        inner = (
            f'<a class="cell" href="{conditional_escape(cell.url)}" title="#{cell.rank} for {name}: '
            f'open their search at this job">{text}<span class="visually-hidden"> for {name}</span></a>'
        )
    elif column.error:
        inner = '<span class="visually-hidden">not scored</span>'
    else:
        inner = ""
    return f'<td class="{css}">{inner}</td>'
