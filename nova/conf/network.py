"""[network] options: the network backend, and the flat network instances
get fixed IPs from."""

from oslo_config import cfg

from nova.conf import groups

network_group = cfg.OptGroup('network', title='Network options')

network_opts = [
    cfg.StrOpt('backend',
               default='flat',
               choices=[('flat', 'The built-in flat network: fixed IPs of '
                         'fixed_range_v4 on a bridge of each compute host.')],
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
                    'flat network are attached to.'),
]


def register_opts(conf):
    groups.register(conf, network_group, network_opts)


def list_opts():
    return {network_group.name: network_opts}
