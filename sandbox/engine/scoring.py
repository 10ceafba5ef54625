"""Per-algorithm relevance: features of (profile, every job), combined and squashed into (0, 1).

Features, each in [0, 1]:

* `text`: cosine between the TF-IDF of the profile (summary, text, experiences, educations,
  skills) and of the job (title, summary, text fields, sections, skills, tasks);
* `skills`: share of the job's skills the profile has (by lowercase name);
* `title`: cosine between the profile's experience titles and the job title (word uni+bigrams);
* `experience`: 1 when the profile's years cover the seniority the title asks for, decaying
  with the shortfall (overqualification costs a little).

score = sigmoid(bias + sum(weight_f * feature_f)), clipped to [1e-6, 1 - 1e-6] so it is a
probability strictly inside (0, 1). Everything is float64 numpy arithmetic over fixed inputs:
the same request gives the same bits.
"""

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sandbox.engine import text
from sandbox.engine.index import JobIndex

FEATURES = ("text", "skills", "title", "experience")

# Keyed by the demo algorithm slug (hrflow_dash.demo.DEMO_ALGORITHMS); stored per Algorithm row.
ALGORITHM_WEIGHTS: dict[str, dict[str, float]] = {
    "balanced": {"bias": -4.0, "text": 7.0, "skills": 2.5, "title": 3.0, "experience": 0.8},
    "skills-first": {"bias": -4.0, "text": 2.0, "skills": 6.5, "title": 1.0, "experience": 0.5},
}
EPSILON = 1e-6


@dataclass(frozen=True)
class ProfileVector:
    """A profile as the engine sees it; built once per (profile, index version)."""

    text: np.ndarray  # (term rows, weights) of the TF-IDF vector
    text_weights: np.ndarray
    title: np.ndarray
    title_weights: np.ndarray
    skill_columns: np.ndarray
    skills: tuple[str, ...]
    years: float


def _sparse_terms(vectorizer: Any, document: str) -> tuple[np.ndarray, np.ndarray]:
    row = vectorizer.transform([document]).tocsr()
    return row.indices.astype(np.int32), row.data.astype(np.float64)


def profile_vector(index: JobIndex, profile: dict[str, Any]) -> ProfileVector:
    titles = text.profile_titles(profile)
    # The latest title counts double: it says most about what the candidate looks for next.
    title_doc = " \n".join(titles[:1] * 2 + titles[1:])
    skills = tuple(text.profile_skills(profile))
    columns = [index.skill_vocabulary[s] for s in skills if s in index.skill_vocabulary]
    text_rows, text_weights = _sparse_terms(index.text_vectorizer, text.profile_text(profile))
    title_rows, title_weights = _sparse_terms(index.title_vectorizer, title_doc)
    return ProfileVector(
        text=text_rows,
        text_weights=text_weights,
        title=title_rows,
        title_weights=title_weights,
        skill_columns=np.asarray(sorted(set(columns)), dtype=np.int32),
        skills=skills,
        years=text.profile_years(profile),
    )


def _cosine(terms: Any, rows: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Job vectors are L2-normalised, the profile's too: a dot product over its own terms only."""
    if rows.size == 0:
        return np.zeros(n)
    return np.asarray(terms[rows].T @ weights, dtype=np.float64).ravel()


def features(index: JobIndex, profile: ProfileVector) -> dict[str, np.ndarray]:
    n = index.n
    # Shared skills per job: count the profile's skills over their posting lists (cost = their
    # document frequencies, not the size of the job x skill matrix).
    postings = index.skill_postings
    rows = [postings.indices[postings.indptr[c] : postings.indptr[c + 1]] for c in profile.skill_columns]
    shared = np.bincount(np.concatenate(rows), minlength=n).astype(np.float64) if rows else np.zeros(n)
    shortfall = np.maximum(index.years - profile.years, 0.0)
    surplus = np.maximum(profile.years - index.years, 0.0)
    return {
        "text": _cosine(index.text_terms, profile.text, profile.text_weights, n),
        "skills": np.divide(shared, index.skill_count, out=np.zeros(n), where=index.skill_count > 0),
        "title": _cosine(index.title_terms, profile.title, profile.title_weights, n),
        "experience": np.exp(-shortfall / 3.0) * np.exp(-surplus / 15.0),
    }


def combine(feats: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    z = np.full_like(feats["text"], float(weights.get("bias", 0.0)))
    for name in FEATURES:
        w = float(weights.get(name, 0.0))
        if w and math.isfinite(w):
            z += w * feats[name]
    scores = 1.0 / (1.0 + np.exp(-z))
    return np.clip(scores, EPSILON, 1.0 - EPSILON)


def reasons(job: dict[str, Any], profile: ProfileVector) -> dict[str, list[str]]:
    """Which of the job's skills the profile has, and which it misses (the 'why this score' panel)."""
    have = set(profile.skills)
    job_skills = text.job_skills(job)
    return {
        "matched_skills": [s for s in job_skills if s in have],
        "missing_skills": [s for s in job_skills if s not in have],
    }
