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
from nova.compute import external_events
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


# Upstream's reason for a build whose network could not be had (the same
# from any host, so not rescheduled), and why, for the user: no address
# of a service, no traceback (the fault's details, an admin's, have it).
NETWORK_FAILED = 'Failed to allocate the network(s), not rescheduling: %s.'
NEUTRON_FAILED = ('the Networking service (Neutron) could not be reached or '
                  'answered with an error')


def _network_failed(uuid, error):
    if isinstance(error, exception.NeutronError):
        why = NEUTRON_FAILED
    elif isinstance(error, exception.VirtualInterfaceCreateException):
        why = error.format_message()
    else:
        why = 'an unexpected error (%s)' % type(error).__name__
    return exception.BuildAbortException(instance_uuid=uuid,
                                         reason=NETWORK_FAILED % why)


def build_and_run(manager, context, instance_uuid, request_spec, node,
                  alternates, attempt):
    # What the build allocated on this host (network_info of the ports
    # the compute made), for the clean-up of a build that stops.
    allocated = {}
    try:
        _build(manager, context, instance_uuid, request_spec, allocated)
    except InstanceDeleted:
        LOG.info('Instance was deleted during the build; cleaning up',
                 instance_uuid=instance_uuid)
        _undo(manager, context, instance_uuid, allocated)
    except Exception as error:
        _failed(manager, context, instance_uuid, request_spec, alternates,
                attempt, error, allocated)


def spawn(manager, context, instance, image_meta, network_info,
          admin_password):
    """driver.spawn, waiting for the network-vif-plugged event of each VIF
    not active yet once the driver plugged them, before the guest runs
    (external_events.vif_plug_waiter)."""
    waiter = external_events.vif_plug_waiter(manager, instance['uuid'],
                                             network_info)
    if waiter is None:
        manager.driver.spawn(context, instance, image_meta, network_info,
                             admin_password)
        return
    waited = []

    def network_ready():
        waited.append(True)
        waiter()

    try:
        manager.driver.spawn(context, instance, image_meta, network_info,
                             admin_password, network_ready=network_ready)
        if not waited:
            waiter()  # a driver that did not say when it plugged
    finally:
        waiter.cancel()


def _allocate_on_compute(manager, context, instance, requested_networks,
                         allocated):
    """The network API's ports for the instance, bound to this host and
    saved as its network_info; the instance updated."""
    network_api, uuid = manager.network_api, instance['uuid']
    with network_api.instance_lock(uuid):
        try:
            network_info = network_api.allocate_for_instance(
                context, uuid, requested_networks, host=manager.host,
                instance=instance)
        except exception.NovaException as error:
            if error.code >= 500:
                LOG.error('Failed to allocate network(s): %s',
                          error.format_message(), instance_uuid=uuid)
                raise _network_failed(uuid, error)
            raise exception.BuildAbortException(
                instance_uuid=uuid, reason=error.format_message())
        except Exception as error:
            LOG.exception('Failed to allocate network(s)',
                          instance_uuid=uuid)
            raise _network_failed(uuid, error)
        allocated['network_info'] = network_info
        return _advance(manager, context, uuid, [instance['task_state']],
                        {'network_info': network_info})


def _event_failed(conductor, context, uuid, error):
    """BUILD_EVENT finishes with Error (what events.instance_event does
    when the work inside it raises)."""
    try:
        conductor.event_finish(
            context, uuid, BUILD_EVENT, 'Error',
            traceback=traceback.format_exc(),
            details=events.message(error))
    except exception.NotFound:
        pass


def _build(manager, context, uuid, request_spec, allocated):
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
        requested_networks = request_spec.get('requested_networks')
        if manager.network_api.allocates_on_compute and \
                requested_networks != 'none':
            instance = _allocate_on_compute(manager, context, instance,
                                            requested_networks, allocated)
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
        spawn(manager, context, instance, image_meta, network_info,
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


def _undo(manager, context, uuid, allocated=None):
    """Release what a failed or abandoned build took on this host."""
    network_info = (allocated or {}).get('network_info')
    try:
        manager.driver.destroy(context, {'uuid': uuid,
                                         'network_info': network_info or []})
    except Exception:
        LOG.exception('Failed to destroy the guest', instance_uuid=uuid)
    try:
        if network_info is None:
            manager.network_api.deallocate_for_instance(context, uuid)
        else:
            manager.network_api.deallocate_for_instance(
                context, uuid, network_info=network_info)
    except Exception:
        # The instance's ERROR (and its fault) matter more; a delete of it
        # deallocates again.
        LOG.exception('Failed to deallocate the network',
                      instance_uuid=uuid)
    manager.conductor.allocations_delete(context, uuid)


def _failed(manager, context, uuid, request_spec, alternates, attempt,
            error, allocated=None):
    conductor = manager.conductor
    reason = getattr(error, 'format_message', lambda: str(error))()
    LOG.error('Build failed on %s: %s', manager.host, reason,
              instance_uuid=uuid)
    _undo(manager, context, uuid, allocated)
    max_attempts = manager.conf.scheduler.max_attempts
    # The flat network is the same from every host: no other host would
    # get the address asked for, or any address, where this one did not.
    # Nor other ports, or the events of ports that did not come up here.
    if isinstance(error, exception.VirtualInterfaceCreateException):
        error = _network_failed(uuid, error)
    same_everywhere = isinstance(error, (exception.FixedIpAlreadyInUse,
                                         exception.NoMoreFixedIps,
                                         exception.BuildAbortException))
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
        (error.code == 500 and
         not isinstance(error, exception.BuildAbortException)) else error
    # The fault first: a client that sees ERROR also sees why.
    events.add_fault(conductor, context, uuid, error, manager.host)
    try:
        conductor.instance_update(context, uuid,
                                  {'vm_state': states.ERROR,
                                   'task_state': None, 'network_info': []})
    except exception.InstanceNotFound:
        return
