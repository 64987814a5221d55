"""The network API: what nova-compute asks of the instances' network.

One interface, a backend per ``[network] backend``:

``flat``
    fixed IPs of one flat network (nova/network/flat.py), allocated by the
    conductor; one VIF per instance on the compute host's bridge.

network_info has upstream's shape (nova/network/model.py).  A build's
address is allocated by the conductor inside the build steps' own
transaction (flat.fixed_ip_request tells it what to allocate), so
``allocate_for_instance`` serves the other callers: unshelve, and later
the moves.
"""

from nova.network import flat
from nova.network import model


class FlatAPI:
    """The built-in flat network."""

    backend = 'flat'

    def __init__(self, conf, conductor):
        self.conf = conf
        self.conductor = conductor

    def build_request(self, requested_networks):
        """What the conductor allocates in a build's steps, or None."""
        return flat.fixed_ip_request(self.conf, requested_networks)

    def allocate_for_instance(self, context, instance_uuid,
                              requested_networks):
        """The instance's network_info; [] with networks 'none'."""
        return flat.allocate_for_instance(
            self.conductor, context, self.conf, instance_uuid,
            requested_networks)

    def deallocate_for_instance(self, context, instance_uuid):
        """Give back every address the instance holds."""
        return flat.deallocate_for_instance(self.conductor, context,
                                            instance_uuid)

    def get_instance_nw_info(self, context, instance):
        """The instance's network_info as recorded."""
        return instance.get('network_info') or []

    def shelved_address(self, instance):
        """What an offloaded instance asks for again at unshelve: its
        first address ('' for none)."""
        return model.first_address(instance.get('network_info')) or ''

    def setup_networks_on_host(self, context, instance, host):
        """Make the instance's networks usable on host (a move's target).

        The flat network is the same on every host: nothing to move."""

    def cleanup_networks_on_host(self, context, instance, host):
        """Undo setup_networks_on_host on host (a move's source)."""


BACKENDS = {'flat': FlatAPI}


def API(conf, conductor):
    """The network API of ``[network] backend``."""
    return BACKENDS[conf.network.backend](conf, conductor)
