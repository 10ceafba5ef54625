"""Stored query strings move to the new tag syntax with the same meaning (issue 7).

The old `tags_included` was an OR of AND-groups; the new `tags_in` is an AND of OR-groups. Each
stored search is converted by the same function the search page uses for old links
(`scoring.hrflow.tags.convert_legacy_items`). A search whose converted form would exceed 16
OR-groups, or that excluded several tags together, keeps its old string and is marked
"needs review": it is not refreshed until its owner saves the filters again. Seen jobs and the
"New" baseline are left as they are: the meaning did not change.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from django.db import migrations

from scoring.hrflow.tags import (
    EXCLUDED_PARAM,
    INCLUDED_PARAM,
    LEGACY_EXCLUDED_PARAM,
    LEGACY_INCLUDED_PARAM,
    convert_legacy_items,
    decode_value,
    dnf_to_cnf,
    excluded_from_values,
    groups_from_values,
)

UNREADABLE = "its tag filter cannot be read"


def _params(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    params: dict[str, list[str]] = {}
    for name, value in items:
        params.setdefault(name, []).append(value)
    return params


def forwards(apps: Any, schema_editor: Any) -> None:
    SavedSearch = apps.get_model("saved_searches", "SavedSearch")
    candidates = SavedSearch.objects.filter(query_string__contains="tags_").only("pk", "query_string")
    for search in candidates.iterator():
        items = parse_qsl(search.query_string, keep_blank_values=False)
        try:
            conversion = convert_legacy_items(items)
        except ValueError:
            SavedSearch.objects.filter(pk=search.pk).update(needs_review=True, review_reason=UNREADABLE)
            continue
        if conversion is None:
            continue
        if conversion.problem:
            SavedSearch.objects.filter(pk=search.pk).update(
                needs_review=True, review_reason=conversion.problem[:300]
            )
            continue
        # update(): no auto_now, no signals; seen jobs and the baseline stay untouched.
        SavedSearch.objects.filter(pk=search.pk).update(
            query_string=urlencode(conversion.items), params=_params(conversion.items)
        )


def _old_token(token: str) -> str:
    value = decode_value(token)
    return ("true" if value else "false") if isinstance(value, bool) else value


def backwards(apps: Any, schema_editor: Any) -> None:
    """The new syntax back to the old one: an AND of OR-groups distributes into an OR of
    AND-groups by the same function (distribution is its own dual)."""
    SavedSearch = apps.get_model("saved_searches", "SavedSearch")
    for search in SavedSearch.objects.filter(query_string__contains="tags_").iterator():
        items = parse_qsl(search.query_string, keep_blank_values=False)
        new_in = [v for n, v in items if n == INCLUDED_PARAM]
        new_out = [v for n, v in items if n == EXCLUDED_PARAM]
        if not (new_in or new_out):
            continue
        dnf = dnf_to_cnf(groups_from_values(new_in)) or ()
        rest = [(n, v) for n, v in items if n not in (INCLUDED_PARAM, EXCLUDED_PARAM)]
        rest += [
            (LEGACY_INCLUDED_PARAM, "+".join(f"{t.name}:{_old_token(t.value)}" for t in group))
            for group in dnf
        ]
        rest += [
            (LEGACY_EXCLUDED_PARAM, f"{t.name}:{_old_token(t.value)}") for t in excluded_from_values(new_out)
        ]
        rest.sort(key=lambda item: item[0])
        SavedSearch.objects.filter(pk=search.pk).update(query_string=urlencode(rest), params=_params(rest))


class Migration(migrations.Migration):
    dependencies = [("saved_searches", "0002_savedsearch_needs_review")]

    operations = [migrations.RunPython(forwards, backwards)]
