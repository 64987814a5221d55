"""os-quota-class-sets representations, per microversion (upstream's)."""

from nova import quota

# server_groups and server_group_members join the bodies, the nova-network
# quotas leave them (and PUT's input).
SERVER_GROUPS_NO_NETWORK = (2, 50)
# The injected-file (personality) quotas leave them.
NO_INJECTED_FILES = (2, 57)


def shown(req):
    if req.is_version(SERVER_GROUPS_NO_NETWORK):
        hidden = quota.NETWORK_RESOURCES
    else:
        hidden = quota.SERVER_GROUP_RESOURCES
    if req.is_version(NO_INJECTED_FILES):
        hidden += quota.INJECTED_FILE_RESOURCES
    return [r for r in quota.RESOURCES if r not in hidden]


def quota_class_set(req, limits, class_name=None):
    """{'quota_class_set': {resource: limit}}, with 'id' when class_name
    is given (show; an update's answer has none)."""
    body = {} if class_name is None else {'id': str(class_name)}
    body.update((r, limits[r]) for r in shown(req))
    return {'quota_class_set': body}
