"""Every filter over HTTP: the answer is exactly the unfiltered ranking with the non-matching
jobs removed (so filters narrow and never re-sort), checked against an independent Python
reading of each filter's documented semantics (sandbox/engine/filters.py)."""

import math
import re
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.sandbox.conftest import Api

WORD = re.compile(r"\w+")


def all_pages(api: Api, params: dict[str, Any]) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    page = 1
    while True:
        body = api.scoring(**params, limit=1000, page=page)
        jobs += [
            dict(j, _score=p[1])
            for j, p in zip(body["data"]["jobs"], body["data"]["predictions"], strict=True)
        ]
        if page >= body["meta"]["maxPage"]:
            assert len(jobs) == body["meta"]["total"]
            return jobs
        page += 1


def tokens(*texts: Any) -> set[str]:
    return {t for text in texts if isinstance(text, str) for t in WORD.findall(text.lower())}


def job_tokens(job: dict[str, Any]) -> set[str]:
    fields = [
        job.get(f)
        for f in ("name", "summary", "culture", "benefits", "responsibilities", "requirements", "interviews")
    ]
    fields += [s.get(k) for s in job.get("sections") or [] for k in ("title", "description")]
    fields += [s["name"] for s in job.get("skills") or []] + [t["name"] for t in job.get("tasks") or []]
    return tokens(*fields)


def comparable(value: Any) -> Any:
    """The documented tag-value equality (sandbox/engine/filters.py), read independently."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().lower()
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


def same_value(stored: Any, wanted: Any) -> bool:
    a, b = comparable(stored), comparable(wanted)
    return type(a) is type(b) and a == b  # a boolean never equals a number


def has_tag(job: dict[str, Any], name: str, value: Any) -> bool:
    return any(t["name"].lower() == name and same_value(t["value"], value) for t in job.get("tags") or [])


def km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def created(job: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(job["created_at"])


def check(
    api: Api, base: dict[str, Any], ranking: list[dict[str, Any]], extra: dict[str, Any], keep: Any
) -> None:
    expected = [j["key"] for j in ranking if keep(j)]
    got = all_pages(api, {**base, **extra})
    assert [j["key"] for j in got] == expected
    assert 0 < len(expected) < len(ranking), "the filter must narrow to a non-empty subset"


@pytest.fixture(scope="session")
def common_skill(full_ranking: list[dict[str, Any]]) -> str:
    counts = Counter(s["name"].lower() for j in full_ranking[:60] for s in j["skills"])
    return counts.most_common(1)[0][0]


def test_text_keywords(api: Api, base: dict, full_ranking: list[dict], common_skill: str) -> None:
    word = WORD.findall(full_ranking[0]["name"].lower())[0]
    keywords = [word, common_skill.upper()]
    check(api, base, full_ranking, {"text_keywords": keywords},
          lambda j: all(tokens(k) <= job_tokens(j) for k in keywords))  # fmt: skip


def test_summary_keywords(api: Api, base: dict, full_ranking: list[dict]) -> None:
    words = Counter(t for j in full_ranking for t in tokens(j.get("summary")))
    word = next(w for w, c in words.most_common() if c < len(full_ranking) and len(w) > 4)
    check(api, base, full_ranking, {"summary_keywords": [word]}, lambda j: word in tokens(j.get("summary")))


def test_skills(api: Api, base: dict, full_ranking: list[dict], common_skill: str) -> None:
    check(api, base, full_ranking, {"skills": [{"name": common_skill.title(), "value": None}]},
          lambda j: common_skill in {s["name"].lower() for s in j["skills"]})  # fmt: skip


def test_languages(api: Api, base: dict, full_ranking: list[dict]) -> None:
    counts = Counter(lang["name"].lower() for j in full_ranking for lang in j.get("languages") or [])
    name = next(n for n, c in counts.most_common() if c < len(full_ranking))
    check(api, base, full_ranking, {"languages": [{"name": name, "value": None}]},
          lambda j: name in {lang["name"].lower() for lang in j.get("languages") or []})  # fmt: skip


def first_tag(jobs: list[dict], name: str) -> object:
    """The value of tag `name` on the first of `jobs` that has it. The session's sandbox is shared:
    other tests index jobs of their own (some with no such tag) into it."""
    return next(t["value"] for job in jobs for t in job["tags"] if t["name"] == name)


def test_tags_included_is_an_and_of_or_groups(api: Api, base: dict, full_ranking: list[dict]) -> None:
    """issue 7's done-when on the demo data: remote jobs of sales or marketing, nothing else."""
    groups = [
        [{"name": "remote", "value": True}],
        [{"name": "category", "value": "sales"}, {"name": "category", "value": "marketing"}],
        [],  # the open job board's empty facet: no constraint
    ]

    def keep(job: dict) -> bool:
        return all(any(has_tag(job, c["name"], c["value"]) for c in group) for group in groups if group)

    check(api, base, full_ranking, {"tags_included": groups}, keep)
    got = all_pages(api, {**base, "tags_included": groups})
    assert {next(t["value"] for t in j["tags"] if t["name"] == "category") for j in got} == {
        "sales",
        "marketing",
    }
    assert all(has_tag(j, "remote", True) for j in got)


def test_tags_excluded_drops_any_listed_tag(api: Api, base: dict, full_ranking: list[dict]) -> None:
    category = first_tag(full_ranking, "category")
    excluded = [{"name": "category", "value": category}, {"name": "remote", "value": "TRUE"}]
    for nesting in ([[c] for c in excluded], [excluded]):
        check(api, base, full_ranking, {"tags_excluded": nesting},
              lambda j: not any(has_tag(j, c["name"], c["value"]) for c in excluded))  # fmt: skip


def test_ranges_float_overlap(api: Api, base: dict, full_ranking: list[dict]) -> None:
    low, high = 90000.0, 120000.0
    item = {"name": "salary", "value_min": low, "value_max": high, "unit": "USD/year"}

    def keep(job: dict) -> bool:
        salary = next((r for r in job.get("ranges_float") or [] if r["name"].lower() == "salary"), None)
        if salary is None or (salary.get("unit") or "").lower() != "usd/year":
            return False
        lo, hi = salary.get("value_min"), salary.get("value_max")
        return (hi is None or hi >= low) and (lo is None or lo <= high)

    check(api, base, full_ranking, {"ranges_float": [item]}, keep)
    wrong_unit = all_pages(api, {**base, "ranges_float": [dict(item, unit="EUR/month")]})
    assert wrong_unit == []


def test_date_range(api: Api, base: dict, full_ranking: list[dict]) -> None:
    moments = sorted(created(j) for j in full_ranking)
    low, high = moments[len(moments) // 4], moments[len(moments) // 2]
    check(api, base, full_ranking, {"date_range_min": low.isoformat(), "date_range_max": high.isoformat()},
          lambda j: low <= created(j) <= high)  # fmt: skip


def test_location(api: Api, base: dict, full_ranking: list[dict]) -> None:
    anchor = next(j["location"] for j in full_ranking if j["location"].get("lat") is not None)
    point = {"lat": anchor["lat"], "lng": anchor["lng"]}

    def keep(job: dict) -> bool:
        loc = job.get("location") or {}
        return loc.get("lat") is not None and km(point["lat"], point["lng"], loc["lat"], loc["lng"]) <= 40

    check(api, base, full_ranking, {"location_geopoint": point, "location_distance": 40}, keep)


def test_score_threshold(api: Api, base: dict, full_ranking: list[dict]) -> None:
    threshold = full_ranking[len(full_ranking) // 3]["_score"]
    check(api, base, full_ranking, {"score_threshold": threshold}, lambda j: j["_score"] >= threshold)


def test_board_keys_subset(api: Api, base: dict, full_ranking: list[dict]) -> None:
    board = full_ranking[0]["board_key"]
    check(api, base, full_ranking, {"board_keys": [board]}, lambda j: j["board_key"] == board)


def test_ranges_date_without_matching_jobs_is_empty(api: Api, base: dict, full_ranking: list[dict]) -> None:
    item = {"name": "interview_dates", "value_min": "2026-01-01T00:00", "value_max": "2026-02-01T00:00"}

    def keep(job: dict) -> bool:
        return any(r["name"].lower() == "interview_dates" for r in job.get("ranges_date") or [])

    assert [j["key"] for j in all_pages(api, {**base, "ranges_date": [item]})] == [
        j["key"] for j in full_ranking if keep(j)
    ]


def seen_online(job: dict[str, Any]) -> tuple[datetime, datetime] | None:
    item = next((r for r in job.get("ranges_date") or [] if r["name"].lower() == "seen_online"), None)
    if item is None:
        return None
    return datetime.fromisoformat(item["value_min"]), datetime.fromisoformat(item["value_max"])


def test_ranges_date_keeps_the_jobs_whose_window_overlaps(
    api: Api, base: dict, full_ranking: list[dict]
) -> None:
    """Every demo job was seen online from firstSeen to lastSeen (demodata `seen_online`, moved
    by load_demo_data with created_at): a window keeps exactly the jobs whose span overlaps it,
    bounds inclusive, whatever the case of the name."""
    windows = [w for j in full_ranking if (w := seen_online(j))]
    assert len(windows) >= 0.99 * len(full_ranking)
    # load_demo_data moved the range with created_at: a job dated by its first sighting still is.
    first_seen = [j for j in full_ranking if has_tag(j, "date_source", "first_seen") and seen_online(j)]
    assert first_seen
    assert all(created(j) == seen_online(j)[0] for j in first_seen)  # type: ignore[index]
    # Three days from a job's last sighting (that job touches the window at its very start),
    # early enough that older jobs were still online after it (the crawls ran Jul-Aug 2025 and
    # Jan 2026, so later windows hold nothing but the last crawl).
    ends = sorted(hi for _, hi in windows)
    low = ends[len(ends) // 20]
    high = low + timedelta(days=3)
    item = {"name": "Seen_Online", "value_min": low.isoformat(), "value_max": high.isoformat()}

    def overlaps(job: dict, lo: datetime | None, hi: datetime | None) -> bool:
        window = seen_online(job)
        return window is not None and (lo is None or window[1] >= lo) and (hi is None or window[0] <= hi)

    check(api, base, full_ranking, {"ranges_date": [item]}, lambda j: overlaps(j, low, high))
    # An open end is unbounded: "seen online at some point before `low`".
    open_item = {"name": "seen_online", "value_max": low.isoformat()}
    check(api, base, full_ranking, {"ranges_date": [open_item]}, lambda j: overlaps(j, None, low))
    # Two items must both hold (here: seen before `low` and still seen after `high`).
    both = [open_item, {"name": "seen_online", "value_min": high.isoformat()}]
    check(api, base, full_ranking, {"ranges_date": both},
          lambda j: overlaps(j, None, low) and overlaps(j, high, None))  # fmt: skip


def test_filters_combine_as_and(api: Api, base: dict, full_ranking: list[dict], common_skill: str) -> None:
    threshold = full_ranking[len(full_ranking) // 2]["_score"]
    extra = {
        "skills": [common_skill],
        "tags_excluded": [[{"name": "remote", "value": False}]],
        "score_threshold": threshold,
    }

    def keep(job: dict) -> bool:
        return (
            common_skill in {s["name"].lower() for s in job["skills"]}
            and not has_tag(job, "remote", False)
            and job["_score"] >= threshold
        )

    check(api, base, full_ranking, extra, keep)
