"""Building an instance on this host: networking, disks, spawn.

Each step advances task_state with a compare-and-swap on the previous one,
so a delete that arrives mid-build wins: the build notices, undoes what it
did and stops.  A spawn failure gives the instance back to the conductor to
try an alternate host, until the alternates or max_attempts run out; then
the instance goes to ERROR with a fault.
"""

import os
import traceback

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import events
from nova.compute import states
from nova import exception
from nova.image import glance

LOG = logging.getLogger(__name__)

BUILD_EVENT = 'compute__do_build_and_run_instance'


class InstanceDeleted(Exception):
    """The instance was deleted while we were building it."""


def _advance(manager, context, uuid, expected, values):
    """The next step."""
    try:
        return manager.conductor.instance_update(
            context, uuid, values, expected_task_state=expected)
    except (exception.InstanceNotFound,
            exception.UnexpectedDeletingTaskStateError):
        raise InstanceDeleted()


def build_and_run(manager, context, instance_uuid, request_spec, node,
                  alternates, attempt):
    try:
        _build(manager, context, instance_uuid, request_spec)
    except InstanceDeleted:
        LOG.info('Instance was deleted during the build; cleaning up',
                 instance_uuid=instance_uuid)
        _undo(manager, context, instance_uuid)
    except Exception as error:
        _failed(manager, context, instance_uuid, request_spec, alternates,
                attempt, error)


def _event_failed(conductor, context, uuid, error):
    """BUILD_EVENT finishes with Error (what events.instance_event does
    when the work inside it raises)."""
    try:
        conductor.event_finish(
            context, uuid, BUILD_EVENT, 'Error',
            traceback=traceback.format_exc(),
            details=events._message(error))
    except exception.NotFound:
        pass


def _build(manager, context, uuid, request_spec):
    """The build, inside BUILD_EVENT.

    The event starts in the same conductor call as the first steps
    (networking: the address is allocated there; then
    block_device_mapping, and spawning too when the image is cached), and
    finishes (Success) in the same call as the last one: three or four
    round trips fewer than instance_event around one call per step, same
    records.
    """
    conductor, driver = manager.conductor, manager.driver
    start = timeutils.utcnow()
    image_meta = dict(request_spec.get('image') or {})
    # The block_device_mapping step's work is the image in this host's
    # cache: when it is there already (or the driver keeps none), the step
    # has nothing to do and the same call walks on to spawning.
    download = bool(driver.uses_image_cache and image_meta.get('id') and
                    not os.path.exists(glance.cache_path(
                        manager.image_cache_dir, image_meta['id'])))
    try:
        instance = conductor.instance_build_networking(
            context, uuid,
            event_start={'event': BUILD_EVENT, 'host': manager.host},
            fixed_ip=manager.network_api.build_request(
                request_spec.get('requested_networks')),
            spawning=not download)
    except exception.InstanceActionNotFound:
        raise  # the event could not start: nothing to finish
    except Exception as error:
        # The event started; a step was refused (or the address).
        try:
            if isinstance(error, (exception.InstanceNotFound,
                                  exception.UnexpectedDeletingTaskStateError)):
                raise InstanceDeleted()
            raise
        except Exception as step_error:
            _event_failed(conductor, context, uuid, step_error)
            raise
    try:
        LOG.info('Building instance (flavor %s)',
                 (instance.get('flavor') or {}).get('name'),
                 instance=instance)
        network_info = instance.get('network_info') or []
        if network_info:
            manager.network_api.refresh_dhcp(context)
        if driver.uses_image_cache and image_meta.get('id'):
            # Once per image per host: later builds reuse the cached copy
            # (fetch_to_cache downloads it again if it went meanwhile).
            image_meta['path'] = glance.fetch_to_cache(
                context, image_meta['id'], manager.image_cache_dir,
                api=manager.image_api)
        if download:
            instance = _advance(manager, context, uuid,
                                [states.task.BLOCK_DEVICE_MAPPING],
                                {'task_state': states.task.SPAWNING})
        driver.spawn(context, instance, image_meta, network_info,
                     request_spec.get('admin_password'))
        values = {'vm_state': states.ACTIVE, 'task_state': None,
                  'power_state': driver.get_power_state(instance),
                  'launched_at': timeutils.utcnow()}
        try:
            conductor.instance_update_and_event(
                context, uuid, values,
                expected_task_state=[states.task.SPAWNING],
                event_finish={'event': BUILD_EVENT, 'result': 'Success'})
        except (exception.InstanceNotFound,
                exception.UnexpectedDeletingTaskStateError):
            raise InstanceDeleted()
    except exception.InstanceActionNotFound:
        # Only the Success record can fail so (the instance is ACTIVE):
        # as when it is recorded after the work, no Error record.
        raise
    except Exception as error:
        _event_failed(conductor, context, uuid, error)
        raise
    LOG.info('Took %.2f seconds to build instance.',
             (timeutils.utcnow() - start).total_seconds(),
             instance_uuid=uuid)


def _undo(manager, context, uuid):
    """Release what a failed or abandoned build took on this host."""
    try:
        manager.driver.destroy(context, {'uuid': uuid})
    except Exception:
        LOG.exception('Failed to destroy the guest', instance_uuid=uuid)
    manager.network_api.deallocate_for_instance(context, uuid)
    manager.conductor.allocations_delete(context, uuid)


def _failed(manager, context, uuid, request_spec, alternates, attempt,
            error):
    conductor = manager.conductor
    reason = getattr(error, 'format_message', lambda: str(error))()
    LOG.error('Build failed on %s: %s', manager.host, reason,
              instance_uuid=uuid)
    _undo(manager, context, uuid)
    max_attempts = manager.conf.scheduler.max_attempts
    # The flat network is the same from every host: no other host would
    # get the address asked for, or any address, where this one did not.
    same_everywhere = isinstance(error, (exception.FixedIpAlreadyInUse,
                                         exception.NoMoreFixedIps))
    if max_attempts > 1 and not same_everywhere:
        # The conductor decides: the next alternate, or MaxRetriesExceeded.
        try:
            conductor.instance_update(
                context, uuid, {'task_state': states.task.SCHEDULING,
                                'host': None, 'node': None,
                                'availability_zone': None,
                                'network_info': []},
                expected_task_state=list(states.BUILD_STATES) + [None])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            return
        conductor.build_instances(
            context, request_spec, uuid,
            alternates[:max_attempts - attempt], attempt, reason)
        return
    error = exception.BuildAbortException(instance_uuid=uuid, reason=reason) \
        if not isinstance(error, exception.NovaException) or \
        error.code == 500 else error
    # The fault first: a client that sees ERROR also sees why.
    events.add_fault(conductor, context, uuid, error, manager.host)
    try:
        conductor.instance_update(context, uuid,
                                  {'vm_state': states.ERROR,
                                   'task_state': None, 'network_info': []})
    except exception.InstanceNotFound:
        return
