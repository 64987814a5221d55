"""Per-project quota limits that differ from the [quota] defaults."""

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session


def quota_get_all(project_id):
    with db_session.reader() as session:
        return {r.resource: r.hard_limit for r in session.scalars(
            sa.select(models.Quota).where(
                models.Quota.project_id == project_id))}
