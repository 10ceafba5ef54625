"""Offline geocoder: listing location text → GeoNames city (docs/demo-data.md §4).

Lookup by name and ASCII alternate names in cities15000, narrowed by US state / country hints,
falling back to cities1000 names for small towns ("Starbase, TX"). The most populous match wins.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

# Names the listings use that GeoNames spells differently (or not at all).
ALIASES: dict[str, str] = {
    "nyc": "new york city",
    "new york": "new york city",
    "new york city": "new york city",
    "manhattan": "new york city",
    "sf": "san francisco",
    "bay area": "san francisco",
    "sf bay area": "san francisco",
    "san francisco bay area": "san francisco",
    "bangalore": "bengaluru",
    "washington dc": "washington",
    "washington d.c.": "washington",
    "dc": "washington",
    "gurgaon": "gurugram",
    "bombay": "mumbai",
}
# Hints that name a country in words GeoNames' country table does not use.
COUNTRY_ALIASES: dict[str, str] = {
    "usa": "US",
    "us": "US",
    "u.s.": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "uae": "AE",
    "korea": "KR",
    "south korea": "KR",
    "czechia": "CZ",
    "the netherlands": "NL",
}
_WORK_MODE_WORDS = re.compile(
    r"\b(remote|hybrid|on-?site|in[- ]office|office|anywhere|undefined|multiple locations)\b", re.I
)
_SEGMENTS = re.compile(r";|\s\|\s|\bor\b|\n")
_PARTS = re.compile(r"[,/|()\[\]]|\s[-\u2013\u2014]\s")


def norm(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(ascii_text.lower().replace(".", " ").split()) if ascii_text else ""


@dataclass(frozen=True)
class GeoHit:
    """A resolved location; `city` is None when only the country is known."""

    country: str
    city: str | None = None
    state: str | None = None
    lat: float | None = None
    lng: float | None = None
    population: int = 0
    geonameid: int | None = None

    def fields(self) -> dict[str, str]:
        out = {"country": self.country}
        if self.city:
            out["city"] = self.city
        if self.state:
            out["state"] = self.state
        return out


class Geocoder:
    def __init__(
        self,
        cities: list[dict[str, Any]],
        fallback: list[dict[str, Any]],
        us_states: dict[str, dict[str, Any]],
        countries: dict[str, dict[str, Any]],
    ) -> None:
        self.primary = self._index(cities, with_alternates=True)
        # Fallback by main name only: small towns' alternate names are mostly noise.
        self.fallback = self._index(fallback, with_alternates=False)
        self.state_codes = {code.upper() for code in us_states}
        self.state_names = {norm(s["name"]): code.upper() for code, s in us_states.items()}
        self.country_names = {norm(c["name"]): iso.upper() for iso, c in countries.items()}
        self.country_names.update(COUNTRY_ALIASES)
        self.country_codes = {iso.upper() for iso in countries}

    @staticmethod
    def _index(cities: list[dict[str, Any]], *, with_alternates: bool) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for c in cities:
            names = {c["name"]}
            if with_alternates:
                names.update(a for a in c.get("alternatenames", []) if a.isascii())
            for n in {norm(n) for n in names}:
                if n:
                    index[n].append(c)
        return index

    def _hint(self, part: str) -> tuple[str | None, str | None]:
        """(country, us_state) named by a location part, if any."""
        raw = part.strip()
        key = norm(raw)
        if raw.upper() in self.state_codes and (raw.isupper() or len(raw) == 2):
            return "US", raw.upper()
        if key in self.state_names:
            return "US", self.state_names[key]
        if key in self.country_names:
            return self.country_names[key], None
        return None, None

    def _pick(
        self, index: dict[str, list[dict[str, Any]]], name: str, cc: str | None, st: str | None
    ) -> dict[str, Any] | None:
        cands = [
            c
            for c in index.get(name, [])
            if (cc is None or c["countrycode"] == cc) and (st is None or c["admin1code"] == st)
        ]
        # Deterministic on ties: population, then the smaller geonameid.
        return max(cands, key=lambda c: (c["population"], -int(c["geonameid"]))) if cands else None

    def _segment(self, segment: str) -> GeoHit | None:
        parts = [p.strip(" .-") for p in _PARTS.split(_WORK_MODE_WORDS.sub(" ", segment))]
        parts = [p for p in parts if p and norm(p)]
        if not parts:
            return None
        cc = st = None
        for part in parts[1:]:
            h_cc, h_st = self._hint(part)
            cc, st = cc or h_cc, st or h_st
        head = norm(parts[0])
        head_cc, head_st = self._hint(parts[0])
        if head_cc and head not in ALIASES and head not in self.primary:
            # "United States", "US", "California": no city, but the country is known.
            return GeoHit(country=head_cc, state=head_st)
        name = ALIASES.get(head, head)
        city = self._pick(self.primary, name, cc, st) or self._pick(self.fallback, name, cc, st)
        if city is None:
            return GeoHit(country=cc, state=st) if cc else None
        return GeoHit(
            country=city["countrycode"],
            city=city["name"],
            state=city["admin1code"] if city["countrycode"] == "US" else None,
            lat=round(float(city["latitude"]), 5),
            lng=round(float(city["longitude"]), 5),
            population=int(city["population"]),
            geonameid=int(city["geonameid"]),
        )

    def geocode(self, location: str | None) -> GeoHit | None:
        """The first segment that resolves to a city wins; else the first country-only hit."""
        country_only: GeoHit | None = None
        for segment in _SEGMENTS.split(location or ""):
            hit = self._segment(segment)
            if hit and hit.city:
                return hit
            country_only = country_only or hit
        return country_only
