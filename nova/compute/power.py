"""Operations that change an instance in place on its host.

One recipe for all of them (``perform``): under the instance's lock,
record the event, walk the operation's intermediate task states with
compare-and-swap, ask the driver, then set the final vm_state and power
state from the transitions table.  On failure the task_state goes back to
None (upstream's reverts_task_state) and a fault is recorded.
"""

from oslo_log import log as logging

from nova.compute import events
from nova.compute import states
from nova.compute import transitions
from nova import exception

LOG = logging.getLogger(__name__)

_t = states.task
# Task states a poller sees between accept and the end (Appendix B).
PROGRESS = {
    'reboot': (_t.REBOOT_PENDING, _t.REBOOT_STARTED),
    'reboot_hard': (_t.REBOOT_PENDING_HARD, _t.REBOOT_STARTED_HARD),
    'createImage': (_t.IMAGE_SNAPSHOT, _t.IMAGE_PENDING_UPLOAD,
                    _t.IMAGE_UPLOADING),
    'createBackup': (_t.IMAGE_PENDING_UPLOAD, _t.IMAGE_UPLOADING),
    'rebuild': (_t.REBUILD_BLOCK_DEVICE_MAPPING, _t.REBUILD_SPAWNING),
}


def perform(manager, context, instance_uuid, operation, event, work,
            on_failure=None):
    """work(instance) does the job; it may return final values to save.

    on_failure(error) runs after a failure, before the task is reverted
    (e.g. to delete an image that will never be uploaded).
    """
    row = transitions.TRANSITIONS[operation]
    conductor = manager.conductor
    with manager.instance_lock(instance_uuid):
        try:
            with events.instance_event(conductor, context, instance_uuid,
                                       event, manager.host):
                instance = conductor.instance_get(context, instance_uuid)
                expected = row.accept_task
                if instance['task_state'] != expected:
                    raise exception.UnexpectedTaskStateError(
                        instance_uuid=instance_uuid, expected=expected,
                        actual=instance['task_state'])
                for task_state in PROGRESS.get(operation, ()):
                    instance = conductor.instance_update(
                        context, instance_uuid, {'task_state': task_state},
                        expected_task_state=[expected])
                    expected = task_state
                LOG.info('%s (current vm_state: %s, power_state: %s)',
                         event, instance['vm_state'],
                         instance['power_state'], instance=instance)
                final = work(instance) or {}
                values = {'task_state': None,
                          'power_state': manager.driver.get_power_state(
                              instance)}
                if row.final_vm_state:
                    values['vm_state'] = row.final_vm_state
                # The work may know better (a rebuilt stopped server stays
                # stopped) or have more to record.
                values.update(final)
                conductor.instance_update(context, instance_uuid, values,
                                          expected_task_state=[expected])
        except exception.UnexpectedTaskStateError as e:
            # Someone else (a delete, usually) changed it first.
            LOG.info('Not completing %s: %s', operation, e.format_message(),
                     instance_uuid=instance_uuid)
        except Exception as error:
            LOG.exception('%s failed', operation,
                          instance_uuid=instance_uuid)
            if on_failure is not None:
                try:
                    on_failure(error)
                except Exception:
                    LOG.exception('Cleaning up after %s failed', operation,
                                  instance_uuid=instance_uuid)
            _revert(manager, context, instance_uuid, error)


def _revert(manager, context, instance_uuid, error):
    events.add_fault(manager.conductor, context, instance_uuid, error,
                     manager.host)
    try:
        manager.conductor.instance_update(context, instance_uuid,
                                          {'task_state': None})
        LOG.info('Successfully reverted task state on failure for '
                 'instance.', instance_uuid=instance_uuid)
    except exception.NotFound:
        pass


def trigger_crash_dump(manager, context, instance_uuid):
    """An NMI to the guest (2.17): no task_state, only the event, which
    says Error (and the instance a fault) when the driver cannot."""
    conductor = manager.conductor
    try:
        with events.instance_event(conductor, context, instance_uuid,
                                   'compute_trigger_crash_dump',
                                   manager.host):
            instance = conductor.instance_get(context, instance_uuid)
            LOG.info('Triggering a crash dump', instance=instance)
            manager.driver.trigger_crash_dump(instance)
    except Exception as error:
        LOG.exception('Triggering a crash dump failed',
                      instance_uuid=instance_uuid)
        events.add_fault(conductor, context, instance_uuid, error,
                         manager.host)
