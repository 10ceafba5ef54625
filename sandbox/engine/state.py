"""The process-wide engine state: built once, reused by every request, rebuilt on a new version.

Each request reads `IndexState.version` (one primary-key query); only when it moved (jobs,
profiles or algorithms changed, e.g. `load_demo_data` or, in issue 4, job indexing) is the index
rebuilt. Profile vectors and their scores are kept in an LRU keyed by (profile, algorithm,
version), so repeated requests for the same candidate skip the model entirely.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sandbox import conf
from sandbox.engine import scoring
from sandbox.engine.index import IndexedJob, JobIndex, build_index
from sandbox.models import Algorithm, Board, IndexState, Job, Profile


@dataclass
class EngineState:
    index: JobIndex
    boards: dict[str, str]  # key -> name
    algorithms: dict[str, dict[str, float]]  # key -> weights
    default_algorithm: str | None
    profiles: "OrderedDict[tuple[str, str, str], tuple[dict[str, Any], scoring.ProfileVector]]" = field(
        default_factory=OrderedDict
    )
    scores: "OrderedDict[tuple[str, str], np.ndarray]" = field(default_factory=OrderedDict)

    @property
    def version(self) -> int:
        return self.index.version


_lock = threading.Lock()
_state: EngineState | None = None


def current_version() -> int:
    version = IndexState.objects.filter(id=1).values_list("version", flat=True).first()
    return int(version or 0)


def build_state(version: int) -> EngineState:
    jobs = (
        IndexedJob(pk, key, board_key, payload)
        for pk, key, board_key, payload in Job.objects.order_by("id").values_list(
            "id", "key", "board__key", "payload"
        )
    )
    algorithms = {a.key: dict(a.weights) for a in Algorithm.objects.order_by("id")}
    return EngineState(
        index=build_index(jobs, version),
        boards=dict(Board.objects.values_list("key", "name")),
        algorithms=algorithms,
        default_algorithm=next(iter(algorithms), None),
    )


def get_state() -> EngineState:
    global _state
    version = current_version()
    state = _state
    if state is not None and state.version == version:
        return state
    with _lock:
        if _state is None or _state.version != version:
            _state = build_state(version)
        return _state


def reset_state() -> None:
    global _state
    with _lock:
        _state = None


def _remember(cache: "OrderedDict[Any, Any]", key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > conf.profile_cache_size():
        cache.popitem(last=False)


def get_profile(
    state: EngineState, source_key: str, *, key: str | None, reference: str | None
) -> tuple[dict[str, Any], scoring.ProfileVector] | None:
    """The profile's payload and vector, or None when the source holds no such profile."""
    cache_key = (source_key, key or "", reference or "")
    cached = state.profiles.get(cache_key)
    if cached is not None:
        state.profiles.move_to_end(cache_key)
        return cached
    rows = Profile.objects.filter(source__key=source_key)
    rows = rows.filter(key=key) if key else rows.filter(reference=reference)
    payload = rows.values_list("payload", flat=True).first()
    if payload is None:
        return None
    entry = (payload, scoring.profile_vector(state.index, payload))
    _remember(state.profiles, cache_key, entry)
    return entry


def get_scores(
    state: EngineState, profile: scoring.ProfileVector, profile_key: str, algorithm_key: str
) -> np.ndarray:
    cache_key = (profile_key, algorithm_key)
    cached = state.scores.get(cache_key)
    if cached is not None:
        state.scores.move_to_end(cache_key)
        return cached
    scores = scoring.combine(scoring.features(state.index, profile), state.algorithms[algorithm_key])
    _remember(state.scores, cache_key, scores)
    return scores
