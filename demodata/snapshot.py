"""Readers of the committed demo snapshot (`data/demo/`, architecture.md §1).

Standard library only: the sandbox and the dashboard import this at run time, so it must not pull
in the build's dependencies (hrflow, faker) or touch the network.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JOBS_FILE = "jobs.jsonl.gz"
FEED_FILE = "feed.jsonl.gz"
PROFILES_FILE = "profiles.jsonl.gz"
CITIES_FILE = "cities.csv.gz"
MANIFEST_FILE = "MANIFEST.json"

_REPO_DEFAULT = Path(__file__).resolve().parent.parent / "data" / "demo"


@dataclass(frozen=True, slots=True)
class City:
    """One GeoNames cities15000 row (the dashboard's city search)."""

    geonameid: int
    name: str
    asciiname: str
    country_code: str
    admin1: str
    lat: float
    lng: float
    population: int


def data_dir(path: str | Path | None = None) -> Path:
    """The snapshot directory: the argument, else settings.DEMO_DATA_DIR, else <repo>/data/demo."""
    if path is not None:
        return Path(path)
    try:
        from django.conf import settings

        configured = getattr(settings, "DEMO_DATA_DIR", None) if settings.configured else None
    except ImportError:  # readers also work without Django (scripts, benchmarks)
        configured = None
    return Path(configured) if configured else _REPO_DEFAULT


def _iter_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def iter_jobs(data_dir_: str | Path | None = None) -> Iterator[dict[str, Any]]:
    """Jobs of the 3 demo boards, one HrFlow Job dict each."""
    return _iter_jsonl_gz(data_dir(data_dir_) / JOBS_FILE)


def iter_feed_jobs(data_dir_: str | Path | None = None) -> Iterator[dict[str, Any]]:
    """Held-back real listings, in the same shape, for the demo feed to index over time."""
    return _iter_jsonl_gz(data_dir(data_dir_) / FEED_FILE)


def iter_profiles(data_dir_: str | Path | None = None) -> Iterator[dict[str, Any]]:
    """Synthetic candidate profiles of the 2 demo sources, one HrFlow Profile dict each."""
    return _iter_jsonl_gz(data_dir(data_dir_) / PROFILES_FILE)


def load_cities(data_dir_: str | Path | None = None) -> list[City]:
    with gzip.open(data_dir(data_dir_) / CITIES_FILE, "rb") as fh:
        reader = csv.DictReader(io.TextIOWrapper(fh, encoding="utf-8", newline=""))
        return [
            City(
                geonameid=int(row["geonameid"]),
                name=row["name"],
                asciiname=row["asciiname"],
                country_code=row["country_code"],
                admin1=row["admin1"],
                lat=float(row["lat"]),
                lng=float(row["lng"]),
                population=int(row["population"]),
            )
            for row in reader
        ]


def manifest(data_dir_: str | Path | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((data_dir(data_dir_) / MANIFEST_FILE).read_text(encoding="utf-8"))
    return data
