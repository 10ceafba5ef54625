"""Byte-reproducible snapshot files: sorted keys, gzip level 9 with mtime 0, fixed row order."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

CITY_COLUMNS = ["geonameid", "name", "asciiname", "country_code", "admin1", "lat", "lng", "population"]


def _gzip(path: Path, data: bytes) -> None:
    # filename="" and mtime=0 keep the gzip header identical from one build to the next.
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as gz:
        gz.write(data)
    path.write_bytes(buf.getvalue())


def write_jsonl_gz(path: Path, rows: Iterable[dict[str, Any]]) -> int:
    lines = [json.dumps(r, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for r in rows]
    _gzip(path, ("\n".join(lines) + "\n").encode() if lines else b"")
    return len(lines)


def write_cities_csv_gz(path: Path, rows: Iterable[list[Any]]) -> int:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CITY_COLUMNS)
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    _gzip(path, buf.getvalue().encode())
    return n


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n")
