"""Instances that ran within a period: what os-simple-tenant-usage bills.

Deleted instances count too (soft-deleted rows: ``deleted`` is the row's
id, ``terminated_at`` the time of the delete), for the part of their life
within the period; an instance that never launched ran for no time.
"""

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_INSTANCES = models.Instance.__table__

# Only what a usage shows.  The flavor's name is read out of the flavor
# JSON column by the database; the sizes are the instance's columns, which
# create and resize keep equal to that flavor's.
_SELECTED = (
    _INSTANCES.c.uuid, _INSTANCES.c.display_name, _INSTANCES.c.project_id,
    _INSTANCES.c.vm_state, _INSTANCES.c.launched_at,
    _INSTANCES.c.terminated_at, _INSTANCES.c.memory_mb, _INSTANCES.c.vcpus,
    _INSTANCES.c.root_gb, _INSTANCES.c.ephemeral_gb,
    models.Instance.flavor['name'].as_string().label('flavor_name'),
)
# As upstream's instance_get_active_by_window_joined: one project's
# instances together, so a page of them sums up per project.
SORT_KEYS = ('project_id', 'uuid')


def instance_get_active_by_window(begin, end, project_id=None, limit=None,
                                  marker=None):
    """Instances (deleted ones included) launched before end and not
    terminated before begin, ordered by (project_id, uuid).

    begin and end are naive UTC datetimes.  limit and marker (an
    instance's uuid, deleted or not: MarkerNotFound otherwise) page them.
    Each is a dict of the selected columns ('flavor_name' for the
    flavor's name).
    """
    query = sa.select(*_SELECTED).where(
        _INSTANCES.c.launched_at.is_not(None),
        _INSTANCES.c.launched_at < end,
        sa.or_(_INSTANCES.c.terminated_at.is_(None),
               _INSTANCES.c.terminated_at > begin))
    if project_id is not None:
        query = query.where(_INSTANCES.c.project_id == project_id)
    with db_session.read_connection() as conn:
        marker_row = None
        if marker is not None:
            marker_row = conn.execute(
                sa.select(_INSTANCES.c.id, _INSTANCES.c.project_id,
                          _INSTANCES.c.uuid)
                .where(_INSTANCES.c.uuid == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(query, models.Instance, SORT_KEYS,
                               ('asc',) * len(SORT_KEYS), limit, marker_row)
        return [dict(row) for row in conn.execute(query).mappings()]
