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


def _find_action(session, instance_uuid, request_id):
    """The action of this request; else the newest one of the instance.

    Work nobody requested (startup recovery, periodic tasks) has a request
    id of its own and files its events under the latest action.
    """
    row = session.scalars(
        sa.select(models.InstanceAction)
        .where(models.InstanceAction.instance_uuid == instance_uuid,
               models.InstanceAction.request_id == request_id)
        .order_by(models.InstanceAction.id.desc())).first()
    if row is None:
        row = session.scalars(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance_uuid)
            .order_by(models.InstanceAction.id.desc())).first()
    if row is None:
        raise exception.InstanceActionNotFound(request_id=request_id,
                                               instance_uuid=instance_uuid)
    return row


def event_start(instance_uuid, request_id, event, host):
    now = utils.utcnow()
    with db_session.writer() as session:
        action = _find_action(session, instance_uuid, request_id)
        row = models.InstanceActionEvent(action_id=action.id, event=event,
                                         start_time=now, host=host)
        session.add(row)
        action.updated_at = now
        session.flush()
        return _event_dict(row)


def event_finish(instance_uuid, request_id, event, result, traceback=None,
                 details=None):
    now = utils.utcnow()
    with db_session.writer() as session:
        action = _find_action(session, instance_uuid, request_id)
        row = session.scalars(
            sa.select(models.InstanceActionEvent)
            .where(models.InstanceActionEvent.action_id == action.id,
                   models.InstanceActionEvent.event == event)
            .order_by(models.InstanceActionEvent.id.desc())).first()
        if row is None:
            row = models.InstanceActionEvent(action_id=action.id,
                                             event=event, start_time=now)
            session.add(row)
        row.finish_time = now
        row.result = result
        row.traceback = traceback
        row.details = details
        action.updated_at = now
        if result == 'Error':
            action.message = 'Error'
        session.flush()
        return _event_dict(row)


def action_finish(instance_uuid, request_id):
    with db_session.writer() as session:
        action = _find_action(session, instance_uuid, request_id)
        action.finish_time = action.updated_at = utils.utcnow()


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
