"""[network] options: the flat network instances get fixed IPs from."""

from oslo_config import cfg

from nova.conf import groups

network_group = cfg.OptGroup('network', title='Network options')

network_opts = [
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
                help='Addresses of fixed_range_v4 never given out (the '
                     'gateway, typically).'),
]


def register_opts(conf):
    groups.register(conf, network_group, network_opts)


def list_opts():
    return {network_group.name: network_opts}
