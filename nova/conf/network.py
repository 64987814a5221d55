"""[network] options: the network backend, and the flat network instances
get fixed IPs from."""

from oslo_config import cfg

from nova.conf import groups

network_group = cfg.OptGroup('network', title='Network options')

network_opts = [
    cfg.StrOpt('backend',
               default='flat',
               choices=[('flat', 'The built-in flat network: fixed IPs of '
                         'fixed_range_v4 on a bridge of each compute host.'),
                        ('neutron', 'Ports of the Networking service '
                         '(Neutron, ML2/OVN): see the [neutron] options.')],
               help='Where instances get their network interfaces '
                    '(nova/network/api.py).'),
    cfg.StrOpt('flat_network_name',
               default='private',
               help='Name of the flat network, as shown in addresses.'),
    cfg.StrOpt('flat_network_id',
               default='5f0fa6a2-2c5a-4e8c-9b1e-2d8f6b1c7a40',
               help='UUID of the flat network: what a client asks for in '
                    'networks[].uuid (openstack server create --nic '
                    'net-id=<this>); its name is accepted too.'),
    cfg.StrOpt('fixed_range_v4',
               default='10.0.0.0/24',
               help='IPv4 CIDR instances get fixed addresses from.'),
    cfg.ListOpt('reserved_addresses',
                default=['10.0.0.1'],
                help='Addresses of fixed_range_v4 never given out; the '
                     'first is the network\'s gateway.'),
    cfg.StrOpt('flat_bridge',
               default='br100',
               help='Linux bridge of each compute host that guests of the '
                    'flat network are attached to (at most 15 characters); '
                    'the libvirt driver makes it when it is missing.'),
    cfg.StrOpt('flat_interface',
               help='An interface the libvirt driver adds to flat_bridge '
                    'when it makes it: what joins the bridges of the '
                    'compute hosts into one network.'),
    cfg.StrOpt('flat_dhcp_host',
               help='The compute host that serves DHCP for the flat '
                    'network: its nova-compute puts the gateway (the first '
                    'of reserved_addresses) on its flat_bridge and runs one '
                    'dnsmasq that answers the MAC of each fixed IP the '
                    'conductor gave out, and nothing else.  Unset, guests '
                    'get no DHCP.'),
    cfg.BoolOpt('flat_nat',
                default=False,
                help='On flat_dhcp_host: masquerade what the guests send '
                     'outside fixed_range_v4 (an iptables rule), so that '
                     'they reach what the host reaches.'),
    cfg.IntOpt('dhcp_lease_time',
               default=86400, min=120,
               help='Seconds a DHCP lease of the flat network lasts.  An '
                    'address given back is released from dnsmasq at once, '
                    'whatever this says.'),
    cfg.IntOpt('dhcp_sync_interval',
               default=60, min=0,
               help='Seconds between two full comparisons of dnsmasq\'s '
                    'hosts with the fixed IPs the conductor holds, on '
                    'flat_dhcp_host (each allocation and release updates '
                    'it at once; this catches what a restart missed).  0 '
                    'turns it off.'),
    cfg.StrOpt('ovsdb_connection',
               help='The OVSDB the libvirt driver\'s ovs-vsctl commands '
                    'talk to when it plugs Open vSwitch VIFs (Neutron\'s '
                    'ports with binding:vif_type ovs): e.g. '
                    'unix:/run/openvswitch/db.sock.  Unset: ovs-vsctl\'s '
                    'own default.'),
]


def register_opts(conf):
    groups.register(conf, network_group, network_opts)


def list_opts():
    return {network_group.name: network_opts}
