"""Tag filters: their URL syntax, their HrFlow encoding, and the conversion of the old syntax.

Semantics (docs/hrflow.md §4.2, §11; docs/search-filters.md): HrFlow's `tags_included` is an AND of
OR-groups, `[[remote:true], [category:sales, category:marketing]]` = remote AND (sales OR
marketing); `tags_excluded` drops a job that matches any tag listed in it, whatever the nesting.

URL syntax (new parameter names, so no old link silently changes meaning):

* `tags_in` (repeated): each value is one tag `name:value` or one OR-group. A lone tag is
  grouped with the other lone tags *of the same name* (values of one name are alternatives,
  names combine with AND), so `tags_in=remote:true&tags_in=category:sales&tags_in=category:marketing`
  is the example above. An OR-group is written `(a:x|b:y)` (parentheses optional when it has a
  `|`) and stays exactly as written: `(remote:true|category:sales)`; `(category:sales)` is a
  one-tag group that is *not* merged with other `category` tags.
* `tags_out` (repeated): each value one tag; a job with any of them is left out.
* A value is JSON-typed: `true` / `false` (any case) are JSON booleans, `"…"` is a JSON string
  (so `remote:"true"` is the string), anything else is the text as written. Names end at the
  first `:` and cannot hold `|`, `(`, `)` or `"`; values holding `|()"` or edge spaces are quoted.

Old syntax (`tags_included` / `tags_excluded`, until issue 7): each value an AND-group joined
by `+`, groups OR-ed: an OR of AND-groups. `convert_legacy_items()` turns it into the new
syntax with the same meaning (distribution into CNF, absorption); the search page, the saved
searches' data migration and `JobQuery.from_query_items` all use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

INCLUDED_PARAM = "tags_in"
EXCLUDED_PARAM = "tags_out"
LEGACY_INCLUDED_PARAM = "tags_included"
LEGACY_EXCLUDED_PARAM = "tags_excluded"
LEGACY_PARAMS = (LEGACY_INCLUDED_PARAM, LEGACY_EXCLUDED_PARAM)
NAME_SEPARATOR = ":"
ALTERNATIVE_SEPARATOR = "|"
NAME_FORBIDDEN = '|()":'  # a tag name ends at the first ":" and cannot hold the syntax's marks
LEGACY_AND_SEPARATOR = "+"
MAX_TAG_GROUPS = 16  # OR-groups in one search: past this a converted search needs review
# Distribution can blow up before absorption shrinks it again; past this many intermediate
# clauses the conversion gives up (and the search is reported, never guessed).
MAX_INTERMEDIATE_CLAUSES = 4096
_QUOTE_NEEDED = re.compile(r'[|()"]')
_ALTERNATIVES = re.compile(r'(?:"(?:[^"\\]|\\.)*"|[^|"])+|"')


class TagFilter(NamedTuple):
    """One tag. `value` is the URL token (see the module docstring); `to_hrflow` decodes it."""

    name: str
    value: str

    def to_hrflow(self) -> dict[str, Any]:
        return {"name": self.name, "value": decode_value(self.value)}

    @property
    def label(self) -> str:
        return f"{self.name}: {self.value}"

    @property
    def token(self) -> str:
        return f"{self.name}{NAME_SEPARATOR}{self.value}"


TagGroup = tuple[TagFilter, ...]


def decode_value(token: str) -> str | bool:
    """URL token → the JSON value sent to HrFlow."""
    text = token.strip()
    lowered = text.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            decoded = json.loads(text)
        except ValueError:
            return text
        return decoded if isinstance(decoded, str) else text
    return text


def encode_value(value: str | bool) -> str:
    """JSON value → its canonical URL token (quoted only when it must be)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    plain = (
        value
        and value == value.strip()
        and value.lower() not in ("true", "false")
        and not _QUOTE_NEEDED.search(value)
    )
    return value if plain else json.dumps(value, ensure_ascii=False)


def tag(name: str, value: str) -> TagFilter:
    """A tag with its name trimmed and its value token in canonical form."""
    return TagFilter(name.strip(), encode_value(decode_value(value)))


def _parse_tag(text: str) -> TagFilter:
    name, sep, value = text.strip().partition(NAME_SEPARATOR)
    if not sep or not name.strip() or any(ch in name for ch in NAME_FORBIDDEN):
        raise ValueError(f"tag {text.strip()!r} is not written name:value")
    return tag(name, value)


class ParsedValue(NamedTuple):
    tags: TagGroup
    fixed: bool  # an OR-group kept as written (not merged by name)


def parse_included_value(raw: str) -> ParsedValue:
    """One `tags_in` value: `name:value`, `a:x|b:y` or `(a:x|…)`. Raises ValueError."""
    text = raw.strip()
    fixed = len(text) >= 2 and text[0] == "(" and text[-1] == ")"
    if fixed:
        text = text[1:-1]
    found = _ALTERNATIVES.findall(text)
    parts = [part for part in found if part.strip()]
    if not parts or '"' in found:  # a lone '"' is an unterminated quote
        raise ValueError(f"{raw.strip()!r} is not a tag or a group of tags")
    tags = tuple(_parse_tag(part) for part in parts)
    return ParsedValue(tags, fixed or len(tags) > 1)


def groups_from_values(values: Iterable[str]) -> tuple[TagGroup, ...]:
    """`tags_in` values → OR-groups: lone tags merged by name, written groups kept."""
    by_name: dict[str, list[TagFilter]] = {}
    groups: list[TagGroup] = []
    for raw in values:
        if not raw.strip():
            continue
        parsed = parse_included_value(raw)
        if parsed.fixed:
            groups.append(parsed.tags)
        else:
            (only,) = parsed.tags
            by_name.setdefault(only.name, []).append(only)
    return clean_cnf([*groups, *(tuple(tags) for tags in by_name.values())])


def excluded_from_values(values: Iterable[str]) -> TagGroup:
    """`tags_out` values → the tags any of which drops a job (groups are flattened: same rule)."""
    tags = [t for raw in values if raw.strip() for t in parse_included_value(raw).tags]
    return clean_tags(tags)


def clean_tags(tags: Iterable[TagFilter | Sequence[Any]]) -> TagGroup:
    return tuple(sorted({tag(*t) for t in tags}))


def _absorbed(groups: Iterable[frozenset[TagFilter]]) -> list[frozenset[TagFilter]]:
    """Drop duplicates and every group that is a superset of another (it adds nothing, in an
    AND of ORs as in an OR of ANDs). With positive tags only, no group is a tautology."""
    unique = sorted(set(groups), key=len)
    kept: list[frozenset[TagFilter]] = []
    for group in unique:
        if not any(other <= group for other in kept):
            kept.append(group)
    return kept


def clean_cnf(groups: Iterable[Iterable[TagFilter | Sequence[Any]]]) -> tuple[TagGroup, ...]:
    """Canonical AND of OR-groups: tags canonical, groups sorted, duplicates and absorbed
    groups dropped (same meaning, so equal searches are equal objects)."""
    sets = [frozenset(clean_tags(g)) for g in groups]
    kept = _absorbed(s for s in sets if s)
    return tuple(sorted(tuple(sorted(g)) for g in kept))


def values_from_groups(groups: Sequence[TagGroup]) -> list[str]:
    """OR-groups → canonical `tags_in` values (the inverse of `groups_from_values`): a group of
    one name is written as lone tags when it is that name's only such group, else in parentheses."""
    single_name_count: dict[str, int] = {}
    for group in groups:
        names = {t.name for t in group}
        if len(names) == 1:
            (name,) = names
            single_name_count[name] = single_name_count.get(name, 0) + 1
    values: list[str] = []
    for group in groups:
        names = {t.name for t in group}
        if len(names) == 1 and single_name_count[next(iter(names))] == 1:
            values += [t.token for t in group]
        else:
            values.append("(" + ALTERNATIVE_SEPARATOR.join(t.token for t in group) + ")")
    return values


def value_label(raw: str) -> str:
    """A `tags_in`/`tags_out` value as its chip shows it: "remote: true or category: sales"."""
    try:
        parsed = parse_included_value(raw)
    except ValueError:
        return raw
    return " or ".join(t.label for t in parsed.tags)


def describe_cnf(groups: Sequence[TagGroup]) -> str:
    """ "remote: true and (category: sales or category: marketing)" (saved-search summaries)."""
    parts = []
    for group in groups:
        text = " or ".join(t.label for t in group)
        parts.append(f"({text})" if len(group) > 1 and len(groups) > 1 else text)
    return " and ".join(parts)


# --- the old syntax -----------------------------------------------------------------------


def parse_legacy_group(raw: str) -> TagGroup:
    """Old `"remote:true+category:Data"` (an AND-group) → tags; raises ValueError.

    Old values were raw text, "true"/"false" (any case) being sent as booleans: the same JSON
    value is kept, re-encoded as a new token (quoted when the new syntax needs it).
    """
    tags = []
    for part in raw.split(LEGACY_AND_SEPARATOR):
        part = part.strip()
        if not part:
            continue
        name, sep, value = part.partition(NAME_SEPARATOR)
        if not sep or not name.strip():
            raise ValueError(f"tag {part!r} is not written name:value")
        value = value.strip()
        old: str | bool = {"true": True, "false": False}.get(value.lower(), value)
        if any(ch in name for ch in NAME_FORBIDDEN):
            raise ValueError(f"tag name {name.strip()!r} cannot be written in the new syntax")
        tags.append(TagFilter(name.strip(), encode_value(old)))
    return tuple(tags)


def dnf_to_cnf(dnf: Iterable[Iterable[TagFilter]]) -> tuple[TagGroup, ...] | None:
    """An OR of AND-groups → the equivalent AND of OR-groups (distribution, with absorption at
    every step). `()` means no condition. None when the intermediate form grows past
    MAX_INTERMEDIATE_CLAUSES (the caller reports it rather than guessing)."""
    terms = _absorbed(frozenset(t) for t in dnf)
    if not terms:
        return ()  # no old groups: no filter
    if any(not t for t in terms):
        return ()  # an empty AND-group is always true, and so is the OR
    clauses: list[frozenset[TagFilter]] = [frozenset()]
    for term in terms:
        grown = [clause | {t} for clause in clauses for t in term]
        if len(grown) > MAX_INTERMEDIATE_CLAUSES:
            return None
        clauses = _absorbed(grown)
    return clean_cnf(clauses)


@dataclass(frozen=True)
class LegacyConversion:
    """What an old-syntax link or saved search becomes. `problem` is "" when the meaning is kept
    exactly; otherwise it says why it cannot be (and nothing should run with a changed meaning)."""

    included: tuple[TagGroup, ...] = ()
    excluded: TagGroup = ()
    problem: str = ""
    items: list[tuple[str, str]] = field(default_factory=list)


TOO_MANY_GROUPS_PROBLEM = (
    "its tag filter would need {n} groups in the new syntax (at most " + str(MAX_TAG_GROUPS) + ")"
)
TOO_LARGE_PROBLEM = "its tag filter is too large to convert"
EXCLUDED_GROUP_PROBLEM = (
    "it excludes jobs having several tags together ({group}), which the new syntax cannot say"
)


def convert_legacy_items(items: Iterable[tuple[str, str]]) -> LegacyConversion | None:
    """Query items with old tag parameters → the same search in the new syntax; None when the
    items hold no old parameter. Raises ValueError for an old value that does not parse.

    New parameters already present are kept (hand-edited links): both conditions must hold, so
    the groups add up (AND), as do the exclusions.
    """
    items = list(items)
    if not any(name in LEGACY_PARAMS for name, _ in items):
        return None
    old_in = [parse_legacy_group(v) for n, v in items if n == LEGACY_INCLUDED_PARAM and v.strip()]
    old_out = [parse_legacy_group(v) for n, v in items if n == LEGACY_EXCLUDED_PARAM and v.strip()]
    rest = [(n, v) for n, v in items if n not in LEGACY_PARAMS]
    problems = []
    cnf = dnf_to_cnf(g for g in old_in if g)
    if cnf is None:
        problems.append(TOO_LARGE_PROBLEM)
        cnf = ()
    current = groups_from_values(v for n, v in rest if n == INCLUDED_PARAM)
    included = clean_cnf([*current, *cnf])
    if len(included) > MAX_TAG_GROUPS:
        problems.append(TOO_MANY_GROUPS_PROBLEM.format(n=len(included)))
    joint = [g for g in old_out if len(g) > 1]
    if joint:
        problems.append(EXCLUDED_GROUP_PROBLEM.format(group="+".join(t.token for t in joint[0])))
    current_out = excluded_from_values(v for n, v in rest if n == EXCLUDED_PARAM)
    excluded = clean_tags([*current_out, *(g[0] for g in old_out if len(g) == 1)])
    if problems:
        return LegacyConversion(problem="; ".join(problems), items=items)
    new_items = [(n, v) for n, v in rest if n not in (INCLUDED_PARAM, EXCLUDED_PARAM)]
    new_items += [(INCLUDED_PARAM, v) for v in values_from_groups(included)]
    new_items += [(EXCLUDED_PARAM, t.token) for t in excluded]
    return LegacyConversion(included=included, excluded=excluded, items=sorted(new_items, key=lambda i: i[0]))
