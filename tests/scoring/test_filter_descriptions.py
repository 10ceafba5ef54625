"""The one description per filter (scoring/hrflow/filters.py) drives the form, the HrFlow
parameters, the chips, the relax links and the summaries: every entry is checked here through
each of them, so a new entry that forgets one fails."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace

import pytest
from django.http import QueryDict

from scoring.filters import chip_links, clear_all_url, filters_summary, relax_suggestions
from scoring.forms import JobSearchForm
from scoring.hrflow.errors import HrFlowBadRequest
from scoring.hrflow.filters import FILTERS
from scoring.hrflow.query import DateRangeFilter, JobQuery
from scoring.hrflow.tags import excluded_from_values, groups_from_values
from tests.scoring.test_views import PROFILE, SOURCE
from tests.scoring.test_views import upstream as upstream  # the shared fixture
from tests.scoring.test_views import user_client as user_client

KEY = "a" * 40
UTC = dt.UTC
BASE = JobQuery(board_keys=("b" * 40,), source_key="s" * 40, profile_key=KEY, algorithm_key="c" * 40)
ACTIVE = {
    "location": {"lat": 41.85, "lng": -87.65, "location_distance": 50.0},
    "skills": {"skills": ("Python", "SQL")},
    "languages": {"languages": ("French",)},
    "text_keywords": {"text_keywords": ("startup",)},
    "summary_keywords": {"summary_keywords": ("remote",)},
    "tags_in": {"tags_included": groups_from_values(["category:Sales", "category:Marketing", "remote:true"])},
    "tags_out": {"tags_excluded": excluded_from_values(["work_mode:onsite"])},
    "date": {"date_preset": "7d", "date_range_min": dt.datetime(2026, 1, 1, tzinfo=UTC)},
    "salary": {"salary_min": 50_000.0},
    "ranges_date": {"ranges_date": DateRangeFilter("start", dt.datetime(2026, 1, 1, tzinfo=UTC))},
    "score_threshold": {"score_threshold": 0.7},
}


def test_every_filter_has_an_active_example() -> None:
    assert sorted(ACTIVE) == sorted(spec.key for spec in FILTERS)


@pytest.mark.parametrize("spec", FILTERS, ids=lambda s: s.key)
def test_each_filter_drives_hrflow_chips_relax_and_summary(spec) -> None:
    query = replace(BASE, **ACTIVE[spec.key])
    assert spec.is_active(query)
    assert not spec.is_active(BASE)
    sent = query.to_hrflow_json()
    assert any(name.strip() in sent for name in spec.hrflow.split(",")), spec.hrflow
    assert set(BASE.to_hrflow_json()) < set(sent)
    chips = [c for c in chip_links(query) if c.filter == spec.key]
    assert chips
    # Removing every chip of the filter, one after the other, removes the filter.
    current = query
    for _ in range(10):
        mine = [c for c in chip_links(current) if c.filter == spec.key]
        if not mine:
            break
        current = JobQuery.from_query_string(mine[0].url[1:])
    assert not spec.is_active(current)
    relax = dict(relax_suggestions(query))
    assert len(relax) == 1
    (url,) = relax.values()
    relaxed = JobQuery.from_query_string(url[1:])
    if spec.key == "location":
        assert relaxed.location_distance == 200
    else:
        assert not spec.is_active(relaxed)
    assert filters_summary(query, board_names={}) != "all jobs"
    for name in spec.params:
        assert name in JobSearchForm.base_fields


def test_chip_texts_read_as_a_recruiter_says_them() -> None:
    query = replace(BASE, **ACTIVE["location"], **ACTIVE["skills"], date_preset="7d")
    texts = [c.text for c in chip_links(query)]
    assert texts == ["Within 50 km of Chicago, US", "Python", "SQL", "Last 7 days"]
    tags = [c.text for c in chip_links(replace(BASE, **ACTIVE["tags_in"]))]
    assert tags == ["category: Marketing", "category: Sales", "remote: true"]
    # Removing one value of a name keeps its other values and the other names.
    sales = next(c for c in chip_links(replace(BASE, **ACTIVE["tags_in"])) if c.text == "category: Sales")
    left = JobQuery.from_query_string(sales.url[1:]).tags_included
    assert left == groups_from_values(["category:Marketing", "remote:true"])
    mixed = replace(BASE, tags_included=groups_from_values(["(remote:true|category:Sales)"]))
    assert [c.text for c in chip_links(mixed)] == ["category: Sales or remote: true"]  # one chip, sorted


def test_a_date_range_chip_and_summary_name_it_in_words() -> None:
    query = replace(BASE, ranges_date=DateRangeFilter("seen_online", dt.datetime(2026, 1, 1, tzinfo=UTC)))
    assert [c.text for c in chip_links(query)] == ["Seen online: 2026-01-01 to …"]
    summary = filters_summary(query, board_names={})
    assert "seen online dates" in summary
    assert "seen_online" not in summary
    assert query.to_hrflow_json()["ranges_date"][0]["name"] == "seen_online"  # HrFlow's name, unchanged


def test_clear_all_keeps_the_candidate_and_boards_only() -> None:
    query = replace(BASE, **ACTIVE["skills"], **ACTIVE["salary"], sort_by="created_at")
    cleared = JobQuery.from_query_string(clear_all_url(query)[1:])
    assert cleared == replace(BASE, sort_by="created_at")


def form(query_string: str) -> JobSearchForm:
    return JobSearchForm(
        QueryDict(query_string),
        board_choices=[("b" * 40, "B")],
        algorithm_choices=[("c" * 40, "C")],
        source_choices=[("s" * 40, "S")],
    )


def test_minimum_score_is_typed_in_percent_and_the_url_keeps_0_to_1() -> None:
    f = form(f"profile_key={KEY}&min_score=70")
    assert f.is_valid(), f.errors
    assert "score_threshold=0.7" in f.to_query().to_query_string()
    shown = form(f"profile_key={KEY}&score_threshold=0.65")
    assert 'value="65"' in str(shown["min_score"])
    cleared = form(f"profile_key={KEY}&score_threshold=0.65&min_score=")
    assert cleared.is_valid()
    assert cleared.to_query().score_threshold is None
    too_high = form(f"profile_key={KEY}&min_score=150")
    assert not too_high.is_valid()
    assert "min_score" in too_high.errors


def test_fields_say_how_several_values_combine() -> None:
    assert "every one" in JobSearchForm.base_fields["skills"].help_text
    assert "OR" in JobSearchForm.base_fields["tags_in"].help_text


def test_a_date_field_without_dates_is_a_form_error_in_plain_words() -> None:
    f = form(f"profile_key={KEY}&ranges_date_name=start")
    assert not f.is_valid()
    assert f.errors["ranges_date_min"] == [
        "Give a start or an end date for this date field, or clear its name."
    ]


@pytest.mark.django_db
def test_an_unforeseen_400_is_explained_first_and_hrflows_words_come_second(user_client, upstream) -> None:
    raw = "ranges_date[0]: needs value_min or value_max"
    upstream.error = HrFlowBadRequest(raw, status=400)
    body = user_client.get(f"/?source_key={SOURCE}&profile_key={PROFILE}").content.decode()
    main = re.search(r"<h3>The search could not run</h3>\s*<p>([^<]*)</p>", body)
    assert main
    assert html.unescape(main.group(1)) == (
        "HrFlow could not run this search: it did not accept the “Other date range” filter. "
        "Change or remove that filter and try again."
    )
    detail = re.search(r'<details class="error-detail"><summary>[^<]*</summary><p><code>([^<]*)</code>', body)
    assert detail
    assert html.unescape(detail.group(1)) == raw


def test_without_javascript_chip_fields_are_comma_separated_text_inputs() -> None:
    f = form(f'profile_key={KEY}&skills__text=Python, SQL ,&tags_in__text=remote:true, code:"a,b"')
    assert f.is_valid(), f.errors
    query = f.to_query()
    assert query.skills == ("Python", "SQL")
    assert [t.token for g in query.tags_included for t in g] == ["code:a,b", "remote:true"]
    shown = str(f["skills"])
    assert '<select name="skills"' in shown
    assert " disabled" in shown  # sent only once search.js enables it for Tom Select
    assert re.search(
        r'<noscript><input type="text" class="chips-text" name="skills__text"[^>]*value="Python, SQL"', shown
    )
