"""load_demo_data: idempotent, and it dates the snapshot's newest job today by a whole-day shift."""

import datetime as dt
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from sandbox.devserver import REPO, prepare_database, sandbox_env
from sandbox.fixture_snapshot import write_snapshot
from sandbox.snapshot_reader import iter_jobs
from sandbox.timeutil import parse_hrflow_datetime


def load(database_url: str, data_dir: Path, var_dir: Path, *extra: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data", "--settings=sandbox.settings", *extra],
        cwd=REPO,
        env=sandbox_env(database_url, data_dir, var_dir),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return result.stdout


def newest_snapshot_date(data_dir: Path) -> dt.date:
    return max(parse_hrflow_datetime(j["created_at"]) for j in iter_jobs(data_dir)).date()


def test_second_load_changes_nothing(live_sandbox: Any, api: Any) -> None:
    health = api.get("health").json()
    # The day the fixture loaded for, from the recorded offset: no dependence on today's date.
    today = newest_snapshot_date(live_sandbox.data_dir) + dt.timedelta(days=health["demo_date_offset_days"])
    stdout = load(
        live_sandbox.database_url, live_sandbox.data_dir, live_sandbox.log_path.parent, f"--today={today}"
    )
    assert "jobs written: 0, profiles written: 0, reference rows: 0" in stdout
    assert f"shifted by {health['demo_date_offset_days']} day(s)" in stdout
    assert api.get("health").json() == health


def db_jobs(database_url: str) -> dict[str, tuple[str, str, dict[str, Any]]]:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        rows = connection.execute("SELECT key, created_at, updated_at, payload FROM sandbox_job").fetchall()
    return {key: (created, updated, json.loads(payload)) for key, created, updated, payload in rows}


def db_offset(database_url: str) -> int:
    with sqlite3.connect(database_url.removeprefix("sqlite:///")) as connection:
        return int(connection.execute("SELECT demo_date_offset_days FROM sandbox_indexstate").fetchone()[0])


def test_dates_shift_by_whole_days_so_the_newest_job_is_today(tmp_path: Path) -> None:
    data_dir = write_snapshot(tmp_path / "snapshot", jobs=120, profiles=6)
    digest = hashlib.sha256((data_dir / "jobs.jsonl.gz").read_bytes()).hexdigest()
    snapshot = {j["key"]: j for j in iter_jobs(data_dir)}
    newest = newest_snapshot_date(data_dir)
    today = dt.date(2026, 11, 28)
    offset = (today - newest).days
    database_url = prepare_database(tmp_path, data_dir, today=today)

    jobs = db_jobs(database_url)
    assert db_offset(database_url) == offset
    assert jobs.keys() == snapshot.keys()
    assert max(parse_hrflow_datetime(p["created_at"]) for _, _, p in jobs.values()).date() == today
    delta = dt.timedelta(days=offset)
    for key, (_created, _updated, payload) in jobs.items():
        original = snapshot[key]
        for name in ("created_at", "updated_at"):
            assert parse_hrflow_datetime(payload[name]) == parse_hrflow_datetime(original[name]) + delta
        assert {k: v for k, v in payload.items() if k not in ("created_at", "updated_at")} == {
            k: v for k, v in original.items() if k not in ("created_at", "updated_at")
        }
    # The snapshot on disk is unchanged.
    assert hashlib.sha256((data_dir / "jobs.jsonl.gz").read_bytes()).hexdigest() == digest

    # Same day again: nothing written. The output names the offset.
    again = load(database_url, data_dir, tmp_path, f"--today={today}")
    assert "jobs written: 0, profiles written: 0, reference rows: 0" in again
    assert f"shifted by {offset} day(s) so the newest job is dated {today}" in again
    assert db_jobs(database_url) == jobs

    # A day later every job moves one more day, and the new offset is recorded.
    later = load(database_url, data_dir, tmp_path, f"--today={today + dt.timedelta(days=1)}")
    assert f"jobs written: {len(snapshot)}, profiles written: 0" in later
    assert db_offset(database_url) == offset + 1
    moved = db_jobs(database_url)
    some = next(iter(snapshot))
    assert parse_hrflow_datetime(moved[some][2]["created_at"]) == parse_hrflow_datetime(
        jobs[some][2]["created_at"]
    ) + dt.timedelta(days=1)


def test_shift_moves_date_ranges_and_keeps_their_style() -> None:
    from sandbox.demo_dates import shift_job_dates

    item = {
        "created_at": "2026-01-10T08:41:25+0000",
        "updated_at": None,
        "ranges_date": [
            {"name": "start", "value_min": "2026-03-01", "value_max": "2026-03-31T10:00:00Z"},
            {"name": "odd", "value_min": "soon", "value_max": None},
        ],
    }
    shifted = shift_job_dates(item, 3)
    assert shifted["created_at"] == "2026-01-13T08:41:25+0000"
    assert shifted["updated_at"] is None
    assert shifted["ranges_date"][0] == {
        "name": "start",
        "value_min": "2026-03-04",
        "value_max": "2026-04-03T10:00:00+0000",
    }
    assert shifted["ranges_date"][1] == {"name": "odd", "value_min": "soon", "value_max": None}
    assert item["created_at"] == "2026-01-10T08:41:25+0000"  # the snapshot item is untouched
    assert shift_job_dates(item, 0) is item


def test_without_a_date_the_newest_job_lands_within_the_last_day_never_later() -> None:
    from sandbox.demo_dates import date_offset_days

    data_dir = REPO / "data" / "demo"
    newest = max(parse_hrflow_datetime(job["created_at"]) for job in iter_jobs(data_dir))
    for hours_after in (0.5, 12, 23.5, 24.5, 24 * 40 + 3):
        now = newest + dt.timedelta(days=300, hours=hours_after)
        offset = date_offset_days(data_dir, now.date(), now=now)
        moved = newest + dt.timedelta(days=offset)
        assert now - dt.timedelta(days=1) < moved <= now, (hours_after, moved, now)
