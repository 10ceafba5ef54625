import os

import pytest

from tests.integration.testdb import use_file_sqlite_test_db

# The saved-search browser test runs the refresh task in a thread of the test process while the
# live_server thread answers the page's polls: a file database (WAL) lets both work at once,
# where shared-cache in-memory SQLite fails readers with "database table is locked".
use_file_sqlite_test_db()


@pytest.fixture(autouse=True)
def _no_console_errors(request: pytest.FixtureRequest) -> object:
    """Every browser test ends with no console error and no uncaught page error."""
    if "page" not in request.fixturenames:
        yield None
        return
    errors: list[str] = request.getfixturevalue("console_errors")
    if delay := os.environ.get("HTMX_SETTLE_DELAY_MS"):
        # Shakes out races with htmx's settle (see wait_for_htmx_settled): a test that acts on
        # swapped-in HTML before htmx wired it fails with e.g. HTMX_SETTLE_DELAY_MS=1000.
        request.getfixturevalue("page").add_init_script(
            "document.addEventListener('DOMContentLoaded', () => {"
            f" if (window.htmx) htmx.config.defaultSettleDelay = {int(delay)}; }});"
        )
    yield None
    if delay:  # the knob's own script cannot run in a sandboxed frame (the alert e-mail preview)
        errors[:] = [e for e in errors if "frame is sandboxed and the 'allow-scripts'" not in e]
    assert errors == [], errors
