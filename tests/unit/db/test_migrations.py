"""The alembic revisions build exactly the schema the models describe,
and move the data they change."""

import json

from alembic import autogenerate
from alembic import migration as alembic_migration
import pytest
import sqlalchemy as sa

from nova.db import migration
from nova.db import models
from nova.db import session
from nova.network import model


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


def test_0005_turns_old_network_info_into_vifs():
    engine = session.create_engine('sqlite://')
    migration.db_sync(engine, '0004')
    old = [{'network': 'private', 'address': '10.0.0.5', 'version': 4,
            'mac_address': 'fa:16:3e:00:00:05', 'type': 'fixed'},
           {'network': 'public', 'address': '2001:db8::5', 'version': 6,
            'mac_address': 'fa:16:3e:00:00:06', 'type': 'fixed'}]
    rows = {'old': json.dumps(old), 'none': json.dumps([]),
            'null': None}
    with engine.begin() as conn:
        for name, network_info in rows.items():
            conn.execute(sa.text(
                "INSERT INTO instances (uuid, display_name, network_info, "
                "user_id, project_id, power_state, locked, "
                "auto_disk_config, deleted) "
                "VALUES (:uuid, :name, :ni, 'u', 'p', 0, 0, 0, 0)"),
                {'uuid': name, 'name': name, 'ni': network_info})
    migration.db_sync(engine)
    with engine.connect() as conn:
        got = {uuid: value for uuid, value in conn.execute(sa.text(
            'SELECT uuid, network_info FROM instances'))}
    assert got['none'] == '[]' and got['null'] is None
    vifs = json.loads(got['old'])
    assert [v['address'] for v in vifs] == ['fa:16:3e:00:00:05',
                                             'fa:16:3e:00:00:06']
    assert [(label, ip['address'], ip['version'], ip['type'], mac)
            for label, ip, mac in model.ips(vifs)] == [
        ('private', '10.0.0.5', 4, 'fixed', 'fa:16:3e:00:00:05'),
        ('public', '2001:db8::5', 6, 'fixed', 'fa:16:3e:00:00:06')]
    assert all(v['type'] == 'bridge' and len(v['devname']) == 14
               for v in vifs)
    # 0006 writes what the views show of them beside: the old entries.
    with engine.connect() as conn:
        addresses = {uuid: value for uuid, value in conn.execute(sa.text(
            'SELECT uuid, addresses FROM instances'))}
    assert json.loads(addresses['old']) == old
    assert addresses['none'] == '[]' and addresses['null'] is None
    # A second run leaves VIFs as they are.
    migration.db_sync(engine)


def test_0007_keeps_project_limits_as_the_projects_own():
    engine = session.create_engine('sqlite://')
    migration.db_sync(engine, '0006')
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO quotas (project_id, resource, hard_limit) "
            "VALUES ('p', 'instances', 3)"))
    migration.db_sync(engine)
    with engine.begin() as conn:
        assert conn.execute(sa.text(
            'SELECT project_id, user_id, resource, hard_limit '
            'FROM quotas')).all() == [('p', '', 'instances', 3)]
        # One row per (project, user, resource): a user's beside it.
        conn.execute(sa.text(
            "INSERT INTO quotas (project_id, user_id, resource, hard_limit) "
            "VALUES ('p', 'u', 'instances', 2)"))
    with pytest.raises(sa.exc.IntegrityError):
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO quotas (project_id, user_id, resource, "
                "hard_limit) VALUES ('p', '', 'instances', 5)"))
