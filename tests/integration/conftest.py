from typing import Any

import pytest

from tests.integration.testdb import use_file_sqlite_test_db

# The worker subprocess must see the test database: a file for SQLite (see testdb.py).
use_file_sqlite_test_db()


@pytest.fixture
def user(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("it-alice", password="pw-it-alice-123")
