"""A server's user metadata (instance_metadata rows): its changes.

Reads come with the instance (instance_get's ``metadata``).  Every change
is one transaction that starts by locking the instance's row and checking
its state there (the transitions table's ``metadata`` row), so two
requests that merge keys at once both land, and none lands on a server
that has just begun a task.
"""

import sqlalchemy as sa

from nova.db import instances as db_instances
from nova.db import models
from nova.db import quotas as db_quotas
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_INSTANCES = models.Instance.__table__
_METADATA = models.InstanceMetadata.__table__
QUOTA_RESOURCE = 'metadata_items'

_ITEMS_OF = (sa.select(_METADATA.c.key, _METADATA.c.value)
             .where(_METADATA.c.instance_id == sa.bindparam('instance_id'))
             .order_by(_METADATA.c.id))


def _items(conn, instance_id):
    return dict(conn.execute(_ITEMS_OF, {'instance_id': instance_id}).all())


def _check_quota(conn, instance, count, default_limit):
    """MetadataLimitExceeded (403) when count is over the limit of the
    instance's project or of its user (nova.db.quotas resolves them over
    default_limit, the [quota] default); -1 is no limit."""
    limits, user_limits = db_quotas.limits_of(
        conn, {QUOTA_RESOURCE: default_limit}, instance['project_id'],
        instance['user_id'])
    for scope in (limits, user_limits or {}):
        limit = scope.get(QUOTA_RESOURCE)
        if limit is not None and 0 <= limit < count:
            raise exception.MetadataLimitExceeded(allowed=limit)


def instance_metadata_update(uuid, metadata, delete=False, max_items=None,
                             api_method='update metadata',
                             lock_override=False):
    """Merge metadata ({key: value}) into the instance's, or with delete
    make it the instance's whole metadata; returns the result.

    In one transaction: the instance locked and its state checked (409
    naming api_method; a locked one refused unless lock_override), the
    result's size checked against the quota (max_items, the default of
    [quota] metadata_items, unless the class 'default', the project or its
    user has its own: nova.db.quotas), then only the
    rows that differ written, and the instance's updated_at set, as
    upstream's save of the instance does.
    """
    with db_session.write_connection() as conn:
        instance = db_instances.instance_for_change(
            conn, uuid, 'metadata', api_method, lock_override)
        instance_id = instance['id']
        current = _items(conn, instance_id)
        if delete:
            result = dict(metadata)
        else:
            result = dict(current)
            result.update(metadata)
        if result:
            _check_quota(conn, instance, len(result), max_items)
        now = utils.utcnow()
        gone = [key for key in current if key not in result]
        if gone:
            conn.execute(sa.delete(_METADATA).where(
                _METADATA.c.instance_id == instance_id,
                _METADATA.c.key.in_(gone)))
        # The SET clause comes from the parameters (value, updated_at).
        changed = [{'w_key': key, 'value': value, 'updated_at': now}
                   for key, value in result.items()
                   if key in current and current[key] != value]
        if changed:
            conn.execute(sa.update(_METADATA).where(
                _METADATA.c.instance_id == instance_id,
                _METADATA.c.key == sa.bindparam('w_key')), changed)
        added = [{'instance_id': instance_id, 'key': key, 'value': value,
                  'created_at': now}
                 for key, value in result.items() if key not in current]
        if added:
            conn.execute(sa.insert(_METADATA), added)
        conn.execute(sa.update(_INSTANCES).where(
            _INSTANCES.c.id == instance_id).values(updated_at=now))
        return result


def instance_metadata_delete(uuid, key, api_method='delete metadata',
                             lock_override=False):
    """Delete one item, MetadataItemNotFound (404) when there is none.

    The instance is locked and its state checked as for an update; its
    updated_at stays (upstream deletes the item alone).
    """
    with db_session.write_connection() as conn:
        instance = db_instances.instance_for_change(
            conn, uuid, 'metadata', api_method, lock_override)
        result = conn.execute(sa.delete(_METADATA).where(
            _METADATA.c.instance_id == instance['id'],
            _METADATA.c.key == key))
        if result.rowcount == 0:
            raise exception.MetadataItemNotFound(instance_uuid=uuid,
                                                 key=key)
