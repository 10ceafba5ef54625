"""The matrix's form: the search form's filters (the same fields, parsing and URL parameters,
scoring/forms.py, from the one description per filter in scoring/hrflow/filters.py) plus up to
`MAX_CANDIDATES` candidates of any source (`candidate=<source_key>:<profile_key>`, repeated).

The search form's own candidate, page, size and order are not the matrix's: each candidate's
column is their top `TOP_JOBS` by score, so `candidate_queries()` sets those.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from compare.matrix import CANDIDATE_SEPARATOR, MAX_CANDIDATES, TOP_JOBS, CandidateRef
from scoring.forms import PERCENT_INPUT, ChipsWidget, JobSearchForm
from scoring.hrflow.filters import FILTERS
from scoring.hrflow.query import DEFAULT_LIMIT, DEFAULT_ORDER_BY, DEFAULT_SORT_BY, JobQuery

CANDIDATE_PARAM = "candidate"
CANDIDATE_RE = re.compile(r"^[0-9a-f]{40}" + CANDIDATE_SEPARATOR + r"[0-9a-f]{40}$")
TOO_MANY = f"At most {MAX_CANDIDATES} candidates: remove one to add another."
NOT_A_CANDIDATE = "“{value}” is not a candidate reference; pick the candidate again."
UNKNOWN_SOURCE = "A candidate comes from a source this dashboard does not offer; pick them again."
# The search form's fields the matrix sets itself (hidden from its filter panel).
NOT_FILTERS = ("source_key", "profile_key", "page", "limit", "sort_by", "order_by", "score_threshold")


class CommaChipsWidget(ChipsWidget):
    """A chip field as one comma-separated text box (`skills__text=Python, SQL`), with or
    without JavaScript: the matrix page has no Tom Select. Reads the repeated parameter too,
    so canonical URLs (`skills=Python&skills=SQL`) fill it."""

    template_name = "compare/widgets/comma_chips.html"


class CandidatesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.MultipleHiddenInput, **kwargs)

    def valid_value(self, value: str) -> bool:
        return True

    def clean(self, value: Any) -> tuple[CandidateRef, ...]:
        raw = [v.strip() for v in super().clean(value) if v.strip()]
        for item in raw:
            if not CANDIDATE_RE.match(item):
                raise ValidationError(NOT_A_CANDIDATE.format(value=item[:30]), code="candidate")
        refs = tuple(dict.fromkeys(CandidateRef(*item.split(CANDIDATE_SEPARATOR)) for item in raw))
        if len(refs) > MAX_CANDIDATES:
            raise ValidationError(TOO_MANY, code="max_candidates")
        return refs


class CandidateMatrixForm(JobSearchForm):
    candidate = CandidatesField(label="Candidates")

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, ChipsWidget):
                old = field.widget
                field.widget = CommaChipsWidget(attrs=dict(old.attrs), text_label=old.text_label)

    def clean_candidate(self) -> tuple[CandidateRef, ...]:
        refs: tuple[CandidateRef, ...] = self.cleaned_data.get("candidate") or ()
        sources = {key for key, _ in self.fields["source_key"].choices}  # type: ignore[attr-defined]
        if any(ref.source_key not in sources for ref in refs):
            raise ValidationError(UNKNOWN_SOURCE, code="source")
        return refs

    @property
    def candidates(self) -> tuple[CandidateRef, ...]:
        return tuple(self.cleaned_data.get("candidate") or ()) if self.is_valid() else ()

    def filters_query(self) -> JobQuery:
        """The filters alone (no candidate, first page, default size and order): the matrix's
        canonical URL is this plus its candidates. Call only when `is_valid()`."""
        return self.filters_of(self.to_query())

    @staticmethod
    def filters_of(query: JobQuery) -> JobQuery:
        """A search's filters alone: its candidate, page, size and order reset."""
        return replace(
            query,
            source_key="",
            profile_key="",
            page=1,
            limit=DEFAULT_LIMIT,
            sort_by=DEFAULT_SORT_BY,
            order_by=DEFAULT_ORDER_BY,
        )

    def filter_panels(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Each filter's legend and fields, in the search page's order (FILTERS)."""
        return [
            (spec.label, [self[name] for name in _shown_params(spec.form, spec.params)]) for spec in FILTERS
        ]


def _shown_params(kind: str, params: tuple[str, ...]) -> list[str]:
    # The minimum score is typed in percent (`min_score`); its URL twin stays hidden.
    extra = (PERCENT_INPUT,) if kind == "percent" else ()
    return [name for name in (*params, *extra) if name not in NOT_FILTERS]


def candidate_query(filters: JobQuery, ref: CandidateRef) -> JobQuery:
    """One candidate's column: their top TOP_JOBS by score under the matrix's filters, i.e. the
    first page of their search page at its default size (so a cell's link shows that job)."""
    return replace(
        filters,
        source_key=ref.source_key,
        profile_key=ref.profile_key,
        page=1,
        limit=TOP_JOBS,
        sort_by="scoring",
        order_by="desc",
    )


def matrix_query_items(filters: JobQuery, refs: tuple[CandidateRef, ...]) -> list[tuple[str, str]]:
    """The matrix's canonical URL parameters: the filters' (sorted, defaults left out) and the
    candidates in their column order."""
    return filters.to_query_items() + [(CANDIDATE_PARAM, ref.token) for ref in refs]
