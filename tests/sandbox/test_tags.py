"""Tag filters as HrFlow's own job board uses them (tests/fixtures/hrflow_recorded/README.md):
`tags_included` = AND over the outer list of OR-groups, an empty group is no constraint;
`tags_excluded` = drop a job with ANY listed tag, whatever the nesting; values compare by JSON
type (boolean true = stored true or "true"; true is not 1). Over HTTP, on jobs indexed into a
board of this module's own, so the expected sets are exact."""

from typing import Any

import pytest

from tests.sandbox.conftest import Api, board_jobs, index_into

# reference -> tags. Values are sent with the types real clients send (booleans and strings).
JOBS: dict[str, list[tuple[str, Any]]] = {
    "remote-sales": [("remote", True), ("category", "sales")],
    "remote-marketing-str": [("remote", "true"), ("category", "Marketing")],
    "onsite-sales": [("remote", False), ("category", "sales")],
    "remote-eng": [("remote", True), ("category", "engineering")],
    "remote-one": [("remote", 1), ("category", "sales")],
    "untagged": [],
    "level-1": [("level", "1"), ("category", "legal")],
    "level-1.0": [("level", 1.0), ("category", "legal")],
}


@pytest.fixture(scope="module")
def refs_of(api: Api, own_board: str) -> Any:
    for reference, tags in JOBS.items():
        index_into(
            api,
            own_board,
            {
                "reference": reference,
                "name": f"Tagged {reference}",
                "tags": [{"name": n, "value": v} for n, v in tags],
            },
        )

    def refs(**params: Any) -> set[str]:
        return {j["reference"] for j in board_jobs(api, own_board, **params)}

    assert refs() == set(JOBS)
    return refs


def tag(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value}


def test_done_when_remote_and_sales_or_marketing(refs_of: Any) -> None:
    groups = [[tag("remote", True)], [tag("category", "sales"), tag("category", "marketing")]]
    assert refs_of(tags_included=groups) == {"remote-sales", "remote-marketing-str"}


def test_inner_list_is_or_outer_list_is_and(refs_of: Any) -> None:
    assert refs_of(tags_included=[[tag("category", "sales"), tag("category", "engineering")]]) == {
        "remote-sales",
        "onsite-sales",
        "remote-eng",
        "remote-one",
    }
    assert refs_of(tags_included=[[tag("category", "sales")], [tag("remote", False)]]) == {"onsite-sales"}


@pytest.mark.parametrize("empty", [[[], []], [[]], []], ids=repr)
def test_empty_groups_are_no_constraint(refs_of: Any, empty: list[Any]) -> None:
    """The open job board's initial query, `[[], []]`, keeps every job."""
    assert refs_of(tags_included=empty) == set(JOBS)
    groups = [[], [tag("remote", False)], []]
    assert refs_of(tags_included=groups) == {"onsite-sales"}


def test_values_compare_by_json_type(refs_of: Any) -> None:
    # Boolean true: the stored boolean and the stored string, never the number 1.
    assert refs_of(tags_included=[[tag("remote", True)]]) == {
        "remote-sales",
        "remote-marketing-str",
        "remote-eng",
    }
    # The string "TRUE" means the same as the boolean.
    assert refs_of(tags_included=[[tag("remote", "TRUE")]]) == {
        "remote-sales",
        "remote-marketing-str",
        "remote-eng",
    }
    # The number 1 is 1 (not true); "1" and 1.0 are the number 1.
    assert refs_of(tags_included=[[tag("remote", 1)]]) == {"remote-one"}
    assert refs_of(tags_included=[[tag("level", 1)]]) == {"level-1", "level-1.0"}
    assert refs_of(tags_included=[[tag("level", "1.0")]]) == {"level-1", "level-1.0"}
    # Strings ignore case; null is "the tag with any value".
    assert refs_of(tags_included=[[tag("category", "MARKETING")]]) == {"remote-marketing-str"}
    assert refs_of(tags_included=[[tag("level", None)]]) == {"level-1", "level-1.0"}


@pytest.mark.parametrize(
    "excluded",
    [
        [[tag("remote", True)], [tag("category", "legal")]],
        [[tag("remote", True), tag("category", "legal")]],
        [tag("remote", True), tag("category", "legal")],
    ],
    ids=["outer", "inner", "flat"],
)
def test_tags_excluded_drops_any_listed_tag_whatever_the_nesting(refs_of: Any, excluded: list[Any]) -> None:
    assert refs_of(tags_excluded=excluded) == {"onsite-sales", "remote-one", "untagged"}


def test_included_and_excluded_combine(refs_of: Any) -> None:
    assert refs_of(
        tags_included=[[tag("category", "sales"), tag("category", "marketing")]],
        tags_excluded=[[tag("remote", False)]],
    ) == {"remote-sales", "remote-marketing-str", "remote-one"}
