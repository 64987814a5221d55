"""Terminating an instance on this host."""

from oslo_log import log as logging

from nova.compute import events
from nova.compute import states
from nova import exception

LOG = logging.getLogger(__name__)


def terminate(manager, context, instance_uuid):
    conductor = manager.conductor
    try:
        instance = conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        LOG.info('Instance already deleted', instance_uuid=instance_uuid)
        return
    try:
        _terminate(manager, context, instance)
    except exception.InstanceNotFound:
        LOG.info('Instance deleted meanwhile', instance_uuid=instance_uuid)
        return
    except Exception as error:
        # As upstream: ERROR with a fault, not stuck in deleting, so that
        # the user sees why and can delete again.
        LOG.exception('Terminating failed; setting the instance to ERROR',
                      instance_uuid=instance_uuid)
        events.add_fault(conductor, context, instance_uuid, error,
                         manager.host)
        try:
            conductor.instance_update(
                context, instance_uuid,
                {'vm_state': states.ERROR, 'task_state': None},
                expected_task_state=[states.task.DELETING])
        except (exception.NotFound, exception.UnexpectedTaskStateError):
            pass
        return
    LOG.info('Instance deleted: guest destroyed, address and resources '
             'freed', instance_uuid=instance_uuid)


def _terminate(manager, context, instance):
    conductor = manager.conductor
    instance_uuid = instance['uuid']
    with events.instance_event(conductor, context, instance_uuid,
                               'compute_terminate_instance', manager.host):
        LOG.info('Terminating instance', instance=instance)
        manager.driver.destroy(context, instance)
        manager.network_api.deallocate_for_instance(context, instance_uuid)
        conductor.allocations_delete(context, instance_uuid)
        # A resize awaiting confirmation still holds the source host: its
        # resources, and the disk kept there for a revert.
        for migration in conductor.migrations_get_all(
                context, instance_uuid=instance_uuid, status='finished'):
            conductor.allocations_delete(context, migration['uuid'])
            conductor.migration_update(context, migration['uuid'],
                                       {'status': 'confirmed'})
            source = migration['source_compute']
            if source == manager.host:
                delete_moved_disks(manager, context, instance_uuid)
            else:
                manager.compute_api.delete_moved_disks(context, source,
                                                       instance_uuid)
        conductor.instance_destroy(context, instance_uuid)


def delete_moved_disks(manager, context, instance_uuid):
    """What a move left on this (source) host for a revert that will not
    come: the instance is gone."""
    manager.driver.confirm_migration(context, {'uuid': instance_uuid}, None)
    LOG.info('Deleted the disk kept here for reverting the resize of a '
             'deleted instance', instance_uuid=instance_uuid)
