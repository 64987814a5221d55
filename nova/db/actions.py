"""Instance actions (one per request on an instance) and their events."""

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception


def _event_dict(row):
    return utils.to_dict(row)


def _action_dict(row, with_events=False):
    action = utils.to_dict(row)
    if with_events:
        action['events'] = [_event_dict(e) for e in row.events]
    return action


def action_start(action, instance_uuid, request_id, user_id, project_id):
    now = utils.utcnow()
    with db_session.writer() as session:
        row = models.InstanceAction(
            action=action, instance_uuid=instance_uuid,
            request_id=request_id, user_id=user_id, project_id=project_id,
            start_time=now, created_at=now, updated_at=now)
        session.add(row)
        session.flush()
        return _action_dict(row)


_ACTIONS = models.InstanceAction.__table__
_EVENTS = models.InstanceActionEvent.__table__


def _find_action(session, instance_uuid, request_id):
    """The action of this request; else the newest one of the instance.

    Work nobody requested (startup recovery, periodic tasks) has a request
    id of its own and files its events under the latest action.
    """
    action_id = _find_action_id(session.connection(), instance_uuid,
                                request_id)
    return session.get(models.InstanceAction, action_id)


def _find_action_id(conn, instance_uuid, request_id):
    """_find_action's answer, its id only (Core)."""
    query = sa.select(_ACTIONS.c.id).where(
        _ACTIONS.c.instance_uuid == instance_uuid).order_by(
        _ACTIONS.c.id.desc()).limit(1)
    action_id = conn.execute(query.where(
        _ACTIONS.c.request_id == request_id)).scalar()
    if action_id is None:
        action_id = conn.execute(query).scalar()
    if action_id is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
    return action_id


def event_start_in(conn, instance_uuid, request_id, event, host):
    """event_start inside the caller's transaction (conn)."""
    now = utils.utcnow()
    action_id = _find_action_id(conn, instance_uuid, request_id)
    values = {'action_id': action_id, 'event': event, 'start_time': now,
              'finish_time': None, 'result': None, 'traceback': None,
              'host': host, 'details': None, 'created_at': now,
              'updated_at': None}
    result = conn.execute(sa.insert(_EVENTS).values(**values))
    conn.execute(sa.update(_ACTIONS).where(_ACTIONS.c.id == action_id)
                 .values(updated_at=now))
    return dict(values, id=result.inserted_primary_key[0])


def event_finish_in(conn, instance_uuid, request_id, event, result,
                    traceback=None, details=None):
    """event_finish inside the caller's transaction (conn)."""
    now = utils.utcnow()
    action_id = _find_action_id(conn, instance_uuid, request_id)
    row = conn.execute(
        sa.select(_EVENTS).where(_EVENTS.c.action_id == action_id,
                                 _EVENTS.c.event == event)
        .order_by(_EVENTS.c.id.desc()).limit(1)).mappings().first()
    values = {'finish_time': now, 'result': result,
              'traceback': traceback, 'details': details}
    if row is None:
        values.update(action_id=action_id, event=event, start_time=now,
                      host=None, created_at=now, updated_at=None)
        event_id = conn.execute(
            sa.insert(_EVENTS).values(**values)).inserted_primary_key[0]
        values['id'] = event_id
    else:
        values['updated_at'] = now
        conn.execute(sa.update(_EVENTS).where(_EVENTS.c.id == row['id'])
                     .values(**values))
        values = dict(row, **values)
    action_values = {'updated_at': now}
    if result == 'Error':
        action_values['message'] = 'Error'
    conn.execute(sa.update(_ACTIONS).where(_ACTIONS.c.id == action_id)
                 .values(**action_values))
    return values


def event_start(instance_uuid, request_id, event, host):
    with db_session.write_connection() as conn:
        return event_start_in(conn, instance_uuid, request_id, event, host)


def event_finish(instance_uuid, request_id, event, result, traceback=None,
                 details=None):
    with db_session.write_connection() as conn:
        return event_finish_in(conn, instance_uuid, request_id, event,
                               result, traceback, details)


def actions_get(instance_uuid, limit=None, marker=None, changes_since=None,
                changes_before=None):
    """Newest first; marker is a request id."""
    model = models.InstanceAction
    query = sa.select(model).where(model.instance_uuid == instance_uuid)
    if changes_since is not None:
        query = query.where(model.updated_at >= changes_since)
    if changes_before is not None:
        query = query.where(model.updated_at <= changes_before)
    with db_session.reader() as session:
        marker_row = None
        if marker is not None:
            marker_row = session.scalars(query.where(
                model.request_id == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(query, model, ['created_at'], ['desc'],
                               limit, marker_row)
        return [_action_dict(r) for r in session.scalars(query)]


def action_get_by_request_id(instance_uuid, request_id):
    with db_session.reader() as session:
        row = session.scalars(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance_uuid,
                   models.InstanceAction.request_id == request_id)
            .order_by(models.InstanceAction.id.desc())).first()
        if row is None:
            raise exception.InstanceActionNotFound(
                request_id=request_id, instance_uuid=instance_uuid)
        return _action_dict(row, with_events=True)


def actions_get_by_request_id(request_id):
    """Every action of request_id (one per instance it acted on), oldest
    first, with its events: what nova-manage trace shows."""
    with db_session.reader() as session:
        return [_action_dict(row, with_events=True) for row in
                session.scalars(sa.select(models.InstanceAction).where(
                    models.InstanceAction.request_id == request_id)
                    .order_by(models.InstanceAction.id))]
