"""The matrix from each candidate's ranked jobs: the union of their top lists, rows by best
score, blank cells, a failed candidate's column, and the CSV made from it."""

from __future__ import annotations

import csv
import io

from compare.export import matrix_csv_rows
from compare.matrix import TOP_JOBS, CandidateResult, Matrix, build_matrix
from tests.compare.factories import column, job, result


def pcts(matrix: Matrix) -> list[list[int | None]]:
    return [[None if c is None else c.score_pct for c in row.cells] for row in matrix.rows]


def test_rows_are_the_union_sorted_by_best_score_with_blanks() -> None:
    matrix = build_matrix(
        [
            result(1, [(10, 0.50), (11, 0.40)]),
            result(2, [(12, 0.90), (10, 0.45)]),
            result(3, [(13, 0.20), (11, 0.70)]),
        ]
    )
    # Bug caught: rows in the first candidate's order, or by the sum/average of scores.
    assert [row.job_key[-2:] for row in matrix.rows] == ["0c", "0b", "0a", "0d"]
    assert pcts(matrix) == [[None, 90, None], [40, None, 70], [50, 45, None], [None, None, 20]]
    assert [row.best_pct for row in matrix.rows] == [90, 70, 50, 20]


def test_each_cell_links_to_its_candidate_search_at_the_job_with_its_rank() -> None:
    matrix = build_matrix([result(1, [(10, 0.5)]), result(2, [(11, 0.9), (10, 0.3)])])
    row = next(r for r in matrix.rows if r.job_key.endswith("0a"))
    first, second = row.cells
    assert first is not None
    assert second is not None
    assert first.url == f"{matrix.columns[0].search_url}#job-{row.job_key}"
    assert second.url.startswith(matrix.columns[1].search_url)  # not the first candidate's
    assert (first.rank, second.rank) == (1, 2)


def test_only_each_candidates_top_jobs_count() -> None:
    many = [(k, 1 - k / 100) for k in range(TOP_JOBS + 5)]
    matrix = build_matrix([result(1, many)])
    assert len(matrix.rows) == TOP_JOBS


def test_a_failed_candidate_keeps_their_column_with_the_error_and_blank_cells() -> None:
    matrix = build_matrix([result(1, [(10, 0.5)]), result(2, [], error="HrFlow did not answer.")])
    assert [c.name for c in matrix.columns] == ["Candidate 1", "Candidate 2"]
    assert [c.name for c in matrix.failed] == ["Candidate 2"]
    assert pcts(matrix) == [[50, None]]


def test_equal_best_scores_order_by_title_so_the_order_never_flickers() -> None:
    a, b = job(1, 0.5, "Beta"), job(2, 0.5, "alpha")
    matrix = build_matrix([CandidateResult(column(1), (a, b))])
    assert [row.title for row in matrix.rows] == ["alpha", "Beta"]


def test_csv_has_a_column_per_candidate_and_names_the_failed_one_first() -> None:
    matrix = build_matrix([result(1, [(10, 0.5)]), result(2, [(11, 0.8)]), result(3, [], error="Timed out.")])
    lines = list(csv.reader(io.StringIO("".join(",".join(r) + "\n" for r in matrix_csv_rows(matrix)))))
    assert lines[0] == ["# Candidate 3: not scored (Timed out.)"]
    assert lines[1][:4] == ["best_pct", "Candidate 1", "Candidate 2", "Candidate 3"]
    assert [line[:4] for line in lines[2:]] == [["80", "", "80", ""], ["50", "50", "", ""]]


def test_csv_neutralises_formulas_in_upstream_text() -> None:
    matrix = build_matrix([CandidateResult(column(1), (job(1, 0.5, "=HYPERLINK(1)"),))])
    rows = list(matrix_csv_rows(matrix))
    assert rows[1][2] == "'=HYPERLINK(1)"
