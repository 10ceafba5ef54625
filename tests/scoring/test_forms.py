"""JobSearchForm: bounds, cross-field rules, free entry, and the JobQuery it builds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.http import QueryDict

from scoring.forms import MAX_TERMS, JobSearchForm
from scoring.hrflow.query import JobQuery, TagFilter

BOARDS = [("b" * 40, "Tech"), ("d" * 40, "Ops")]
SOURCES = [("5" * 40, "Inbound")]
ALGOS = [("a" * 40, "Balanced"), ("e" * 40, "Skills first")]
PROFILE = "c" * 40
NOW = dt.datetime(2026, 11, 28, 12, 7, tzinfo=dt.UTC)


def make_form(qs: str) -> JobSearchForm:
    return JobSearchForm(QueryDict(qs), board_choices=BOARDS, source_choices=SOURCES, algorithm_choices=ALGOS)


def query(qs: str) -> JobQuery:
    form = make_form(qs)
    assert form.is_valid(), form.errors
    return form.to_query(now=NOW)


def test_defaults_fill_boards_source_algorithm_and_order() -> None:
    q = query(f"profile_key={PROFILE}")
    assert q.board_keys == ("b" * 40, "d" * 40)
    assert q.source_key == "5" * 40
    assert q.algorithm_key == "a" * 40
    assert (q.sort_by, q.order_by, q.page, q.limit, q.use_agent) == ("scoring", "desc", 1, 30, True)


def test_free_entry_values_are_accepted_and_trimmed() -> None:
    q = query("skills=Python&skills=%20dbt%20&skills=&languages=French&text_keywords=data+engineer")
    assert q.skills == ("Python", "dbt")
    assert q.languages == ("French",)
    assert q.text_keywords == ("data engineer",)


def test_free_entry_is_bounded() -> None:
    form = make_form("&".join(f"skills=s{i}" for i in range(MAX_TERMS + 1)))
    assert "skills" in form.errors
    assert "skills" in make_form("skills=" + "x" * 101).errors
    assert "skills" in make_form("skills=a%00b").errors


def test_tag_values_of_one_name_are_alternatives_and_names_combine_with_and() -> None:
    q = query("tags_in=remote:true&tags_in=category:Sales&tags_in=category:Marketing&tags_out=company:Acme")

    assert q.tags_included == (
        (TagFilter("category", "Marketing"), TagFilter("category", "Sales")),
        (TagFilter("remote", "true"),),
    )
    assert q.tags_excluded == (TagFilter("company", "Acme"),)
    assert "tags_in" in make_form("tags_in=remote").errors
    assert "tags_out" in make_form("tags_out=remote").errors


def test_a_written_group_mixing_names_stays_one_or_group_and_shows_as_one_chip() -> None:
    form = make_form("tags_in=(remote:true|category:Sales)&tags_in=work_mode:hybrid")

    assert form.is_valid(), form.errors
    assert form.to_query(now=NOW).tags_included == (
        (TagFilter("category", "Sales"), TagFilter("remote", "true")),
        (TagFilter("work_mode", "hybrid"),),
    )
    html = str(form["tags_in"])
    assert (
        '<option value="(remote:true|category:Sales)" selected>remote: true or category: Sales</option>'
        in html
    )
    assert '<option value="work_mode:hybrid" selected>work_mode: hybrid</option>' in html


def test_a_one_tag_group_in_parentheses_is_not_merged_with_its_name() -> None:
    q = query("tags_in=(category:Sales)&tags_in=category:Marketing")

    assert q.tags_included == ((TagFilter("category", "Marketing"),), (TagFilter("category", "Sales"),))
    assert query(q.to_query_string()) == q


def test_boolean_and_string_values_keep_their_json_types() -> None:
    q = query('tags_in=remote:TRUE&tags_in=label:"true"&tags_in=flag:false&tags_in=code:"a|b"')

    sent = {tag["name"]: tag["value"] for group in q.to_hrflow_json()["tags_included"] for tag in group}
    assert sent == {"remote": True, "label": "true", "flag": False, "code": "a|b"}


def test_more_than_16_tag_groups_is_a_form_error() -> None:
    names = "&".join(f"tags_in=t{i}:x" for i in range(17))

    assert "tags_in" in make_form(names).errors
    assert make_form(names.rsplit("&", 1)[0]).is_valid()


def test_an_old_link_is_converted_to_the_same_meaning_with_a_notice() -> None:
    form = make_form(
        f"profile_key={PROFILE}&tags_included=remote:true%2Bcategory:Sales"
        "&tags_included=remote:true%2Bcategory:Marketing&tags_excluded=company:Acme"
    )

    assert form.is_valid(), form.errors
    q = form.to_query(now=NOW)
    assert q.tags_included == (
        (TagFilter("category", "Marketing"), TagFilter("category", "Sales")),
        (TagFilter("remote", "true"),),
    )
    assert q.tags_excluded == (TagFilter("company", "Acme"),)
    assert "old tag syntax" in form.legacy_notice
    assert "(category: Marketing or category: Sales) and remote: true" in form.legacy_notice
    assert "tags_included" not in q.to_query_string()


def test_an_old_link_that_cannot_keep_its_meaning_is_an_error_not_a_guess() -> None:
    joint = make_form(f"profile_key={PROFILE}&tags_excluded=remote:true%2Bcategory:Sales")
    huge = make_form(
        f"profile_key={PROFILE}&" + "&".join(f"tags_included=a:{i}%2Bb:{i}" for i in range(5))
    )  # 2^5 = 32 groups

    assert not joint.is_valid()
    assert "several tags together" in str(joint.errors["tags_in"])
    assert not huge.is_valid()
    assert "32 groups" in str(huge.errors["tags_in"])
    assert joint.legacy_notice == ""


@pytest.mark.parametrize(
    ("qs", "field"),
    [
        ("lat=91&lng=0", "lat"),
        ("lat=10", "lng"),
        ("lng=10", "lat"),
        ("location_distance=10", "location_distance"),
        ("lat=1&lng=1&location_distance=0", "location_distance"),
        ("salary_min=-1", "salary_min"),
        ("salary_min=10&salary_max=5", "salary_max"),
        ("date_range_min=2026-02-01&date_range_max=2026-01-01", "date_range_max"),
        ("date_range_min=2026-13-01", "date_range_min"),
        ("date_preset=7d&date_range_min=2026-01-01", "date_preset"),
        ("date_preset=1y", "date_preset"),
        ("ranges_date_min=2026-01-01", "ranges_date_name"),
        ("score_threshold=1.5", "score_threshold"),
        ("sort_by=salary", "sort_by"),
        ("limit=1000", "limit"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("profile_key=not-a-key", "profile_key"),
        (f"board_keys={'f' * 40}", "board_keys"),
        ("algorithm_key=zzz", "algorithm_key"),
        ("lat=nan&lng=1", "lat"),
        ("salary_max=inf", "salary_max"),
    ],
)
def test_bad_values_give_inline_errors(qs: str, field: str) -> None:
    form = make_form(qs)
    assert not form.is_valid()
    assert field in form.errors, form.errors


def test_date_preset_becomes_a_floored_date_range_min_and_stays_relative_in_the_url() -> None:
    q = query("date_preset=7d")
    assert q.date_range_min == dt.datetime(2026, 11, 21, 12, 0, tzinfo=dt.UTC)
    assert "date_preset=7d" in q.to_query_string()
    assert "date_range_min" not in q.to_query_string()


def test_custom_dates_cover_whole_days() -> None:
    q = query("date_range_min=2026-01-01&date_range_max=2026-01-31")
    assert q.date_range_min is not None
    assert q.date_range_max is not None
    assert (q.date_range_min.hour, q.date_range_max.hour, q.date_range_max.minute) == (0, 23, 59)


def test_location_salary_ranges_date_and_sort() -> None:
    q = query(
        "lat=30.27&lng=-97.74&location_distance=50&salary_min=90000&salary_max=150000"
        "&ranges_date_name=start&ranges_date_min=2026-01-01&sort_by=created_at&order_by=asc&limit=50&page=3"
        "&use_agent=0&score_threshold=0.5"
    )
    params = q.to_hrflow_json()
    assert params["location_geopoint"] == {"lat": 30.27, "lng": -97.74}
    assert params["location_distance"] == 50
    assert params["ranges_float"][0]["value_min"] == 90000
    assert params["ranges_date"][0]["name"] == "start"
    assert (q.sort_by, q.order_by, q.limit, q.page, q.use_agent, q.score_threshold) == (
        "created_at", "asc", 50, 3, False, 0.5,
    )  # fmt: skip


def test_round_trip_through_the_canonical_query_string() -> None:
    qs = "skills=Python&lat=1.5&lng=2&location_distance=10&tags_included=remote:true&salary_min=1000"
    first = query(qs)
    again = query(first.to_query_string())
    assert again == first


def test_rerendered_form_shows_submitted_free_values_as_selected_options() -> None:
    html = str(make_form("skills=Python&skills=%3Cb%3E")["skills"])
    assert '<option value="Python" selected>Python</option>' in html
    assert "&lt;b&gt;" in html
    assert "<b>" not in html


def test_scoring_radio_is_on_by_default_bound_or_not() -> None:
    unbound = JobSearchForm(board_choices=BOARDS, source_choices=SOURCES, algorithm_choices=ALGOS)
    for form in (unbound, make_form("skills=go")):
        html = str(form["use_agent"])
        assert re.search(r'<input type="radio" name="use_agent" value="1"[^>]*checked', html), html


def test_a_point_without_radius_gets_the_default_radius() -> None:
    q = query("lat=1&lng=2")
    assert q.location_distance == 50
    assert q.to_hrflow_json()["location_distance"] == 50
