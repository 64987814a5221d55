"""The quota resources, as upstream Nova's nova/quota.py registers them.

A limit is resolved as upstream's DbQuotaDriver does: a user's own limit,
else its project's, else the quota class 'default''s, else the [quota]
option (-1 for the resources that have none).  The first three live in the
database (nova.db.quotas, through the conductor); the options are the API's,
sent with each call as ``defaults(conf)``.
"""

from nova import exception

# resource -> the [quota] option giving its default, or None: -1.
RESOURCES = {
    'cores': 'cores',
    'injected_files': 'injected_files',
    'injected_file_content_bytes': 'injected_file_content_bytes',
    'injected_file_path_bytes': 'injected_file_path_length',
    'instances': 'instances',
    'key_pairs': 'key_pairs',
    'metadata_items': 'metadata_items',
    'ram': 'ram',
    'server_groups': 'server_groups',
    'server_group_members': 'server_group_members',
    # The nova-network quotas: kept in the API's bodies (before 2.36),
    # limiting nothing, as upstream.
    'fixed_ips': None,
    'floating_ips': None,
    'security_groups': None,
    'security_group_rules': None,
}

# The groups the API's microversions leave out of its bodies.
NETWORK_RESOURCES = ('fixed_ips', 'floating_ips', 'security_groups',
                     'security_group_rules')
INJECTED_FILE_RESOURCES = ('injected_files', 'injected_file_content_bytes',
                           'injected_file_path_bytes')
SERVER_GROUP_RESOURCES = ('server_groups', 'server_group_members')

DEFAULT_CLASS = 'default'
UNLIMITED = -1
# The largest limit (the hard_limit column's type, upstream's MAX_INT).
MAX_LIMIT = 0x7FFFFFFF


def defaults(conf):
    """{resource: the default limit [quota] gives}."""
    return {resource: UNLIMITED if option is None
            else getattr(conf.quota, option)
            for resource, option in RESOURCES.items()}


def is_over(limit, value):
    """Whether value goes beyond limit (-1, or any negative: none)."""
    return limit is not None and 0 <= limit < value


def upsize_deltas(new_flavor, current_flavor):
    """{'cores', 'ram'}: what going from current_flavor to new_flavor
    adds, only what grows (upstream's upsize_quota_delta): a resize down
    needs no headroom."""
    deltas = {}
    for resource, key in (('cores', 'vcpus'), ('ram', 'memory_mb')):
        delta = (new_flavor.get(key) or 0) - (current_flavor.get(key) or 0)
        if delta > 0:
            deltas[resource] = delta
    return deltas


def project_limits(conf, conductor, context, project_id, user_id=None):
    """The limits of project_id (of its user user_id, when given)."""
    return conductor.quota_get(context, project_id, defaults(conf),
                               user_id=user_id)


def check_metadata(conf, conductor, context, metadata, project_id,
                   user_id):
    """MetadataLimitExceeded (403) when metadata has more items than the
    limit of the project's user allows."""
    if not metadata:
        return
    allowed = project_limits(conf, conductor, context, project_id,
                             user_id)['metadata_items']
    if is_over(allowed, len(metadata)):
        raise exception.MetadataLimitExceeded(allowed=allowed)
