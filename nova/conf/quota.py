"""[quota] limits; Nova's defaults."""

from oslo_config import cfg

from nova.conf import groups

quota_group = cfg.OptGroup('quota', title='Quota options')

quota_opts = [
    cfg.IntOpt('instances', default=10, min=-1,
               help='Instances per project; -1 means unlimited.'),
    cfg.IntOpt('cores', default=20, min=-1,
               help='Instance vCPUs per project; -1 means unlimited.'),
    cfg.IntOpt('ram', default=51200, min=-1,
               help='Instance RAM (MB) per project; -1 means unlimited.'),
    cfg.IntOpt('metadata_items', default=128, min=-1,
               help='Metadata items per instance; -1 means unlimited.'),
    cfg.IntOpt('server_groups', default=10, min=-1,
               help='Server groups per project; -1 means unlimited.'),
    cfg.IntOpt('server_group_members', default=10, min=-1,
               help='Servers per server group; -1 means unlimited.'),
    cfg.IntOpt('key_pairs',
               default=100,
               min=-1,
               help='Key pairs each user may own; -1 means unlimited.'),
]


def register_opts(conf):
    groups.register(conf, quota_group, quota_opts)


def list_opts():
    return {quota_group.name: quota_opts}
