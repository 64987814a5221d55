"""Cold migration and resize, as the conductor starts them.

A migration record is created; the instance's allocation on the source is
handed to the migration (so the source keeps its resources until confirm
or revert), and the scheduler claims the destination for the instance.
The source compute then moves the guest and the destination finishes it:
the instance waits in VERIFY_RESIZE for confirm or revert.  When no host
fits, everything is put back and the instance stays as it was, with a
fault and an Error event saying why (as upstream).

A cold migration never stays on the instance's host; a resize may when
[DEFAULT] allow_resize_to_same_host is True: the new flavor is then
claimed on the same node beside the old one (held by the migration) until
confirm or revert frees one of them.
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

LOG = logging.getLogger(__name__)

EVENT = 'conductor_migrate_server'


def same_host_allowed(conf):
    """[DEFAULT] allow_resize_to_same_host: a resize (never a cold
    migration) may stay on the instance's host."""
    return conf.allow_resize_to_same_host


def migrate_server(flow, context, instance_uuid, flavor, host=None):
    instance = db_instances.instance_get(instance_uuid)
    old_flavor = instance['flavor']
    new_flavor = flavor or old_flavor
    resize = new_flavor.get('flavorid') != old_flavor.get('flavorid')
    source = db_compute_nodes.compute_node_get_by_host_and_nodename(
        instance['host'], instance['node'])
    migration = db_moves.migration_create({
        'instance_uuid': instance_uuid,
        'source_compute': instance['host'], 'source_node': instance['node'],
        'old_instance_type_id': old_flavor.get('id'),
        'new_instance_type_id': new_flavor.get('id'),
        'status': 'pre-migrating',
        'migration_type': 'resize' if resize else 'migration',
        'user_id': context.user_id, 'project_id': context.project_id})
    db_actions.event_start(instance_uuid, context.request_id, EVENT,
                           flow.host)
    db_moves.allocations_move(instance_uuid, migration['uuid'],
                              source['id'])
    spec = {'project_id': instance['project_id'],
            'user_id': instance['user_id'], 'num_instances': 1,
            'flavor': new_flavor,
            'image': {'id': instance['image_ref'], 'properties': {}},
            # Held to the zone its create asked for, as upstream's
            # request spec holds it; free to move when it asked for none.
            'availability_zone': (instance['system_metadata'] or {}).get(
                aggregates.REQUESTED_ZONE_KEY),
            'force_host': host,
            'scheduler_hints': instance['scheduler_hints'] or {},
            'ignore_hosts': ([] if resize and same_host_allowed(flow.conf)
                             else [instance['host']])}
    try:
        (hosts,) = flow.select_destinations(context, spec, [instance_uuid])
    except exception.NoValidHost as e:
        LOG.warning('Cannot %s: %s', 'resize' if resize else 'migrate',
                    e.format_message(), instance_uuid=instance_uuid)
        db_moves.allocations_move(migration['uuid'], instance_uuid,
                                  source['id'])
        db_moves.migration_update(migration['uuid'], {'status': 'error'})
        # As upstream: the instance as it was (its vm_state, no task),
        # a fault and the Error event saying why.
        flow.add_fault(instance_uuid, e)
        try:
            db_instances.instance_update(
                instance_uuid, {'task_state': None},
                expected_task_state=[states.task.RESIZE_PREP])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            pass
        db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                                'Error', traceback=flow.traceback(e),
                                details=e.format_message())
        return
    dest = hosts[0]
    migration = db_moves.migration_update(migration['uuid'], {
        'dest_compute': dest['host'], 'dest_node': dest['nodename'],
        'dest_host': dest['host']})
    system_metadata = dict(instance['system_metadata'] or {})
    # The zone goes with the host: the destination's once the guest is
    # there (finish_resize), the source's again on revert.
    system_metadata.update(old_flavor=old_flavor, new_flavor=new_flavor,
                           old_vm_state=instance['vm_state'])
    system_metadata.update(zip(compute_resize.MOVE_ZONES, (
        instance['availability_zone'], flow.host_zone(dest))))
    try:
        # Still resize_prep: the instance was not deleted, nor its move
        # ended by a reaper that thought this conductor dead.
        db_instances.instance_update(
            instance_uuid, {'system_metadata': system_metadata},
            expected_task_state=[states.task.RESIZE_PREP])
    except (exception.InstanceNotFound,
            exception.UnexpectedTaskStateError) as e:
        LOG.warning('Not moving: %s; giving back the claims',
                    e.format_message(), instance_uuid=instance_uuid)
        db_compute_nodes.allocations_delete(instance_uuid, dest['node_id'])
        if isinstance(e, exception.InstanceNotFound):
            db_compute_nodes.allocations_delete(migration['uuid'])
        else:
            db_moves.allocations_move(migration['uuid'], instance_uuid,
                                      source['id'])
        db_moves.migration_update(migration['uuid'], {'status': 'error'})
        return
    db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                            'Success')
    LOG.info('Moving from %s to %s (%s)', instance['host'], dest['host'],
             migration['migration_type'], instance_uuid=instance_uuid)
    flow.compute.resize_instance(context, instance['host'], instance_uuid,
                                 migration['uuid'])
