"""Per-project quota limits that differ from the [quota] defaults."""

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session


def quota_get_all(project_id):
    with db_session.reader() as session:
        return {r.resource: r.hard_limit for r in session.scalars(
            sa.select(models.Quota).where(
                models.Quota.project_id == project_id))}


def quota_set(project_id, resource, hard_limit):
    with db_session.writer() as session:
        row = session.scalars(sa.select(models.Quota).where(
            models.Quota.project_id == project_id,
            models.Quota.resource == resource)).first()
        if row is None:
            row = models.Quota(project_id=project_id, resource=resource)
            session.add(row)
        row.hard_limit = hard_limit
