"""[quota] limits; Nova's defaults.

They are the defaults every project gets until an operator sets the quota
class 'default' (PUT /os-quota-class-sets/default), whose limits win over
them; a project's own limits and its users' (PUT /os-quota-sets) win over
both.
"""

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
    cfg.IntOpt('injected_files', default=5, min=-1,
               help='Injected files (personality) per instance; -1 means '
                    'unlimited.  Only reported: file injection is not '
                    'supported, and the API has no personality since '
                    'microversion 2.57.'),
    cfg.IntOpt('injected_file_content_bytes', default=10 * 1024, min=-1,
               help='Bytes of an injected file; -1 means unlimited.  Only '
                    'reported, as injected_files.'),
    cfg.IntOpt('injected_file_path_length', default=255, min=-1,
               help='Characters of an injected file\'s path (the quota '
                    'resource injected_file_path_bytes); -1 means '
                    'unlimited.  Only reported, as injected_files.'),
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
