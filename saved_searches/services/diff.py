"""What changed between the job keys a search had seen and a fresh result list. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple


class ResultRow(NamedTuple):
    key: str
    score: float | None
    rank: int
    # What an alert e-mail shows of the job (title, company, location, skills, url), taken from
    # the same answer; not stored on the run (`as_json`), only handed to refresh listeners.
    card: Mapping[str, Any] | None = None

    def as_json(self) -> dict[str, object]:
        return {"key": self.key, "score": self.score, "rank": self.rank}


class Previous(NamedTuple):
    """What a search remembers about one job key (a SeenJob row)."""

    score: float | None
    dropped: bool


@dataclass(frozen=True)
class ResultDiff:
    new: tuple[str, ...] = ()  # never seen by this search before
    returned: tuple[str, ...] = ()  # seen, dropped, now back: not "new" (edits must not re-alert)
    dropped: tuple[str, ...] = ()  # seen last time, absent now
    score_changed: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def results_diff(
    *, previous: Mapping[str, Previous], current: Iterable[ResultRow], epsilon: float = 0.001
) -> ResultDiff:
    """`score_changed`: a score that moved by `epsilon` or more, or appeared or vanished."""
    rows = {row.key: row for row in current}
    new = tuple(key for key in rows if key not in previous)
    returned = tuple(key for key in rows if key in previous and previous[key].dropped)
    dropped = tuple(sorted(key for key, prev in previous.items() if not prev.dropped and key not in rows))
    changed: dict[str, tuple[float | None, float | None]] = {}
    for key, row in rows.items():
        prev = previous.get(key)
        if prev is None or prev.dropped:
            continue
        if _moved(prev.score, row.score, epsilon):
            changed[key] = (prev.score, row.score)
    return ResultDiff(new=new, returned=returned, dropped=dropped, score_changed=changed)


def _moved(old: float | None, new: float | None, epsilon: float) -> bool:
    if old is None or new is None:
        return old is not new
    return abs(new - old) >= epsilon
