"""All of a job's text and real value types, from parser to card and details (issue 7).

Real HrFlow jobs often have `summary: null` and their text in `sections`, `culture`, `benefits`,
`interviews`; values keep their JSON types (tag `true`, skill `0.9`, `fields: []`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from scoring.hrflow.query import JobQuery
from scoring.hrflow.results import JobPage, JobSection, ScoredJob, ScoringPayload, TagDisplay, salary_display
from scoring.templatetags.job_cards import render_card, render_details
from tests.scoring.hrflow.payloads import job

NOW = dt.datetime(2023, 6, 24, 12, 0, tzinfo=dt.UTC)


def card_of(raw: dict[str, Any], query: JobQuery | None = None) -> ScoredJob:
    payload = ScoringPayload(jobs=(raw,), scores=(0.5,), page=1, max_page=1, count=1, total=1)
    return JobPage.build(payload, query=query or JobQuery(), now=NOW).jobs[0]


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


SECTIONS_ONLY = job(
    summary=None,
    responsibilities=None,
    requirements="",
    culture=None,
    benefits="Gym club.\nPublic transport.",
    interviews="   ",
    sections=[
        {"name": "mission", "title": "The mission", "description": "Build the data platform."},
        {"name": "profile", "title": "Searched Profile", "description": "Bac+5"},
        {"name": "empty", "title": "", "description": ""},
        {"name": "untitled", "title": None, "description": "No title here."},
    ],
)


def test_details_show_every_section_in_order_and_nothing_empty() -> None:
    html = render_details(card_of(SECTIONS_ONLY))
    text = visible_text(html)

    assert text.index("The mission Build the data platform.") < text.index("Searched Profile Bac+5")
    assert text.index("Searched Profile Bac+5") < text.index("Bac+5 No title here.")
    assert text.index("No title here.") < text.index("Benefits Gym club.")
    for absent in ("Summary", "Responsibilities", "Requirements", "Culture", "Interviews", "empty"):
        assert absent not in text
    assert "<h4></h4>" not in html
    assert '<p class="text"></p>' not in html


def test_every_text_block_is_shown_with_its_heading() -> None:
    full = job(
        summary="S.", responsibilities="R.", requirements="Q.", culture="C.", benefits="B.", interviews="I.",
        sections=[{"title": "T1", "description": "D1"}],
    )  # fmt: skip
    text = visible_text(render_details(card_of(full)))

    assert text.startswith(
        "Summary S. T1 D1 Responsibilities R. Requirements Q. Culture C. Benefits B. Interviews I."
    )


def test_text_stays_escaped_and_keeps_its_line_breaks() -> None:
    nasty = job(
        summary="<b>bold</b> & co\r\nline two", sections=[{"title": "<i>t</i>", "description": "a\nb"}]
    )
    html = render_details(card_of(nasty))

    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co<br>line two" in html
    assert "<h4>&lt;i&gt;t&lt;/i&gt;</h4>" in html
    assert '<p class="text">a<br>b</p>' in html
    assert "<b>" not in html
    assert "<i>" not in html


def test_a_card_without_summary_uses_the_first_section_for_its_teaser() -> None:
    card = card_of(SECTIONS_ONLY)

    assert card.teaser == "Build the data platform."
    assert '<p class="teaser">Build the data platform.</p>' in render_card(card, "/d?job_key=")


def test_the_teaser_is_one_line_and_cut_at_a_word() -> None:
    long = job(summary="word " * 100 + "\n\nend")
    card = card_of(long)

    assert "\n" not in card.teaser
    assert card.teaser.endswith("word\u2026")
    assert len(card.teaser) <= 161


def test_a_card_with_summary_prefers_it_and_a_textless_job_has_no_teaser() -> None:
    assert card_of(job(summary="Own summary.")).teaser == "Own summary."
    bare = card_of(job(summary=None, sections=None))
    assert bare.teaser == ""
    assert "teaser" not in render_card(bare, "/d?job_key=")


@pytest.mark.parametrize(
    ("value", "shown"),
    [(True, "yes"), (False, "no"), ("true", "yes"), ("False", "no"), ("TRUE", "yes"), ("sales", "sales"),
     (3.0, "3"), (0.9, "0.9"), (2, "2")],
)  # fmt: skip
def test_tag_values_of_any_json_type_read_naturally(value: Any, shown: str) -> None:
    card = card_of(job(tags=[{"name": "remote", "value": value}]))

    assert card.tags == (TagDisplay("remote", shown),)
    assert f'<span class="tag-name">remote:</span> {shown}</li>' in render_card(card, "/d?job_key=")


def test_null_tag_values_are_not_shown_and_skill_values_of_any_type_parse() -> None:
    card = card_of(
        job(
            tags=[{"name": "remote", "value": None}],
            skills=[
                {"name": "python", "value": None},
                {"name": "spark", "value": 0.9},
                {"name": "sql", "value": True},
                {"name": "go", "value": "expert"},
                {"name": "rust", "value": 3},
            ],
            languages=[{"name": "english", "value": 1}, {"name": "french", "value": None}, {"name": None}],
        )
    )

    assert card.tags == ()
    assert [s.name for s in card.skills] == ["python", "spark", "sql", "go", "rust"]
    assert card.languages == ("english", "french")


@pytest.mark.parametrize("fields", [[], None, {}, {"city": "Lyon"}, "odd"])
def test_location_fields_of_any_shape_parse_and_null_coordinates_give_no_distance(fields: Any) -> None:
    raw = job(
        location={
            "text": "Dampierre en Burly (45)",
            "lat": None,
            "lng": None,
            "gmaps": None,
            "fields": fields,
        }
    )
    card = card_of(raw, JobQuery(lat=48.0, lng=2.0, location_distance=50))

    assert card.location_text == "Dampierre en Burly (45)"
    assert (card.distance_km, card.distance_display) == (None, "")
    assert '<span class="location">Dampierre en Burly (45)</span>' in render_card(card, "/d?job_key=")


@pytest.mark.parametrize(
    ("low", "high", "unit", "text"),
    [
        (45000, 50000, "eur", "\u20ac45k\u2013\u20ac50k"),
        (45000, 50000, "EUR", "\u20ac45k\u2013\u20ac50k"),
        (30, 50, "eur", "\u20ac30\u2013\u20ac50"),
        (60000, None, "gbp", "From \u00a360k"),
        (105000, 172000, "usd/year", "$105k\u2013$172k / year"),
        (45000, 50000, "points", "45k\u201350k points"),
        (10, 20, "XYZ/hour", "10\u201320 XYZ/hour"),
    ],
)
def test_salary_in_the_jobs_own_currency(low: float, high: float | None, unit: str, text: str) -> None:
    assert salary_display(low, high, unit) == text


def test_salary_range_names_match_case_insensitively() -> None:
    raw = job(ranges_float=[{"name": "Salary", "value_min": 45000, "value_max": 50000, "unit": "eur"}])

    assert card_of(raw).salary_display == "\u20ac45k\u2013\u20ac50k"


def test_details_list_languages_and_date_ranges() -> None:
    raw = job(
        languages=[{"name": "english", "value": 1}, {"name": "french", "value": None}],
        ranges_date=[
            {"name": "interview_dates", "value_min": "2023-05-18T21:59", "value_max": "2023-09-15T21:59"}
        ],
    )
    text = visible_text(render_details(card_of(raw)))

    assert "Languages english, french" in text
    assert "Interview dates 18 May 2023 \u2013 15 Sep 2023" in text


def test_sections_parse_leniently() -> None:
    raw = job(
        sections=[{"title": "A", "description": "x"}, "junk", None, {"description": "y"}, {"name": "n"}]
    )

    assert card_of(raw).sections == (JobSection("A", "x"), JobSection("", "y"))


def test_an_old_mac_line_break_is_a_line_break_too() -> None:
    html = render_details(card_of(job(summary="one\rtwo\r\nthree\nfour")))
    assert '<p class="text">one<br>two<br>three<br>four</p>' in html


def test_the_facts_list_holds_only_its_terms_and_values() -> None:
    raw = job(
        languages=[{"name": "english", "value": 1}],
        ranges_date=[{"name": "start", "value_min": "2023-05-18T21:59", "value_max": "2023-09-15T21:59"}],
    )
    html = render_details(card_of(raw))
    (facts,) = re.findall(r'<dl class="job-facts">(.*?)</dl>', html)
    assert re.sub(r"<(dt|dd)>[^<]*</\1>", "", facts) == ""  # nothing between the dt/dd pairs
    # Details lists every skill (the card shows at most 8); the job() fixture has two.
    assert (
        visible_text(facts) == "Skills python, spark Languages english Start 18 May 2023 \u2013 15 Sep 2023"
    )


def test_details_do_not_repeat_text_a_section_already_holds() -> None:
    # The demo's shape: a "Description" section made of the summary, responsibilities and
    # requirements, which the job also carries as fields.
    parts = {"summary": "Plan the work.", "responsibilities": "Lead the team.", "requirements": "Know SQL."}
    description = {"name": "description", "title": "Description", "description": "\n\n".join(parts.values())}
    demo = job(**parts, culture=None, benefits=None, interviews=None, sections=[description])
    text = visible_text(render_details(card_of(demo)))
    assert text.startswith("Summary Plan the work. Responsibilities Lead the team. Requirements Know SQL.")
    assert "Description" not in text
    assert text.count("Plan the work.") == 1

    # A section that says more than the summary it starts with: shown, the summary not again.
    longer = job(
        summary="Plan the work.", responsibilities=None, requirements=None, culture=None, benefits=None,
        interviews=None, sections=[{"title": "About", "description": "Plan the work.\nThen run it."}],
    )  # fmt: skip
    text = visible_text(render_details(card_of(longer)))
    assert text.startswith("About Plan the work. Then run it.")
    assert text.count("Plan the work.") == 1


def test_date_range_names_read_as_words() -> None:
    raw = job(ranges_date=[{"name": "seen_online", "value_min": "2023-05-18T21:59", "value_max": None}])
    text = visible_text(render_details(card_of(raw)))
    assert "Seen online from 18 May 2023" in text
    assert "seen_online" not in text
