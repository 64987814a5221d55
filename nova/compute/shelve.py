"""Shelve, offload and unshelve on this host.

Shelving snapshots the guest into an image and powers it off; offloading
(immediately when [DEFAULT] shelved_offload_time is 0, the default) frees
the host: the guest, its address and its resources go.  Unshelving an
offloaded instance spawns it again from the shelve image, wherever the
scheduler put it, and deletes that image.
"""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import build
from nova.compute import events
from nova.compute import states
from nova import exception
from nova.image import glance
from nova.network import flat

LOG = logging.getLogger(__name__)

_t = states.task


def shelve(manager, context, uuid, image_id):
    conductor, driver = manager.conductor, manager.driver
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_shelve_instance',
            manager.host):
        try:
            instance = events.step(manager, context, uuid, _t.SHELVING, {
                'task_state': _t.SHELVING_IMAGE_PENDING_UPLOAD})
            driver.power_off(instance)
            instance = events.step(manager, context, uuid,
                             _t.SHELVING_IMAGE_PENDING_UPLOAD,
                             {'task_state': _t.SHELVING_IMAGE_UPLOADING})
            driver.snapshot(context, instance, image_id, lambda data:
                            manager.image_api.upload(context, image_id,
                                                     data))
        except Exception as error:
            _failed(manager, context, uuid, error, image_id)
            raise
        system_metadata = dict(instance.get('system_metadata') or {})
        system_metadata.update(shelved_image_id=image_id,
                               shelved_at=timeutils.utcnow().isoformat(),
                               shelved_host=manager.host)
        offload_now = manager.conf.shelved_offload_time == 0
        events.step(manager, context, uuid, _t.SHELVING_IMAGE_UPLOADING, {
            'vm_state': states.SHELVED,
            'task_state': _t.SHELVING_OFFLOADING if offload_now else None,
            'power_state': driver.get_power_state(instance),
            'system_metadata': system_metadata})
        LOG.info('Instance shelved into image %s', image_id,
                 instance_uuid=uuid)
        if offload_now:
            _offload(manager, context, uuid)


def shelve_offload(manager, context, uuid):
    with manager.instance_lock(uuid), events.instance_event(
            manager.conductor, context, uuid,
            'compute_shelve_offload_instance', manager.host):
        _offload(manager, context, uuid)


def offload_expired(manager, make_context):
    """Offload the instances shelved on this host more than
    [DEFAULT] shelved_offload_time seconds ago (when it is above 0): the
    periodic task upstream calls _poll_shelved_instances.  Each offload is
    an instance action (shelveOffload) of a request of its own
    (make_context gives its context); an instance that a user acted on
    meanwhile (task_state set) is left alone.
    """
    offload_time = manager.conf.shelved_offload_time
    if offload_time <= 0:
        return 0
    conductor = manager.conductor
    deadline = timeutils.utcnow() - datetime.timedelta(seconds=offload_time)
    offloaded = 0
    for instance in conductor.instance_get_all_by_host(make_context(),
                                                       manager.host):
        shelved_at = (instance.get('system_metadata') or {}).get(
            'shelved_at')
        if (instance.get('vm_state') != states.SHELVED or
                instance.get('task_state') or not shelved_at or
                datetime.datetime.fromisoformat(shelved_at) > deadline):
            continue
        uuid = instance['uuid']
        context = make_context()
        try:
            conductor.instance_update(
                context, uuid, {'task_state': _t.SHELVING_OFFLOADING},
                expected_task_state=[None],
                expected_vm_state=[states.SHELVED])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            continue
        LOG.info('Offloading: shelved at %s, more than %d seconds ago',
                 shelved_at, offload_time, instance_uuid=uuid)
        try:
            conductor.action_start(context, 'shelveOffload', uuid)
            shelve_offload(manager, context, uuid)
        except Exception:
            LOG.exception('Offloading the shelved instance failed; it stays '
                          'shelved on this host', instance_uuid=uuid)
            # Not stuck in shelving_offloading: the user can still act.
            try:
                conductor.instance_update(
                    context, uuid, {'task_state': None},
                    expected_task_state=[_t.SHELVING_OFFLOADING])
            except (exception.InstanceNotFound,
                    exception.UnexpectedTaskStateError):
                pass
            continue
        offloaded += 1
    return offloaded


def _offload(manager, context, uuid):
    conductor = manager.conductor
    instance = conductor.instance_get(context, uuid)
    manager.driver.destroy(context, instance)
    # The flat network's address goes back; Neutron's ports stay the
    # instance's, unbound from this host.
    network_info = manager.network_api.cleanup_instance_network_on_host(
        context, instance, manager.host)
    conductor.allocations_delete(context, uuid)
    # What the unshelve asks for again ('' for no network): upstream keeps
    # an offloaded instance's port, and its address, for it.
    system_metadata = dict(instance.get('system_metadata') or {})
    shelved_address = manager.network_api.shelved_address(instance)
    if shelved_address is not None:
        system_metadata[flat.SHELVED_ADDRESS] = shelved_address
    events.step(manager, context, uuid, _t.SHELVING_OFFLOADING, {
        'vm_state': states.SHELVED_OFFLOADED, 'task_state': None,
        'power_state': states.power.SHUTDOWN, 'host': None, 'node': None,
        # No host, no zone (upstream's too); unshelve gives it one again.
        'availability_zone': None,
        'network_info': network_info, 'system_metadata': system_metadata})
    LOG.info('Shelved instance offloaded: guest, address and resources '
             'freed', instance_uuid=uuid)


def unshelve(manager, context, uuid, request_spec):
    conductor, driver = manager.conductor, manager.driver
    with manager.instance_lock(uuid), events.instance_event(
            conductor, context, uuid, 'compute_unshelve_instance',
            manager.host):
        instance = conductor.instance_get(context, uuid)
        system_metadata = dict(instance.get('system_metadata') or {})
        image_id = system_metadata.get('shelved_image_id')
        try:
            if instance['vm_state'] == states.SHELVED:
                # Still on this host, only powered off.
                driver.power_on(instance)
                network_info = instance['network_info']
            else:
                instance = events.step(manager, context, uuid, _t.UNSHELVING,
                                 {'task_state': _t.SPAWNING})
                # The flat network's address again; Neutron's ports bound
                # to this host.
                network_info = \
                    manager.network_api.setup_instance_network_on_host(
                        context, instance, manager.host,
                        requested_networks=request_spec.get(
                            'requested_networks'))
                instance = dict(instance, network_info=network_info)
                image_meta = {'id': image_id, 'properties': {}}
                if driver.uses_image_cache and image_id:
                    image_meta['path'] = glance.fetch_to_cache(
                        context, image_id, manager.image_cache_dir,
                        api=manager.image_api)
                build.spawn(manager, context, instance, image_meta,
                            network_info, None)
        except Exception as error:
            LOG.exception('Unshelve failed', instance_uuid=uuid)
            driver.destroy(context, instance)
            if instance['vm_state'] != states.SHELVED:
                network_info = \
                    manager.network_api.cleanup_instance_network_on_host(
                        context, instance, manager.host)
                conductor.allocations_delete(context, uuid)
                conductor.instance_update(context, uuid, {
                    'host': None, 'node': None, 'availability_zone': None,
                    'network_info': network_info})
            _failed(manager, context, uuid, error)
            raise
        for key in ('shelved_image_id', 'shelved_at', 'shelved_host',
                    flat.SHELVED_ADDRESS):
            system_metadata.pop(key, None)
        if image_id:
            # Before ACTIVE: a client that sees ACTIVE no longer sees it.
            try:
                manager.image_api.delete(context, image_id)
            except exception.NotFound:
                pass
            except Exception:
                LOG.exception('Could not delete the shelve image %s',
                              image_id, instance_uuid=uuid)
        conductor.instance_update(context, uuid, {
            'vm_state': states.ACTIVE, 'task_state': None,
            'power_state': driver.get_power_state(instance),
            'network_info': network_info,
            'system_metadata': system_metadata})
        LOG.info('Instance unshelved', instance_uuid=uuid)


def _failed(manager, context, uuid, error, image_id=None):
    events.add_fault(manager.conductor, context, uuid, error, manager.host)
    if image_id:
        try:
            manager.image_api.delete(context, image_id)
        except Exception:
            LOG.exception('Could not delete image %s', image_id)
    try:
        manager.conductor.instance_update(context, uuid,
                                          {'task_state': None})
    except exception.NotFound:
        pass
