"""Tag syntax and the old-syntax conversion, checked against a brute-force truth table.

The old syntax meant an OR of AND-groups (`tags_included`), and "drop a job matching every tag
of any group" (`tags_excluded`). The new one means an AND of OR-groups (`tags_in`) and "drop a
job with any listed tag" (`tags_out`). For random old searches over a small tag universe, every
possible job (every subset of the universe) must be kept by the converted search exactly when
it was kept by the old one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import (
    MAX_TAG_GROUPS,
    TagFilter,
    convert_legacy_items,
    decode_value,
    dnf_to_cnf,
    encode_value,
    excluded_from_values,
    groups_from_values,
    parse_included_value,
    values_from_groups,
)

UNIVERSE = [
    TagFilter("remote", "true"),
    TagFilter("remote", "false"),
    TagFilter("category", "sales"),
    TagFilter("category", "marketing"),
    TagFilter("work_mode", "onsite"),
    TagFilter("code", '"a|b"'),
]
OLD_TEXT = {t: f"{t.name}:{decode_value(t.value) if t.value.startswith('"') else t.value}" for t in UNIVERSE}


def every_job() -> Iterable[frozenset[TagFilter]]:
    for n in range(len(UNIVERSE) + 1):
        for combo in itertools.combinations(UNIVERSE, n):
            yield frozenset(combo)


def old_keeps(job: frozenset[TagFilter], included: Sequence[Sequence[TagFilter]], excluded) -> bool:
    kept = not included or any(all(t in job for t in group) for group in included)
    return kept and not any(all(t in job for t in group) for group in excluded)


def new_keeps(job: frozenset[TagFilter], query: JobQuery) -> bool:
    kept = all(any(t in job for t in group) for group in query.tags_included)
    return kept and not any(t in job for t in query.tags_excluded)


groups = st.lists(st.sampled_from(UNIVERSE), min_size=1, max_size=3, unique=True)


def old_items(included, excluded) -> list[tuple[str, str]]:
    items = [("tags_included", "+".join(OLD_TEXT[t] for t in g)) for g in included]
    return items + [("tags_excluded", "+".join(OLD_TEXT[t] for t in g)) for g in excluded]


@settings(max_examples=300, deadline=None)
@given(st.lists(groups, max_size=5), st.lists(st.sampled_from(UNIVERSE), max_size=3))
def test_a_converted_old_search_keeps_exactly_the_same_jobs(included, excluded_tags) -> None:
    excluded = [[t] for t in excluded_tags]
    items = old_items(included, excluded) or [("tags_included", "")]  # an empty old parameter
    conversion = convert_legacy_items(items)
    assert conversion is not None
    if conversion.problem:
        assert "groups" in conversion.problem
        assert len(dnf_to_cnf(included) or ()) > MAX_TAG_GROUPS
        return
    query = JobQuery.from_query_items(conversion.items)
    # the URL round trip keeps it too
    assert JobQuery.from_query_string(query.to_query_string()) == query
    for job in every_job():
        assert new_keeps(job, query) == old_keeps(job, included, excluded), sorted(job)


@settings(max_examples=300, deadline=None)
@given(st.lists(groups, max_size=6))
def test_the_cnf_is_minimal_and_equivalent(included) -> None:
    cnf = dnf_to_cnf(included)
    assert cnf is not None
    for job in every_job():
        dnf_true = any(all(t in job for t in g) for g in included) if included else True
        assert all(any(t in job for t in g) for g in cnf) == dnf_true
    sets = [frozenset(g) for g in cnf]
    assert len(set(sets)) == len(sets), "no duplicate groups"
    assert not any(a < b for a in sets for b in sets), "no group absorbed by another"


def test_the_issue_example() -> None:
    conversion = convert_legacy_items(
        [("tags_included", "remote:true+category:sales"), ("tags_included", "remote:true+category:marketing")]
    )

    assert conversion is not None
    assert conversion.problem == ""
    assert conversion.included == (
        (TagFilter("category", "marketing"), TagFilter("category", "sales")),
        (TagFilter("remote", "true"),),
    )
    assert conversion.items == [
        ("tags_in", "category:marketing"), ("tags_in", "category:sales"), ("tags_in", "remote:true"),
    ]  # fmt: skip


def test_an_exclusion_of_several_tags_together_cannot_be_converted() -> None:
    conversion = convert_legacy_items([("tags_excluded", "remote:true+category:sales")])

    assert conversion is not None
    assert "several tags together" in conversion.problem
    with pytest.raises(ValueError, match="old tag syntax"):
        JobQuery.from_query_items(conversion.items)


def test_old_and_new_parameters_in_one_link_both_hold() -> None:
    conversion = convert_legacy_items([("tags_in", "work_mode:onsite"), ("tags_included", "remote:true")])

    assert conversion is not None
    assert conversion.included == ((TagFilter("remote", "true"),), (TagFilter("work_mode", "onsite"),))


def test_no_old_parameter_means_no_conversion() -> None:
    assert convert_legacy_items([("tags_in", "remote:true"), ("skills", "go")]) is None


@pytest.mark.parametrize(
    ("old_value", "token", "sent"),
    [("true", "true", True), ("TRUE", "true", True), ("False", "false", False), ("sales", "sales", "sales"),
     ('"quoted"', '"\\"quoted\\""', '"quoted"'), ("a|b", '"a|b"', "a|b"), ("(x)", '"(x)"', "(x)")],
)  # fmt: skip
def test_old_values_keep_the_json_value_they_were_sent_as(old_value: str, token: str, sent: object) -> None:
    conversion = convert_legacy_items([("tags_included", f"t:{old_value}")])

    assert conversion is not None
    assert conversion.included == ((TagFilter("t", token),),)
    assert conversion.included[0][0].to_hrflow() == {"name": "t", "value": sent}


@pytest.mark.parametrize(
    ("raw", "fixed", "tags"),
    [("remote:true", False, [("remote", "true")]),
     ("(remote:true)", True, [("remote", "true")]),
     ("remote:true|category:Sales", True, [("remote", "true"), ("category", "Sales")]),
     ('(code:"a|b"|x:y)', True, [("code", '"a|b"'), ("x", "y")]),
     ("url:http://x", False, [("url", "http://x")])],
)  # fmt: skip
def test_included_values_parse(raw: str, fixed: bool, tags: list[tuple[str, str]]) -> None:
    parsed = parse_included_value(raw)

    assert parsed.fixed is fixed
    assert [tuple(t) for t in parsed.tags] == tags


@pytest.mark.parametrize("raw", ["remote", ":x", "(a:x|b)", 'a:"open', "()", "|"])
def test_malformed_values_are_refused(raw: str) -> None:
    with pytest.raises(ValueError, match="not"):
        groups_from_values([raw])


words = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
values = st.one_of(st.booleans(), words)


@settings(max_examples=300, deadline=None)
@given(values)
def test_value_tokens_round_trip(value: str | bool) -> None:
    assert decode_value(encode_value(value)) == value


names = words.map(str.strip).filter(lambda w: w and not any(ch in w for ch in '|()":'))
tag_lists = st.lists(
    st.builds(lambda n, v: TagFilter(n, encode_value(v)), names, values), min_size=1, max_size=3
)


@settings(max_examples=300, deadline=None)
@given(st.lists(tag_lists, max_size=4))
def test_url_values_round_trip_any_and_of_or_groups(raw_groups) -> None:
    cnf = groups_from_values(values_from_groups(JobQuery(tags_included=raw_groups).tags_included))

    assert cnf == JobQuery(tags_included=raw_groups).tags_included
    query = JobQuery(tags_included=raw_groups, tags_excluded=[t for g in raw_groups for t in g])
    assert (
        excluded_from_values([v for n, v in query.to_query_items() if n == "tags_out"]) == query.tags_excluded
    )
    assert JobQuery.from_query_string(urlencode(query.to_query_items())) == query
