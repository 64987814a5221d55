"""Migration records of instances moving between hosts."""

import uuid as uuid_lib

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception


def migration_create(values):
    with db_session.writer() as session:
        row = models.Migration(uuid=str(uuid_lib.uuid4()), deleted=0,
                               hidden=False, **values)
        session.add(row)
        session.flush()
        return utils.to_dict(row)


def _get_row(session, migration_uuid):
    row = session.scalars(sa.select(models.Migration).where(
        models.Migration.uuid == migration_uuid)).first()
    if row is None:
        raise exception.MigrationNotFound(migration_id=migration_uuid)
    return row


def migration_update(migration_uuid, values):
    with db_session.writer() as session:
        row = _get_row(session, migration_uuid)
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utils.utcnow()
        session.flush()
        return utils.to_dict(row)


def migration_get(migration_uuid):
    with db_session.reader() as session:
        return utils.to_dict(_get_row(session, migration_uuid))


def migration_get_by_instance_and_status(instance_uuid, status):
    """The newest migration of the instance in status."""
    with db_session.reader() as session:
        row = session.scalars(
            sa.select(models.Migration)
            .where(models.Migration.instance_uuid == instance_uuid,
                   models.Migration.status == status)
            .order_by(models.Migration.id.desc())).first()
        if row is None:
            raise exception.MigrationNotFound(migration_id='of %s in status %s'
                                    % (instance_uuid, status))
        return utils.to_dict(row)


def migrations_get_all(instance_uuid=None, status=None, host=None,
                       migration_type=None, limit=None):
    query = sa.select(models.Migration).order_by(
        models.Migration.created_at.desc(), models.Migration.id.desc())
    if instance_uuid:
        query = query.where(models.Migration.instance_uuid == instance_uuid)
    if status:
        query = query.where(models.Migration.status == status)
    if host:
        query = query.where(sa.or_(models.Migration.source_compute == host,
                                   models.Migration.dest_compute == host))
    if migration_type:
        query = query.where(models.Migration.migration_type ==
                            migration_type)
    if limit:
        query = query.limit(limit)
    with db_session.reader() as session:
        return [utils.to_dict(r) for r in session.scalars(query)]


def allocations_move(from_consumer, to_consumer, node_id):
    """Hand the allocation on node_id from one consumer to another (the
    source host's resources are held by the migration during a move)."""
    with db_session.writer() as session:
        return session.execute(
            sa.update(models.Allocation)
            .where(models.Allocation.consumer_uuid == from_consumer,
                   models.Allocation.compute_node_id == node_id)
            .values(consumer_uuid=to_consumer)).rowcount
