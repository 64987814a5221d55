"""Migration records of instances moving between hosts."""

import uuid as uuid_lib

import sqlalchemy as sa

from nova.db import compute_nodes as db_compute_nodes
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
    condition = sa.and_(models.Allocation.consumer_uuid == from_consumer,
                        models.Allocation.compute_node_id == node_id)
    with db_session.writer() as session:
        db_compute_nodes.bump_generations_in(session, condition)
        return session.execute(
            sa.update(models.Allocation).where(condition)
            .values(consumer_uuid=to_consumer)).rowcount


_MIGRATIONS = models.Migration.__table__
_ALLOCATIONS = models.Allocation.__table__
_NODES = models.ComputeNode.__table__
# Statuses of a move still under way (cold, live, evacuation): its claims
# are held and a step is expected next.
IN_PROGRESS = ('pre-migrating', 'migrating', 'post-migrating', 'confirming',
               'reverting', 'accepted', 'queued', 'preparing', 'running')
# What a move keeps in the instance's system_metadata until it ends.
MOVE_KEYS = ('old_flavor', 'new_flavor', 'old_vm_state',
             'old_availability_zone', 'new_availability_zone')


def restore_source_in(conn, instance_uuid, migration_uuid):
    """Undo a move in the caller's transaction: the instance keeps only
    the allocation it had on the source (handed back by the migration),
    the migration is in error.  Returns the migration (a dict)."""
    migration = conn.execute(sa.select(_MIGRATIONS).where(
        _MIGRATIONS.c.uuid == migration_uuid)).mappings().first()
    if migration is None:
        raise exception.MigrationNotFound(migration_id=migration_uuid)
    source = conn.execute(sa.select(_NODES.c.id).where(
        _NODES.c.host == migration['source_compute'],
        _NODES.c.hypervisor_hostname == migration['source_node'],
        _NODES.c.deleted == 0)).scalar()
    consumer = _ALLOCATIONS.c.consumer_uuid
    node = _ALLOCATIONS.c.compute_node_id
    held = source is not None and conn.execute(
        sa.select(_ALLOCATIONS.c.id).where(
            consumer == migration_uuid, node == source)).first()
    # The destination's claim goes; the source's comes back.  When the
    # migration holds the source's, every claim of the instance is the
    # destination's: on the source node too for a resize to the same
    # host.
    db_compute_nodes.bump_generations_in(conn, sa.or_(
        consumer == instance_uuid, consumer == migration_uuid))
    conn.execute(sa.delete(_ALLOCATIONS).where(
        consumer == instance_uuid,
        sa.true() if held or source is None else node != source))
    conn.execute(sa.update(_ALLOCATIONS).where(
        consumer == migration_uuid, node == source).values(
        consumer_uuid=instance_uuid))
    conn.execute(sa.delete(_ALLOCATIONS).where(consumer == migration_uuid))
    conn.execute(sa.update(_MIGRATIONS).where(
        _MIGRATIONS.c.uuid == migration_uuid).values(
        status='error', updated_at=utils.utcnow()))
    return dict(migration)


def source_values(instance, migration):
    """What puts an instance (its columns) back as it was on the source
    before migration: host, node, flavor, zone, and no move keys left."""
    system_metadata = dict(instance.get('system_metadata') or {})
    moved = {key: system_metadata.pop(key, None) for key in MOVE_KEYS}
    values = {'system_metadata': system_metadata}
    if instance.get('host') != migration['source_compute']:
        values.update(host=migration['source_compute'],
                      node=migration['source_node'])
        if moved['old_availability_zone']:
            values['availability_zone'] = moved['old_availability_zone']
    # The new flavor went with the guest (on another host, or on the same
    # one for a resize there): the old one comes back.
    old_flavor = moved['old_flavor']
    if old_flavor and (instance.get('flavor') or {}).get('flavorid') != \
            old_flavor.get('flavorid'):
        values['flavor'] = old_flavor
        values.update({key: old_flavor[key] for key in (
            'vcpus', 'memory_mb', 'root_gb', 'ephemeral_gb')})
    return values


def release_moves_in(conn, instance_uuid):
    """The instance is being deleted: its moves' claims are freed on both
    hosts and a move still under way ends in error (its next step will
    find the instance gone)."""
    uuids = sa.select(_MIGRATIONS.c.uuid).where(
        _MIGRATIONS.c.instance_uuid == instance_uuid)
    held = sa.or_(_ALLOCATIONS.c.consumer_uuid == instance_uuid,
                  _ALLOCATIONS.c.consumer_uuid.in_(uuids))
    db_compute_nodes.bump_generations_in(conn, held)
    conn.execute(sa.delete(_ALLOCATIONS).where(held))
    return conn.execute(sa.update(_MIGRATIONS).where(
        _MIGRATIONS.c.instance_uuid == instance_uuid,
        _MIGRATIONS.c.status.in_(IN_PROGRESS)).values(
        status='error', updated_at=utils.utcnow())).rowcount
