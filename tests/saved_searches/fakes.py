"""A programmable stand-in for the upstream fetch, for service tests that are not about HTTP.

Selected with settings.SAVED_SEARCH_FETCHER = "tests.saved_searches.fakes.fetch".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from saved_searches.services.diff import ResultRow

# Each call pops the next answer: a list of (key, score) — or (key, score, card), the display
# fields alerts show — or an exception to raise.
answers: list[Sequence[tuple[Any, ...]] | Exception] = []
calls: list[tuple[str, int]] = []
on_call: Callable[[], None] | None = None


def reset() -> None:
    global on_call
    answers.clear()
    calls.clear()
    on_call = None


def fetch(query_string: str, top_n: int) -> list[ResultRow]:
    calls.append((query_string, top_n))
    if on_call is not None:
        on_call()
    answer = answers.pop(0)
    if isinstance(answer, Exception):
        raise answer
    return [
        ResultRow(item[0], item[1], rank, item[2] if len(item) > 2 else None)
        for rank, item in enumerate(answer, start=1)
    ]
