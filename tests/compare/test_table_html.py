"""The matrix's rows rendered in Python (compare/table_html.py) print exactly what the template
loop they replace printed, for every kind of cell, and escape upstream text as it did."""

from __future__ import annotations

from dataclasses import replace

from django.template import Context, Template

from compare.matrix import CandidateResult, Matrix, build_matrix
from compare.table_html import matrix_rows_html
from tests.compare.factories import column, job, result

# templates/compare/matrix.html's row loop before the rows were built in Python, verbatim
# (`table`: each row with its cells beside their columns, as `Matrix.table` gave it).
TEMPLATE_ROWS = Template(
    '{% for row, pairs in table %}<tr data-job-key="{{ row.job_key }}"><th scope="row">'
    '<span class="job-name">{{ row.title }}</span>{% if row.company or row.location_text %}'
    '<span class="job-where">{{ row.company }}'
    "{% if row.company and row.location_text %} · {% endif %}{{ row.location_text }}</span>{% endif %}</th>"
    '<td class="best">{% if row.has_best %}{{ row.best_pct }} %{% else %}no score{% endif %}</td>'
    '{% for column, cell in pairs %}<td class="{% if column.error %}failed{% elif cell %}score-'
    '{{ cell.band_slug }}{% else %}blank{% endif %}">{% if cell %}<a class="cell" href="{{ cell.url }}" '
    'title="#{{ cell.rank }} for {{ column.name }}: open their search at this job">{% if cell.has_score %}'
    '{{ cell.score_pct }} %{% else %}no score{% endif %}<span class="visually-hidden"> for {{ column.name }}'
    '</span></a>{% elif column.error %}<span class="visually-hidden">not scored</span>{% endif %}</td>'
    "{% endfor %}</tr>{% endfor %}"
)
HOSTILE = "<i>\"x\" & 'y'</i>"


def template_rows(matrix: Matrix) -> str:
    table = [(row, list(zip(matrix.columns, row.cells, strict=True))) for row in matrix.rows]
    return TEMPLATE_ROWS.render(Context({"table": table}))


def test_the_rows_print_what_the_template_printed() -> None:
    # Bug caught: a class, text or attribute the page's CSS, script and tests select on that
    # differs from the template's (a "0 %" for no score, a missing "blank", a dropped " · ").
    hostile = replace(job(3, None, HOSTILE), company=HOSTILE)  # no score, text to escape
    placeless = replace(job(4, 0.3), company="", location_text="Lyon")
    companyless = replace(job(5, 0.2), location_text="")
    bare = replace(job(6, 0.1), company="", location_text="")
    named = replace(column(9), name=f"Ada {HOSTILE}")
    matrix = build_matrix(
        [
            result(1, [(1, 0.91), (2, 0.44)]),
            CandidateResult(named, (hostile, placeless, companyless, bare, job(2, 0.61))),
            result(3, [], error=f"Timed out {HOSTILE}"),
        ]
    )
    assert str(matrix_rows_html(matrix)) == template_rows(matrix)
    assert "<i>" not in matrix_rows_html(matrix)


def test_an_empty_matrix_has_no_rows() -> None:
    assert matrix_rows_html(build_matrix([result(1, [])])) == ""
