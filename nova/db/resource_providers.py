"""Compute nodes as Placement resource providers (read only).

What the Placement-compatible API (nova/api/placement) shows, computed from
compute_nodes, allocations and host aggregates: every live node is a root
provider (no nesting here) whose inventory is the VCPU, MEMORY_MB and
DISK_GB it reports, with the allocation ratios and reservations the
scheduler claims against; its usages are the sums of the allocations held
on it.
"""

import math

import sqlalchemy as sa

from nova.db import models
from nova.db import session as db_session
from nova import exception

_NODES = models.ComputeNode.__table__
_ALLOCATIONS = models.Allocation.__table__
# resource class -> the allocations table's column
ALLOCATION_COLUMNS = {'VCPU': 'vcpus', 'MEMORY_MB': 'memory_mb',
                      'DISK_GB': 'disk_gb'}


def _inventories(node):
    """{resource class: inventory} as Placement shows it.  A class whose
    total is 0 is left out: Placement refuses an inventory of nothing (a
    node without local disk has no DISK_GB, as upstream's drivers
    report)."""
    classes = {
        'VCPU': (node['vcpus'], node['reserved_host_cpus'],
                 node['cpu_allocation_ratio']),
        'MEMORY_MB': (node['memory_mb'], node['reserved_host_memory_mb'],
                      node['ram_allocation_ratio']),
        # Reserved disk is configured in MB; Placement counts whole GB.
        'DISK_GB': (node['local_gb'],
                    int(math.ceil((node['reserved_host_disk_mb'] or 0)
                                  / 1024.0)),
                    node['disk_allocation_ratio']),
    }
    return {rc: {'total': total, 'reserved': reserved or 0, 'min_unit': 1,
                 'max_unit': total, 'step_size': 1,
                 'allocation_ratio': ratio}
            for rc, (total, reserved, ratio) in classes.items() if total}


def _resources(row):
    """An allocation row's {resource class: amount}, zeros left out."""
    return {rc: row[column] for rc, column in ALLOCATION_COLUMNS.items()
            if row[column]}


def _usages(conn, node_ids):
    query = sa.select(_ALLOCATIONS.c.compute_node_id, *[
        sa.func.coalesce(sa.func.sum(_ALLOCATIONS.c[column]), 0)
        for column in ALLOCATION_COLUMNS.values()]).where(
        _ALLOCATIONS.c.compute_node_id.in_(node_ids)).group_by(
        _ALLOCATIONS.c.compute_node_id)
    return {row[0]: dict(zip(ALLOCATION_COLUMNS, map(int, row[1:])))
            for row in conn.execute(query)}


def _aggregates(conn):
    """{host: [aggregate uuid]}."""
    query = sa.select(models.AggregateHost.host, models.Aggregate.uuid).join(
        models.Aggregate,
        models.Aggregate.id == models.AggregateHost.aggregate_id)
    by_host = {}
    for host, uuid in conn.execute(query):
        by_host.setdefault(host, []).append(uuid)
    return by_host


def _disabled_hosts(conn):
    services = models.Service.__table__
    return {row[0] for row in conn.execute(sa.select(services.c.host).where(
        services.c.deleted == 0, services.c.binary == 'nova-compute',
        services.c.disabled.is_(True)))}


def _provider(node, usages, aggregates, disabled):
    inventories = _inventories(node)
    used = usages.get(node['id'], {})
    # The traits upstream's compute reports that hold here: every node
    # is a compute node; a disabled service's node says so.
    traits = ['COMPUTE_NODE']
    if node['host'] in disabled:
        traits.append('COMPUTE_STATUS_DISABLED')
    return {'uuid': node['uuid'], 'name': node['hypervisor_hostname'],
            'generation': node['generation'],
            'parent_provider_uuid': None, 'root_provider_uuid': node['uuid'],
            'inventories': inventories,
            'usages': {rc: used.get(rc, 0) for rc in inventories},
            'aggregates': sorted(aggregates.get(node['host'], [])),
            'traits': sorted(traits)}


def _capacity(inventory):
    return int((inventory['total'] - inventory['reserved'])
               * inventory['allocation_ratio'])


def _matches(provider, filters):
    if filters.get('in_tree') and \
            provider['root_provider_uuid'] != filters['in_tree']:
        return False
    for any_of in filters.get('member_of') or ():
        if not set(any_of) & set(provider['aggregates']):
            return False
    for rc, amount in (filters.get('resources') or {}).items():
        inventory = provider['inventories'].get(rc)
        if inventory is None or amount > inventory['max_unit'] or \
                provider['usages'][rc] + amount > _capacity(inventory):
            return False
    return True


def resource_providers_get(filters=None):
    """Providers matching filters, ordered by node id: uuid, name, in_tree
    (a root uuid), member_of ([[aggregate uuid, ...], ...]: in one of each
    list), resources ({class: amount} that fits in what is left)."""
    filters = filters or {}
    query = sa.select(_NODES).where(_NODES.c.deleted == 0).order_by(
        _NODES.c.id)
    for key, column in (('uuid', _NODES.c.uuid),
                        ('name', _NODES.c.hypervisor_hostname)):
        if filters.get(key) is not None:
            query = query.where(column == filters[key])
    with db_session.read_connection() as conn:
        nodes = list(conn.execute(query).mappings())
        usages = _usages(conn, [n['id'] for n in nodes])
        aggregates = _aggregates(conn)
        disabled = _disabled_hosts(conn)
    providers = [_provider(n, usages, aggregates, disabled) for n in nodes]
    return [p for p in providers if _matches(p, filters)]


def resource_provider_get(uuid):
    providers = resource_providers_get({'uuid': uuid})
    if not providers:
        raise exception.ResourceProviderNotFound(uuid=uuid)
    return providers[0]


def resource_provider_allocations_get(uuid):
    """{'generation', 'allocations': {consumer: {'resources': {...}}}}."""
    with db_session.read_connection() as conn:
        node = conn.execute(sa.select(_NODES.c.id, _NODES.c.generation).where(
            _NODES.c.uuid == uuid, _NODES.c.deleted == 0)).first()
        if node is None:
            raise exception.ResourceProviderNotFound(uuid=uuid)
        rows = conn.execute(sa.select(_ALLOCATIONS).where(
            _ALLOCATIONS.c.compute_node_id == node.id).order_by(
            _ALLOCATIONS.c.id)).mappings()
        allocations = {row['consumer_uuid']: {'resources': _resources(row)}
                       for row in rows}
    return {'generation': node.generation, 'allocations': allocations}


def consumer_allocations_get(consumer_uuid):
    """The consumer's allocations ({provider uuid: {'generation',
    'resources'}}), project_id and user_id (the instance's, or for a
    migration holding a move's source, its instance's); an unknown
    consumer has none, as in Placement."""
    instances = models.Instance.__table__
    migrations = models.Migration.__table__
    with db_session.read_connection() as conn:
        rows = list(conn.execute(
            sa.select(_ALLOCATIONS, _NODES.c.uuid.label('provider'),
                      _NODES.c.generation).join(
                _NODES, _NODES.c.id == _ALLOCATIONS.c.compute_node_id)
            .where(_ALLOCATIONS.c.consumer_uuid == consumer_uuid)
            .order_by(_ALLOCATIONS.c.id)).mappings())
        user_id = None
        if rows:
            instance_uuid = conn.execute(sa.select(
                migrations.c.instance_uuid).where(
                migrations.c.uuid == consumer_uuid)).scalar() or \
                consumer_uuid
            user_id = conn.execute(sa.select(instances.c.user_id).where(
                instances.c.uuid == instance_uuid)).scalar()
    return {'allocations': {
                row['provider']: {'generation': row['generation'],
                                  'resources': _resources(row)}
                for row in rows},
            'project_id': rows[0]['project_id'] if rows else None,
            'user_id': user_id}


def usages_get(project_id, user_id=None):
    """{resource class: amount} a project (and user) holds everywhere."""
    instances = models.Instance.__table__
    query = sa.select(*[
        sa.func.coalesce(sa.func.sum(_ALLOCATIONS.c[column]), 0)
        for column in ALLOCATION_COLUMNS.values()]).where(
        _ALLOCATIONS.c.project_id == project_id)
    if user_id is not None:
        migrations = models.Migration.__table__
        # Allocations carry no user: a consumer is the user's instance,
        # or a migration of one.
        owned = sa.select(instances.c.uuid).where(
            instances.c.user_id == user_id)
        query = query.where(sa.or_(
            _ALLOCATIONS.c.consumer_uuid.in_(owned),
            _ALLOCATIONS.c.consumer_uuid.in_(sa.select(
                migrations.c.uuid).where(
                migrations.c.instance_uuid.in_(owned)))))
    with db_session.read_connection() as conn:
        row = conn.execute(query).first()
    return {rc: int(amount) for rc, amount in zip(ALLOCATION_COLUMNS, row)
            if amount}
