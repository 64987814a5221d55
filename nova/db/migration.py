"""Schema migrations with alembic (``nova-manage db sync``)."""

import os

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration

_INI = os.path.join(os.path.dirname(__file__), 'migrations', 'alembic.ini')


def _config(connection):
    config = alembic_config.Config(_INI)
    config.set_main_option('script_location',
                           os.path.dirname(_INI))
    config.attributes['connection'] = connection
    return config


def db_sync(engine, revision='head'):
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def db_version(engine):
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()
