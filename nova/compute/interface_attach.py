"""os-interface on the compute: a port plugged into a guest, or taken out.

attach (an RPC call: nova-api answers with the VIF) binds a port to this
host, one made on the requested network or the user's, plugs it into the
guest (the driver's attach_interface: the running guest and its
definition) and adds its VIF to the instance's network_info.  A failure
undoes the port (deleted if made here, unbound if the user's) and says
why.  detach (a cast) takes the VIF out of the guest, deletes or unbinds
the port and drops it from network_info; a failure leaves a fault.  Both
hold the instance's lock on this host and record an action event.
"""

from oslo_log import log as logging

from nova.compute import events
from nova import exception

LOG = logging.getLogger(__name__)


def attach(manager, context, instance_uuid, requested):
    """The new VIF (network_info's shape, with the request's tag).

    The network API's instance lock is held from the port's binding until
    network_info has it, as a build holds it: a delete meanwhile finds the
    port in network_info (a user's port is given back, not deleted)."""
    conductor, network_api = manager.conductor, manager.network_api
    with manager.instance_lock(instance_uuid), events.instance_event(
            conductor, context, instance_uuid, 'compute_attach_interface',
            manager.host), network_api.instance_lock(instance_uuid):
        instance = conductor.instance_get(context, instance_uuid)
        (vif,) = network_api.allocate_for_instance(
            context, instance_uuid, [requested], host=manager.host,
            instance=instance)
        if requested.get('tag'):
            vif['tag'] = requested['tag']
        try:
            manager.driver.attach_interface(instance, vif)
        except Exception as error:
            LOG.exception('Attaching interface %s failed', vif['id'],
                          instance=instance)
            network_api.deallocate_port_for_instance(
                context, dict(instance, network_info=[vif]), vif['id'])
            if isinstance(error, exception.NotSupportedByDriver):
                raise
            raise exception.InterfaceAttachFailed(
                instance_uuid=instance_uuid,
                reason=events.message(error))
        network_info = list(instance.get('network_info') or []) + [vif]
        try:
            conductor.instance_update(context, instance_uuid,
                                      {'network_info': network_info})
        except exception.InstanceNotFound:
            # Deleted meanwhile: its guest goes with it, the port too.
            network_api.deallocate_port_for_instance(
                context, dict(instance, network_info=[vif]), vif['id'])
            raise
    LOG.info('Interface %s attached (%s)', vif['id'],
             vif['network'].get('label'), instance=instance)
    return vif


def detach(manager, context, instance_uuid, port_id):
    conductor, network_api = manager.conductor, manager.network_api
    try:
        conductor.instance_get(context, instance_uuid)
    except exception.InstanceNotFound:
        LOG.info('Not detaching interface %s: the instance is gone',
                 port_id, instance_uuid=instance_uuid)
        return
    try:
        with manager.instance_lock(instance_uuid), events.instance_event(
                conductor, context, instance_uuid,
                'compute_detach_interface', manager.host):
            instance = conductor.instance_get(context, instance_uuid)
            network_info = instance.get('network_info') or []
            vif = next((v for v in network_info if v['id'] == port_id),
                       None)
            if vif is None:
                raise exception.InterfaceNotAttached(
                    port_id=port_id, instance_uuid=instance_uuid)
            manager.driver.detach_interface(instance, vif)
            with network_api.instance_lock(instance_uuid):
                network_api.deallocate_port_for_instance(
                    context, instance, port_id)
                conductor.instance_update(context, instance_uuid, {
                    'network_info': [v for v in network_info
                                     if v['id'] != port_id]})
        LOG.info('Interface %s detached', port_id,
                 instance_uuid=instance_uuid)
    except Exception as error:
        LOG.exception('Detaching interface %s failed', port_id,
                      instance_uuid=instance_uuid)
        events.add_fault(conductor, context, instance_uuid, error,
                         manager.host)
