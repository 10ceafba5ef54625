"""Ranking sanity: precision@10 of same-occupation jobs, sandbox algorithms vs plain TF-IDF.

    .venv/bin/python benchmarks/ranking_quality.py

Every demo profile carries the occupation it was generated from (tag `anchor_onet_soc`); every
job carries its occupation (tag `onet_soc`). For each profile, the top 10 jobs over all boards
are ranked by each sandbox algorithm (the engine in-process, exactly what jobs/scoring ranks by)
and by a plain baseline: scikit-learn TfidfVectorizer with default settings over the same job
text, cosine with the same profile text. precision@10 = share of the 10 whose `onet_soc`
equals the profile's anchor; the figure is the mean over all profiles.

Budget (profile as stored): every sandbox algorithm >= baseline + 0.1.
"""

import sys
from pathlib import Path
from statistics import mean
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tempfile

import numpy as np
from _common import demo_snapshot, read_jobs, read_profiles
from sklearn.feature_extraction.text import TfidfVectorizer

from sandbox.engine import scoring, text
from sandbox.engine.index import IndexedJob, build_index

K = 10


def without_work_descriptions(profile: dict[str, Any]) -> dict[str, Any]:
    """A diagnostic view: drop `text` (the rendered résumé), the experience descriptions and
    tasks, leaving titles, summary, skills and educations. The stored profiles describe their
    work in their own words (rephrased O*NET DWAs that no job quotes, see
    demodata/build/profiles.py), so this shows how much each ranking gets from that text."""
    redacted = dict(profile, text=None)
    redacted["experiences"] = [dict(e, description=None, tasks=[]) for e in profile.get("experiences") or []]
    return redacted


VIEWS = {"profile as stored": lambda p: p, "profile without work descriptions": without_work_descriptions}


def tag(item: dict[str, Any], name: str) -> str | None:
    return next((str(t["value"]) for t in item.get("tags") or [] if t.get("name") == name), None)


def top_k(scores: np.ndarray, ids: np.ndarray) -> np.ndarray:
    # Same total order as the sandbox: score desc, then id asc.
    return np.lexsort((ids, -scores))[:K]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data_dir, label = demo_snapshot(Path(tmp))
        jobs = read_jobs(data_dir)
        profiles = [p for p in read_profiles(data_dir) if tag(p, "anchor_onet_soc")]
    occupations = np.asarray([tag(j, "onet_soc") for j in jobs], dtype=object)
    ids = np.arange(len(jobs))
    index = build_index(IndexedJob(i + 1, j["key"], j["board_key"], j) for i, j in enumerate(jobs))

    baseline = TfidfVectorizer()
    job_matrix = baseline.fit_transform([text.job_text(j) for j in jobs])
    print(f"corpus: {label}; {len(jobs)} jobs, {len(profiles)} profiles with anchor_onet_soc")
    print()
    print("| profile view | ranking | mean precision@10 (same O*NET-SOC occupation) |")
    print("|---|---|---|")
    for view, transform in VIEWS.items():
        results: dict[str, list[float]] = {"baseline: plain TF-IDF cosine": []}
        for name in scoring.ALGORITHM_WEIGHTS:
            results[f"sandbox: {name}"] = []
        for stored in profiles:
            profile = transform(stored)
            anchor = tag(profile, "anchor_onet_soc")
            cosine = (job_matrix @ baseline.transform([text.profile_text(profile)]).T).toarray().ravel()
            results["baseline: plain TF-IDF cosine"].append(
                float(np.mean(occupations[top_k(cosine, ids)] == anchor))
            )
            feats = scoring.features(index, scoring.profile_vector(index, profile))
            for name, weights in scoring.ALGORITHM_WEIGHTS.items():
                scores = scoring.combine(feats, weights)
                results[f"sandbox: {name}"].append(float(np.mean(occupations[top_k(scores, ids)] == anchor)))
        base = mean(results["baseline: plain TF-IDF cosine"])
        for name, values in results.items():
            delta = "" if name.startswith("baseline") else f" ({mean(values) - base:+.3f} vs baseline)"
            print(f"| {view} | {name} | {mean(values):.3f}{delta} |")


if __name__ == "__main__":
    main()
