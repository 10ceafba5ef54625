import os
from collections.abc import Iterator

import pytest
from hypothesis import settings as hypothesis_settings

pytest_plugins = ["tests.fixtures.sandbox", "tests.fixtures.browser"]

# Hypothesis: random examples locally (new inputs every run find new bugs), the same examples on
# every CI run (a red CI is reproducible, never a coin toss). `print_blob` prints the failing
# example's reproduction blob (@reproduce_failure) either way. Per-test @settings still set
# max_examples and deadline; they inherit this profile for the rest.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
hypothesis_settings.register_profile("dev", print_blob=True)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") == "true" else "dev")


@pytest.fixture(autouse=True)
def _no_vocabulary_left_from_another_test() -> Iterator[None]:
    """The skills seen in results wait in a per-process buffer for the next response's flush
    (scoring/vocabulary.py): a test's leftovers would be written by whichever test answers a
    request next — one without database access fails on it."""
    from scoring import vocabulary

    with vocabulary._lock:
        vocabulary._pending.clear()
        vocabulary._noted.clear()
    yield
    with vocabulary._lock:
        vocabulary._pending.clear()
        vocabulary._noted.clear()


@pytest.fixture(autouse=True)
def _fresh_log_context() -> Iterator[None]:
    """Each test starts with an empty log context (ops/context.py): a test that calls a service
    outside a request or a task binds fields (saved_search_id, …) to the test thread's context,
    which every later test would otherwise inherit."""
    from ops import context

    token = context.start()
    yield
    context.end(token)
