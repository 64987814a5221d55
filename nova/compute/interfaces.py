"""os-interface: a server's Neutron ports, attached and detached
(upstream's attach_interface / detach_interface of nova/compute/api.py).

Only the Neutron backend has them; the flat network's one address per
server answers 501 (upstream's answer when the network API cannot).  An
attach is checked here (the network or port exists, is free, the server's
state allows it: ACTIVE, PAUSED or STOPPED, not locked), recorded as the
``attach_interface`` action and done by the server's compute in an RPC
call, whose answer is the new interface; a detach is recorded and cast.
"""

from nova.compute import transitions
from nova import exception
from nova.network import model


class InterfaceAPI:
    """Reached by the handlers as req.compute_api.interfaces."""

    def __init__(self, compute_api):
        self._api = compute_api

    @property
    def network_api(self):
        return self._api.network_api

    def _neutron(self):
        if not self.network_api.interfaces_supported:
            raise exception.InterfacesNeedNeutron(
                backend=self.network_api.backend)
        return self.network_api

    def list(self, context, instance):
        """(port, tag) of each of the instance's ports."""
        ports = self._neutron().list_instance_ports(context, instance)
        tags = model.tags(instance.get('network_info'))
        return [(port, tags.get(port['id'])) for port in ports]

    def show(self, context, instance, port_id):
        port = self._neutron().show_instance_port(context, instance, port_id)
        return port, model.tags(instance.get('network_info')).get(port_id)

    def attach(self, context, instance, network_id=None, port_id=None,
               fixed_ip=None, tag=None):
        """(the port, its tag) once the compute plugged it in."""
        network_api = self._neutron()
        # Before Neutron is asked anything (_accept checks it again).
        transitions.check('attach_interface', instance, context.is_admin)
        (requested,) = network_api.validate_interface_attach(
            context, instance, network_id=network_id, port_id=port_id,
            fixed_ip=fixed_ip)
        if tag:
            requested['tag'] = tag
        instance = self._api._accept(context, instance, 'attach_interface')
        vif = self._api.compute_rpcapi.attach_interface(
            context, instance['host'], instance['uuid'], requested)
        return network_api.show_instance_port(
            context, instance, vif['id']), vif.get('tag')

    def detach(self, context, instance, port_id):
        self._neutron()
        transitions.check('detach_interface', instance, context.is_admin)
        if port_id not in {vif['id'] for vif in
                           instance.get('network_info') or ()}:
            raise exception.InterfaceNotAttached(
                port_id=port_id, instance_uuid=instance['uuid'])
        instance = self._api._accept(context, instance, 'detach_interface')
        self._api.compute_rpcapi.detach_interface(
            context, instance['host'], instance['uuid'], port_id)

