from tests.unit.db.conftest import database  # noqa: F401  (a fresh database)
