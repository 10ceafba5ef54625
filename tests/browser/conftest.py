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
    yield None
    assert errors == [], errors
