"""Terminating an instance on this host."""

from oslo_log import log as logging

from nova.compute import events
from nova import exception
from nova.network import flat

LOG = logging.getLogger(__name__)


def terminate(manager, context, instance_uuid):
    conductor = manager.conductor
    try:
        instance = conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        LOG.info('Instance already deleted', instance_uuid=instance_uuid)
        return
    with events.instance_event(conductor, context, instance_uuid,
                               'compute_terminate_instance', manager.host):
        LOG.info('Terminating instance', instance=instance)
        manager.driver.destroy(context, instance)
        flat.deallocate_for_instance(conductor, context, instance_uuid)
        conductor.allocations_delete(context, instance_uuid)
        # A resize awaiting confirmation still holds the source host.
        for migration in conductor.migrations_get_all(
                context, instance_uuid=instance_uuid, status='finished'):
            conductor.allocations_delete(context, migration['uuid'])
            conductor.migration_update(context, migration['uuid'],
                                       {'status': 'confirmed'})
        conductor.instance_destroy(context, instance_uuid)
    LOG.info('Instance deleted: guest destroyed, address and resources '
             'freed', instance_uuid=instance_uuid)
