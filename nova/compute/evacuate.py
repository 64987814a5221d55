"""Evacuation, on the computes.

rebuild_here (the destination, compute rebuild_instance with recreate):
the instance's host is down, so its guest is spawned afresh here from its
image, with the same uuid, name and network_info (the flat network keeps
its fixed IP), walking the rebuild's task states.  At the end the
instance is on this host (host, node, zone) and the migration is 'done';
its allocation on the source stays until the source compute returns.  A
failure here ends the evacuation: the guest begun here is removed with
its claim, the migration 'failed', the instance in ERROR with a fault,
still on its source host (as upstream).

When the source compute starts again, clean_evacuated (before the startup
recovery of its instances) destroys the guests evacuated away from it and
frees their allocations here, and marks their migrations 'completed'; an
evacuation still under way (the destination has not finished) has its
guest here destroyed and is left to the destination.  The destination's
own restart ends an evacuation it was interrupted in
(end_interrupted).
"""

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import events
from nova.compute import resize as compute_resize
from nova.compute import states
from nova import exception
from nova.image import glance

LOG = logging.getLogger(__name__)

_t = states.task
EVENT = 'compute_rebuild_instance'
TYPE = 'evacuation'
# An evacuation under way: the conductor's ('accepted') or the
# destination's ('pre-migrating') step; 'done' waits for the source.
UNDER_WAY = ('accepted', 'pre-migrating')


def rebuild_here(manager, context, uuid, image_meta, admin_password,
                 migration_uuid):
    conductor = manager.conductor
    image_meta = dict(image_meta or {})
    migration = None
    spawned = False
    with manager.instance_lock(uuid):
        try:
            with events.instance_event(conductor, context, uuid, EVENT,
                                       manager.host):
                migration = conductor.migration_update(
                    context, migration_uuid, {'status': 'pre-migrating'})
                instance = events.step(
                    manager, context, uuid, _t.REBUILDING,
                    {'task_state': _t.REBUILD_BLOCK_DEVICE_MAPPING})
                if manager.driver.uses_image_cache and image_meta.get('id'):
                    image_meta['path'] = glance.fetch_to_cache(
                        context, image_meta['id'], manager.image_cache_dir,
                        api=manager.image_api)
                instance = events.step(
                    manager, context, uuid, _t.REBUILD_BLOCK_DEVICE_MAPPING,
                    {'task_state': _t.REBUILD_SPAWNING})
                LOG.info('Rebuilding the instance here, evacuated from %s',
                         migration['source_compute'], instance=instance)
                stopped = instance['vm_state'] == states.STOPPED
                here = dict(instance, host=manager.host,
                            node=migration['dest_node'])
                spawned = True
                manager.driver.spawn(context, here, image_meta,
                                     instance.get('network_info'),
                                     admin_password)
                if stopped:
                    # An evacuated stopped server stays stopped.
                    manager.driver.power_off(here)
                system_metadata = dict(instance['system_metadata'] or {})
                _old_zone, zone = (system_metadata.pop(key, None)
                                   for key in compute_resize.MOVE_ZONES)
                values = {'host': manager.host,
                          'node': migration['dest_node'],
                          'vm_state': states.STOPPED if stopped
                          else states.ACTIVE,
                          'task_state': None,
                          'power_state': manager.driver.get_power_state(
                              here),
                          'launched_at': timeutils.utcnow(),
                          'system_metadata': system_metadata}
                if zone:
                    values['availability_zone'] = zone
                events.step(manager, context, uuid, _t.REBUILD_SPAWNING,
                            values)
                conductor.migration_update(context, migration_uuid,
                                           {'status': 'done'})
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError) as error:
            # Deleted (or reset) meanwhile: what was begun here goes.
            LOG.info('Evacuation abandoned: %s', error.format_message(),
                     instance_uuid=uuid)
            _undo(manager, context, uuid, migration, spawned)
            return
        except Exception as error:
            LOG.exception('Evacuation failed on %s', manager.host,
                          instance_uuid=uuid)
            _undo(manager, context, uuid, migration, spawned)
            events.add_fault(conductor, context, uuid, error, manager.host)
            try:
                conductor.instance_update(
                    context, uuid,
                    {'vm_state': states.ERROR, 'task_state': None},
                    expected_task_state=list(states.REBUILD_STATES))
            except (exception.NotFound, exception.UnexpectedTaskStateError):
                pass
            return
    LOG.info('Evacuated here from %s', migration['source_compute'],
             instance_uuid=uuid)


def _undo(manager, context, uuid, migration, spawned):
    """Remove the guest begun here and its claim; the migration failed."""
    conductor = manager.conductor
    if spawned:
        try:
            manager.driver.destroy(context, {'uuid': uuid})
        except Exception:
            LOG.exception('Failed to destroy the guest', instance_uuid=uuid)
    if migration is None:
        return
    try:
        node = conductor.compute_node_get_by_host_and_nodename(
            context, manager.host, migration['dest_node'])
        conductor.allocations_delete(context, uuid, node['id'])
    except exception.NotFound:
        pass
    conductor.migration_update(context, migration['uuid'],
                               {'status': 'failed'})


def _evacuations(manager, context, **filters):
    return [m for m in manager.conductor.migrations_get_all(
        context, host=manager.host, migration_type=TYPE, **filters)]


def clean_evacuated(manager, context):
    """The source compute starts again: the guests evacuated away from it
    go, with their allocations here once the evacuation is done.  Returns
    the uuids of the instances evacuated from here (done or under way),
    which startup recovery leaves alone."""
    conductor = manager.conductor
    try:
        local = set(manager.driver.list_instances())
    except NotImplementedError:
        local = set()
    evacuated = set()
    for migration in _evacuations(manager, context):
        status = migration['status']
        if migration['source_compute'] != manager.host or \
                status not in UNDER_WAY + ('done',):
            continue
        uuid = migration['instance_uuid']
        try:
            instance = conductor.instance_get(context, uuid,
                                              read_deleted='yes')
        except exception.InstanceNotFound:
            instance = {'uuid': uuid}
        if status == 'done' and instance.get('host') == manager.host and \
                not instance.get('deleted'):
            # Back here since (evacuated here again): this guest is its.
            LOG.info('Instance evacuated from this host lives here again; '
                     'migration %s completed', migration['uuid'],
                     instance_uuid=uuid)
            conductor.migration_update(context, migration['uuid'],
                                       {'status': 'completed'})
            continue
        evacuated.add(uuid)
        # Whether the driver lists it or not: what is left of it (a
        # libvirt definition, files) goes.
        LOG.info('Destroying the guest evacuated from this host%s '
                 '(migration %s, %s)', '' if uuid in local else
                 ' (not running)', migration['uuid'], status,
                 instance_uuid=uuid)
        manager.driver.destroy(context, instance)
        if status != 'done':
            # The destination finishes it; the source's claim is freed
            # once it is done, at a later start.
            continue
        try:
            node = conductor.compute_node_get_by_host_and_nodename(
                context, manager.host, migration['source_node'])
        except exception.NotFound:
            LOG.warning('No compute node %s here: the allocation of the '
                        'instance evacuated from it is left',
                        migration['source_node'], instance_uuid=uuid)
            continue
        conductor.allocations_delete(context, uuid, node['id'])
        conductor.migration_update(context, migration['uuid'],
                                   {'status': 'completed'})
        LOG.info('Freed the resources of the instance evacuated from this '
                 'host', instance_uuid=uuid)
    return evacuated


def end_interrupted(manager, context):
    """The destination compute starts again: an evacuation it had begun
    (pre-migrating) and not finished ends as if it failed here: the
    instance in ERROR on its source host with a fault, the claim here
    freed, the migration in error."""
    for migration in _evacuations(manager, context, status='pre-migrating'):
        if migration['dest_compute'] != manager.host:
            continue
        uuid = migration['instance_uuid']
        try:
            manager.driver.destroy(context, {'uuid': uuid})
        except Exception:
            LOG.exception('Failed to destroy the half-rebuilt guest',
                          instance_uuid=uuid)
        message = ('nova-compute on %s restarted during the evacuation: '
                   'it was undone' % manager.host)
        try:
            manager.conductor.instance_abort(
                context, uuid, list(states.REBUILD_STATES),
                {'vm_state': states.ERROR, 'task_state': None},
                {'code': 500, 'message': message, 'host': manager.host},
                EVENT, migration_uuid=migration['uuid'])
        except (exception.UnexpectedTaskStateError, exception.NotFound):
            LOG.info('Startup recovery: the evacuation was ended meanwhile',
                     instance_uuid=uuid)
            continue
        LOG.warning('Startup recovery: %s; migration %s is in error',
                    message, migration['uuid'], instance_uuid=uuid)
