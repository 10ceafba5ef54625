"""The per-process job index: built once from the job dicts, then read by every request.

Everything a request needs is an array over the n jobs (row i = job i), so scoring and
filtering are numpy/scipy operations, never Python loops over jobs:

* TF-IDF (scikit-learn) of the job text and of the job title, stored term-major (V x n CSR) so a
  profile's ~100 terms select only the rows they need;
* a job x skill binary matrix (skills by lowercase name);
* inverted lists for tags, languages and keyword tokens (token -> sorted job rows);
* numpy arrays of dates, coordinates, seniority and named ranges.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from sandbox.engine import text
from sandbox.params import loose
from sandbox.timeutil import parse_hrflow_datetime

# Keyword filters match word tokens, single characters included ("c", "r").
KEYWORD_TOKEN = r"(?u)\b\w+\b"  # noqa: S105 - a regex, not a secret


@dataclass(frozen=True)
class IndexedJob:
    """What the index is built from: one row of the sandbox's Job table (or any job dict)."""

    id: int
    key: str
    board_key: str
    payload: dict[str, Any]


@dataclass
class Postings:
    """term -> sorted int32 array of job rows (an inverted index without weights)."""

    vocabulary: dict[str, int]
    indptr: np.ndarray
    indices: np.ndarray

    def rows(self, term: str) -> np.ndarray:
        col = self.vocabulary.get(term)
        if col is None:
            return np.empty(0, dtype=np.int32)
        return self.indices[self.indptr[col] : self.indptr[col + 1]]

    @classmethod
    def from_matrix(cls, matrix: sparse.spmatrix, vocabulary: dict[str, int]) -> "Postings":
        term_major = sparse.csr_matrix(matrix.T)
        term_major.sort_indices()
        return cls(vocabulary, term_major.indptr, term_major.indices.astype(np.int32))


@dataclass
class NamedRanges:
    """The first range of a given name per job (NaN where the job has none)."""

    low: np.ndarray
    high: np.ndarray
    present: np.ndarray
    unit: np.ndarray  # object array of lowercase units ("" when none)


@dataclass
class JobIndex:
    version: int
    n: int
    ids: np.ndarray
    keys: list[str]
    names: list[str]  # each job's name, normalised (text.norm) for the `name` filter
    board_keys: list[str]  # sorted at a full build; boards first seen by extend_index appended
    board_of: np.ndarray  # int16 index into board_keys
    created: np.ndarray  # epoch seconds, float64
    updated: np.ndarray
    lat: np.ndarray  # NaN when unknown
    lng: np.ndarray
    years: np.ndarray  # seniority the title asks for
    text_vectorizer: TfidfVectorizer
    text_terms: sparse.csr_matrix  # V x n, rows L2-normalised per job
    title_vectorizer: TfidfVectorizer
    title_terms: sparse.csr_matrix
    skill_vocabulary: dict[str, int]
    skills: sparse.csr_matrix  # n x K binary
    skill_count: np.ndarray
    skill_postings: Postings
    text_tokens: Postings
    summary_tokens: Postings
    tags: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    tag_names: dict[str, np.ndarray] = field(default_factory=dict)
    languages: dict[str, np.ndarray] = field(default_factory=dict)
    ranges_float: dict[str, NamedRanges] = field(default_factory=dict)
    ranges_date: dict[str, NamedRanges] = field(default_factory=dict)
    row_of_key: dict[str, int] = field(default_factory=dict)

    def mask_of(self, rows: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[rows] = True
        return mask


def _epoch(value: Any) -> float:
    try:
        return parse_hrflow_datetime(value).timestamp()
    except (TypeError, ValueError):
        return float("nan")


def _float(value: Any) -> float:
    if isinstance(value, bool) or value is None:
        return float("nan")
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _vectorizer(n: int, **kwargs: Any) -> TfidfVectorizer:
    # min_df=2 drops one-off tokens (typos, ids) once the corpus is large enough to afford it.
    return TfidfVectorizer(
        sublinear_tf=True, stop_words="english", min_df=2 if n >= 2000 else 1, dtype=np.float32, **kwargs
    )


def _fit(vectorizer: Any, docs: list[str]) -> sparse.csr_matrix:
    """fit_transform, tolerating a corpus without a single usable token (empty board, tests)."""
    try:
        return sparse.csr_matrix(vectorizer.fit_transform(docs))
    except ValueError:
        vectorizer.fit(["sandbox"])
        return sparse.csr_matrix(vectorizer.transform(docs)) if docs else sparse.csr_matrix((0, 1))


def _inverted(values_per_row: list[list[Any]]) -> dict[Any, np.ndarray]:
    lists: dict[Any, list[int]] = defaultdict(list)
    for row, values in enumerate(values_per_row):
        for value in dict.fromkeys(values):
            lists[value].append(row)
    return {value: np.asarray(rows, dtype=np.int32) for value, rows in lists.items()}


def _ranges(payloads: list[dict[str, Any]], field_name: str, convert: Any) -> dict[str, NamedRanges]:
    n = len(payloads)
    out: dict[str, NamedRanges] = {}
    for row, job in enumerate(payloads):
        items = job.get(field_name)
        for item in items if isinstance(items, list) else []:
            if not isinstance(item, dict) or not item.get("name"):
                continue
            name = text.norm(item["name"])
            if name not in out:
                out[name] = NamedRanges(
                    np.full(n, np.nan), np.full(n, np.nan), np.zeros(n, bool), np.full(n, "", dtype=object)
                )
            ranges = out[name]
            if ranges.present[row]:
                continue
            ranges.present[row] = True
            ranges.low[row] = convert(item.get("value_min"))
            ranges.high[row] = convert(item.get("value_max"))
            ranges.unit[row] = text.norm(item.get("unit"))
    return out


def build_index(jobs: Iterable[IndexedJob], version: int = 0) -> JobIndex:
    rows = list(jobs)
    n = len(rows)
    payloads = [r.payload for r in rows]
    board_keys = sorted({r.board_key for r in rows})
    board_pos = {key: i for i, key in enumerate(board_keys)}
    location: list[dict[str, Any]] = [text.as_dict(p.get("location")) for p in payloads]

    texts = [text.job_text(p) for p in payloads]
    text_vectorizer = _vectorizer(n)
    text_matrix = _fit(text_vectorizer, texts)
    title_vectorizer = _vectorizer(n, ngram_range=(1, 2))
    title_matrix = _fit(title_vectorizer, [text.job_title(p) for p in payloads])

    skill_lists = [text.job_skills(p) for p in payloads]
    skill_vocabulary = {name: i for i, name in enumerate(sorted({s for lst in skill_lists for s in lst}))}
    skill_rows = [row for row, lst in enumerate(skill_lists) for _ in lst]
    skill_cols = [skill_vocabulary[s] for lst in skill_lists for s in lst]
    skills = sparse.csr_matrix(
        (np.ones(len(skill_cols), dtype=np.float32), (skill_rows, skill_cols)),
        shape=(n, max(1, len(skill_vocabulary))),
    )

    keyword = CountVectorizer(binary=True, token_pattern=KEYWORD_TOKEN, dtype=np.int8)
    text_tokens = _fit(keyword, texts)
    summary_keyword = CountVectorizer(binary=True, token_pattern=KEYWORD_TOKEN, dtype=np.int8)
    summary_tokens = _fit(summary_keyword, [text.job_summary(p) for p in payloads])

    tag_values = [
        [
            (text.norm(t.get("name")), loose(t.get("value")))
            for t in p.get("tags") or []
            if isinstance(t, dict)
        ]
        for p in payloads
    ]
    return JobIndex(
        version=version,
        n=n,
        ids=np.asarray([r.id for r in rows], dtype=np.int64),
        keys=[r.key for r in rows],
        names=[text.norm(p.get("name")) for p in payloads],
        board_keys=board_keys,
        board_of=np.asarray([board_pos[r.board_key] for r in rows], dtype=np.int16),
        created=np.asarray([_epoch(p.get("created_at")) for p in payloads], dtype=np.float64),
        updated=np.asarray([_epoch(p.get("updated_at") or p.get("created_at")) for p in payloads]),
        lat=np.asarray([_float(loc.get("lat")) for loc in location], dtype=np.float64),
        lng=np.asarray([_float(loc.get("lng")) for loc in location], dtype=np.float64),
        years=np.asarray([text.expected_years(text.job_title(p)) for p in payloads], dtype=np.float64),
        text_vectorizer=text_vectorizer,
        text_terms=sparse.csr_matrix(text_matrix.T),
        title_vectorizer=title_vectorizer,
        title_terms=sparse.csr_matrix(title_matrix.T),
        skill_vocabulary=skill_vocabulary,
        skills=skills,
        skill_count=np.asarray(skills.sum(axis=1), dtype=np.float64).ravel(),
        skill_postings=Postings.from_matrix(skills, skill_vocabulary),
        text_tokens=Postings.from_matrix(text_tokens, keyword.vocabulary_),
        summary_tokens=Postings.from_matrix(summary_tokens, summary_keyword.vocabulary_),
        tags=_inverted(tag_values),
        tag_names=_inverted([[name for name, _ in values] for values in tag_values]),
        languages=_inverted([[text.norm(i) for i in _lang_names(p)] for p in payloads]),
        ranges_float=_ranges(payloads, "ranges_float", _float),
        ranges_date=_ranges(payloads, "ranges_date", _epoch),
        row_of_key={r.key: i for i, r in enumerate(rows)},
    )


def _lang_names(job: dict[str, Any]) -> list[str]:
    items = job.get("languages")
    return (
        [i["name"] for i in items if isinstance(i, dict) and i.get("name")] if isinstance(items, list) else []
    )


def epoch(moment: datetime) -> float:
    return moment.timestamp()


# --- appending jobs (issue 4: job indexing) --------------------------------------------------


def _extend_postings(postings: Postings, docs: list[str], n_old: int) -> Postings:
    """`postings` over n_old rows plus the keyword tokens of `docs` as rows n_old, n_old+1, ..."""
    analyzer = CountVectorizer(binary=True, token_pattern=KEYWORD_TOKEN).build_analyzer()
    vocabulary = dict(postings.vocabulary)
    rows, cols = [], []
    for row, doc in enumerate(docs):
        for token in dict.fromkeys(analyzer(doc)):
            col = vocabulary.setdefault(token, len(vocabulary))
            rows.append(row)
            cols.append(col)
    width = max(1, len(vocabulary))
    old = sparse.csr_matrix(
        (np.ones(len(postings.indices), dtype=np.int8), postings.indices, postings.indptr),
        shape=(len(postings.indptr) - 1, n_old),
    ).T.tocsr()
    old.resize((n_old, width))
    new = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(docs), width), dtype=np.int8
    )
    return Postings.from_matrix(sparse.vstack([old, new], format="csr"), vocabulary)


def _extend_inverted(
    lists: dict[Any, np.ndarray], values_per_row: list[list[Any]], n_old: int
) -> dict[Any, np.ndarray]:
    added = _inverted(values_per_row)
    out = dict(lists)
    for value, rows in added.items():
        shifted = (rows + n_old).astype(np.int32)
        out[value] = np.concatenate([out[value], shifted]) if value in out else shifted
    return out


def _extend_ranges(
    old: dict[str, NamedRanges], payloads: list[dict[str, Any]], field_name: str, convert: Any, n_old: int
) -> dict[str, NamedRanges]:
    added = _ranges(payloads, field_name, convert)
    k = len(payloads)
    out: dict[str, NamedRanges] = {}
    for name in old.keys() | added.keys():
        before = old.get(name) or NamedRanges(
            np.full(n_old, np.nan),
            np.full(n_old, np.nan),
            np.zeros(n_old, bool),
            np.full(n_old, "", dtype=object),
        )
        after = added.get(name) or NamedRanges(
            np.full(k, np.nan), np.full(k, np.nan), np.zeros(k, bool), np.full(k, "", dtype=object)
        )
        out[name] = NamedRanges(
            np.concatenate([before.low, after.low]),
            np.concatenate([before.high, after.high]),
            np.concatenate([before.present, after.present]),
            np.concatenate([before.unit, after.unit]),
        )
    return out


def extend_index(index: JobIndex, jobs: Iterable[IndexedJob], version: int) -> JobIndex:
    """A new index: `index` plus `jobs` appended as its last rows, without refitting anything.

    Cheap (milliseconds for a few jobs, against seconds for `build_index`): the TF-IDF
    vocabularies and idf weights stay those of the last full build, so a term only the new jobs
    use does not count in their text similarity until the next full build; every filter (keyword
    tokens, skills, tags, languages, ranges, dates, location) sees the new jobs exactly. A board
    the index has never seen (a test's own board) is appended to `board_keys`. `index` itself
    is not modified: requests still reading it are unaffected.
    """
    rows = list(jobs)
    if not rows:
        return JobIndex(**{**index.__dict__, "version": version})
    board_keys = [
        *index.board_keys,
        *dict.fromkeys(r.board_key for r in rows if r.board_key not in index.board_keys),
    ]
    n_old, k = index.n, len(rows)
    payloads = [r.payload for r in rows]
    board_pos = {key: i for i, key in enumerate(board_keys)}
    location = [text.as_dict(p.get("location")) for p in payloads]
    texts = [text.job_text(p) for p in payloads]

    text_new = sparse.csr_matrix(index.text_vectorizer.transform(texts), dtype=index.text_terms.dtype)
    title_new = sparse.csr_matrix(
        index.title_vectorizer.transform([text.job_title(p) for p in payloads]), dtype=index.title_terms.dtype
    )

    skill_vocabulary = dict(index.skill_vocabulary)
    skill_lists = [text.job_skills(p) for p in payloads]
    for names in skill_lists:
        for name in names:
            skill_vocabulary.setdefault(name, len(skill_vocabulary))
    width = max(1, len(skill_vocabulary))
    old_skills = index.skills.copy()
    old_skills.resize((n_old, width))
    new_skills = sparse.csr_matrix(
        (
            np.ones(sum(len(lst) for lst in skill_lists), dtype=np.float32),
            (
                [row for row, lst in enumerate(skill_lists) for _ in lst],
                [skill_vocabulary[s] for lst in skill_lists for s in lst],
            ),
        ),
        shape=(k, width),
    )
    skills = sparse.vstack([old_skills, new_skills], format="csr")

    tag_values = [
        [
            (text.norm(t.get("name")), loose(t.get("value")))
            for t in p.get("tags") or []
            if isinstance(t, dict)
        ]
        for p in payloads
    ]
    return JobIndex(
        version=version,
        n=n_old + k,
        ids=np.concatenate([index.ids, np.asarray([r.id for r in rows], dtype=np.int64)]),
        keys=[*index.keys, *(r.key for r in rows)],
        names=[*index.names, *(text.norm(p.get("name")) for p in payloads)],
        board_keys=board_keys,
        board_of=np.concatenate(
            [index.board_of, np.asarray([board_pos[r.board_key] for r in rows], dtype=np.int16)]
        ),
        created=np.concatenate([index.created, [_epoch(p.get("created_at")) for p in payloads]]),
        updated=np.concatenate(
            [index.updated, [_epoch(p.get("updated_at") or p.get("created_at")) for p in payloads]]
        ),
        lat=np.concatenate([index.lat, [_float(loc.get("lat")) for loc in location]]),
        lng=np.concatenate([index.lng, [_float(loc.get("lng")) for loc in location]]),
        years=np.concatenate([index.years, [text.expected_years(text.job_title(p)) for p in payloads]]),
        text_vectorizer=index.text_vectorizer,
        text_terms=sparse.hstack([index.text_terms, text_new.T], format="csr"),
        title_vectorizer=index.title_vectorizer,
        title_terms=sparse.hstack([index.title_terms, title_new.T], format="csr"),
        skill_vocabulary=skill_vocabulary,
        skills=skills,
        skill_count=np.asarray(skills.sum(axis=1), dtype=np.float64).ravel(),
        skill_postings=Postings.from_matrix(skills, skill_vocabulary),
        text_tokens=_extend_postings(index.text_tokens, texts, n_old),
        summary_tokens=_extend_postings(index.summary_tokens, [text.job_summary(p) for p in payloads], n_old),
        tags=_extend_inverted(index.tags, tag_values, n_old),
        tag_names=_extend_inverted(index.tag_names, [[name for name, _ in v] for v in tag_values], n_old),
        languages=_extend_inverted(
            index.languages, [[text.norm(i) for i in _lang_names(p)] for p in payloads], n_old
        ),
        ranges_float=_extend_ranges(index.ranges_float, payloads, "ranges_float", _float, n_old),
        ranges_date=_extend_ranges(index.ranges_date, payloads, "ranges_date", _epoch, n_old),
        row_of_key={**index.row_of_key, **{r.key: n_old + i for i, r in enumerate(rows)}},
    )
