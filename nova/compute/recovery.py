"""Bringing this host's instances back to a settled state.

``init_instances`` runs when nova-compute starts: the guests evacuated
away from this host while it was down are destroyed and their resources
here freed (nova.compute.evacuate), then an instance left in a
transitional task_state by a crash or restart is resolved as upstream's
_init_instance does (fact sheet section 6.4), so nothing stays stuck.
``sync_power_states`` runs periodically: the hypervisor's view wins, and a
guest that stopped by itself makes its instance SHUTOFF.

An instance that should have a running (or paused, suspended) guest whose
guest the hypervisor does not have at all (a host that rebooted, a fake
driver's restart, a domain undefined by hand) is stopped at startup: SHUTOFF,
with the power state the driver reports (NOSTATE), and a 'stop' action as
the periodic sync records for a guest that stopped by itself.  A start then
creates the guest again from the instance's disk (ComputeDriver.power_on).
The periodic sync does not do this (upstream's ignores a guest not found: a
hypervisor may be restarting); at startup the driver has just answered.
"""

from oslo_log import log as logging

from nova.compute import delete
from nova.compute import evacuate
from nova.compute import events
from nova.compute import live_migrate
from nova.compute import states
from nova import context as nova_context
from nova import exception

LOG = logging.getLogger(__name__)

_t = states.task
_p = states.power

_CLEAR = (_t.IMAGE_SNAPSHOT_PENDING, _t.IMAGE_BACKUP,
          _t.IMAGE_PENDING_UPLOAD, _t.IMAGE_UPLOADING, _t.IMAGE_SNAPSHOT)

# Instances whose guest must exist.  Tasks left alone when it does not:
# a start, a reboot (retried) bring it back themselves; a move, a delete
# have their own recovery.
_GUEST_NEEDED = (states.ACTIVE, states.PAUSED, states.SUSPENDED)
_NOT_LOST = ((_t.POWERING_ON, _t.DELETING) + states.SOFT_REBOOT_STATES +
             states.HARD_REBOOT_STATES + states.RESIZING_STATES)

_SETTLED_IF_RUNNING = (_t.REBOOT_STARTED, _t.REBOOT_STARTED_HARD,
                       _t.REBOOTING, _t.REBOOTING_HARD, _t.PAUSING,
                       _t.UNPAUSING)
# The instances with a guest on this host, whose VIFs are plugged again at
# start: what the driver makes for them (the OVS taps of Neutron's ports)
# did not outlive a reboot of the host.
_GUEST_STATES = (states.ACTIVE, states.STOPPED, states.PAUSED,
                 states.SUSPENDED, states.RESCUED, states.RESIZED,
                 states.SHELVED)


def _plug_vifs(manager, instance):
    if instance['vm_state'] not in _GUEST_STATES or \
            instance['task_state'] == _t.DELETING or \
            not instance.get('network_info'):
        return
    try:
        manager.driver.plug_vifs(instance, instance['network_info'])
    except Exception:
        LOG.exception('Startup recovery: plugging the VIFs failed',
                      instance=instance)


def _update(manager, context, instance, values, why):
    LOG.info('Startup recovery: %s', why, instance=instance)
    try:
        return manager.conductor.instance_update(context, instance['uuid'],
                                                 values)
    except exception.NotFound:
        return None


def init_instance(manager, context, instance):
    task, vm_state = instance['task_state'], instance['vm_state']
    uuid = instance['uuid']
    power = manager.driver.get_power_state(instance)
    if vm_state == states.SOFT_DELETED or (
            vm_state == states.ERROR and task not in (_t.DELETING,)):
        return
    if vm_state == states.BUILDING or task in states.BUILD_STATES:
        error = exception.BuildAbortException(
            instance_uuid=uuid,
            reason='nova-compute restarted while it was building: the '
                   'instance failed to spawn correctly')
        events.add_fault(manager.conductor, context, uuid, error,
                         manager.host)
        _update(manager, context, instance,
                {'vm_state': states.ERROR, 'task_state': None},
                'half-built instance set to ERROR')
        return
    _plug_vifs(manager, instance)
    if task == _t.MIGRATING:
        live_migrate.end_interrupted(manager, context, instance)
        return
    if task in states.REBUILD_STATES:
        _update(manager, context, instance,
                {'vm_state': states.ERROR, 'task_state': None},
                'interrupted rebuild set to ERROR')
        return
    if vm_state in _GUEST_NEEDED and task not in _NOT_LOST and \
            not manager.driver.instance_exists(instance):
        _lost_guest(manager, context, instance)
        return
    if task in _CLEAR:
        _update(manager, context, instance, {'task_state': None},
                'cleared task_state %s' % task)
        return
    if task in states.RESIZING_STATES:
        _end_interrupted_move(manager, context, instance)
        return
    if task == _t.DELETING:
        LOG.info('Startup recovery: finishing the delete', instance=instance)
        delete.terminate(manager, context, uuid)
        return
    if task == _t.POWERING_OFF:
        LOG.info('Startup recovery: stopping again', instance=instance)
        manager.stop_instance(context, uuid)
        return
    if task == _t.POWERING_ON:
        LOG.info('Startup recovery: starting again', instance=instance)
        manager.start_instance(context, uuid)
        return
    if task in _SETTLED_IF_RUNNING and power == _p.RUNNING:
        _update(manager, context, instance,
                {'vm_state': states.ACTIVE, 'task_state': None,
                 'power_state': power}, 'guest is running; %s done' % task)
        return
    if task in states.SOFT_REBOOT_STATES + states.HARD_REBOOT_STATES:
        hard = task in states.HARD_REBOOT_STATES or power != _p.RUNNING
        _update(manager, context, instance,
                {'task_state': _t.REBOOTING_HARD if hard else _t.REBOOTING},
                'retrying the reboot')
        manager.reboot_instance(context, uuid, 'HARD' if hard else 'SOFT')
        return
    if task == _t.UNPAUSING and power == _p.PAUSED:
        LOG.info('Startup recovery: unpausing again', instance=instance)
        manager.unpause_instance(context, uuid)
        return
    if task is not None:
        # Anything else in flight (pausing, suspending, rescuing, ...): the
        # hypervisor's state is the truth; clear the task.
        _update(manager, context, instance,
                {'task_state': None, 'power_state': power},
                'cleared task_state %s (guest power state %s)'
                % (task, power))


def _lost_guest(manager, context, instance):
    LOG.warning('Startup recovery: the hypervisor has no guest for this '
                '%s instance (task_state %s): setting it SHUTOFF; a start '
                'creates the guest again from its disk',
                instance['vm_state'], instance['task_state'],
                instance=instance)
    uuid = instance['uuid']
    try:
        manager.conductor.action_start(context, 'stop', uuid)
        manager.conductor.instance_update(
            context, uuid, {'vm_state': states.STOPPED, 'task_state': None,
                            'power_state': manager.driver.get_power_state(
                                instance)},
            expected_task_state=[instance['task_state']])
    except (exception.NotFound, exception.UnexpectedTaskStateError):
        pass


def init_instances(manager):
    context = nova_context.get_admin_context()
    # First what evacuations left here: the guests evacuated away (their
    # instances are not this host's any more, or are being rebuilt
    # elsewhere: not resumed here), an evacuation to here that this
    # restart interrupted.
    evacuated = set()
    for step in (evacuate.clean_evacuated, evacuate.end_interrupted):
        try:
            evacuated |= step(manager, context) or set()
        except Exception:
            LOG.exception('Startup recovery of evacuations failed')
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        if instance['uuid'] in evacuated:
            LOG.info('Startup recovery: evacuated from this host; left to '
                     'its destination', instance=instance)
            continue
        try:
            init_instance(manager, context, instance)
        except Exception:
            LOG.exception('Startup recovery failed', instance=instance)


def sync_power_states(manager):
    context = nova_context.get_admin_context()
    for instance in manager.conductor.instance_get_all_by_host(
            context, manager.host):
        if instance['task_state'] is not None:
            continue
        try:
            _sync(manager, context, instance)
        except Exception:
            LOG.exception('Power state sync failed', instance=instance)


def handle_lifecycle_event(manager, uuid, event_name):
    """A guest started, stopped, paused... on its own or by our hand.

    While a task runs the task records the outcome itself; otherwise the
    instance is compared with the hypervisor as the periodic sync does, so
    a guest powered off from inside shows SHUTOFF within a second, not at
    the next sync_power_state_interval.
    """
    LOG.info('VM %s (Lifecycle Event)', event_name, instance_uuid=uuid)
    context = nova_context.get_admin_context()
    try:
        instance = manager.conductor.instance_get(context, uuid)
    except exception.NotFound:
        return
    if instance['host'] != manager.host or \
            instance['task_state'] is not None:
        return
    _sync(manager, context, instance)


def _sync(manager, context, instance):
    power = manager.driver.get_power_state(instance)
    db_power, vm_state = instance['power_state'], instance['vm_state']
    values = {}
    if power != db_power:
        values['power_state'] = power
    stopped_by_itself = (vm_state == states.ACTIVE and
                         power in (_p.SHUTDOWN, _p.CRASHED, _p.NOSTATE))
    if stopped_by_itself:
        LOG.warning('Instance shut down by itself (power state %s). '
                    'Calling the stop API.', power, instance=instance)
        manager.conductor.action_start(context, 'stop', instance['uuid'])
        values.update(vm_state=states.STOPPED, task_state=None,
                      power_state=_p.SHUTDOWN)
    elif vm_state == states.STOPPED and power == _p.RUNNING:
        LOG.warning('Instance is running although it should be stopped; '
                    'stopping it again.', instance=instance)
        manager.driver.power_off(instance)
        values['power_state'] = manager.driver.get_power_state(instance)
    if values:
        try:
            manager.conductor.instance_update(context, instance['uuid'],
                                              values,
                                              expected_task_state=[None])
        except (exception.NotFound, exception.UnexpectedTaskStateError):
            pass


def _own_move(manager, context, instance):
    """The move of the instance under way on this host's side, or None."""
    for migration in manager.conductor.migrations_get_all(
            context, instance_uuid=instance['uuid']):
        if instance['task_state'] == _t.RESIZE_FINISH:
            if migration['status'] == 'post-migrating' and \
                    migration['dest_compute'] == manager.host:
                return migration
        elif migration['status'] == 'migrating' and \
                migration['source_compute'] == manager.host:
            return migration
    return None


def _end_interrupted_move(manager, context, instance):
    """This host died in its step of a resize or cold migration: the move
    ends in error, as if it had failed, and is undone: the instance stays
    on (or goes back to) the source with only the allocation it had there,
    the migration is in error, a fault and an Error event say why.

    On the source, in resize_prep the guest was not touched yet; in
    resize_migrating it may be powered off and handed over half way, so it
    is restored as it was.  On the destination (resize_finish) the new
    guest is removed; the source's, powered off by the move, is left for
    the user to restart (ERROR, as a failed move leaves it).
    """
    task, uuid = instance['task_state'], instance['uuid']
    migration = _own_move(manager, context, instance)
    # resize_prep before this (source) host took the move (migration
    # 'migrating') is the conductor's, ended by its reaper if it died;
    # resize_migrated waits for the destination.
    if task == _t.RESIZE_MIGRATED or migration is None:
        LOG.info('Startup recovery: %s is not this host\'s step of the '
                 'move; leaving it', task, instance=instance)
        return
    kind = 'resize' if migration['migration_type'] == 'resize' \
        else 'cold migration'
    values = {'task_state': None}
    if task == _t.RESIZE_MIGRATING:
        old_vm_state = (instance.get('system_metadata') or {}).get(
            'old_vm_state', states.ACTIVE)
        manager.driver.finish_revert_migration(
            context, instance, migration, old_vm_state != states.STOPPED)
        values.update(vm_state=old_vm_state,
                      power_state=manager.driver.get_power_state(instance))
    elif task == _t.RESIZE_FINISH:
        manager.driver.destroy(context, instance)
        values['vm_state'] = states.ERROR
    else:
        values['power_state'] = manager.driver.get_power_state(instance)
    message = ('nova-compute on %s restarted during the %s (task_state '
               '%s): it was undone' % (manager.host, kind, task))
    try:
        manager.conductor.instance_abort(
            context, uuid, task, values,
            {'code': 500, 'message': message, 'host': manager.host},
            'compute_finish_resize' if task == _t.RESIZE_FINISH
            else 'compute_resize_instance',
            migration_uuid=migration['uuid'])
    except (exception.UnexpectedTaskStateError, exception.NotFound):
        LOG.info('Startup recovery: the move was ended meanwhile',
                 instance=instance)
        return
    LOG.warning('Startup recovery: %s; migration %s is in error',
                message, migration['uuid'], instance=instance)
