"""Key pairs, owned by users."""

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import models
from nova.db import quotas as db_quotas
from nova.db import session as db_session
from nova.db import utils
from nova import exception

QUOTA_RESOURCE = 'key_pairs'


def _live(user_id):
    return sa.select(models.KeyPair).where(models.KeyPair.deleted == 0,
                                           models.KeyPair.user_id == user_id)


def keypair_create(values, project_id=None, quota_defaults=None):
    """A key pair of values['user_id'].  With quota_defaults (the [quota]
    defaults, nova.quota.defaults), KeypairLimitExceeded (403) when the
    user has its key_pairs limit already: its own, else its project's
    (project_id: the requester's, as upstream), else the class
    'default''s, else the default (nova.db.quotas)."""
    try:
        with db_session.writer() as session:
            if quota_defaults is not None:
                _check_quota(session, values['user_id'], project_id,
                             quota_defaults)
            if session.scalars(_live(values['user_id']).where(
                    models.KeyPair.name == values['name'])).first():
                raise exception.KeyPairExists(key_name=values['name'])
            row = models.KeyPair(deleted=0, **values)
            session.add(row)
            session.flush()
            return utils.to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.KeyPairExists(key_name=values['name'])


def _check_quota(session, user_id, project_id, defaults):
    limit = db_quotas.resolve(session, defaults, project_id,
                              user_id).get(QUOTA_RESOURCE)
    if limit is not None and 0 <= limit <= _count(session, user_id):
        raise exception.KeypairLimitExceeded()


def _count(session, user_id):
    return session.scalar(sa.select(sa.func.count()).select_from(
        _live(user_id).subquery()))


def _get_row(session, user_id, name):
    row = session.scalars(_live(user_id).where(
        models.KeyPair.name == name)).first()
    if row is None:
        raise exception.KeypairNotFound(user_id=user_id, name=name)
    return row


def keypair_get(user_id, name):
    with db_session.reader() as session:
        return utils.to_dict(_get_row(session, user_id, name))


def keypair_get_all(user_id, limit=None, marker=None):
    with db_session.reader() as session:
        marker_row = None
        if marker is not None:
            marker_row = session.scalars(_live(user_id).where(
                models.KeyPair.name == marker)).first()
            if marker_row is None:
                raise exception.MarkerNotFound(marker=marker)
        query = utils.paginate(_live(user_id), models.KeyPair, ['name'],
                               ['asc'], limit, marker_row)
        return [utils.to_dict(row) for row in session.scalars(query)]


def keypair_count(user_id):
    with db_session.reader() as session:
        return _count(session, user_id)


def keypair_destroy(user_id, name):
    with db_session.writer() as session:
        row = _get_row(session, user_id, name)
        row.deleted = row.id
        row.deleted_at = utils.utcnow()
