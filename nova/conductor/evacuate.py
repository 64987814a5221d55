"""Evacuation, as the conductor runs it.

The instance's host is down (the API checked).  A migration of type
'evacuation' is recorded ('accepted'): the tombstone the source compute
finds when it comes back.  The scheduler picks a destination other than
the source (the named host, which it still checks, or a forced one, 2.29
to 2.67, which it does not) and the destination is claimed for the
instance; its allocation on the source stays until the source compute
returns and frees it.  The destination compute then rebuilds the instance
from its image (compute rebuild_instance with recreate): same uuid, name
and addresses, on the new host.

When no host fits, the instance stays on its dead host in ERROR with a
fault saying why, the migration in 'error', as upstream.
"""

from oslo_log import log as logging

from nova.compute import aggregates
from nova.compute import resize as compute_resize
from nova.compute import states
from nova.db import actions as db_actions
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves as db_moves
from nova import exception
from nova.scheduler import utils as scheduler_utils

LOG = logging.getLogger(__name__)

# Upstream's conductor reports the scheduling of a rebuild so.
EVENT = 'rebuild_server'


def _forced(flow, instance, host):
    """A node of host claimed for the instance without the scheduler's
    filters (force, 2.29-2.67): what the scheduler's selection has."""
    nodes = [n for n in db_compute_nodes.compute_node_get_all()
             if n['host'] == host]
    if not nodes:
        raise exception.NoValidHost(
            reason='Requested host %s is not a compute host.' % host)
    node = nodes[0]
    vcpus, memory_mb, disk_gb = scheduler_utils.flavor_resources(
        instance['flavor'])
    try:
        db_compute_nodes.allocation_claim(
            instance['uuid'], node['id'], instance['project_id'], vcpus,
            memory_mb, disk_gb)
    except exception.ClaimFailed as e:
        raise exception.NoValidHost(reason=e.format_message())
    return {'host': node['host'], 'nodename': node['hypervisor_hostname'],
            'node_id': node['id']}


def evacuate(flow, context, instance_uuid, host=None, force=False,
             admin_password=None):
    try:
        instance = db_instances.instance_get(instance_uuid)
    except exception.InstanceNotFound:
        LOG.info('Not evacuating: the instance was deleted',
                 instance_uuid=instance_uuid)
        return
    flavor = instance['flavor']
    migration = db_moves.migration_create({
        'instance_uuid': instance_uuid,
        'source_compute': instance['host'], 'source_node': instance['node'],
        'dest_compute': host,
        'old_instance_type_id': flavor.get('id'),
        'new_instance_type_id': flavor.get('id'),
        'status': 'accepted', 'migration_type': 'evacuation',
        'user_id': context.user_id, 'project_id': context.project_id})
    db_actions.event_start(instance_uuid, context.request_id, EVENT,
                           flow.host)
    system_metadata = dict(instance['system_metadata'] or {})
    spec = {'project_id': instance['project_id'],
            'user_id': instance['user_id'], 'num_instances': 1,
            'flavor': flavor,
            'image': {'id': instance['image_ref'], 'properties': {}},
            'availability_zone': system_metadata.get(
                aggregates.REQUESTED_ZONE_KEY),
            'force_host': host,
            'scheduler_hints': instance['scheduler_hints'] or {},
            'ignore_hosts': [instance['host']]}
    try:
        if force:
            dest = _forced(flow, instance, host)
        else:
            (hosts,) = flow.select_destinations(context, spec,
                                                [instance_uuid])
            dest = hosts[0]
    except exception.NoValidHost as e:
        _no_host(flow, context, instance_uuid, migration, e)
        return
    zone = flow.host_zone(dest)
    migration = db_moves.migration_update(migration['uuid'], {
        'dest_compute': dest['host'], 'dest_node': dest['nodename'],
        'dest_host': dest['host']})
    system_metadata.update(zip(compute_resize.MOVE_ZONES, (
        instance['availability_zone'], zone)))
    try:
        # Still evacuating: not deleted (nor reset) meanwhile.
        db_instances.instance_update(
            instance_uuid, {'system_metadata': system_metadata},
            expected_task_state=[states.task.REBUILDING])
    except (exception.InstanceNotFound,
            exception.UnexpectedTaskStateError) as e:
        LOG.warning('Not evacuating: %s; giving back the claim on %s',
                    e.format_message(), dest['host'],
                    instance_uuid=instance_uuid)
        db_compute_nodes.allocations_delete(instance_uuid, dest['node_id'])
        db_moves.migration_update(migration['uuid'], {'status': 'error'})
        return
    db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                            'Success')
    LOG.info('Evacuating from %s (down) to %s', instance['host'],
             dest['host'], instance_uuid=instance_uuid)
    flow.compute.rebuild_instance(
        context, dest['host'], instance_uuid,
        {'id': instance['image_ref'], 'properties': {}}, admin_password,
        recreate=True, migration_uuid=migration['uuid'])


def _no_host(flow, context, instance_uuid, migration, error):
    """As upstream: the instance stays on its (dead) host, in ERROR with a
    fault saying why; the migration in error; the event says it too."""
    LOG.warning('Cannot evacuate: %s', error.format_message(),
                instance_uuid=instance_uuid)
    db_moves.migration_update(migration['uuid'], {'status': 'error'})
    flow.add_fault(instance_uuid, error)
    try:
        db_instances.instance_update(
            instance_uuid, {'vm_state': states.ERROR, 'task_state': None},
            expected_task_state=[states.task.REBUILDING])
    except (exception.InstanceNotFound, exception.UnexpectedTaskStateError):
        pass
    db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                            'Error', traceback=flow.traceback(error),
                            details=error.format_message())
