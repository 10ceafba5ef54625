"""Reading the demo snapshot (docs/architecture.md §1) for `load_demo_data`.

`demodata.snapshot` is the owner of the format. Until it exists (or if it cannot read a given
directory) the sandbox reads the two gzipped JSON-lines files itself: the format is a contract,
so both readers see the same objects.
"""

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def _read_jsonl_gz(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _demodata_reader(name: str, data_dir: Path) -> Iterator[dict[str, Any]] | None:
    try:
        from demodata import snapshot
    except ImportError:
        return None
    reader = getattr(snapshot, name, None)
    if reader is None:
        return None
    try:
        return iter(reader(data_dir))
    except TypeError:
        return None


def iter_jobs(data_dir: Path) -> Iterator[dict[str, Any]]:
    return _demodata_reader("iter_jobs", data_dir) or _read_jsonl_gz(data_dir / "jobs.jsonl.gz")


def iter_profiles(data_dir: Path) -> Iterator[dict[str, Any]]:
    return _demodata_reader("iter_profiles", data_dir) or _read_jsonl_gz(data_dir / "profiles.jsonl.gz")
