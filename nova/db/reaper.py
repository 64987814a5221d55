"""What the conductor's reaper reads, and how an operation is ended.

``abort`` is the one way an operation whose owner died is ended, by the
reaper or by a restarted compute: in one transaction the instance is
checked to be where the caller saw it (task_state and, for the reaper,
updated_at: a compare-and-swap, so two conductors, or a conductor and a
compute, never both act), the move is undone (the source's allocation
only, the migration in ``error``), the fault written and the action's
open events finished with Error.
"""

import sqlalchemy as sa

from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import models
from nova.db import moves as db_moves
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_INSTANCES = models.Instance.__table__
_ACTIONS = models.InstanceAction.__table__
_EVENTS = models.InstanceActionEvent.__table__
_FAULTS = models.InstanceFault.__table__
_MIGRATIONS = models.Migration.__table__
_ALLOCATIONS = models.Allocation.__table__

_INSTANCE_COLUMNS = ('uuid', 'host', 'node', 'vm_state', 'task_state',
                     'updated_at')


def _latest_action(conn, uuid):
    """(id, request_id, number of events) of the instance's newest action,
    or None."""
    row = conn.execute(
        sa.select(_ACTIONS.c.id, _ACTIONS.c.request_id)
        .where(_ACTIONS.c.instance_uuid == uuid)
        .order_by(_ACTIONS.c.id.desc()).limit(1)).first()
    if row is None:
        return None
    events = conn.execute(sa.select(sa.func.count()).select_from(_EVENTS)
                          .where(_EVENTS.c.action_id == row.id)).scalar()
    return row.id, row.request_id, events


# When an instance last changed: a new one has no updated_at yet.
_CHANGED = sa.func.coalesce(_INSTANCES.c.updated_at, _INSTANCES.c.created_at)


def _changed(instance):
    return instance['updated_at'] or instance['created_at']


def stuck_instances(task_states, cutoff):
    """Live instances in one of task_states, unchanged since cutoff (their
    updated_at: when they last changed); each with request_id and events
    (count) of its newest action."""
    query = sa.select(*[_INSTANCES.c[c] for c in _INSTANCE_COLUMNS
                        if c != 'updated_at'],
                      _CHANGED.label('updated_at')).where(
        _INSTANCES.c.deleted == 0,
        _INSTANCES.c.task_state.in_(list(task_states)), _CHANGED < cutoff)
    with db_session.read_connection() as conn:
        found = []
        for row in conn.execute(query).mappings():
            action = _latest_action(conn, row['uuid'])
            found.append(dict(row, request_id=action and action[1],
                              events=action[2] if action else 0))
        return found


def stuck_migrations(statuses, cutoff):
    """Migrations in one of statuses, unchanged since cutoff, of live
    instances; each with the instance's columns as instance_<name>."""
    changed = sa.func.coalesce(_MIGRATIONS.c.updated_at,
                               _MIGRATIONS.c.created_at)
    query = sa.select(
        _MIGRATIONS, _CHANGED.label('instance_updated_at'),
        *[_INSTANCES.c[c].label('instance_' + c) for c in _INSTANCE_COLUMNS
          if c not in ('uuid', 'updated_at')]).join(
        _INSTANCES, sa.and_(
            _INSTANCES.c.uuid == _MIGRATIONS.c.instance_uuid,
            _INSTANCES.c.deleted == 0)).where(
        _MIGRATIONS.c.deleted == 0,
        _MIGRATIONS.c.status.in_(list(statuses)), changed < cutoff)
    with db_session.read_connection() as conn:
        found = []
        for row in conn.execute(query).mappings():
            action = _latest_action(conn, row['instance_uuid'])
            found.append(dict(row, request_id=action and action[1]))
        return found


def orphaned_consumers():
    """Consumers of allocations that no live instance stands behind: a
    deleted instance, or a migration of one.  Claims made by a flow that
    lost a race with the delete."""
    live = sa.select(_INSTANCES.c.uuid).where(_INSTANCES.c.deleted == 0)
    dead = sa.select(_INSTANCES.c.uuid).where(_INSTANCES.c.deleted != 0)
    moves = sa.select(_MIGRATIONS.c.uuid).where(
        _MIGRATIONS.c.instance_uuid.not_in(live))
    consumer = _ALLOCATIONS.c.consumer_uuid
    query = sa.select(consumer).distinct().where(
        consumer.not_in(live), sa.or_(consumer.in_(dead),
                                      consumer.in_(moves)))
    with db_session.read_connection() as conn:
        return [row[0] for row in conn.execute(query)]


def allocations_free(consumers):
    held = _ALLOCATIONS.c.consumer_uuid.in_(list(consumers))
    with db_session.write_connection() as conn:
        db_compute_nodes.bump_generations_in(conn, held)
        return conn.execute(sa.delete(_ALLOCATIONS).where(held)).rowcount


def _fail_events_in(conn, uuid, event, details, host):
    """Finish the newest action's open events with Error (an event named
    event when none is open: the step never began); its request id."""
    action = _latest_action(conn, uuid)
    if action is None:
        return None
    action_id, request_id, _ = action
    now = utils.utcnow()
    values = {'finish_time': now, 'result': 'Error', 'details': details,
              'updated_at': now}
    finished = conn.execute(sa.update(_EVENTS).where(
        _EVENTS.c.action_id == action_id,
        _EVENTS.c.finish_time.is_(None)).values(**values)).rowcount
    if not finished:
        conn.execute(sa.insert(_EVENTS).values(
            action_id=action_id, event=event, start_time=now, host=host,
            created_at=now, **values))
    conn.execute(sa.update(_ACTIONS).where(_ACTIONS.c.id == action_id)
                 .values(message='Error', updated_at=now))
    return request_id


def abort(uuid, expected_task_state, values, fault, event,
          expected_updated_at=None, migration_uuid=None,
          free_allocations=False):
    """End the instance's operation; returns its action's request id.

    values (task_state None, ...) are saved if the instance still has
    expected_task_state (a value or a list) and, when given,
    expected_updated_at; else UnexpectedTaskStateError: someone else
    acted (expected_updated_at: when the instance last changed, as
    stuck_instances gives it).  With migration_uuid the move is undone: the instance back on
    the source with the allocation it had there, the migration in error.
    free_allocations drops every claim of the instance (a build that never
    reached its host).  fault: {'code', 'message', 'details', 'host'};
    event: the name of the Error event when the action has none open.
    """
    with db_session.write_connection() as conn:
        instance = db_instances.instance_for_change(conn, uuid)
        allowed = expected_task_state \
            if isinstance(expected_task_state, (list, tuple)) \
            else [expected_task_state]
        if instance['task_state'] not in allowed or (
                expected_updated_at is not None and
                _changed(instance) != expected_updated_at):
            raise exception.UnexpectedTaskStateError(
                instance_uuid=uuid, expected=list(allowed),
                actual=instance['task_state'])
        values = dict(values)
        if migration_uuid is not None:
            migration = db_moves.restore_source_in(conn, uuid,
                                                   migration_uuid)
            values.update(db_moves.source_values(instance, migration))
        if free_allocations:
            held = _ALLOCATIONS.c.consumer_uuid == uuid
            db_compute_nodes.bump_generations_in(conn, held)
            conn.execute(sa.delete(_ALLOCATIONS).where(held))
        db_instances._update(conn, uuid, values, allowed)
        conn.execute(sa.insert(_FAULTS).values(
            instance_uuid=uuid, code=fault.get('code', 500),
            message=(fault['message'] or '')[:255],
            details=fault.get('details'), host=fault.get('host'),
            created_at=utils.utcnow()))
        return _fail_events_in(conn, uuid, event, fault['message'],
                               fault.get('host'))
