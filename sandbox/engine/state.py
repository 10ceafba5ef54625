"""The process-wide engine state: built once, reused by every request, rebuilt on a new version.

Each request reads `IndexState.version` (one primary-key query); only when it moved (jobs,
profiles or algorithms changed, e.g. `load_demo_data`) is the index rebuilt (seconds); when the
only change is jobs appended by job indexing (`rebuild_version` unchanged) it is extended with
the new rows instead (milliseconds, `extend_index`). Profile vectors and their scores are kept
in an LRU keyed by (profile, algorithm, version), so repeated requests for the same candidate
skip the model entirely.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sandbox import conf
from sandbox.engine import scoring
from sandbox.engine.index import IndexedJob, JobIndex, build_index, extend_index
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

    rebuild_version: int = 0

    @property
    def version(self) -> int:
        return self.index.version


_lock = threading.Lock()
_state: EngineState | None = None


def current_versions() -> tuple[int, int]:
    """(version, rebuild_version) in one primary-key query."""
    row = IndexState.objects.filter(id=1).values_list("version", "rebuild_version").first()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def current_version() -> int:
    return current_versions()[0]


def _jobs(rows: Any) -> Any:
    return (
        IndexedJob(pk, key, board_key, payload)
        for pk, key, board_key, payload in rows.order_by("id").values_list(
            "id", "key", "board__key", "payload"
        )
    )


def _listed() -> Any:
    """The jobs HrFlow scores: archived ones (PATCH job/indexing/archive) are left out."""
    return Job.objects.filter(archived_at__isnull=True)


def build_state(version: int, rebuild_version: int = 0) -> EngineState:
    algorithms = {a.key: dict(a.weights) for a in Algorithm.objects.order_by("id")}
    return EngineState(
        index=build_index(_jobs(_listed()), version),
        boards=dict(Board.objects.values_list("key", "name")),
        algorithms=algorithms,
        default_algorithm=next(iter(algorithms), None),
        rebuild_version=rebuild_version,
    )


def extend_state(state: EngineState, version: int) -> EngineState | None:
    """`state` plus the jobs indexed since (ids above its last row), or None if that is not
    enough to be exact (rows appeared below the last id): then rebuild. Boards are re-read, so a
    board created since (`create_board`) is known at once."""
    last_id = int(state.index.ids[-1]) if state.index.n else 0
    new_jobs = list(_jobs(_listed().filter(id__gt=last_id)))
    if _listed().count() != state.index.n + len(new_jobs):
        return None
    index = extend_index(state.index, new_jobs, version)
    # Cached profile scores are arrays over the old rows: the new state starts without them.
    return EngineState(
        index=index,
        boards=dict(Board.objects.values_list("key", "name")),
        algorithms=state.algorithms,
        default_algorithm=state.default_algorithm,
        rebuild_version=state.rebuild_version,
    )


def get_state() -> EngineState:
    global _state
    version, rebuild_version = current_versions()
    state = _state
    if state is not None and state.version == version:
        return state
    with _lock:
        if _state is None or _state.version != version:
            fresh = None
            if _state is not None and _state.rebuild_version == rebuild_version:
                fresh = extend_state(_state, version)
            _state = fresh or build_state(version, rebuild_version)
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
