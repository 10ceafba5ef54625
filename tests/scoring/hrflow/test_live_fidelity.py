"""Issue 7 end to end against the live sandbox: the dashboard's tag semantics (AND of OR-groups,
exclusion of any listed tag), salaries in EUR, and the setup error for a missing algorithm.

These need the sandbox of issue 7 (tags_included read as AND of OR-groups, algorithm_key
required, a demo board with salaries in `eur`); against an older sandbox they fail, which is the
point: the dashboard is written to HrFlow's contract, not to the old sandbox.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pytest

from scoring.hrflow.client import HrFlowClient
from scoring.hrflow.errors import SETUP_MESSAGE, HrFlowSetupError
from scoring.hrflow.query import JobQuery
from scoring.hrflow.tags import TagFilter
from tests.scoring.hrflow.test_live_sandbox import baseline, hrflow  # noqa: F401

pytestmark = pytest.mark.slow


def tag_values(job: Mapping[str, Any], name: str) -> set[str]:
    """A job's values for a tag, JSON booleans and "true"/"false" strings read alike."""
    out = set()
    for t in job.get("tags") or []:
        if t.get("name") == name:
            value = t.get("value")
            out.add(str(value).lower() if isinstance(value, bool) else str(value))
    return out


def test_an_and_of_or_groups_keeps_only_remote_jobs_of_either_category(
    hrflow: HrFlowClient,  # noqa: F811
    baseline: JobQuery,  # noqa: F811
) -> None:
    remote = hrflow.score_jobs(replace(baseline, tags_included=((TagFilter("remote", "true"),),)))
    categories = sorted({c for j in remote.jobs for c in tag_values(j, "category")})
    assert len(categories) >= 2, "the demo's remote jobs span several categories"
    two = categories[:2]
    wanted = ((TagFilter("remote", "true"),), tuple(TagFilter("category", c) for c in two))

    both = hrflow.score_jobs(replace(baseline, tags_included=wanted))

    assert 0 < both.total <= remote.total
    for job in both.jobs:
        assert "true" in tag_values(job, "remote"), job["key"]
        assert tag_values(job, "category") & set(two), job["key"]


def test_tags_excluded_drops_a_job_with_any_listed_tag(
    hrflow: HrFlowClient,  # noqa: F811
    baseline: JobQuery,  # noqa: F811
) -> None:
    jobs = hrflow.score_jobs(baseline).jobs
    categories = sorted({c for j in jobs for c in tag_values(j, "category")})[:2]
    excluded = tuple(TagFilter("category", c) for c in categories)

    after = hrflow.score_jobs(replace(baseline, tags_excluded=excluded))

    assert after.total > 0
    assert not any(tag_values(j, "category") & set(categories) for j in after.jobs)


def test_a_salary_filter_in_eur_finds_euro_salaries(hrflow: HrFlowClient, baseline: JobQuery) -> None:  # noqa: F811
    query = replace(baseline, salary_min=1.0, salary_range_unit="eur")

    payload = hrflow.score_jobs(query)

    assert payload.total > 0
    for job in payload.jobs:
        units = {
            str(r.get("unit")).lower() for r in job.get("ranges_float") or [] if r.get("name") == "salary"
        }
        assert units == {"eur"}, job["key"]


def test_the_sandbox_400_for_a_missing_algorithm_key_is_the_setup_message(
    hrflow: HrFlowClient,  # noqa: F811
    baseline: JobQuery,  # noqa: F811
) -> None:
    params = replace(baseline, algorithm_key="").to_hrflow_params()  # bypasses the client's own check

    with pytest.raises(HrFlowSetupError) as caught:
        hrflow._request("GET", "jobs/scoring", params=params)

    assert caught.value.status == 400
    assert caught.value.user_message == SETUP_MESSAGE


def test_the_search_page_narrows_with_tags_and_shows_yes(
    hrflow: HrFlowClient,  # noqa: F811
    baseline: JobQuery,  # noqa: F811
    user_client: Any,
) -> None:
    base = f"/?source_key={baseline.source_key}&profile_key={baseline.profile_key}"
    page = user_client.get(base + "&tags_in=remote:true").content.decode()

    cards = re.findall(r'<li class="job-card".*?</li>\n</ul>|<li class="job-card".*?</article>', page, re.S)
    assert cards
    assert all('<span class="tag-name">remote:</span> yes</li>' in card for card in cards)
    assert "remote:</span> no" not in page
    assert "remote:</span> true" not in page
