"""Key pairs, owned by users."""

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception


def _live(user_id):
    return sa.select(models.KeyPair).where(models.KeyPair.deleted == 0,
                                           models.KeyPair.user_id == user_id)


def keypair_create(values):
    try:
        with db_session.writer() as session:
            if session.scalars(_live(values['user_id']).where(
                    models.KeyPair.name == values['name'])).first():
                raise exception.KeyPairExists(key_name=values['name'])
            row = models.KeyPair(deleted=0, **values)
            session.add(row)
            session.flush()
            return utils.to_dict(row)
    except sa_exc.IntegrityError:
        raise exception.KeyPairExists(key_name=values['name'])


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
        return session.scalar(sa.select(sa.func.count()).select_from(
            _live(user_id).subquery()))


def keypair_destroy(user_id, name):
    with db_session.writer() as session:
        row = _get_row(session, user_id, name)
        row.deleted = row.id
        row.deleted_at = utils.utcnow()
