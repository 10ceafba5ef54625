"""A known demo pair for the "What matches" panel, and its expected panel computed from raw JSON.

Marcus Shaw (`cand-0001`, a Territory Account Executive in Toronto who speaks English and
French) and the listing "Territory Account Executive, New Jersey" (`nj-1080881`, Jersey City,
salary in USD/year), searched around Manhattan with a radius and a salary filter so that every
part of the panel has something to say. The raw job and profile are read from the sandbox over
plain HTTP (not through the dashboard's client or parsers), and the expected values are
computed here from them: sets, a sort, haversine written out, rapidfuzz called directly.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from rapidfuzz import fuzz, utils

from hrflow_dash.demo import DEMO_ALGORITHM_KEYS, DEMO_SOURCE_KEYS, demo_key

PROFILE_REFERENCE = "cand-0001"
JOB_REFERENCE = "nj-1080881"
SOURCE_KEY = DEMO_SOURCE_KEYS[0]
PROFILE_KEY = demo_key("profile", PROFILE_REFERENCE)
JOB_KEY = demo_key("job", JOB_REFERENCE)
SEARCH_POINT = (40.7128, -74.0060)  # Manhattan
RADIUS_KM = 25
SALARY = (100_000, 150_000)  # USD/year; the job's range overlaps it without fitting inside
KEYWORD = "territory"  # narrows the search so the pair is on the first page whatever the ranking


def search_params() -> dict[str, Any]:
    return {
        "source_key": SOURCE_KEY,
        "profile_key": PROFILE_KEY,
        "algorithm_key": DEMO_ALGORITHM_KEYS[0],
        "lat": SEARCH_POINT[0],
        "lng": SEARCH_POINT[1],
        "location_distance": RADIUS_KM,
        "salary_min": SALARY[0],
        "salary_max": SALARY[1],
        "text_keywords": KEYWORD,
    }


def search_query_string() -> str:
    return urlencode(search_params())


def _get(server: Any, path: str, **params: str) -> dict[str, Any]:
    headers = {"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email}
    response = requests.get(server.url + path, params=params, headers=headers, timeout=30)
    response.raise_for_status()
    data: dict[str, Any] = response.json()["data"]
    return data


def raw_profile(server: Any) -> dict[str, Any]:
    return _get(server, "profile/indexing", source_key=SOURCE_KEY, key=PROFILE_KEY)


def raw_job(server: Any) -> dict[str, Any]:
    for board_key in (demo_key("board", slug) for slug in ("tech", "gtm", "corporate")):
        headers = {"X-API-KEY": server.api_key, "X-USER-EMAIL": server.user_email}
        response = requests.get(
            server.url + "job/indexing",
            params={"board_key": board_key, "key": JOB_KEY},
            headers=headers,
            timeout=30,
        )
        if response.status_code == 200:
            data: dict[str, Any] = response.json()["data"]
            return data
    raise AssertionError(f"the demo job {JOB_REFERENCE} is on no demo board")


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _date(value: str | None) -> dt.datetime | None:
    return dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z") if value else None


@dataclass(frozen=True)
class Expected:
    matched: list[str]
    missing: list[str]  # most important first
    total: int
    languages_spoken: list[str]
    languages_missing: list[str]
    km_text: str
    titles: list[str]  # "Title (NN% similar to the job title, X years)", most similar first
    similar_title: bool

    @property
    def summary(self) -> str:
        title = "similar title" if self.similar_title else "no similar title"
        return f"{len(self.matched)} of {self.total} skills \u00b7 {self.km_text} \u00b7 {title}"


def expected(job: dict[str, Any], profile: dict[str, Any], *, now: dt.datetime) -> Expected:
    skills = [(s["name"], s["value"]) for s in job["skills"]]
    names = [name.casefold() for name, _ in skills]
    assert len(set(names)) == len(names), "this pair was chosen with no repeated job skill"
    have = {s["name"].strip().casefold() for s in profile["skills"]}
    ranked = sorted(skills, key=lambda s: (s[1] is None, -(s[1] or 0)))  # stable: job order among equals
    matched = [name for name, _ in ranked if name.casefold() in have]
    missing = [name for name, _ in ranked if name.casefold() not in have]
    assert matched, "the pair shows both lists"
    assert missing, "the pair shows both lists"

    spoken = {lang["name"].casefold() for lang in profile["languages"]}
    job_languages = [lang["name"] for lang in job["languages"]]
    assert job_languages
    assert spoken

    location = job["location"]
    km = _haversine_km(SEARCH_POINT, (location["lat"], location["lng"]))
    assert km <= RADIUS_KM, "the job is inside the search circle"

    rows = []
    for exp in profile["experiences"]:
        assert exp["title"], "demo profiles have titles"
        sim = round(fuzz.token_set_ratio(job["name"], exp["title"], processor=utils.default_process))
        start, end = _date(exp["date_start"]), _date(exp["date_end"]) or now
        assert start is not None
        years = (end - start).days / 365.25
        shown = f"{exp['title']} ({sim}% similar to the job title, {round(years, 1):g} years)"
        rows.append((sim, years, shown))
    rows.sort(key=lambda r: (-r[0], -r[1]))
    return Expected(
        matched=matched,
        missing=missing,
        total=len(skills),
        languages_spoken=[lang for lang in job_languages if lang.casefold() in spoken],
        languages_missing=[lang for lang in job_languages if lang.casefold() not in spoken],
        km_text=f"{km:.1f} km" if km < 10 else f"{km:,.0f} km",
        titles=[text for _, _, text in rows],
        similar_title=rows[0][0] >= 70,
    )
