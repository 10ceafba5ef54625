from tests.integration.testdb import use_file_sqlite_test_db

# The matrix reads upstream from worker threads, and each takes limiter tokens in the database
# (DatabaseStore): a file database (WAL) lets those threads write while the test's own thread
# holds its connection, where shared-cache in-memory SQLite fails them with "table is locked".
use_file_sqlite_test_db()
