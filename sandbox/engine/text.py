"""Which parts of a job or profile the engine reads as text, skills and titles."""

import re
from collections.abc import Iterable
from typing import Any

SPACES = re.compile(r"\s+")
SENIORITY = (
    (re.compile(r"\b(intern|internship|apprentice|trainee|graduate|junior|jr)\b", re.I), 1.0),
    (re.compile(r"\b(staff|principal|lead|head|director|vp|chief|architect)\b", re.I), 9.0),
    (re.compile(r"\b(senior|sr|manager)\b", re.I), 6.0),
)
DEFAULT_YEARS = 3.0


def norm(value: Any) -> str:
    return SPACES.sub(" ", str(value)).strip().lower() if value is not None else ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _names(items: Any) -> list[str]:
    if not isinstance(items, list):
        return []
    return [norm(i.get("name")) for i in items if isinstance(i, dict) and i.get("name")]


def _join(parts: Iterable[Any]) -> str:
    return " \n".join(str(p) for p in parts if isinstance(p, str) and p.strip())


def job_skills(job: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(_names(job.get("skills"))))


def job_title(job: dict[str, Any]) -> str:
    return job.get("name") or ""


def job_text(job: dict[str, Any]) -> str:
    """Everything a recruiter would read: title, summary, the five text fields, sections, skills, tasks."""
    sections = _list(job.get("sections"))
    section_text = [s.get(f) for s in sections if isinstance(s, dict) for f in ("title", "description")]
    fields = ("summary", "culture", "benefits", "responsibilities", "requirements", "interviews")
    lists = [" ".join(job_skills(job)), " ".join(_names(job.get("tasks")))]
    return _join([job_title(job), *(job.get(f) for f in fields), *section_text, *lists])


def job_summary(job: dict[str, Any]) -> str:
    return job.get("summary") or ""


def expected_years(title: str) -> float:
    """Seniority a title asks for, in years; the only experience signal a listing carries."""
    for pattern, years in SENIORITY:
        if pattern.search(title):
            return years
    return DEFAULT_YEARS


def profile_titles(profile: dict[str, Any]) -> list[str]:
    experiences = _list(profile.get("experiences"))
    return [e["title"] for e in experiences if isinstance(e, dict) and isinstance(e.get("title"), str)]


def profile_skills(profile: dict[str, Any]) -> list[str]:
    names = _names(profile.get("skills"))
    for exp in profile.get("experiences") or []:
        if isinstance(exp, dict):
            names.extend(_names(exp.get("skills")))
    return list(dict.fromkeys(names))


def profile_text(profile: dict[str, Any]) -> str:
    info = as_dict(profile.get("info"))
    parts: list[Any] = [info.get("summary"), profile.get("text")]
    for exp in profile.get("experiences") or []:
        if isinstance(exp, dict):
            parts += [exp.get("title"), exp.get("description")]
            parts += [" ".join(_names(exp.get("tasks")))]
    for edu in profile.get("educations") or []:
        if isinstance(edu, dict):
            parts += [edu.get("title"), edu.get("description")]
    parts.append(" ".join(profile_skills(profile)))
    return _join(parts)


def profile_years(profile: dict[str, Any]) -> float:
    value = profile.get("experiences_duration")
    try:
        return max(0.0, float(value)) if value is not None else DEFAULT_YEARS
    except (TypeError, ValueError):
        return DEFAULT_YEARS
