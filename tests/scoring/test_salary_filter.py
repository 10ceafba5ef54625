"""The salary filter in the job's own currency: HRFLOW_SALARY_RANGES → form → JobQuery → HrFlow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict

from hrflow_dash.env import env_pairs
from scoring.filters import filters_summary
from scoring.forms import JobSearchForm, salary_range_label
from scoring.hrflow.query import JobQuery

BOARDS = [("b" * 40, "Tech")]
SOURCES = [("5" * 40, "Inbound")]
ALGOS = [("a" * 40, "Balanced")]
PROFILE = "c" * 40
NOW = dt.datetime(2026, 11, 28, 12, 7, tzinfo=dt.UTC)


def make_form(qs: str) -> JobSearchForm:
    return JobSearchForm(QueryDict(qs), board_choices=BOARDS, source_choices=SOURCES, algorithm_choices=ALGOS)


def query(qs: str) -> JobQuery:
    form = make_form(qs)
    assert form.is_valid(), form.errors
    return form.to_query(now=NOW)


@pytest.fixture(autouse=True)
def _ranges(settings) -> None:
    settings.HRFLOW_SALARY_RANGES = [("salary", "USD/year"), ("salary", "eur")]


def test_the_chosen_range_is_sent_as_ranges_float_with_its_name_and_unit() -> None:
    q = query(f"profile_key={PROFILE}&salary_range=salary:eur&salary_min=45000&salary_max=60000")

    assert q.to_hrflow_json()["ranges_float"] == [
        {"name": "salary", "value_min": 45000, "value_max": 60000, "unit": "eur"}
    ]
    assert "salary_range=salary%3Aeur" in q.to_query_string()
    assert JobQuery.from_query_string(q.to_query_string()) == q


def test_the_default_range_is_the_first_setting_and_stays_out_of_the_url() -> None:
    q = query(f"profile_key={PROFILE}&salary_min=90000")

    assert q.to_hrflow_json()["ranges_float"][0]["unit"] == "USD/year"
    assert "salary_range" not in q.to_query_string()


def test_a_currency_without_amounts_is_no_filter_and_not_a_different_search() -> None:
    with_currency = query(f"profile_key={PROFILE}&salary_range=salary:eur")

    assert "ranges_float" not in with_currency.to_hrflow_json()
    assert with_currency == query(f"profile_key={PROFILE}")


def test_a_range_that_is_not_configured_is_a_form_error() -> None:
    form = make_form(f"profile_key={PROFILE}&salary_range=salary:gbp&salary_min=1")

    assert not form.is_valid()
    assert "salary_range" in form.errors


def test_the_legend_names_the_chosen_currency(settings) -> None:
    assert make_form("salary_range=salary:eur").salary_label == "Salary (EUR)"
    assert make_form("").salary_label == "Salary (USD / year)"
    settings.HRFLOW_SALARY_RANGES = [("salary", "eur")]
    assert make_form("").salary_label == "Salary (EUR)"


@pytest.mark.parametrize(
    ("name", "unit", "label"),
    [("salary", "eur", "EUR"), ("salary", "USD/year", "USD / year"), ("Salary", "gbp/month", "GBP / month"),
     ("bonus", "eur", "bonus: EUR"), ("salary", "points", "points")],
)  # fmt: skip
def test_range_labels(name: str, unit: str, label: str) -> None:
    assert salary_range_label(name, unit) == label


def test_the_saved_search_summary_shows_the_currency() -> None:
    q = query(f"profile_key={PROFILE}&salary_range=salary:eur&salary_min=45000&salary_max=60000")

    assert "salary \u20ac45k\u2013\u20ac60k" in filters_summary(q, board_names={})


def test_the_search_page_offers_the_configured_ranges(user_client, monkeypatch) -> None:
    from scoring import selectors
    from scoring.hrflow.results import AlgorithmOption, BoardOption, SourceOption

    monkeypatch.setattr(selectors, "board_list", lambda: [BoardOption(*BOARDS[0])])
    monkeypatch.setattr(selectors, "source_list", lambda: [SourceOption(*SOURCES[0])])
    monkeypatch.setattr(selectors, "algorithm_list", lambda: [AlgorithmOption(*ALGOS[0])])
    body = user_client.get("/?salary_range=salary:eur").content.decode()

    assert '<legend id="salary-legend">Salary (EUR)</legend>' in body
    assert '<option value="salary:USD/year">USD / year</option>' in body
    assert '<option value="salary:eur" selected>EUR</option>' in body


def test_env_pairs_reads_name_unit_lists(monkeypatch) -> None:
    monkeypatch.setenv("HRFLOW_SALARY_RANGES", " salary:USD/year , salary:eur ")
    assert env_pairs("HRFLOW_SALARY_RANGES") == [("salary", "USD/year"), ("salary", "eur")]
    monkeypatch.setenv("HRFLOW_SALARY_RANGES", "")
    assert env_pairs("HRFLOW_SALARY_RANGES", ["salary:eur"]) == [("salary", "eur")]
    monkeypatch.setenv("HRFLOW_SALARY_RANGES", "salary")
    with pytest.raises(ImproperlyConfigured, match="HRFLOW_SALARY_RANGES"):
        env_pairs("HRFLOW_SALARY_RANGES")
