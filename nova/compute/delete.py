"""Terminating an instance on this host, and reclaiming the soft-deleted
ones."""

import datetime

from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import events
from nova.compute import states
from nova import exception

LOG = logging.getLogger(__name__)


def terminate(manager, context, instance_uuid):
    conductor = manager.conductor
    # A build waiting for its VIFs' events stops waiting: it finds the
    # instance being deleted at its next step.
    manager.instance_events.abort_instance(instance_uuid)
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


def _deleted_at(instance):
    value = instance.get('deleted_at')
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return value


def reclaim_queued_deletes(manager, make_context):
    """Delete for real the instances of this host soft-deleted more than
    [DEFAULT] reclaim_instance_interval seconds ago (upstream's periodic
    _reclaim_queued_deletes): guest, address and allocations go.  One
    that a user acted on meanwhile (a task_state: restoring, deleting) is
    left alone.  Returns how many were reclaimed.
    """
    interval = manager.conf.reclaim_instance_interval
    if interval <= 0:
        return 0
    conductor = manager.conductor
    deadline = timeutils.utcnow() - datetime.timedelta(seconds=interval)
    reclaimed = 0
    for instance in conductor.instance_get_all_by_host(make_context(),
                                                       manager.host):
        deleted_at = _deleted_at(instance)
        if (instance.get('vm_state') != states.SOFT_DELETED or
                instance.get('task_state') or deleted_at is None or
                deleted_at > deadline):
            continue
        uuid = instance['uuid']
        context = make_context()
        try:
            conductor.instance_update(
                context, uuid, {'task_state': states.task.DELETING},
                expected_task_state=[None],
                expected_vm_state=[states.SOFT_DELETED])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            continue
        LOG.info('Reclaiming the instance soft-deleted at %s, more than '
                 '%d seconds ago', deleted_at, interval,
                 instance_uuid=uuid)
        terminate(manager, context, uuid)
        reclaimed += 1
    return reclaimed
