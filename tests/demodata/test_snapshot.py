"""The committed snapshot in data/demo/ and its stdlib readers."""

import hashlib
import re
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from demodata import snapshot
from hrflow_dash.demo import DEMO_BOARD_KEYS, DEMO_SOURCE_KEYS, demo_key

HEX40 = re.compile(r"^[0-9a-f]{40}$")
DATA = Path(snapshot.__file__).resolve().parent.parent / "data" / "demo"


@pytest.fixture(scope="module")
def jobs() -> list[dict]:
    return list(snapshot.iter_jobs(DATA))


@pytest.fixture(scope="module")
def feed() -> list[dict]:
    return list(snapshot.iter_feed_jobs(DATA))


@pytest.fixture(scope="module")
def profiles() -> list[dict]:
    return list(snapshot.iter_profiles(DATA))


def _tags(doc: dict) -> dict:
    return {t["name"]: t["value"] for t in doc["tags"]}


def test_counts_per_board_and_source(jobs: list[dict], feed: list[dict], profiles: list[dict]) -> None:
    assert len(jobs) >= 5000
    assert len(feed) >= 300
    assert len(profiles) >= 200
    per_board = Counter(j["board_key"] for j in jobs)
    assert set(per_board) == set(DEMO_BOARD_KEYS)
    assert min(per_board.values()) >= 1000
    assert {j["board_key"] for j in feed} <= set(DEMO_BOARD_KEYS)
    per_source = Counter(p["source_key"] for p in profiles)
    assert set(per_source) == set(DEMO_SOURCE_KEYS)


def test_keys_are_40_hex_unique_and_derived(jobs: list[dict], feed: list[dict], profiles: list[dict]) -> None:
    docs = jobs + feed + profiles
    keys = [d["key"] for d in docs]
    assert all(HEX40.match(k) for k in keys)
    assert len(set(keys)) == len(keys)
    assert len({d["reference"] for d in docs}) == len(docs)
    for job in jobs + feed:
        assert job["key"] == demo_key("job", job["reference"])
        assert job["reference"].startswith("nj-")
    for profile in profiles:
        assert profile["key"] == demo_key("profile", profile["reference"])


def test_each_profile_anchor_has_ten_jobs(jobs: list[dict], profiles: list[dict]) -> None:
    per_soc = Counter(_tags(j)["onet_soc"] for j in jobs)
    for profile in profiles:
        tags = _tags(profile)
        assert per_soc[tags["anchor_onet_soc"]] >= 10, tags
        assert tags["anchor_occupation"]


def test_profiles_do_not_quote_the_job_text(jobs: list[dict], profiles: list[dict]) -> None:
    """Candidates describe their work in their own words (demodata/build/profiles.py): no job
    responsibility or task line appears in a profile, and the O*NET label stays in the tags."""
    quoted = {line.strip(" -").lower() for j in jobs for line in (j["responsibilities"] or "").splitlines()}
    quoted |= {t["name"].lower() for j in jobs for t in j["tasks"]}
    quoted.discard("")
    for profile in profiles:
        text = profile["text"].lower()
        lines = {line.strip(" -").lower() for line in text.splitlines()}
        assert not lines & quoted, profile["reference"]
        assert not any(q in text for q in quoted if len(q) > 40), profile["reference"]
        assert f"({_tags(profile)['anchor_occupation']})" not in profile["info"]["summary"]
        assert 2 <= len(profile["experiences"]) <= 4
        assert all(e["description"] and e["tasks"] for e in profile["experiences"])


EUR_BOARD = demo_key("board", "corporate")


def test_jobs_carry_the_contract_fields(jobs: list[dict]) -> None:
    required = {"company", "category", "department", "onet_soc", "occupation", "remote", "salary_source"}
    for job in jobs:
        tags = _tags(job)
        assert required <= set(tags)
        in_euros = job["board_key"] == EUR_BOARD
        sources = (
            {"posting_usd_to_eur", "oews_usd_to_eur", "none"} if in_euros else {"posting", "oews", "none"}
        )
        assert tags["salary_source"] in sources
        assert (tags["salary_source"] == "none") == (job["ranges_float"] == [])
        for salary in job["ranges_float"]:
            assert (salary["name"], salary["unit"]) == ("salary", "eur" if in_euros else "USD/year")
        assert job["archived_at"] is None
        assert tags["date_source"] in {"posting", "first_seen", "estimated"}
        (seen,) = job["ranges_date"]
        for stamp in (job["created_at"], job["updated_at"], seen["value_min"], seen["value_max"]):
            assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$", stamp)
    located = sum(1 for j in jobs if j["location"]["lat"] is not None)
    assert located / len(jobs) > 0.9


def test_jobs_look_like_real_hrflow_jobs(jobs: list[dict], feed: list[dict]) -> None:
    """What the recorded HrFlow payloads show and a tidy subset would not (demodata/build/pipeline.py):
    boolean `remote` values, float skill values, text only in sections, euro salaries, `fields: []`."""
    everything = jobs + feed
    assert {type(_tags(j)["remote"]) for j in everything} == {bool}
    assert all(
        isinstance(t["value"], str | type(None))
        for j in everything
        for t in j["tags"]
        if t["name"] != "remote"
    )
    values = Counter(type(s["value"]).__name__ for j in jobs for s in j["skills"])
    assert set(values) == {"float", "NoneType"}
    assert min(values.values()) > 0.2 * sum(values.values())
    assert all(0 < s["value"] <= 1 for j in jobs for s in j["skills"] if s["value"] is not None)
    sections_only = [j for j in jobs if j["summary"] is None]
    assert 0.15 * len(jobs) < len(sections_only) < 0.35 * len(jobs)
    for job in sections_only:
        assert job["responsibilities"] is None
        assert job["requirements"] is None
        assert job["sections"][0]["name"] == "summary"
        assert all(s["title"] and s["description"] for s in job["sections"])
    assert sum(1 for j in feed if j["summary"] is None) > 0.15 * len(feed)
    euros = [j for j in jobs if j["board_key"] == EUR_BOARD and j["ranges_float"]]
    assert len(euros) > 500
    assert sum(1 for j in jobs if j["location"]["fields"] == []) > 10


def test_euro_salaries_are_labelled_conversions(jobs: list[dict]) -> None:
    """A euro figure is a USD figure (posting or OEWS) at the build's fixed rate, rounded to 100 EUR."""
    from demodata.build.pipeline import USD_PER_EUR

    for job in jobs:
        if job["board_key"] != EUR_BOARD or not job["ranges_float"]:
            continue
        (salary,) = job["ranges_float"]
        assert _tags(job)["salary_source"].endswith("_usd_to_eur")
        for bound in (salary["value_min"], salary["value_max"]):
            assert bound % 100 == 0
            assert 10_000 < bound * USD_PER_EUR < 1_000_000


def test_remote_and_sales_or_marketing_jobs_exist(jobs: list[dict]) -> None:
    """issue 7's done-when query has something to find, and something to leave out."""
    wanted = [
        j for j in jobs if _tags(j)["remote"] is True and _tags(j)["category"] in ("sales", "marketing")
    ]
    assert {_tags(j)["category"] for j in wanted} == {"sales", "marketing"}
    assert any(_tags(j)["remote"] is False and _tags(j)["category"] == "sales" for j in jobs)


def _ts(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")


def test_job_dates_are_real_or_estimated_and_say_which(jobs: list[dict], feed: list[dict]) -> None:
    """created_at: the posting date, else firstSeen off the scraper's bulk-crawl days, else an
    estimate before firstSeen (demodata/build/listings.py); `seen_online` is firstSeen → lastSeen."""
    bulk = set(snapshot.manifest(DATA)["stats"]["bulk_crawl_days"])
    assert bulk == {"2025-07-26", "2026-01-10"}  # what the pinned network-jobs-data holds
    cap = timedelta(days=60)
    for job in jobs + feed:
        (seen,) = job["ranges_date"]
        assert seen["name"] == "seen_online"
        first, last = _ts(seen["value_min"]), _ts(seen["value_max"])
        created, updated = _ts(job["created_at"]), _ts(job["updated_at"])
        assert first <= last
        assert updated == max(last, created)
        source = _tags(job)["date_source"]
        if source == "posting":
            assert created <= first
        elif source == "first_seen":
            assert created == first
            assert seen["value_min"][:10] not in bulk
        else:
            assert source == "estimated", job["reference"]
            assert seen["value_min"][:10] in bulk
            assert first - cap < created < first


def test_created_at_is_spread_out(jobs: list[dict]) -> None:
    """Before the estimate, 72% of the jobs were created on one day (a bulk crawl)."""
    per_day = Counter(j["created_at"][:10] for j in jobs)
    assert max(per_day.values()) < 0.08 * len(jobs)
    assert len(per_day) > 150
    sources = Counter(_tags(j)["date_source"] for j in jobs)
    assert set(sources) == {"posting", "first_seen", "estimated"}
    assert snapshot.manifest(DATA)["stats"]["jobs_date_source"] == dict(sorted(sources.items()))


def test_manifest_matches_the_files() -> None:
    manifest = snapshot.manifest(DATA)
    assert set(manifest["files"]) == {"jobs.jsonl.gz", "feed.jsonl.gz", "profiles.jsonl.gz", "cities.csv.gz"}
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((DATA / name).read_bytes()).hexdigest() == digest, name
    assert manifest["sources"]["network-jobs-data"] == "0.0.20260111024211"
    assert {"seed", "built_at", "sources", "counts", "files"} <= set(manifest)


def test_snapshot_is_small() -> None:
    total = sum(p.stat().st_size for p in DATA.iterdir() if p.is_file())
    assert total <= 8 * 1024 * 1024


def test_cities(jobs: list[dict]) -> None:
    cities = snapshot.load_cities(DATA)
    assert len(cities) > 30000
    nyc = max((c for c in cities if c.name == "New York City"), key=lambda c: c.population)
    assert (nyc.country_code, nyc.admin1) == ("US", "NY")
    assert abs(nyc.lat - 40.71) < 0.1


def test_jobs_are_what_job_indexing_accepts(jobs: list[dict], feed: list[dict], profiles: list[dict]) -> None:
    """Jobs: the sandbox's parser of POST job/indexing (HrFlow's types), not the SDK's HrFlowJob,
    which rejects every recorded real job (tests/sandbox/test_contract.py). Profiles keep the SDK
    schema, which agrees with their (string or null) values."""
    from datetime import UTC

    from hrflow.schemas import HrFlowProfile

    from sandbox.job_input import parse_job

    for job in jobs + feed:
        parsed = parse_job(job, now=datetime(2026, 1, 11, tzinfo=UTC))
        assert parsed["skills"] == job["skills"]
        assert parsed["tags"] == job["tags"]
        assert parsed["location"] == job["location"]
    for profile in profiles:
        HrFlowProfile(**profile)


def test_readers_import_nothing_heavy() -> None:
    code = "import sys, demodata.snapshot; print(sorted({'hrflow', 'faker', 'pydantic'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_default_data_dir_follows_settings(settings, tmp_path: Path) -> None:
    settings.DEMO_DATA_DIR = str(tmp_path)
    assert snapshot.data_dir() == tmp_path
    del settings.DEMO_DATA_DIR
    assert snapshot.data_dir() == DATA
