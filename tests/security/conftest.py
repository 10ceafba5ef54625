from tests.integration.testdb import use_file_sqlite_test_db

# The browser test's live_server thread and the test share the database: a file (as in
# tests/browser/conftest.py).
use_file_sqlite_test_db()
