"""pytest plugin for `make mutation` (mutmut 3, `-p tests.mutation_selection`).

Under mutmut (`MUTANT_UNDER_TEST` is set in every phase of its run) it leaves out the tests
that cannot help there: those on a live sandbox, a live server or a browser (the sandbox's
gunicorn would start per mutant, about 20 s, and mutmut cannot see which sandbox functions it
calls), the `slow` and `browser` marks, and the hypothesis "never a 500" fuzzers in `SLOW_FUZZ`
(robustness, not semantics; 5-16 s each per mutant).

mutmut runs, for each mutant, every test of the selection that called the mutated function
in its stats run. The query, results and tags functions are called by nearly every view test,
so a surviving mutant there would run the whole selection. This plugin keeps, while a mutant
is under test (`MUTANT_UNDER_TEST=<module>.<function>__mutmut_<n>`), only the test files
`RELEVANT` lists for the mutant's module, in that order (its own unit tests first, so `-x`
stops early on a kill). When none of those files called the function, mutmut's choice stands:
a mutant is never left without the tests that reach it. The stats run, the clean run and the
forced-fail run (`stats`, ``, `fail`) are only narrowed to in-process tests. A module missing
here keeps mutmut's own choice.
"""

import os

import pytest

_CLIENT = [
    "tests/scoring/hrflow/test_client.py",
    "tests/scoring/hrflow/test_get_job.py",
    "tests/scoring/hrflow/test_list_profiles.py",
    "tests/scoring/hrflow/test_faults.py",
    "tests/scoring/hrflow/test_breaker.py",
    "tests/scoring/hrflow/test_ratelimit.py",
    "tests/scoring/hrflow/test_resilience.py",
    "tests/scoring/hrflow/test_index_job.py",
    "tests/scoring/test_selectors.py",
]
_QUERY = [
    "tests/scoring/hrflow/test_query.py",
    "tests/scoring/hrflow/test_tags.py",
    "tests/scoring/hrflow/test_client.py",
    "tests/scoring/test_forms.py",
    "tests/scoring/test_salary_filter.py",
    "tests/scoring/test_keywords_and_export_status.py",
    "tests/scoring/test_tag_links.py",
]
_RESULTS = [
    "tests/scoring/hrflow/test_results.py",
    "tests/scoring/test_job_text.py",
    "tests/scoring/test_recorded_contract.py",
    "tests/scoring/hrflow/test_faults.py",
    "tests/scoring/test_keywords_and_export_status.py",
    "tests/scoring/test_salary_filter.py",
    "tests/scoring/test_lone_surrogate.py",
]
_TAGS = [
    "tests/scoring/hrflow/test_tags.py",
    "tests/scoring/hrflow/test_query.py",
    "tests/scoring/test_tag_links.py",
    "tests/scoring/test_forms.py",
]
_SANDBOX = [
    "tests/sandbox/test_params_contract.py",
    "tests/sandbox/test_filters_contract.py",
    "tests/sandbox/test_params.py",
    "tests/sandbox/test_engine.py",
    "tests/sandbox/test_engine_extend.py",
]
_SERVICES = [
    "tests/saved_searches/test_claim.py",
    "tests/saved_searches/test_mutation_survivors.py",
    "tests/saved_searches/test_diff.py",
    "tests/saved_searches/test_refresh.py",
    "tests/saved_searches/test_refresh_breaker.py",
    "tests/saved_searches/test_refresh_call_kind.py",
    "tests/saved_searches/test_refresh_now_busy_and_retry.py",
]
_SAVED_PAGES = [
    "tests/saved_searches/test_views.py",
    "tests/saved_searches/test_mutation_survivors.py",
    "tests/saved_searches/test_refresh.py",
    "tests/scoring/test_views_saved.py",
    "tests/saved_searches/test_refresh_now_busy_and_retry.py",
]
_CARDS = [
    "tests/scoring/test_job_text.py",
    "tests/scoring/test_views.py",
    "tests/scoring/test_recorded_contract.py",
    "tests/scoring/test_lone_surrogate.py",
    "tests/scoring/test_tag_links.py",
    "tests/scoring/test_views_saved.py",
]

RELEVANT: dict[str, list[str]] = {
    "scoring.hrflow.client": _CLIENT,
    "scoring.hrflow.query": _QUERY,
    "scoring.hrflow.results": _RESULTS,
    "scoring.hrflow.tags": _TAGS,
    "sandbox.params": _SANDBOX,
    "sandbox.engine.filters": _SANDBOX,
    "saved_searches.services.claim": _SERVICES,
    "saved_searches.services.refresh": _SERVICES,
    "saved_searches.services.diff": _SERVICES,
    "saved_searches.selectors": _SAVED_PAGES,
    "saved_searches.views": _SAVED_PAGES,
    "scoring.templatetags.job_cards": _CARDS,
}


# Fixtures that mean "a server in another process".
OUT_OF_PROCESS = {"live_sandbox", "live_server", "page", "api", "server", "sandbox", "private_sandbox"}
SLOW_FUZZ = {
    "tests/scoring/test_views.py::test_any_query_string_gives_200_or_400_never_500",
    "tests/saved_searches/test_fuzz_views.py::test_create_never_fails_with_a_500",
    "tests/saved_searches/test_fuzz_views.py::test_row_writes_never_fail_with_a_500",
}


def _in_process(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    if fixtures & OUT_OF_PROCESS or any("sandbox" in f and f != "sandbox_today" for f in fixtures):
        return False
    if item.get_closest_marker("browser") or item.get_closest_marker("slow"):
        return False
    return item.nodeid.removeprefix("mutants/") not in SLOW_FUZZ


def _module_under_test() -> str | None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if "__mutmut_" not in mutant:
        return None
    module = mutant.rpartition(".")[0]
    return module if module in RELEVANT else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if "MUTANT_UNDER_TEST" not in os.environ:
        return
    out = [item for item in items if not _in_process(item)]
    if out:
        config.hook.pytest_deselected(items=out)
        items[:] = [item for item in items if _in_process(item)]
    module = _module_under_test()
    if module is None:
        return
    rank = {path: i for i, path in enumerate(RELEVANT[module])}

    def file_of(item: pytest.Item) -> str:
        return item.nodeid.split("::", 1)[0].removeprefix("mutants/")

    kept = [item for item in items if file_of(item) in rank]
    if not kept:
        return
    dropped = [item for item in items if file_of(item) not in rank]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
    kept.sort(key=lambda item: rank[file_of(item)])  # stable: the file's own order is kept
    items[:] = kept
