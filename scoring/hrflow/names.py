"""HrFlow's machine names in plain words, for the page.

A job's date ranges are named by whoever indexed it (`seen_online` in the demo data,
`interview_dates` in HrFlow's own example); the page says "Seen online" and "Interview dates",
while URLs, saved searches and the HrFlow call keep the name as it is.
"""

from __future__ import annotations

import functools
import re

_SEPARATORS = re.compile(r"[_\-.\s]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])")


@functools.lru_cache(maxsize=256)
def plain_name(name: str, *, capital: bool = True) -> str:
    """`seen_online` → "Seen online", `firstSeen` → "First seen" (`capital=False`: "seen online",
    in the middle of a sentence); an acronym keeps its case ("ESCO code")."""
    words = _SEPARATORS.sub(" ", _CAMEL.sub(" ", name)).split()
    words = [w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words]
    text = " ".join(words)
    if not text:
        return name
    return (text[0].upper() if capital else text[0]) + text[1:]
