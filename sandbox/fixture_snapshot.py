"""A small synthetic snapshot in the exact format of data/demo/ (docs/architecture.md §1).

Tests and benchmarks use it when the real snapshot is not there (or to stay small); it is
seeded, so every run writes the same bytes. Like the real snapshot it carries HrFlow's value
types (`remote` a boolean, skill values floats or null), text only in sections on every fourth
listing, and euro salaries on the corporate board; these follow from the listing id, so the
random draws (and every other value) are those of the earlier, all-string version.
"""

import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hrflow_dash.demo import DEMO_SOURCES, demo_key

# occupation code -> (board slug, occupation, titles, hard skills, summary, tasks)
OCCUPATIONS: dict[str, tuple[str, str, list[str], list[str], str, list[str]]] = {
    "15-1252.00": (
        "tech",
        "Software Developers",
        ["Software Engineer", "Backend Engineer", "Senior Software Engineer", "Python Developer"],
        ["python", "django", "sql", "git", "docker", "kubernetes", "java", "rest api", "linux"],
        "Software developers design, build and maintain applications and backend services.",
        ["Write and review code", "Design APIs and services", "Debug production issues"],
    ),
    "15-2051.00": (
        "tech",
        "Data Scientists",
        ["Data Scientist", "Senior Data Scientist", "Machine Learning Scientist"],
        ["python", "statistics", "machine learning", "pandas", "sql", "deep learning", "r"],
        "Data scientists analyse data with statistical models and machine learning.",
        ["Build predictive models", "Analyse experiments", "Present insights to stakeholders"],
    ),
    "15-1212.00": (
        "tech",
        "Information Security Analysts",
        ["Security Engineer", "Security Analyst", "Cloud Security Engineer"],
        ["network security", "siem", "incident response", "linux", "python", "cloud security"],
        "Security analysts protect networks and systems against threats and incidents.",
        ["Monitor security alerts", "Respond to incidents", "Audit access controls"],
    ),
    "41-4011.00": (
        "gtm",
        "Sales Representatives",
        ["Account Executive", "Sales Development Representative", "Enterprise Account Executive"],
        ["salesforce", "negotiation", "prospecting", "crm", "cold calling", "pipeline management"],
        "Sales representatives sell products to business customers and manage a pipeline.",
        ["Prospect new accounts", "Negotiate contracts", "Forecast pipeline"],
    ),
    "11-2021.00": (
        "gtm",
        "Marketing Managers",
        ["Marketing Manager", "Product Marketing Manager", "Growth Marketing Manager"],
        ["seo", "content marketing", "google analytics", "campaign management", "branding"],
        "Marketing managers plan campaigns, positioning and demand generation.",
        ["Plan campaigns", "Write positioning", "Measure funnel performance"],
    ),
    "13-2011.00": (
        "corporate",
        "Accountants and Auditors",
        ["Accountant", "Senior Accountant", "Financial Auditor"],
        ["accounting", "excel", "gaap", "financial reporting", "audit", "reconciliation"],
        "Accountants prepare and audit financial records and reports.",
        ["Close the monthly books", "Reconcile accounts", "Prepare audit files"],
    ),
    "13-1071.00": (
        "corporate",
        "Human Resources Specialists",
        ["Recruiter", "Talent Acquisition Partner", "HR Business Partner"],
        ["recruiting", "interviewing", "onboarding", "employee relations", "hris", "sourcing"],
        "Human resources specialists recruit, interview and onboard employees.",
        ["Source candidates", "Run interviews", "Onboard new hires"],
    ),
}
SOFT_SKILLS = ["communication", "teamwork", "problem solving", "leadership", "time management"]
CITIES = [
    ("New York", "NY", "United States", 40.7128, -74.006),
    ("San Francisco", "CA", "United States", 37.7749, -122.4194),
    ("Austin", "TX", "United States", 30.2672, -97.7431),
    ("London", "England", "United Kingdom", 51.5074, -0.1278),
    ("Paris", "Ile-de-France", "France", 48.8566, 2.3522),
    ("Berlin", "Berlin", "Germany", 52.52, 13.405),
]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"]
LANGS = ["english", "french", "german", "spanish"]
EPOCH = datetime(2025, 8, 1, tzinfo=UTC)


def _ts(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+0000")


def make_job(rng: random.Random, listing_id: int) -> dict[str, Any]:
    code = rng.choice(sorted(OCCUPATIONS))
    board, occupation, titles, skills, summary, tasks = OCCUPATIONS[code]
    city, state, country, lat, lng = rng.choice(CITIES)
    created = EPOCH + timedelta(minutes=rng.randrange(0, 60 * 24 * 160))
    reference = f"nj-{listing_id}"
    chosen = rng.sample(skills, k=min(len(skills), rng.randint(3, 6)))
    low = rng.randrange(40, 160) * 1000
    salary: dict[str, Any] = {
        "name": "salary",
        "value_min": low,
        "value_max": low + 30000,
        "unit": "USD/year",
    }
    salary_source = "oews"
    if board == "corporate":  # euros, as the real snapshot's corporate board (fixed rate)
        low_eur, high_eur = (float(round(v / 1.0824 / 100) * 100) for v in (low, low + 30000))
        salary = {"name": "salary", "unit": "eur", "value_min": low_eur, "value_max": high_eur}
        salary_source = "oews_usd_to_eur"
    sections_only = listing_id % 4 == 0
    # Drawn in the order the earlier version drew them (name, coordinates, responsibilities).
    name = rng.choice(titles)
    job_lat, job_lng = round(lat + rng.uniform(-0.3, 0.3), 5), round(lng + rng.uniform(-0.3, 0.3), 5)
    responsibilities = " ".join(rng.sample(tasks, k=2)) + "."
    requirements = "Experience with " + ", ".join(chosen) + "."
    sections = [{"name": "description", "title": "About the role", "description": summary}]
    if sections_only:
        sections = [
            {"name": "summary", "title": "About the role", "description": summary},
            {"name": "responsibilities", "title": "Responsibilities", "description": responsibilities},
            {"name": "requirements", "title": "Requirements", "description": requirements},
        ]
    return {
        "key": demo_key("job", reference),
        "board_key": demo_key("board", board),
        "reference": reference,
        "name": name,
        "url": f"https://jobs.example.org/{listing_id}",
        "summary": None if sections_only else summary,
        "location": {
            "text": f"{city}, {state}",
            "lat": job_lat,
            "lng": job_lng,
            "gmaps": None,
            "fields": {"city": city, "state": state, "country": country},
        },
        "sections": sections,
        "culture": "We value curiosity.",
        "benefits": "Health insurance.",
        "responsibilities": None if sections_only else responsibilities,
        "requirements": None if sections_only else requirements,
        "interviews": None,
        "skills": [
            {"name": s, "type": "hard", "value": round(1.0 - i / 10, 1) if listing_id % 2 else None}
            for i, s in enumerate(chosen)
        ]
        + [{"name": rng.choice(SOFT_SKILLS), "type": "soft", "value": None}],
        "languages": [{"name": rng.choice(LANGS), "value": None}],
        "certifications": [],
        "courses": [],
        "tasks": [{"name": t, "value": None} for t in tasks[:2]],
        "interests": [],
        "metadatas": [],
        "tags": [
            {"name": "company", "value": rng.choice(COMPANIES)},
            {"name": "category", "value": board},
            {"name": "department", "value": occupation},
            {"name": "onet_soc", "value": code},
            {"name": "occupation", "value": occupation},
            {"name": "remote", "value": rng.choice([True, False])},
            {"name": "salary_source", "value": salary_source},
        ],
        "ranges_float": [salary],
        "ranges_date": [],
        "created_at": _ts(created),
        "updated_at": _ts(created + timedelta(days=1)),
        "archived_at": None,
    }


def make_profile(rng: random.Random, number: int) -> dict[str, Any]:
    code = rng.choice(sorted(OCCUPATIONS))
    _board, occupation, titles, skills, summary, tasks = OCCUPATIONS[code]
    source = sorted(DEMO_SOURCES)[number % len(DEMO_SOURCES)]
    first = rng.choice(["Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis"])
    last = rng.choice(["Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov"])
    reference = f"cand-{number}"
    created = EPOCH + timedelta(days=number)
    title = rng.choice(titles)
    chosen = rng.sample(skills, k=min(len(skills), 4))
    text = f"{first} {last}. {title}. {summary} Skills: {', '.join(chosen)}."
    return {
        "key": demo_key("profile", reference),
        "source_key": demo_key("source", source),
        "reference": reference,
        "info": {
            "full_name": f"{first} {last}",
            "first_name": first,
            "last_name": last,
            "email": f"{first.lower()}.{last.lower()}{number}@example.org",
            "phone": None,
            "location": {"text": "Paris", "lat": 48.85, "lng": 2.35, "fields": None},
            "summary": f"{title} with experience in {', '.join(chosen)}.",
            "urls": [],
            "picture": None,
        },
        "text": text,
        "text_language": "en",
        "experiences": [
            {
                "title": title,
                "company": rng.choice(COMPANIES),
                "description": " ".join(tasks),
                "date_start": "2019-01-01T00:00:00+0000",
                "date_end": None,
                "location": None,
                "skills": [{"name": s, "type": "hard", "value": None} for s in chosen],
                "tasks": [],
            }
        ],
        "educations": [],
        "skills": [{"name": s, "type": "hard", "value": None} for s in chosen],
        "languages": [{"name": "english", "value": None}],
        "tags": [
            {"name": "anchor_onet_soc", "value": code},
            {"name": "anchor_occupation", "value": occupation},
        ],
        "experiences_duration": float(rng.randint(1, 12)),
        "educations_duration": 3.0,
        "created_at": _ts(created),
        "updated_at": _ts(created),
    }


def write_snapshot(
    data_dir: Path, *, jobs: int = 600, profiles: int = 40, seed: int = 7, feed: int = 0
) -> Path:
    """Write jobs.jsonl.gz and profiles.jsonl.gz (and `feed` held-back jobs in feed.jsonl.gz,
    listing ids distinct from the jobs') into data_dir; returns data_dir."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    data_dir.mkdir(parents=True, exist_ok=True)
    # mtime=0 keeps the gzip bytes identical from run to run.
    with gzip.GzipFile(data_dir / "jobs.jsonl.gz", "wb", mtime=0) as handle:
        for number in range(jobs):
            handle.write((json.dumps(make_job(rng, 1_000_000 + number)) + "\n").encode())
    with gzip.GzipFile(data_dir / "profiles.jsonl.gz", "wb", mtime=0) as handle:
        for number in range(profiles):
            handle.write((json.dumps(make_profile(rng, number)) + "\n").encode())
    if feed:
        with gzip.GzipFile(data_dir / "feed.jsonl.gz", "wb", mtime=0) as handle:
            for number in range(feed):
                handle.write((json.dumps(make_job(rng, 2_000_000 + number)) + "\n").encode())
    return data_dir
