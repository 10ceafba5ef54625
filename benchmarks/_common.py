"""Shared helpers of the sandbox benchmarks: where the corpus comes from and how to scale it."""

import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from hrflow_dash.demo import demo_key  # noqa: E402
from sandbox import snapshot_reader  # noqa: E402
from sandbox.fixture_snapshot import write_snapshot  # noqa: E402


def demo_snapshot(tmp: Path) -> tuple[Path, str]:
    """The real snapshot (data/demo/) when present, else a synthetic one of realistic size."""
    real = REPO / "data" / "demo"
    if (real / "jobs.jsonl.gz").exists() and (real / "profiles.jsonl.gz").exists():
        return real, "data/demo (real snapshot)"
    return write_snapshot(tmp / "synthetic", jobs=5000, profiles=200), "synthetic (sandbox.fixture_snapshot)"


def read_jobs(data_dir: Path) -> list[dict[str, Any]]:
    return list(snapshot_reader.iter_jobs(data_dir))


def read_profiles(data_dir: Path) -> list[dict[str, Any]]:
    return list(snapshot_reader.iter_profiles(data_dir))


def _scaled_jobs(jobs: list[dict[str, Any]], target: int, seed: int = 11) -> Iterator[dict[str, Any]]:
    """The demo jobs, then copies with new keys/references and jittered coordinates."""
    rng = random.Random(seed)
    for number in range(target):
        original = jobs[number % len(jobs)]
        copy = number // len(jobs)
        if copy == 0:
            yield original
            continue
        job = json.loads(json.dumps(original))
        job["reference"] = f"{original.get('reference') or original['key']}-x{copy}"
        job["key"] = demo_key("job", job["reference"])
        location = job.get("location") or {}
        if isinstance(location.get("lat"), int | float) and isinstance(location.get("lng"), int | float):
            location["lat"] = max(-90.0, min(90.0, location["lat"] + rng.uniform(-0.2, 0.2)))
            location["lng"] = max(-180.0, min(180.0, location["lng"] + rng.uniform(-0.2, 0.2)))
        yield job


def scaled_snapshot(source: Path, target_dir: Path, jobs: int) -> Path:
    """A snapshot directory with `jobs` jobs (replicated demo jobs) and the demo profiles."""
    target_dir.mkdir(parents=True, exist_ok=True)
    originals = read_jobs(source)
    with gzip.open(target_dir / "jobs.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) as handle:
        for job in _scaled_jobs(originals, jobs):
            handle.write(json.dumps(job) + "\n")
    with gzip.open(target_dir / "profiles.jsonl.gz", "wt", encoding="utf-8", compresslevel=1) as handle:
        for profile in read_profiles(source):
            handle.write(json.dumps(profile) + "\n")
    return target_dir


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
