"""The DHCP host of the flat network (``[network] flat_dhcp_host``).

Its nova-compute makes sure of the bridge with the gateway on it and of
one dnsmasq answering the fixed IPs the conductor gave out.  Whoever
allocates or releases an address casts ``refresh_flat_dhcp`` to it
(nova.network.api.FlatAPI.refresh_dhcp); a periodic full sync catches
what it missed while it was down.
"""

import ipaddress
import os
import threading

from oslo_log import log as logging

from nova.network import linux_net

LOG = logging.getLogger(__name__)


class DhcpServer:

    def __init__(self, conf, conductor):
        net = conf.network
        if not net.reserved_addresses:
            raise linux_net.HostNetworkError(
                reason='flat_dhcp_host needs the gateway: the first of '
                       '[network] reserved_addresses')
        self.conf = conf
        self.conductor = conductor
        self.network_name = net.flat_network_name
        self.network = ipaddress.ip_network(net.fixed_range_v4,
                                            strict=False)
        self.gateway = net.reserved_addresses[0]
        self.dnsmasq = linux_net.Dnsmasq(
            net.flat_bridge,
            os.path.join(conf.state_path, 'networks', net.flat_bridge))
        self._lock = threading.Lock()
        self._dirty = threading.Event()

    def setup(self, context):
        """The whole host side, then the hosts: at start and periodically
        (each step does nothing when it is done already)."""
        net = self.conf.network
        linux_net.ensure_bridge(net.flat_bridge, net.flat_interface)
        linux_net.ensure_address(net.flat_bridge, self.gateway,
                                 self.network.prefixlen)
        if net.flat_nat:
            linux_net.ensure_nat(str(self.network),
                                 'nova-flat-' + net.flat_bridge)
        self._sync(context)

    def refresh(self, context):
        """The hosts again, after an allocation or a release somewhere.

        Casts come in bursts (a multiple create): one sync at a time, and
        a sync asked for while one runs is done once more after it, not
        once per cast.
        """
        self._dirty.set()
        while self._dirty.is_set() and self._lock.acquire(blocking=False):
            try:
                if self._dirty.is_set():
                    self._dirty.clear()
                    self._sync(context)
            finally:
                self._lock.release()

    def _sync(self, context):
        rows = self.conductor.fixed_ip_get_all(context, self.network_name)
        entries = {(row['mac_address'], row['address']) for row in rows}
        # The hosts file first: a dnsmasq (re)started here reads it.
        added, removed = self.dnsmasq.update_hosts(entries)
        if self.dnsmasq.ensure_running(self.gateway, self.network,
                                       self.conf.network.dhcp_lease_time):
            LOG.info('dnsmasq for %s serves %d address(es)', self.network,
                     len(entries))
        elif added or removed:
            LOG.info('DHCP of %s: %d address(es) added, %d released (%s)',
                     self.network, len(added), len(removed),
                     ', '.join(sorted(a for _m, a in added | removed)))
