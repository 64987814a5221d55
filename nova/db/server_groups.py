"""Server groups and their members (affinity policies for scheduling).

A group belongs to a project; its members are instance uuids, added when
the instances are created (nova.db.instances.instances_create) and gone
when they are deleted.
"""

import uuid as uuid_lib

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_GROUPS = models.ServerGroup.__table__
_MEMBERS = models.ServerGroupMember.__table__


def _to_dict(row, members):
    return {'id': row.id, 'uuid': row.uuid, 'name': row.name,
            'project_id': row.project_id, 'user_id': row.user_id,
            'policy': row.policy, 'rules': row.rules or {},
            'members': members, 'created_at': row.created_at}


def _members(conn, group_ids):
    """{group id: [uuid of each live member instance]}."""
    found = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return found
    rows = conn.execute(
        sa.select(_MEMBERS.c.group_id, _MEMBERS.c.instance_uuid)
        .where(_MEMBERS.c.group_id.in_(group_ids))
        .order_by(_MEMBERS.c.id))
    for group_id, instance_uuid in rows:
        found[group_id].append(instance_uuid)
    return found


def _get_row(conn, group_uuid, project_id=None):
    query = sa.select(_GROUPS).where(_GROUPS.c.uuid == group_uuid)
    if project_id is not None:
        query = query.where(_GROUPS.c.project_id == project_id)
    row = conn.execute(query).first()
    if row is None:
        raise exception.InstanceGroupNotFound(group_uuid=group_uuid)
    return row


def server_group_create(values, quota_limit=-1):
    """values: name, project_id, user_id, policy, rules.  quota_limit: the
    project's server_groups quota (-1 unlimited), checked in the same
    transaction."""
    with db_session.write_connection() as conn:
        if quota_limit >= 0:
            used = conn.execute(sa.select(sa.func.count()).where(
                _GROUPS.c.project_id == values['project_id'])).scalar()
            if used + 1 > quota_limit:
                raise exception.ServerGroupQuotaExceeded()
        row = dict(values, uuid=str(uuid_lib.uuid4()),
                   rules=values.get('rules') or {},
                   created_at=utils.utcnow())
        result = conn.execute(sa.insert(_GROUPS), row)
        row['id'] = result.inserted_primary_key[0]
        return dict(row, members=[])


def server_group_get(group_uuid, project_id=None):
    """The group with its members; InstanceGroupNotFound (also for another
    project's group when project_id is given)."""
    with db_session.read_connection() as conn:
        row = _get_row(conn, group_uuid, project_id)
        return _to_dict(row, _members(conn, [row.id])[row.id])


def server_group_get_all(project_id=None, limit=None, offset=None):
    """Groups oldest first, of project_id or of every project (None)."""
    query = sa.select(_GROUPS).order_by(_GROUPS.c.id)
    if project_id is not None:
        query = query.where(_GROUPS.c.project_id == project_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with db_session.read_connection() as conn:
        rows = conn.execute(query).all()
        members = _members(conn, [row.id for row in rows])
        return [_to_dict(row, members[row.id]) for row in rows]


def server_group_delete(group_uuid, project_id=None):
    """Delete the group (its servers stay, no longer members)."""
    with db_session.write_connection() as conn:
        row = _get_row(conn, group_uuid, project_id)
        conn.execute(sa.delete(_MEMBERS).where(_MEMBERS.c.group_id == row.id))
        conn.execute(sa.delete(_GROUPS).where(_GROUPS.c.id == row.id))


def server_group_get_by_instance(instance_uuid):
    """The uuids of the groups instance_uuid is a member of."""
    with db_session.read_connection() as conn:
        return list(conn.scalars(
            sa.select(_GROUPS.c.uuid)
            .join(_MEMBERS, _MEMBERS.c.group_id == _GROUPS.c.id)
            .where(_MEMBERS.c.instance_uuid == instance_uuid)
            .order_by(_GROUPS.c.id)))


def add_members_in(conn, group_uuid, project_id, instance_uuids,
                   quota_limit=-1):
    """In the caller's transaction (instances_create): the new instances
    join the group, within the server_group_members quota."""
    row = _get_row(conn, group_uuid, project_id)
    if quota_limit >= 0:
        used = conn.execute(sa.select(sa.func.count()).where(
            _MEMBERS.c.group_id == row.id)).scalar()
        if used + len(instance_uuids) > quota_limit:
            raise exception.ServerGroupMembersQuotaExceeded()
    now = utils.utcnow()
    conn.execute(sa.insert(_MEMBERS), [
        {'group_id': row.id, 'instance_uuid': uuid, 'created_at': now}
        for uuid in instance_uuids])


def remove_member_in(conn, instance_uuid):
    """In the caller's transaction (instance_destroy)."""
    conn.execute(sa.delete(_MEMBERS).where(
        _MEMBERS.c.instance_uuid == instance_uuid))
