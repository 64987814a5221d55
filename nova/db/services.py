"""Services and their heartbeats."""

import uuid

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import aggregates as db_aggregates
from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception


def _live():
    return sa.select(models.Service).where(models.Service.deleted == 0)


def service_get_or_create(host, binary, topic, version):
    """Register a service at start; returns (service, created).

    Races between two starts of the same (host, binary) end in the unique
    constraint; the loser reads the winner's row.
    """
    with db_session.writer() as session:
        row = session.scalars(_live().where(
            models.Service.host == host,
            models.Service.binary == binary)).first()
        if row is not None:
            row.version = version
            row.topic = topic
            return utils.to_dict(row), False
    try:
        with db_session.writer() as session:
            row = models.Service(uuid=str(uuid.uuid4()), host=host,
                                 binary=binary, topic=topic,
                                 version=version, report_count=0,
                                 disabled=False, forced_down=False)
            session.add(row)
            session.flush()
            return utils.to_dict(row), True
    except sa_exc.IntegrityError:
        return service_get_by_host_and_binary(host, binary), False


def service_heartbeat(service_id):
    now = utils.utcnow()
    with db_session.writer() as session:
        result = session.execute(
            sa.update(models.Service)
            .where(models.Service.id == service_id,
                   models.Service.deleted == 0)
            .values(report_count=models.Service.report_count + 1,
                    last_seen_up=now, updated_at=now))
        if result.rowcount == 0:
            raise exception.ServiceNotFound(service_id=service_id)
        row = session.scalars(_live().where(
            models.Service.id == service_id)).one()
        return utils.to_dict(row)


def _get(session, service_id):
    query = _live()
    if isinstance(service_id, int) or str(service_id).isdigit():
        query = query.where(models.Service.id == int(service_id))
    else:
        query = query.where(models.Service.uuid == service_id)
    row = session.scalars(query).first()
    if row is None:
        raise exception.ServiceNotFound(service_id=service_id)
    return row


def service_get(service_id):
    """By integer id or uuid."""
    with db_session.reader() as session:
        return utils.to_dict(_get(session, service_id))


def service_get_by_host_and_binary(host, binary):
    with db_session.reader() as session:
        row = session.scalars(_live().where(
            models.Service.host == host,
            models.Service.binary == binary)).first()
        if row is None:
            raise exception.ServiceHostBinaryNotFound(host=host,
                                                      binary=binary)
        return utils.to_dict(row)


def service_get_all(host=None, binary=None, disabled=None):
    query = _live().order_by(models.Service.id)
    if host is not None:
        query = query.where(models.Service.host == host)
    if binary is not None:
        query = query.where(models.Service.binary == binary)
    if disabled is not None:
        query = query.where(models.Service.disabled == disabled)
    with db_session.reader() as session:
        return [utils.to_dict(row) for row in session.scalars(query)]


_UPDATABLE = ('disabled', 'disabled_reason', 'forced_down')


def service_update(service_id, values):
    unknown = set(values) - set(_UPDATABLE)
    if unknown:
        raise exception.Invalid(reason='cannot update %s' % sorted(unknown))
    with db_session.writer() as session:
        row = _get(session, service_id)
        for key, value in values.items():
            setattr(row, key, value)
        session.flush()
        return utils.to_dict(row)


def service_destroy(service_id):
    """Delete the service; a compute service's host leaves its aggregates
    with it, as upstream's service delete takes it out of them."""
    with db_session.writer() as session:
        row = _get(session, service_id)
        row.deleted = row.id
        row.deleted_at = utils.utcnow()
        if row.binary == 'nova-compute':
            db_aggregates.aggregate_hosts_delete(session, row.host)
