"""The build command end to end, over miniature wheels."""

import gzip
import hashlib
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hrflow.schemas import HrFlowProfile

from demodata.build import listings as build_listings
from demodata.build.pipeline import USD_PER_EUR
from hrflow_dash.demo import DEMO_BOARD_KEYS, DEMO_SOURCE_KEYS, demo_key
from sandbox.job_input import parse_job
from tests.demodata import miniwheels

HEX40 = re.compile(r"^[0-9a-f]{40}$")
FILES = ["jobs.jsonl.gz", "feed.jsonl.gz", "profiles.jsonl.gz", "cities.csv.gz", "MANIFEST.json"]


N_FEED, N_PROFILES = 3, 6
N_JOBS = len(miniwheels.LISTINGS) - N_FEED  # every listing ends up in jobs or feed


def _build(wheels: Path, out: Path) -> None:
    call_command(
        "build_demo_data",
        "--wheels-dir",
        str(wheels),
        "--out",
        str(out),
        "--jobs",
        str(N_JOBS),
        "--feed",
        str(N_FEED),
        "--profiles",
        str(N_PROFILES),
        stdout=io.StringIO(),
    )


def _lines(path: Path) -> list[dict]:
    with gzip.open(path, "rt") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture
def built(mini_wheels: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    _build(mini_wheels, out)
    return out


def test_outputs_validate_and_use_demo_keys(built: Path) -> None:
    jobs, feed, profiles = (_lines(built / f) for f in FILES[:3])
    assert (len(jobs), len(feed), len(profiles)) == (N_JOBS, N_FEED, N_PROFILES)
    for job in jobs + feed:
        # What POST job/indexing takes (HrFlow's value types), not the stricter SDK HrFlowJob.
        assert parse_job(job, now=datetime(2026, 1, 11).astimezone())["tags"] == job["tags"]
        assert HEX40.match(job["key"])
        assert job["key"] == demo_key("job", job["reference"])
        assert job["board_key"] in DEMO_BOARD_KEYS
        assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", job["created_at"])
        tags = {t["name"] for t in job["tags"]}
        assert {
            "company",
            "category",
            "department",
            "onet_soc",
            "occupation",
            "remote",
            "salary_source",
        } <= tags
    for profile in profiles:
        HrFlowProfile(**profile)
        assert HEX40.match(profile["key"])
        assert profile["source_key"] in DEMO_SOURCE_KEYS
        profile_tags = {t["name"]: t["value"] for t in profile["tags"]}
        assert profile_tags["anchor_onet_soc"] in miniwheels.ONET
        assert 1 <= len(profile["experiences"]) <= 4
        assert profile["info"]["full_name"] in profile["text"]
        assert profile["info"]["email"].endswith("@example.com")
    keys = [j["key"] for j in jobs + feed]
    assert len(keys) == len(set(keys))
    assert {p["source_key"] for p in profiles} == set(DEMO_SOURCE_KEYS)
    # Every board of demo.py gets jobs from its categories.
    assert {j["board_key"] for j in jobs} == set(DEMO_BOARD_KEYS)


def test_feed_holds_the_newest_listings_apart_from_the_jobs(built: Path) -> None:
    jobs, feed = _lines(built / "jobs.jsonl.gz"), _lines(built / "feed.jsonl.gz")
    assert not {j["reference"] for j in jobs} & {j["reference"] for j in feed}
    newest = sorted(miniwheels.LISTINGS, key=lambda r: (r["firstSeen"], r["id"]), reverse=True)[:3]
    assert {j["reference"] for j in feed} == {f"nj-{r['id']}" for r in newest}


def _docs(built: Path) -> dict[str, dict]:
    return {j["reference"]: j for j in _lines(built / "jobs.jsonl.gz") + _lines(built / "feed.jsonl.gz")}


def test_salary_sources_and_cleaning(built: Path) -> None:
    docs = _docs(built)
    assert len(docs) == len(miniwheels.LISTINGS)
    by_tag = {ref: {t["name"]: t["value"] for t in d["tags"]} for ref, d in docs.items()}
    euro_board = demo_key("board", "corporate")
    for ref, doc in docs.items():
        source = by_tag[ref]["salary_source"]
        if doc["board_key"] == euro_board:  # converted from USD at the build's fixed rate
            assert source in {"posting_usd_to_eur", "oews_usd_to_eur", "none"}
        else:
            assert source in {"posting", "oews", "none"}
        assert bool(doc["ranges_float"]) == (source != "none")
        for r in doc["ranges_float"]:
            assert r["unit"] == ("eur" if doc["board_key"] == euro_board else "USD/year")
            assert r["value_min"] <= r["value_max"] < 1_000_000
    euros = {
        ref: d["ranges_float"][0]
        for ref, d in docs.items()
        if d["board_key"] == euro_board and d["ranges_float"]
    }
    assert euros, "the corporate listings (people, legal) get OEWS salaries, in euros"
    for salary in euros.values():
        assert salary["value_min"] % 100 == salary["value_max"] % 100 == 0
    # Technical Recruiter (13-1071, national OEWS p25-p75 60,000-95,000 USD) at the fixed rate.
    assert (euros["nj-200"]["value_min"], euros["nj-200"]["value_max"]) == (
        round(60000 / USD_PER_EUR / 100) * 100,
        round(95000 / USD_PER_EUR / 100) * 100,
    )
    assert euros["nj-200"]["value_min"] == 55400  # (60,000 / 1.0824, to the 100)
    salary = {
        ref: (d["ranges_float"][0]["value_min"], d["ranges_float"][0]["value_max"])
        for ref, d in docs.items()
        if d["ranges_float"]
    }
    assert salary["nj-202"] == (35 * 2080, 40 * 2080)  # hourly posting → annual
    assert by_tag["nj-203"]["salary_source"] == "none"  # non-USD millions dropped; London gets no OEWS
    assert salary["nj-204"] == (60000, 80000)
    assert by_tag["nj-204"]["salary_source"] == "posting"
    assert salary["nj-100"] == (130650, 205970)  # software developer, New York metro
    assert salary["nj-107"] == (105210, 171980)  # "Remote - US": no metro, so the national range
    assert by_tag["nj-206"]["salary_source"] == "none"  # "Remote": not known to be in the US


def test_real_hrflow_shapes_in_the_build(built: Path) -> None:
    """Text only in sections for a seeded share of the jobs, float-or-null skill values."""
    docs = _docs(built)
    sections_only = [d for d in docs.values() if d["summary"] is None]
    assert 0 < len(sections_only) < len(docs)
    for doc in sections_only:
        assert (doc["responsibilities"], doc["requirements"]) == (None, None)
        assert [s["name"] for s in doc["sections"]][:1] == ["summary"]
        assert all(s["description"] for s in doc["sections"])
    for doc in docs.values():
        if doc["summary"] is not None:
            assert [s["name"] for s in doc["sections"]] == ["description"]
    values = {type(s["value"]) for d in docs.values() for s in d["skills"]}
    assert values == {float, type(None)}
    # A technology the title names is weighted 1.0 ("... (Go, Kubernetes)").
    skills = {s["name"]: s["value"] for s in docs["nj-100"]["skills"]}
    assert skills["kubernetes"] == 1.0


def test_geocoding_in_the_build(built: Path) -> None:
    docs = _docs(built)
    city = {ref: (d["location"]["fields"] or {}).get("city") for ref, d in docs.items()}
    assert city["nj-101"] == "New York City"  # "NYC"
    assert city["nj-103"] == "San Francisco"  # "SF"
    assert city["nj-104"] == "Bengaluru"  # "Bangalore, India"
    assert city["nj-108"] == "Starbase"  # cities1000 fallback
    assert city["nj-109"] == "Paris"
    assert docs["nj-109"]["location"]["fields"]["country"] == "FR"
    assert docs["nj-107"]["location"]["lat"] is None  # "Remote - US": country only
    assert docs["nj-107"]["location"]["fields"] == {"country": "US"}
    remote = {ref: {t["name"]: t["value"] for t in d["tags"]}["remote"] for ref, d in docs.items()}
    assert remote["nj-105"] is True  # "Seattle, WA - Remote": a boolean, as HrFlow stores it
    assert remote["nj-100"] is False


def test_geocoded_locations_and_no_advisor_data(built: Path) -> None:
    text = b"".join(gzip.decompress((built / f).read_bytes()) for f in FILES[:3])
    assert miniwheels.ADVISOR_EMAIL.encode() not in text
    for job in _lines(built / "jobs.jsonl.gz"):
        loc = job["location"]
        assert (loc["lat"] is None) == (loc["lng"] is None)
        if loc["lat"] is not None:
            assert loc["fields"]["city"]


def _sentences(text: str) -> set[str]:
    return {s.strip(" -.").lower() for s in re.split(r"[\n.;]", text or "") if len(s.strip(" -.")) > 15}


def test_profiles_describe_work_in_their_own_words(built: Path) -> None:
    jobs = _lines(built / "jobs.jsonl.gz") + _lines(built / "feed.jsonl.gz")
    quoted = set()
    for job in jobs:
        quoted |= _sentences(job["responsibilities"] or "")
        quoted |= {t["name"].strip(" .").lower() for t in job["tasks"]}
    for profile in _lines(built / "profiles.jsonl.gz"):
        for exp in profile["experiences"]:
            assert exp["description"]
            assert exp["tasks"]
            assert not _sentences(exp["description"]) & quoted, exp["description"]
            assert not {t["name"].lower() for t in exp["tasks"]} & quoted
        tags = {t["name"]: t["value"] for t in profile["tags"]}
        assert f"({tags['anchor_occupation']})" not in profile["info"]["summary"]


def test_manifest_and_reproducibility(mini_wheels: Path, built: Path, tmp_path: Path) -> None:
    manifest = json.loads((built / "MANIFEST.json").read_text())
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((built / name).read_bytes()).hexdigest() == digest
    assert manifest["counts"]["jobs"] == N_JOBS
    assert manifest["sources"]["network-jobs-data"] == "0.0.20260111024211"
    again = tmp_path / "again"
    _build(mini_wheels, again)
    for name in FILES:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def _tags(doc: dict) -> dict:
    return {t["name"]: t["value"] for t in doc["tags"]}


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def test_dates_provenance_and_seen_online(built: Path) -> None:
    docs = _docs(built)
    listings = {f"nj-{r['id']}": r for r in miniwheels.LISTINGS}
    for ref, doc in docs.items():
        rec = listings[ref]
        # The slice has one listing a day: no bulk-crawl day, so every date is a real one.
        source = _tags(doc)["date_source"]
        assert source == ("posting" if rec.get("postedAt") else "first_seen"), ref
        assert doc["created_at"] == _hrflow(rec.get("postedAt") or rec["firstSeen"])
        assert doc["updated_at"] == _hrflow(rec["lastSeen"])
        assert doc["ranges_date"] == [
            {
                "name": "seen_online",
                "value_min": _hrflow(rec["firstSeen"]),
                "value_max": _hrflow(rec["lastSeen"]),
            }
        ]
    assert _tags(docs["nj-204"])["date_source"] == "posting"
    manifest = json.loads((built / "MANIFEST.json").read_text())
    assert manifest["stats"]["bulk_crawl_days"] == []
    assert manifest["stats"]["jobs_date_source"] == {"first_seen": N_JOBS - 1, "posting": 1}


def _hrflow(iso: str) -> str:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%dT%H:%M:%S+0000")


def test_bulk_days_only_change_the_dates(
    mini_wheels: Path, built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every day counted as a bulk crawl, each firstSeen date becomes an estimate before it;
    everything but created_at and the date_source tag stays the same."""
    monkeypatch.setattr(build_listings, "BULK_DAY_SHARE", 0.0)
    monkeypatch.setattr(build_listings, "BULK_DAY_MEDIAN_FACTOR", 0)
    out = tmp_path / "all-bulk"
    _build(mini_wheels, out)
    normal, bulk = _docs(built), _docs(out)
    assert list(normal) == list(bulk)
    cap = timedelta(days=build_listings.ESTIMATED_AGE_CAP_DAYS)
    for ref, doc in bulk.items():
        before = normal[ref]
        if _tags(before)["date_source"] == "posting":
            assert doc == before
            continue
        assert _tags(doc)["date_source"] == "estimated"
        first_seen = _ts(before["created_at"])
        assert first_seen - cap < _ts(doc["created_at"]) < first_seen
        assert _ts(doc["updated_at"]) >= _ts(doc["created_at"])
        strip = ("created_at", "tags")
        assert {k: v for k, v in doc.items() if k not in strip} == {
            k: v for k, v in before.items() if k not in strip
        }
        assert {**_tags(doc), "date_source": "first_seen"} == _tags(before)
    assert (out / "profiles.jsonl.gz").read_bytes() == (built / "profiles.jsonl.gz").read_bytes()


def test_missing_wheels_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="network-jobs-data"):
        call_command("build_demo_data", "--wheels-dir", str(tmp_path), "--out", str(tmp_path / "o"))
