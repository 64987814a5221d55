"""[placement_api] options of nova-placement-api, the Placement-compatible
read API (nova/api/placement)."""

from oslo_config import cfg

from nova.conf import groups

placement_api_group = cfg.OptGroup(
    'placement_api', title='Placement-compatible API options',
    help='nova-placement-api: compute nodes as Placement resource '
         'providers, for Horizon and osc-placement.  It authenticates as '
         'nova-api does ([api] auth_strategy, [keystone_authtoken]).')

placement_api_opts = [
    cfg.StrOpt('listen',
               default='0.0.0.0',
               help='IP address on which nova-placement-api listens.'),
    cfg.PortOpt('listen_port',
                default=8778,
                help="Port on which nova-placement-api listens (upstream "
                     "Placement's port)."),
    cfg.IntOpt('workers',
               default=4,
               min=1,
               help='Number of threads serving requests in '
                    'nova-placement-api.'),
]


def register_opts(conf):
    groups.register(conf, placement_api_group, placement_api_opts)


def list_opts():
    return {placement_api_group.name: placement_api_opts}
