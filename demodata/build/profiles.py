"""Synthetic candidate profiles built on the real taxonomies (docs/demo-data.md §3.3 step 8).

Names, e-mails and phones are fake (Faker); everything else is real data re-combined: titles and
companies from the listings (and ESCO alternative labels), work descriptions from O*NET detailed
work activities, skills from ESCO, cities from GeoNames.

Candidates describe their work in their own words: a résumé never quotes the posting. The jobs'
`responsibilities` are O*NET *task* statements and their `tasks` the occupation's first five DWAs
(pipeline.job_document), so experiences are written from the *other* DWAs of the occupation,
rephrased (past tense, one of the "X or Y" alternatives, a few sentence shapes) and never copy a
sentence of the job text. Titles are the résumé form of real listing titles (main clause only),
sometimes an ESCO alternative label; about one candidate in four is a career changer with an
earlier, unrelated job.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from demodata.build.listings import hrflow_ts
from demodata.build.skills import SkillCatalog
from demodata.build.sources import OnetOccupation

# Country → (Faker locale, mimesis locale, native language besides English).
LOCALES: dict[str, tuple[str, str, str | None]] = {
    "US": ("en_US", "en", None),
    "GB": ("en_GB", "en", None),
    "IE": ("en_IE", "en", None),
    "CA": ("en_CA", "en", "French"),
    "IN": ("en_IN", "en", "Hindi"),
    "FR": ("fr_FR", "fr", "French"),
    "DE": ("de_DE", "de", "German"),
    "ES": ("es_ES", "en", "Spanish"),
    "NL": ("nl_NL", "en", "Dutch"),
}
_FIELD_BY_MAJOR = {
    "11": "Business Administration", "13": "Finance", "15": "Computer Science", "17": "Engineering",
    "21": "Psychology", "23": "Law", "27": "Design", "29": "Health Sciences", "41": "Business",
    "43": "Communication", "49": "Applied Technology", "53": "Logistics",
}  # fmt: skip
_EXTRA_LANGUAGES = ["Spanish", "French", "German", "Portuguese", "Mandarin", "Italian", "Japanese"]
# The jobs quote this many of their occupation's DWAs verbatim (pipeline.job_document: dwas[:5]).
JOB_DWAS = 5
CAREER_CHANGE_SHARE = 0.25
ALT_TITLE_SHARE = 0.3
_IRREGULAR = {
    "build": "built", "buy": "bought", "choose": "chose", "cut": "cut", "draw": "drew",
    "drive": "drove", "feed": "fed", "find": "found", "give": "gave", "hold": "held", "keep": "kept",
    "lay": "laid", "lead": "led", "make": "made", "meet": "met", "pay": "paid", "put": "put",
    "read": "read", "run": "ran", "seek": "sought", "sell": "sold", "send": "sent", "set": "set",
    "speak": "spoke", "spend": "spent", "take": "took", "teach": "taught", "tell": "told",
    "understand": "understood", "write": "wrote", "bring": "brought", "get": "got", "do": "did",
}  # fmt: skip
_DOUBLED = {
    "plan", "ship", "stop", "log", "map", "tag", "scan", "chat", "admit", "refer", "submit", "commit",
    "control", "transfer", "prefer", "occur", "equip", "trim", "strip", "plug", "confer",
}  # fmt: skip
_ALTERNATIVE = re.compile(r"\b([a-z]+) or ([a-z]+)\b")
_TITLE_CUT = re.compile(r"[,(|:\[]|\s[-\u2013\u2014]\s|\s/\s")


@dataclass(frozen=True)
class City:
    name: str
    country: str
    state: str | None
    lat: float
    lng: float
    country_name: str = ""


@dataclass(frozen=True)
class Role:
    """A real (title, company) pair from the listings, with its mapped occupation."""

    title: str
    company: str
    soc: str


def _past(verb: str) -> str:
    low = verb.lower()
    if low in _IRREGULAR:
        past = _IRREGULAR[low]
    elif low in _DOUBLED:
        past = low + low[-1] + "ed"
    elif low.endswith("e"):
        past = low + "d"
    elif low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        past = low[:-1] + "ied"
    else:
        past = low + "ed"
    return past.capitalize() if verb[:1].isupper() else past


def rephrase(activity: str, rng: random.Random) -> str:
    """An O*NET DWA ("Analyze project data to determine specifications or requirements.") as a
    résumé line: past tense, one of each "X or Y" pair ("Analyzed project data to determine
    requirements"), no final full stop."""
    words = activity.rstrip(". ").split(" ", 1)
    head = _past(words[0])
    rest = words[1] if len(words) > 1 else ""
    rest = _ALTERNATIVE.sub(lambda m: m.group(1 + rng.randrange(2)), rest)
    return f"{head} {rest}".strip()


def describe(lines: list[str], rng: random.Random) -> str:
    """The experience's free text from its résumé lines, in one of a few shapes."""
    if not lines:
        return ""
    lower = [line[:1].lower() + line[1:] for line in lines]
    shape = rng.randrange(4)
    if shape == 0:
        return ". ".join(lines) + "."
    if shape == 1:
        listed = ", ".join(lower[:-1]) + (f" and {lower[-1]}" if len(lower) > 1 else lower[-1])
        return f"In this role I {listed}."
    if shape == 2:
        return f"Main achievements: {'; '.join(lower)}."
    return f"{lines[0]}. Also {'; '.join(lower[1:])}." if len(lines) > 1 else f"{lines[0]}."


def resume_title(listing_title: str) -> str:
    """What a candidate writes on a résumé for a listing title: its main clause
    ("Territory Account Executive, Oxnard" -> "Territory Account Executive")."""
    head = _TITLE_CUT.split(listing_title, maxsplit=1)[0].strip()
    return " ".join(head.split()) or listing_title.strip()


def _ascii(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if c.isascii() and c.isalpha()).lower()


class ProfileFactory:
    def __init__(
        self,
        *,
        seed: int,
        onet: dict[str, OnetOccupation],
        catalog: SkillCatalog,
        esco_for_soc: dict[str, str | None],
        roles: list[Role],
        job_cities: list[City],
        world_cities: list[tuple[City, int]],
        universities: dict[str, tuple[list[str], list[str]]],
        now: datetime,
    ) -> None:
        self.seed = seed
        self.onet = onet
        self.catalog = catalog
        self.esco_for_soc = esco_for_soc
        self.roles_by_soc: dict[str, list[Role]] = {}
        for role in roles:
            self.roles_by_soc.setdefault(role.soc, []).append(role)
        city_counts = Counter(job_cities)
        self.job_cities = sorted(city_counts, key=lambda c: (c.country, c.name, c.lat))
        self.job_city_weights = [city_counts[c] for c in self.job_cities]
        self.world_cities = [c for c, _ in world_cities]
        self.world_weights = [p for _, p in world_cities]
        self.universities = universities
        self.now = now
        self.fakers = {loc: Faker(loc) for loc, _, _ in LOCALES.values()}

    def _home(self, rng: random.Random) -> City:
        # Mostly where the jobs are, so geodistance filters find matches; sometimes anywhere.
        if self.job_cities and rng.random() < 0.8:
            return rng.choices(self.job_cities, weights=self.job_city_weights)[0]
        return rng.choices(self.world_cities, weights=self.world_weights)[0]

    def _roles(self, soc: str, rng: random.Random, k: int) -> list[Role]:
        same = self.roles_by_soc.get(soc, [])
        adjacent = [
            r for s, rs in sorted(self.roles_by_soc.items()) if s[:5] == soc[:5] and s != soc for r in rs
        ]
        # Same SOC major group ("15-"): a plausible earlier step when the occupation is rare.
        family = [
            r for s, rs in sorted(self.roles_by_soc.items()) if s[:2] == soc[:2] and s != soc for r in rs
        ]
        picked: list[Role] = []
        companies: set[str] = set()
        for pool in (same, adjacent, same, family):
            for role in rng.sample(pool, min(len(pool), 12)):
                if len(picked) < k and role.company not in companies:
                    picked.append(role)
                    companies.add(role.company)
        return picked

    def _unrelated_role(self, soc: str, roles: list[Role], rng: random.Random) -> Role | None:
        companies = {r.company for r in roles[:-1]}
        others = [s for s in sorted(self.roles_by_soc) if s[:2] != soc[:2]]
        if not others:
            return None
        pool = [r for r in self.roles_by_soc[rng.choice(others)] if r.company not in companies]
        return rng.choice(pool) if pool else None

    def _alt_titles(self, soc: str) -> list[str]:
        """ESCO preferred and alternative labels (ICT occupations carry clean ones), title-cased."""
        ict = self.catalog.ict.get(self.esco_for_soc.get(soc) or "")
        if not ict:
            return []
        labels = sorted({" ".join(x.split()) for x in [ict.get("label", ""), *ict.get("altLabel", [])]})
        return [" ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in x.split()) for x in labels if x]

    def _activities(self, soc: str, rng: random.Random) -> list[str]:
        """2-3 of the occupation's DWAs that no job of it quotes (jobs carry the first five); an
        occupation with fewer than eight DWAs lends all of them (rephrased, never verbatim)."""
        occ = self.onet.get(soc)
        if not occ or not occ.dwas:
            return []
        pool = occ.dwas[JOB_DWAS:] if len(occ.dwas) >= JOB_DWAS + 3 else occ.dwas
        return rng.sample(pool, min(len(pool), rng.randint(2, 3)))

    def _location(self, city: City) -> dict[str, Any]:
        fields = {"city": city.name, "country": city.country}
        if city.state:
            fields["state"] = city.state
        text = ", ".join(p for p in (city.name, city.state, city.country_name or city.country) if p)
        return {"text": text, "lat": city.lat, "lng": city.lng, "gmaps": None, "fields": fields}

    def build(self, index: int, anchor_soc: str, source_key: str) -> dict[str, Any]:
        rng = random.Random(f"{self.seed}:profile:{index}")  # noqa: S311 - seeded for reproducibility, not security
        home = self._home(rng)
        faker_locale, mimesis_locale, native = LOCALES.get(home.country, LOCALES["US"])
        fake = self.fakers[faker_locale]
        fake.seed_instance(self.seed * 100_000 + index)
        first, last = fake.first_name(), fake.last_name()
        reference = f"cand-{index + 1:04d}"
        anchor = self.onet.get(anchor_soc)
        anchor_title = anchor.title if anchor else anchor_soc

        experiences: list[dict[str, Any]] = []
        end, total_years = self.now, 0.0
        roles = self._roles(anchor_soc, rng, rng.randint(2, 4))
        if len(roles) >= 2 and rng.random() < CAREER_CHANGE_SHARE:
            # A career changer: the earliest job was in an unrelated occupation family.
            roles[-1] = self._unrelated_role(anchor_soc, roles, rng) or roles[-1]
        alt_titles = self._alt_titles(anchor_soc)
        for n, role in enumerate(roles):
            years = rng.uniform(1.0, 4.5)
            start = end - timedelta(days=int(years * 365))
            title = resume_title(role.title)
            if role.soc == anchor_soc and alt_titles and rng.random() < ALT_TITLE_SHARE:
                title = rng.choice(alt_titles)
            lines = [rephrase(a, rng) for a in self._activities(role.soc, rng)]
            experiences.append(
                {
                    "key": None,
                    "title": title,
                    "company": role.company,
                    "description": describe(lines, rng),
                    "date_start": hrflow_ts(start),
                    "date_end": None if n == 0 else hrflow_ts(end),
                    "location": self._location(home),
                    "skills": [],
                    "tasks": [{"name": line, "value": None} for line in lines],
                }
            )
            total_years += years
            end = start - timedelta(days=rng.randint(0, 120))

        universities, degrees = self.universities.get(mimesis_locale) or self.universities["en"]
        degree = rng.choice(degrees[:2] if rng.random() < 0.85 else degrees) if degrees else "Bachelor"
        school = rng.choice(universities) if universities else "State University"
        field = _FIELD_BY_MAJOR.get(anchor_soc[:2], "Business")
        edu_years = {"Bachelor": 4, "Licence": 3, "Master": 2, "PhD": 5, "Doctorat": 5}.get(degree, 4)
        edu_end = end - timedelta(days=rng.randint(30, 400))
        educations: list[dict[str, Any]] = [
            {
                "key": None,
                "school": school,
                "title": f"{degree} in {field}",
                "description": None,
                "date_start": hrflow_ts(edu_end - timedelta(days=365 * edu_years)),
                "date_end": hrflow_ts(edu_end),
                "location": None,
                "skills": [],
            }
        ]

        skills = self._skills(anchor, rng)
        languages = [{"name": "English", "value": None}]
        if native:
            languages.append({"name": native, "value": None})
        if rng.random() < 0.3:
            extra = rng.choice(_EXTRA_LANGUAGES)
            if extra not in {lang["name"] for lang in languages}:
                languages.append({"name": extra, "value": None})

        # The O*NET title is the benchmark's label, not something a candidate writes: tags only.
        headline = experiences[0]["title"] if experiences else anchor_title
        summary = f"{headline} with {round(total_years)} years of experience."
        profile: dict[str, Any] = {
            "key": None,  # filled by the caller with demo_key("profile", reference)
            "source_key": source_key,
            "reference": reference,
            "info": {
                "full_name": f"{first} {last}",
                "first_name": first,
                "last_name": last,
                "email": f"{_ascii(first)}.{_ascii(last)}{index + 1}@example.com",
                "phone": fake.phone_number(),
                "location": self._location(home),
                "summary": summary,
                "urls": [],
                "picture": None,
            },
            "text_language": "en",
            "experiences": experiences,
            "educations": educations,
            "skills": skills,
            "languages": languages,
            "tags": [
                {"name": "anchor_onet_soc", "value": anchor_soc},
                {"name": "anchor_occupation", "value": anchor_title},
            ],
            "experiences_duration": round(total_years, 1),
            "educations_duration": float(edu_years),
            "created_at": hrflow_ts(
                self.now - timedelta(days=rng.randint(1, 120), seconds=rng.randint(0, 86399))
            ),
        }
        profile["updated_at"] = profile["created_at"]
        profile["text"] = render_resume(profile)
        return profile

    def _skills(self, anchor: OnetOccupation | None, rng: random.Random) -> list[dict[str, Any]]:
        soc = anchor.soc if anchor else ""
        skills, knowledge = self.catalog.occupation_skills(anchor, self.esco_for_soc.get(soc))
        base = sorted(set(skills) | set(knowledge))
        # A noisy 60-90% subset, plus a few off-target skills, so that scores spread out.
        keep = rng.sample(base, round(len(base) * rng.uniform(0.6, 0.9))) if base else []
        others = sorted(s for s in self.roles_by_soc if s != soc)
        off: set[str] = set()
        if others:
            other = self.onet.get(rng.choice(others))
            o_sk, o_kn = self.catalog.occupation_skills(
                other, self.esco_for_soc.get(other.soc if other else "")
            )
            pool = sorted((set(o_sk) | set(o_kn)) - set(base))
            off = set(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        hard = sorted(set(keep) | off)
        soft = sorted(set(self.catalog.soft_skills(rng, rng.randint(2, 4))) - set(hard))
        return [{"name": n, "type": "hard", "value": None} for n in hard] + [
            {"name": n, "type": "soft", "value": None} for n in soft
        ]


def render_resume(p: dict[str, Any]) -> str:
    """Plain-text résumé in a JSON-Resume-like order: basics, work, education, skills, languages."""
    info = p["info"]
    lines = [info["full_name"], f"{info['email']} | {info['phone']} | {info['location']['text']}", ""]
    lines += ["SUMMARY", info["summary"], "", "EXPERIENCE"]
    for e in p["experiences"]:
        end = e["date_end"][:7] if e["date_end"] else "present"
        lines.append(f"{e['title']} - {e['company']} ({e['date_start'][:7]} to {end})")
        lines += [f"  - {t['name']}" for t in e["tasks"]]
    lines += ["", "EDUCATION"]
    lines += [f"{e['title']}, {e['school']} ({e['date_end'][:4]})" for e in p["educations"]]
    lines += ["", "SKILLS", ", ".join(s["name"] for s in p["skills"])]
    lines += ["", "LANGUAGES", ", ".join(lang["name"] for lang in p["languages"])]
    return "\n".join(lines)
