"""Cold migration and resize between hosts, on the computes.

resize_instance (source): power off, hand the disk over, then ask the
destination to finish_resize: the guest runs there with the new flavor and
the instance waits in VERIFY_RESIZE.  confirm_resize (source) deletes what
is left on the source and frees its resources.  revert_resize
(destination) removes the new guest, then finish_revert_resize (source)
restores the instance exactly as it was: host, flavor, power state.
"""

from oslo_log import log as logging

from nova.compute import events
from nova.compute import states
from nova import exception

LOG = logging.getLogger(__name__)

_t = states.task
# System metadata of a move: the instance's zone before it and the
# destination host's (set by the conductor, which knows the zones).
MOVE_ZONES = ('old_availability_zone', 'new_availability_zone')


def _node_id(manager, context, host, nodename):
    return manager.conductor.compute_node_get_by_host_and_nodename(
        context, host, nodename)['id']


def give_back_resources(manager, context, uuid, migration):
    """Drop the destination's claim and return the source's resources
    from the migration to the instance: the instance is on the source."""
    conductor = manager.conductor
    if migration.get('dest_compute'):
        conductor.allocations_delete(context, uuid, _node_id(
            manager, context, migration['dest_compute'],
            migration['dest_node']))
    conductor.allocations_move(context, migration['uuid'], uuid, _node_id(
        manager, context, migration['source_compute'],
        migration['source_node']))
    conductor.migration_update(context, migration['uuid'],
                               {'status': 'error'})


def _failed(manager, context, uuid, migration_uuid, error):
    LOG.error('Move failed: %s', error, instance_uuid=uuid)
    rolled_back = isinstance(error, exception.InstanceFaultRollback)
    # The fault says what failed, not that the driver rolled back.
    events.add_fault(manager.conductor, context, uuid,
                     error.inner_exception if rolled_back and
                     error.inner_exception is not None else error,
                     manager.host)
    migration = manager.conductor.migration_get(context, migration_uuid)
    if migration['status'] in ('pre-migrating', 'migrating'):
        # The guest never left the source: nothing is held elsewhere.
        give_back_resources(manager, context, uuid, migration)
    else:
        manager.conductor.migration_update(context, migration_uuid,
                                           {'status': 'error'})
    if not rolled_back:
        manager.conductor.instance_update(context, uuid, {
            'vm_state': states.ERROR, 'task_state': None})
        return
    # The driver put the guest back as it was (upstream's
    # InstanceFaultRollback): the instance too, with its old flavor.
    instance = manager.conductor.instance_get(context, uuid)
    system_metadata = dict(instance['system_metadata'] or {})
    old_vm_state = system_metadata.get('old_vm_state') or states.ACTIVE
    for key in ('old_flavor', 'new_flavor', 'old_vm_state') + MOVE_ZONES:
        system_metadata.pop(key, None)
    manager.conductor.instance_update(context, uuid, {
        'vm_state': old_vm_state, 'task_state': None,
        'system_metadata': system_metadata,
        'power_state': manager.driver.get_power_state(instance)})


def resize_instance(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_resize_instance',
            manager.host):
        try:
            migration = conductor.migration_update(
                context, migration_uuid, {'status': 'migrating'})
            instance = events.step(manager, context, uuid, _t.RESIZE_PREP,
                             {'task_state': _t.RESIZE_MIGRATING})
            # The driver reaches the destination at its compute node's
            # host_ip ([libvirt] migration_inbound_addr there).
            dest_node = conductor.compute_node_get_by_host_and_nodename(
                context, migration['dest_compute'], migration['dest_node'])
            disk_info = manager.driver.migrate_disk_and_power_off(
                context, instance,
                dict(migration, dest_host_ip=dest_node.get('host_ip')))
            conductor.migration_update(context, migration_uuid,
                                       {'status': 'post-migrating'})
            events.step(manager, context, uuid, _t.RESIZE_MIGRATING,
                  {'task_state': _t.RESIZE_MIGRATED})
        except Exception as error:
            _failed(manager, context, uuid, migration_uuid, error)
            raise
    manager.compute_api.finish_resize(context, migration['dest_compute'],
                                      uuid, migration_uuid, disk_info)


def finish_resize(manager, context, uuid, migration_uuid, disk_info=None):
    conductor = manager.conductor
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_finish_resize',
            manager.host):
        try:
            migration = conductor.migration_get(context, migration_uuid)
            instance = events.step(manager, context, uuid, _t.RESIZE_MIGRATED,
                             {'task_state': _t.RESIZE_FINISH})
            system_metadata = instance['system_metadata']
            new_flavor = system_metadata['new_flavor']
            power_on = system_metadata.get('old_vm_state') != states.STOPPED
            values = {
                'host': migration['dest_compute'],
                'node': migration['dest_node'],
                'flavor': new_flavor, 'vcpus': new_flavor['vcpus'],
                'memory_mb': new_flavor['memory_mb'],
                'root_gb': new_flavor['root_gb'],
                'ephemeral_gb': new_flavor['ephemeral_gb']}
            if system_metadata.get(MOVE_ZONES[1]):
                values['availability_zone'] = system_metadata[MOVE_ZONES[1]]
            # The instance's ports bound here (the flat network's VIFs
            # stay as they are).
            values['network_info'] = \
                manager.network_api.setup_instance_network_on_host(
                    context, instance, manager.host)
            instance = conductor.instance_update(context, uuid, values)
            manager.driver.finish_migration(context, instance, migration,
                                            power_on, disk_info)
            conductor.migration_update(context, migration_uuid,
                                       {'status': 'finished'})
            events.step(manager, context, uuid, _t.RESIZE_FINISH, {
                'vm_state': states.RESIZED, 'task_state': None,
                'power_state': manager.driver.get_power_state(instance)})
        except Exception as error:
            _failed(manager, context, uuid, migration_uuid, error)
            raise
    LOG.info('Moved here from %s; waiting for confirm or revert',
             migration['source_compute'], instance_uuid=uuid)


def _settled_vm_state(instance):
    # The guest runs on the destination: its power state is in the record.
    running = instance['power_state'] == states.power.RUNNING
    return states.ACTIVE if running else states.STOPPED


def confirm_resize(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_confirm_resize',
            manager.host):
        migration = conductor.migration_get(context, migration_uuid)
        instance = conductor.instance_get(context, uuid)
        manager.driver.confirm_migration(context, instance, migration)
        source_node = _node_id(manager, context, migration['source_compute'],
                               migration['source_node'])
        conductor.allocations_delete(context, migration_uuid, source_node)
        conductor.migration_update(context, migration_uuid,
                                   {'status': 'confirmed'})
        system_metadata = dict(instance['system_metadata'] or {})
        for key in ('old_flavor', 'new_flavor', 'old_vm_state') + MOVE_ZONES:
            system_metadata.pop(key, None)
        conductor.instance_update(context, uuid, {
            'vm_state': _settled_vm_state(instance),
            'task_state': None, 'system_metadata': system_metadata})
    LOG.info('Resize confirmed; the source host is free',
             instance_uuid=uuid)


def revert_resize(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_revert_resize',
            manager.host):
        migration = conductor.migration_get(context, migration_uuid)
        instance = conductor.instance_get(context, uuid)
        manager.driver.destroy(context, instance)
        dest_node = _node_id(manager, context, migration['dest_compute'],
                             migration['dest_node'])
        conductor.allocations_delete(context, uuid, dest_node)
    manager.compute_api.finish_revert_resize(
        context, migration['source_compute'], uuid, migration_uuid)


def finish_revert_resize(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_finish_revert_resize',
            manager.host):
        migration = conductor.migration_get(context, migration_uuid)
        instance = conductor.instance_get(context, uuid)
        source_node = _node_id(manager, context, migration['source_compute'],
                               migration['source_node'])
        conductor.allocations_move(context, migration_uuid, uuid,
                                   source_node)
        system_metadata = dict(instance['system_metadata'] or {})
        old_flavor = system_metadata.pop('old_flavor')
        system_metadata.pop('new_flavor', None)
        old_vm_state = system_metadata.pop('old_vm_state', states.ACTIVE)
        old_zone, _new_zone = (system_metadata.pop(key, None)
                               for key in MOVE_ZONES)
        values = {
            'host': migration['source_compute'],
            'node': migration['source_node'], 'flavor': old_flavor,
            'vcpus': old_flavor['vcpus'],
            'memory_mb': old_flavor['memory_mb'],
            'root_gb': old_flavor['root_gb'],
            'ephemeral_gb': old_flavor['ephemeral_gb'],
            'system_metadata': system_metadata}
        if old_zone:
            values['availability_zone'] = old_zone
        # The ports bound here again.
        values['network_info'] = \
            manager.network_api.setup_instance_network_on_host(
                context, instance, manager.host)
        instance = conductor.instance_update(context, uuid, values)
        manager.driver.finish_revert_migration(
            context, instance, migration, old_vm_state != states.STOPPED)
        conductor.migration_update(context, migration_uuid,
                                   {'status': 'reverted'})
        try:
            events.step(manager, context, uuid, _t.RESIZE_REVERTING, {
                'vm_state': old_vm_state, 'task_state': None,
                'power_state': manager.driver.get_power_state(instance)})
        except exception.UnexpectedTaskStateError:
            LOG.warning('Revert finished but the task state changed '
                        'meanwhile', instance_uuid=uuid)
    LOG.info('Resize reverted: back on %s with its old flavor',
             manager.host, instance_uuid=uuid)
