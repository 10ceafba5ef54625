import pytest


@pytest.fixture(autouse=True)
def _no_console_errors(request: pytest.FixtureRequest) -> object:
    """Every browser test ends with no console error and no uncaught page error."""
    if "page" not in request.fixturenames:
        yield None
        return
    errors: list[str] = request.getfixturevalue("console_errors")
    yield None
    assert errors == [], errors
