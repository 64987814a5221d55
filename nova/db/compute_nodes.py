"""Compute nodes, the allocations held on them, and host states.

Usage is never stored: it is the sum of the allocations on a node, so a
claim (an allocation row inserted after checking capacity under a row lock
on the node) is the only thing that changes it.
"""

import uuid as uuid_lib

import sqlalchemy as sa

from nova.db import aggregates as db_aggregates
from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

RESOURCE_COLUMNS = ('hypervisor_type', 'hypervisor_version', 'host_ip',
                    'cpu_info', 'vcpus', 'memory_mb', 'local_gb',
                    'cpu_allocation_ratio', 'ram_allocation_ratio',
                    'disk_allocation_ratio', 'reserved_host_cpus',
                    'reserved_host_memory_mb', 'reserved_host_disk_mb',
                    'supported_instances')


# What a resource provider's inventory is made of: a change to one of
# these moves the node's generation on.
INVENTORY_COLUMNS = ('vcpus', 'memory_mb', 'local_gb', 'cpu_allocation_ratio',
                     'ram_allocation_ratio', 'disk_allocation_ratio',
                     'reserved_host_cpus', 'reserved_host_memory_mb',
                     'reserved_host_disk_mb')


def bump_generations_in(conn, condition):
    """Move on the generation of the nodes holding the allocations that
    match condition, in the caller's transaction, before it changes
    them: Placement's provider generation changes with its allocations."""
    nodes = models.ComputeNode.__table__
    allocations = models.Allocation.__table__
    conn.execute(sa.update(nodes).where(nodes.c.id.in_(
        sa.select(allocations.c.compute_node_id).where(condition)))
        .values(generation=nodes.c.generation + 1))


def _live_nodes():
    return sa.select(models.ComputeNode).where(
        models.ComputeNode.deleted == 0)


def compute_node_update_or_create(host, nodename, resources):
    """Record what a compute reports; returns (node, created)."""
    values = {k: v for k, v in resources.items() if k in RESOURCE_COLUMNS}
    with db_session.writer() as session:
        row = session.scalars(_live_nodes().where(
            models.ComputeNode.host == host,
            models.ComputeNode.hypervisor_hostname == nodename)).first()
        created = row is None
        if created:
            row = models.ComputeNode(uuid=str(uuid_lib.uuid4()), host=host,
                                     hypervisor_hostname=nodename,
                                     deleted=0)
            session.add(row)
        if any(getattr(row, k) != values[k]
               for k in INVENTORY_COLUMNS if k in values):
            row.generation = (row.generation or 0) + 1
        for key, value in values.items():
            setattr(row, key, value)
        row.updated_at = utils.utcnow()
        session.flush()
        return utils.to_dict(row), created


def _usage_by_node(session, node_ids=None):
    query = sa.select(models.Allocation.compute_node_id,
                      sa.func.sum(models.Allocation.vcpus),
                      sa.func.sum(models.Allocation.memory_mb),
                      sa.func.sum(models.Allocation.disk_gb)).group_by(
        models.Allocation.compute_node_id)
    if node_ids is not None:
        query = query.where(models.Allocation.compute_node_id.in_(node_ids))
    return {node_id: (int(v or 0), int(m or 0), int(d or 0))
            for node_id, v, m, d in session.execute(query)}


def _services_by_host(session):
    rows = session.scalars(sa.select(models.Service).where(
        models.Service.deleted == 0,
        models.Service.binary == 'nova-compute'))
    return {r.host: utils.to_dict(r) for r in rows}


def _node_dict(row, usage, service):
    node = utils.to_dict(row)
    vcpus_used, memory_used, disk_used = usage.get(row.id, (0, 0, 0))
    node.update(vcpus_used=vcpus_used, memory_mb_used=memory_used,
                disk_gb_used=disk_used, service=service)
    return node


def host_states_get_all(with_instances=False):
    """Every node with its usage and service, what the scheduler weighs.

    with_instances adds 'instance_uuids' (consumers on the node), needed
    only for same_host / different_host hints.  A node whose host is in
    aggregates with metadata has 'aggregate_metadata' ({key: [values]},
    merged over them) and, when one of them makes a zone,
    'availability_zone'; the others have neither (default zone, no
    metadata), so the fleet's usual case costs nothing on the wire.
    """
    with db_session.reader() as session:
        nodes = list(session.scalars(_live_nodes().order_by(
            models.ComputeNode.id)))
        usage = _usage_by_node(session)
        services = _services_by_host(session)
        zones, aggregate_metadata = db_aggregates.aggregates_by_host(session)
        consumers = {}
        if with_instances:
            for node_id, consumer in session.execute(sa.select(
                    models.Allocation.compute_node_id,
                    models.Allocation.consumer_uuid)):
                consumers.setdefault(node_id, []).append(consumer)
        states = []
        for row in nodes:
            service = services.get(row.host)
            if service is None:
                continue
            state = _node_dict(row, usage, service)
            state['instance_uuids'] = consumers.get(row.id, [])
            metadata = aggregate_metadata.get(row.host)
            if metadata is not None:
                state['aggregate_metadata'] = metadata
                zone = zones.get(row.host)
                if zone is not None:
                    state['availability_zone'] = zone
            states.append(state)
        return states


def _running_vms(session):
    return dict(session.execute(
        sa.select(models.Instance.node, sa.func.count(models.Instance.id))
        .where(models.Instance.deleted == 0)
        .group_by(models.Instance.node)).all())


def compute_node_get_all(hostname_pattern=None):
    """Nodes with usage, service and running_vms (hypervisors API)."""
    query = _live_nodes().order_by(models.ComputeNode.id)
    if hostname_pattern:
        query = query.where(models.ComputeNode.hypervisor_hostname.like(
            '%' + hostname_pattern + '%'))
    with db_session.reader() as session:
        rows = list(session.scalars(query))
        usage = _usage_by_node(session, [r.id for r in rows])
        services = _services_by_host(session)
        running = _running_vms(session)
        nodes = []
        for row in rows:
            node = _node_dict(row, usage, services.get(row.host))
            node['running_vms'] = running.get(row.hypervisor_hostname, 0)
            nodes.append(node)
        return nodes


def compute_node_get(node_id):
    """By integer id or uuid."""
    query = _live_nodes()
    if isinstance(node_id, int) or str(node_id).isdigit():
        query = query.where(models.ComputeNode.id == int(node_id))
    else:
        query = query.where(models.ComputeNode.uuid == str(node_id))
    with db_session.reader() as session:
        row = session.scalars(query).first()
        if row is None:
            raise exception.ComputeNodeNotFound(node_id=node_id)
        node = _node_dict(row, _usage_by_node(session, [row.id]),
                          _services_by_host(session).get(row.host))
        node['running_vms'] = _running_vms(session).get(
            row.hypervisor_hostname, 0)
        return node


def allocation_claim(consumer_uuid, node_id, project_id, vcpus, memory_mb,
                     disk_gb):
    """Atomically check capacity and record the consumer's allocation.

    The node row is locked (SELECT ... FOR UPDATE; SQLite transactions are
    serialized) so two schedulers claiming at once never over-commit it.
    """
    with db_session.writer() as session:
        node = session.scalars(_live_nodes().where(
            models.ComputeNode.id == node_id).with_for_update()).first()
        if node is None:
            raise exception.ComputeNodeNotFound(node_id=node_id)
        used_vcpus, used_ram, used_disk = _usage_by_node(
            session, [node_id]).get(node_id, (0, 0, 0))
        existing = session.scalars(sa.select(models.Allocation).where(
            models.Allocation.consumer_uuid == consumer_uuid,
            models.Allocation.compute_node_id == node_id)).first()
        if existing is not None:
            # Replaced, not added to: a claim sent again (its answer lost
            # with a conductor that died) must not count itself twice.
            used_vcpus -= existing.vcpus
            used_ram -= existing.memory_mb
            used_disk -= existing.disk_gb
        limits = {
            'VCPU': (node.vcpus * node.cpu_allocation_ratio -
                     node.reserved_host_cpus, used_vcpus, vcpus),
            'MEMORY_MB': (node.memory_mb * node.ram_allocation_ratio -
                          node.reserved_host_memory_mb, used_ram, memory_mb),
            'DISK_GB': (node.local_gb * node.disk_allocation_ratio -
                        node.reserved_host_disk_mb / 1024.0, used_disk,
                        disk_gb),
        }
        for resource, (capacity, used, wanted) in limits.items():
            if used + wanted > capacity:
                raise exception.ClaimFailed(
                    host=node.host,
                    reason='%s: %s requested, %s of %s used' % (
                        resource, wanted, used, int(capacity)))
        if existing is None:
            existing = models.Allocation(consumer_uuid=consumer_uuid,
                                         compute_node_id=node_id)
            session.add(existing)
        node.generation = (node.generation or 0) + 1
        existing.project_id = project_id
        existing.vcpus = vcpus
        existing.memory_mb = memory_mb
        existing.disk_gb = disk_gb
        session.flush()
        return utils.to_dict(existing)


def allocations_delete(consumer_uuid, node_id=None):
    condition = models.Allocation.consumer_uuid == consumer_uuid
    if node_id is not None:
        condition = sa.and_(condition,
                            models.Allocation.compute_node_id == node_id)
    with db_session.writer() as session:
        bump_generations_in(session, condition)
        return session.execute(
            sa.delete(models.Allocation).where(condition)).rowcount


def allocations_get(consumer_uuid):
    with db_session.reader() as session:
        return [utils.to_dict(r) for r in session.scalars(
            sa.select(models.Allocation).where(
                models.Allocation.consumer_uuid == consumer_uuid))]


def compute_node_get_by_host_and_nodename(host, nodename):
    with db_session.reader() as session:
        row = session.scalars(_live_nodes().where(
            models.ComputeNode.host == host,
            models.ComputeNode.hypervisor_hostname == nodename)).first()
        if row is None:
            raise exception.ComputeHostNotFound(host=host)
        return utils.to_dict(row)
