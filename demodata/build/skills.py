"""Skill sets: ESCO ICT occupation→skill links, else ESCO skills co-occurring with O*NET DWAs."""

from __future__ import annotations

import math
import random
import re
from typing import Any

from demodata.build.sources import OnetOccupation

_WORD = re.compile(r"[a-z][a-z+#.]*")
_STOP = {
    "and", "or", "of", "the", "to", "for", "in", "on", "with", "a", "an", "as", "by", "use", "using",
    "other", "others", "related", "activities", "information", "work", "data", "procedures", "provide",
}  # fmt: skip
# Gazetteer hits that describe the job family rather than a technology.
_GENERIC_TITLE_TERMS = {
    "engineer", "engineering", "manager", "management", "sales", "marketing", "design", "product",
    "senior", "lead", "staff", "account", "executive", "operations", "director", "analyst", "data",
    "software", "security", "research", "customer", "success", "business", "development", "support",
    "technical", "people", "finance", "legal", "retail", "store", "team", "program", "project", "strategy",
    "growth", "platform", "infrastructure", "systems", "solutions", "enterprise", "global", "commercial",
    "content", "partner", "partnerships", "recruiting", "principal", "specialist", "associate", "intern",
    "new", "head", "manager ii", "remote", "hybrid", "us", "field", "mid", "market", "health", "services",
}  # fmt: skip


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _bag(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


class SkillCatalog:
    def __init__(
        self,
        ict_occupations: list[dict[str, Any]],
        hard_labels: list[str],
        soft_labels: list[str],
        gazetteer: list[str],
    ) -> None:
        self.ict = {o["uri"]: o for o in ict_occupations}
        self.hard = [(label, _bag(label)) for label in hard_labels]
        # Inverse document frequency over the labels: "prepare" or "manage" alone must not pull
        # "prepare service trolleys" into a sales job.
        df: dict[str, int] = {}
        for _, words in self.hard:
            for w in words:
                df[w] = df.get(w, 0) + 1
        n = max(len(self.hard), 1)
        self.idf = {w: math.log(n / c) for w, c in df.items()}
        self.common = {w for w, c in df.items() if c > max(3, n // 100)}
        self.soft = soft_labels
        self.gazetteer = {
            term for term in gazetteer if 2 <= len(term) <= 40 and term not in _GENERIC_TITLE_TERMS
        }
        self._cache: dict[tuple[str, str | None], tuple[list[str], list[str]]] = {}
        # label -> its co-occurrence score over the best one, per occupation (see skill_weights).
        self._weights: dict[tuple[str, str | None], dict[str, float]] = {}

    def occupation_skills(
        self, onet: OnetOccupation | None, esco_uri: str | None
    ) -> tuple[list[str], list[str]]:
        """(skills, knowledge) for an occupation: its whole, ordered, deterministic skill set."""
        key = (onet.soc if onet else "", esco_uri)
        if key in self._cache:
            return self._cache[key]
        ict = self.ict.get(esco_uri or "")
        weights: dict[str, float] = {}
        if ict:
            result = (sorted(set(ict.get("skill_", []))), sorted(set(ict.get("knowledge_", []))))
        else:
            scored = self._cooccurring(onet)
            top = scored[0][0] if scored else 1.0
            weights = {label: round(score / top, 2) for score, label in scored}
            result = ([label for _, label in scored], [])
        self._cache[key] = result
        self._weights[key] = weights
        return result

    def skill_weights(self, onet: OnetOccupation | None, esco_uri: str | None) -> dict[str, float]:
        """How strongly the occupation's O*NET activities point at each co-occurring skill, as a
        share of the strongest (0 < w <= 1, two decimals); empty for ESCO ICT skill sets, which
        come as links without a strength."""
        self.occupation_skills(onet, esco_uri)
        return self._weights[(onet.soc if onet else "", esco_uri)]

    def _cooccurring(self, onet: OnetOccupation | None, k: int = 14) -> list[tuple[float, str]]:
        """(score, label) of the ESCO skills sharing the most words with the occupation's DWAs
        and tasks, best first."""
        if onet is None:
            return []
        weights: dict[str, int] = {}
        for text, w in [(d, 2) for d in onet.dwas] + [(t, 1) for t in onet.tasks]:
            for word in _bag(text):
                weights[word] = weights.get(word, 0) + w
        scored = []
        for label, words in self.hard:
            matched = [w for w in words if w in weights]
            # Every distinctive word of the label must occur ("trolleys" is why "prepare service
            # trolleys" is not a sales skill), and at least one distinctive word must match.
            if not matched or not set(matched) - self.common or (words - set(matched)) - self.common:
                continue
            score = sum(min(weights[w], 6) * self.idf[w] for w in matched) / len(words)
            scored.append((score, label))
        scored.sort(key=lambda s: (-s[0], s[1]))
        out: list[tuple[float, str]] = []
        seen: set[str] = set()
        for score, label in scored:
            key = re.sub(r"[^a-z ]", "", label.lower())  # "managing, gathering" == "managing gathering"
            if key not in seen and len(out) < k:
                seen.add(key)
                out.append((score, label))
        return out

    def soft_skills(self, rng: random.Random, n: int) -> list[str]:
        return rng.sample(self.soft, min(n, len(self.soft))) if self.soft else []

    def title_keywords(self, title: str) -> list[str]:
        """Technologies named in the title ("Backend Engineer (Go, Kubernetes)")."""
        words = re.findall(r"[a-z0-9+#.]+", title.lower())
        found: list[str] = []
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                gram = " ".join(words[i : i + n]).strip(".")
                if gram in self.gazetteer and not any(gram in f for f in found):
                    found.append(gram)
        return sorted(found)[:5]


def job_skills(
    catalog: SkillCatalog, onet: OnetOccupation | None, esco_uri: str | None, title: str, rng: random.Random
) -> tuple[list[dict[str, Any]], list[str]]:
    """HrFlow skills for one job, and the knowledge items used for its requirements text.

    `value` keeps HrFlow's mixed types (a float or null, as in its recorded jobs): 1.0 for a
    technology the title names, the occupation's co-occurrence weight (0-1, `skill_weights`)
    for a skill drawn from O*NET activities, null where the source gives no strength (ESCO ICT
    links, knowledge items, soft skills)."""
    skills, knowledge = catalog.occupation_skills(onet, esco_uri)
    weights = catalog.skill_weights(onet, esco_uri)
    hard = rng.sample(skills, min(len(skills), rng.randint(6, 10)))
    know = rng.sample(knowledge, min(len(knowledge), rng.randint(3, 5)))
    in_title = set(catalog.title_keywords(title))
    names = sorted(set(hard) | set(know) | in_title)
    out = [{"name": n, "type": "hard", "value": 1.0 if n in in_title else weights.get(n)} for n in names]
    soft = sorted(set(catalog.soft_skills(rng, rng.randint(2, 3))) - set(names))
    out += [{"name": n, "type": "soft", "value": None} for n in soft]
    return out, sorted(know)
