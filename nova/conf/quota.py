"""[quota] limits; Nova's defaults."""

from oslo_config import cfg

quota_group = cfg.OptGroup('quota', title='Quota options')

quota_opts = [
    cfg.IntOpt('key_pairs',
               default=100,
               min=-1,
               help='Key pairs each user may own; -1 means unlimited.'),
]


def register_opts(conf):
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts():
    return {quota_group.name: quota_opts}
