"""OEWS May 2025 salary ranges (p25-p75) by SOC x metro, falling back to national."""

from __future__ import annotations

import re
import sqlite3

from demodata.build.geocode import norm

_SUPPRESSED = re.compile(r"[^0-9.]")
# GeoNames spells some metro anchor cities differently from the OEWS area names.
_CITY_TO_METRO_NAME = {"new york city": "new york", "washington": "washington"}


def oews_soc(onet_soc: str) -> str:
    """15-1252.00 → 151252 (the OEWS occupation code)."""
    return onet_soc.split(".")[0].replace("-", "")


def _wage(value: str | None) -> float | None:
    # Values are TEXT and may carry suppression symbols (*, #): anything non-numeric is no data.
    if not value or _SUPPRESSED.search(value):
        return None
    try:
        return float(value)
    except ValueError:
        return None


class Oews:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ranges: dict[tuple[str, str], tuple[float, float]] = {}
        # Cross-industry (000000) rows only, national (N) and metro (M) areas.
        rows = conn.execute(
            "SELECT key, v12, v14 FROM cell WHERE substr(key, 12, 6) = '000000' "
            "AND substr(key, 4, 1) IN ('N', 'M')"
        )
        for key, p25, p75 in rows:
            lo, hi = _wage(p25), _wage(p75)
            if lo is not None and hi is not None:
                self.ranges[(key[4:11], key[17:23])] = (lo, hi)
        # Metro lookup: every city of "San Jose-Sunnyvale-Santa Clara, CA" x every state listed.
        self.metros: dict[tuple[str, str], str] = {}
        for code, name in conn.execute("SELECT area_code, area_name FROM area WHERE areatype_code = 'M'"):
            if "," not in name:
                continue
            cities, states = name.rsplit(",", 1)
            for city in cities.split("-"):
                for state in states.strip().split("-"):
                    self.metros.setdefault((norm(city), state.strip().upper()[:2]), code)
        self.release = dict(conn.execute("SELECT name, value FROM meta").fetchall()).get("release", "")

    def metro_for(self, city: str | None, state: str | None) -> str | None:
        if not city or not state:
            return None
        key = norm(city)
        return self.metros.get((_CITY_TO_METRO_NAME.get(key, key), state))

    def range_for(self, onet_soc: str, city: str | None, state: str | None) -> tuple[float, float] | None:
        soc = oews_soc(onet_soc)
        metro = self.metro_for(city, state)
        if metro and (metro, soc) in self.ranges:
            return self.ranges[(metro, soc)]
        return self.ranges.get(("0000000", soc))
