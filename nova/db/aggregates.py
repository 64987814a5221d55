"""Host aggregates: their rows, the zones they make, what hosts belong to.

Each change is one transaction that gathers what nova.compute.aggregates'
rules need (the zones of the hosts' other aggregates, the hosts'
instances), checks them and writes.  An aggregate crosses RPC as a dict:
id, uuid, name, created_at, updated_at, hosts (names, in the order they
were added) and metadata ({key: value}).
"""

import contextlib
import uuid as uuid_lib

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.compute import aggregates as rules
from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

_AGGREGATES = models.Aggregate.__table__
_HOSTS = models.AggregateHost.__table__
_METADATA = models.AggregateMetadata.__table__

# (host, zone) of every host in an aggregate with a zone.
_HOST_ZONES = (
    sa.select(_HOSTS.c.host, _METADATA.c.value)
    .join(_METADATA, _METADATA.c.aggregate_id == _HOSTS.c.aggregate_id)
    .where(_METADATA.c.key == rules.AZ_KEY))


def _to_dict(row):
    return {'id': row.id, 'uuid': row.uuid, 'name': row.name,
            'created_at': row.created_at, 'updated_at': row.updated_at,
            'hosts': [h.host for h in row.hosts],
            'metadata': {m.key: m.value for m in row.metadata_items}}


def _aggregate_id(aggregate_id):
    try:
        number = int(aggregate_id)
    except (TypeError, ValueError):
        number = None
    # Beyond a 64-bit integer no row has it (and no driver binds it).
    if number is None or not -2 ** 63 <= number < 2 ** 63:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return number


def _get(session, aggregate_id, for_update=False):
    query = sa.select(models.Aggregate).where(
        models.Aggregate.id == _aggregate_id(aggregate_id))
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise exception.AggregateNotFound(aggregate_id=aggregate_id)
    return row


def _check_name(session, name, aggregate_id=None):
    query = sa.select(_AGGREGATES.c.id).where(_AGGREGATES.c.name == name)
    if aggregate_id is not None:
        query = query.where(_AGGREGATES.c.id != aggregate_id)
    if session.execute(query).first() is not None:
        raise exception.AggregateNameExists(aggregate_name=name)


def _other_zones(session, hosts, aggregate_id):
    """The zones aggregates other than aggregate_id give hosts."""
    if not hosts:
        return []
    return [zone for _host, zone in session.execute(
        _HOST_ZONES.where(_HOSTS.c.host.in_(hosts),
                          _HOSTS.c.aggregate_id != aggregate_id))]


def _instance_count(session, hosts):
    if not hosts:
        return 0
    return session.execute(
        sa.select(sa.func.count(models.Instance.id)).where(
            models.Instance.host.in_(hosts),
            models.Instance.deleted == 0)).scalar()


def _check_compute_host(session, host):
    """ComputeHostNotFound unless host is a live compute service's (with
    the exact case: MySQL's comparisons are not case sensitive)."""
    found = session.execute(sa.select(models.Service.host).where(
        models.Service.host == host, models.Service.deleted == 0,
        models.Service.binary == 'nova-compute')).scalars().all()
    if host not in found:
        raise exception.ComputeHostNotFound(host=host)


def _set_metadata(session, row, metadata):
    """Merge metadata into row's: a None value deletes its key."""
    items = {m.key: m for m in row.metadata_items}
    for key, value in metadata.items():
        item = items.get(key)
        if value is None:
            if item is not None:
                row.metadata_items.remove(item)
        elif item is None:
            row.metadata_items.append(
                models.AggregateMetadata(key=key, value=value))
        else:
            item.value = value
    row.updated_at = utils.utcnow()


@contextlib.contextmanager
def _writer(name=None):
    """A writer session; a unique name that another request took since
    _check_name looked is the same 409 as one taken before."""
    try:
        with db_session.writer() as session:
            yield session
    except sa_exc.IntegrityError as e:
        if name is not None and 'name' in str(e.orig):
            raise exception.AggregateNameExists(aggregate_name=name)
        raise


def aggregate_create(name, availability_zone=None):
    with _writer(name) as session:
        _check_name(session, name)
        row = models.Aggregate(uuid=str(uuid_lib.uuid4()), name=name)
        if availability_zone:
            row.metadata_items.append(models.AggregateMetadata(
                key=rules.AZ_KEY, value=availability_zone))
        session.add(row)
        session.flush()
        return _to_dict(row)


def aggregate_get(aggregate_id):
    with db_session.reader() as session:
        return _to_dict(_get(session, aggregate_id))


def aggregate_get_all():
    with db_session.reader() as session:
        return [_to_dict(row) for row in session.scalars(
            sa.select(models.Aggregate).order_by(models.Aggregate.id))]


def aggregate_update(aggregate_id, values):
    """values: name and/or availability_zone (upstream's PUT)."""
    with _writer(values.get('name')) as session:
        row = _get(session, aggregate_id, for_update=True)
        values = dict(values)
        name = values.pop('name', None)
        if name is not None and name != row.name:
            _check_name(session, name, row.id)
        aggregate = _to_dict(row)
        rules.check_zone_change(
            aggregate, values,
            _other_zones(session, aggregate['hosts'], row.id),
            _instance_count(session, aggregate['hosts']),
            exception.InvalidAggregateActionUpdate)
        if name is not None:
            row.name = name
        _set_metadata(session, row, values)
        session.flush()
        return _to_dict(row)


def aggregate_metadata_set(aggregate_id, metadata):
    """Merge metadata ({key: value, or None to delete it})."""
    with db_session.writer() as session:
        row = _get(session, aggregate_id, for_update=True)
        aggregate = _to_dict(row)
        rules.check_zone_change(
            aggregate, metadata,
            _other_zones(session, aggregate['hosts'], row.id),
            _instance_count(session, aggregate['hosts']),
            exception.InvalidAggregateActionUpdateMeta)
        _set_metadata(session, row, metadata)
        session.flush()
        return _to_dict(row)


def aggregate_delete(aggregate_id):
    with db_session.writer() as session:
        row = _get(session, aggregate_id, for_update=True)
        rules.check_delete(_to_dict(row))
        session.delete(row)


def aggregate_host_add(aggregate_id, host):
    with db_session.writer() as session:
        _check_compute_host(session, host)
        row = _get(session, aggregate_id, for_update=True)
        aggregate = _to_dict(row)
        if host in aggregate['hosts']:
            raise exception.AggregateHostExists(aggregate_id=row.id,
                                                host=host)
        rules.check_host_add(aggregate, host,
                             _other_zones(session, [host], row.id),
                             _instance_count(session, [host]))
        row.hosts.append(models.AggregateHost(host=host))
        session.flush()
        return _to_dict(row)


def aggregate_host_remove(aggregate_id, host):
    with db_session.writer() as session:
        _check_compute_host(session, host)
        row = _get(session, aggregate_id, for_update=True)
        aggregate = _to_dict(row)
        item = next((h for h in row.hosts if h.host == host), None)
        if item is None:
            raise exception.AggregateHostNotFound(aggregate_id=row.id,
                                                  host=host)
        rules.check_host_remove(aggregate, host,
                                _other_zones(session, [host], row.id),
                                _instance_count(session, [host]))
        row.hosts.remove(item)
        session.flush()
        return _to_dict(row)


def aggregate_hosts_delete(session, host):
    """Take host out of every aggregate (its compute service is deleted),
    in the caller's transaction."""
    session.execute(sa.delete(_HOSTS).where(_HOSTS.c.host == host))


def availability_zones_by_host(hosts=None):
    """{host: zone} of the hosts (all when None) in an aggregate with a
    zone; the others are in [DEFAULT] default_availability_zone.  A host
    in several such aggregates (only possible by writing the database
    directly) has their zones joined with commas, as upstream shows it."""
    query = _HOST_ZONES
    if hosts is not None:
        query = query.where(_HOSTS.c.host.in_(list(hosts)))
    zones = {}
    with db_session.read_connection() as conn:
        for host, zone in conn.execute(query):
            zones.setdefault(host, set()).add(zone)
    return {host: ','.join(sorted(found)) for host, found in zones.items()}


def host_availability_zone(host):
    """The zone of host's aggregates, None when it is in the default."""
    return availability_zones_by_host([host]).get(host)


def aggregates_by_host(session):
    """For the host states, in session's transaction (one query): (zones,
    metadata): {host: zone} of the hosts in an aggregate with a zone, and
    {host: {key: [values]}} of the hosts in an aggregate with metadata,
    the values split at commas (as the scheduler's filters read them) and
    merged over the host's aggregates.  Hosts of the same aggregates share
    their lists: nothing changes them."""
    zones, metadata_by_host, split = {}, {}, {}
    query = sa.select(_HOSTS.c.host, _METADATA.c.key, _METADATA.c.value).join(
        _METADATA, _METADATA.c.aggregate_id == _HOSTS.c.aggregate_id)
    for host, key, value in session.execute(query):
        values = split.get(value)
        if values is None:
            values = split[value] = rules.metadata_values(value)
        metadata = metadata_by_host.get(host)
        if metadata is None:
            metadata_by_host[host] = {key: values}
        else:
            merged = metadata.get(key)
            metadata[key] = values if merged is None else merged + [
                v for v in values if v not in merged]
        if key == rules.AZ_KEY and host not in zones:
            zones[host] = value
    return zones, metadata_by_host
