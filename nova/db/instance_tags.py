"""A server's tags (the instances.tags JSON list): its changes.

Reads come with the instance (instance_get's ``tags``).  Every change is
one transaction: the instance's row locked, its state checked there (the
transitions table's ``tags`` row), the list read, changed and written
back, so two requests that add tags at once both land.  The instance's
updated_at stays, as upstream's tags (rows of their own) leave it.
"""

import sqlalchemy as sa

from nova.db import instances as db_instances
from nova.db import models
from nova.db import session as db_session
from nova import exception

_INSTANCES = models.Instance.__table__


def _change(uuid, api_method, lock_override, change):
    """change(tags) -> (new tags or None when unchanged, result), run on
    the locked instance's tags; returns result."""
    with db_session.write_connection() as conn:
        instance = db_instances.instance_for_change(
            conn, uuid, 'tags', api_method, lock_override)
        tags, result = change(list(instance['tags'] or []))
        if tags is not None:
            conn.execute(sa.update(_INSTANCES).where(
                _INSTANCES.c.id == instance['id']).values(
                tags=tags, updated_at=instance['updated_at']))
        return result


def _unique(tags):
    return list(dict.fromkeys(tags))


def instance_tags_set(uuid, tags, api_method='update tags',
                      lock_override=False):
    """Replace the instance's tags with tags (duplicates once); returns
    them."""
    tags = _unique(tags)
    return _change(uuid, api_method, lock_override, lambda current: (
        tags, tags))


def instance_tag_add(uuid, tag, max_tags, api_method='update tag',
                     lock_override=False):
    """Add tag; True when added, False when the instance had it.

    TooManyInstanceTags (400) when it has max_tags already, whether or not
    tag is among them (upstream counts first).
    """
    def add(current):
        if len(current) >= max_tags:
            raise exception.TooManyInstanceTags(limit=max_tags)
        if tag in current:
            return None, False
        return current + [tag], True
    return _change(uuid, api_method, lock_override, add)


def instance_tag_delete(uuid, tag, api_method='delete tag',
                        lock_override=False):
    """Remove tag; InstanceTagNotFound (404) when the instance has none."""
    def delete(current):
        if tag not in current:
            raise exception.InstanceTagNotFound(instance_id=uuid, tag=tag)
        return [t for t in current if t != tag], None
    return _change(uuid, api_method, lock_override, delete)
