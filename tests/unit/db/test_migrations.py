"""The alembic revisions build exactly the schema the models describe."""

from alembic import autogenerate
from alembic import migration as alembic_migration
import sqlalchemy as sa

from nova.db import migration
from nova.db import models
from nova.db import session


def test_models_and_migrations_agree():
    engine = session.create_engine('sqlite://')
    migration.db_sync(engine)
    with engine.connect() as conn:
        context = alembic_migration.MigrationContext.configure(
            conn, opts={'compare_type': True})
        diff = autogenerate.compare_metadata(context, models.Base.metadata)
    assert diff == []


def test_sync_is_idempotent_and_reports_head():
    engine = session.create_engine('sqlite://')
    migration.db_sync(engine)
    migration.db_sync(engine)
    assert migration.db_version(engine) is not None
    assert 'services' in sa.inspect(engine).get_table_names()
