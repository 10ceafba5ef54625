"""Job text from real occupation data: ESCO summary, O*NET tasks, ESCO knowledge requirements."""

from __future__ import annotations

import random

from demodata.build.sources import OnetOccupation

# O*NET job zones are not in the wheel; a coarse education level per SOC major group is enough
# to make requirements read naturally.
_EDUCATION_BY_MAJOR = {
    "11": "a bachelor's degree in business or a related field and several years of management experience",
    "13": "a bachelor's degree in business, finance or a related field",
    "15": "a bachelor's degree in computer science, engineering or equivalent practical experience",
    "17": "a bachelor's degree in engineering",
    "21": "a master's degree in counselling or clinical psychology and state licensure",
    "23": "a law degree (JD) and admission to the bar",
    "27": "a bachelor's degree or a strong portfolio",
    "29": "the professional degree and licence required in the state",
    "41": "a bachelor's degree or equivalent sales experience",
    "43": "a high-school diploma; customer-facing experience is a plus",
    "49": "a technical certificate or equivalent hands-on experience",
    "53": "no formal education; on-the-job training is provided",
}


def summary(esco_description: str | None, onet: OnetOccupation | None) -> str:
    if esco_description:
        return esco_description
    if onet and onet.tasks:
        return f"{onet.title}: {onet.tasks[0]}"
    return ""


def responsibilities(onet: OnetOccupation | None, rng: random.Random) -> list[str]:
    """5-8 O*NET task statements, sampled per job so postings of one occupation differ."""
    if not onet or not onet.tasks:
        return []
    k = min(len(onet.tasks), rng.randint(5, 8))
    return rng.sample(onet.tasks, k)


def requirements(soc: str, knowledge: list[str]) -> str:
    education = _EDUCATION_BY_MAJOR.get(soc[:2], "relevant education or equivalent experience")
    if knowledge:
        return (
            f"Working knowledge of {', '.join(knowledge[:-1]) or knowledge[-1]}"
            + (f" and {knowledge[-1]}" if len(knowledge) > 1 else "")
            + f". Typically {education}."
        )
    return f"Typically {education}."


def bullets(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)
