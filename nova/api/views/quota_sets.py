"""os-quota-sets representations, per microversion (upstream's)."""

from nova import quota

# The nova-network quotas leave the bodies (and PUT's input).
NO_NETWORK_QUOTAS = (2, 36)
# The injected-file (personality) quotas leave them.
NO_INJECTED_FILES = (2, 57)
# Unknown query parameters are refused (400) instead of ignored.
STRICT_QUERY = (2, 75)


def shown(req):
    """The resources the request's microversion shows, in upstream's
    order."""
    hidden = ()
    if req.is_version(NO_NETWORK_QUOTAS):
        hidden += quota.NETWORK_RESOURCES
    if req.is_version(NO_INJECTED_FILES):
        hidden += quota.INJECTED_FILE_RESOURCES
    return [r for r in quota.RESOURCES if r not in hidden]


def quota_set(req, limits, project_id=None):
    """{'quota_set': {resource: limit}}, with 'id' when project_id is
    given (show and defaults; an update's answer has none)."""
    body = {} if project_id is None else {'id': str(project_id)}
    body.update((r, limits[r]) for r in shown(req))
    return {'quota_set': body}


def detail(req, quotas, project_id):
    """{'quota_set': {'id', resource: {'in_use', 'limit', 'reserved'}}};
    reserved is always 0: nothing is reserved since upstream counts usage
    instead of tracking it."""
    body = {'id': str(project_id)}
    body.update((r, {'in_use': quotas[r]['in_use'],
                     'limit': quotas[r]['limit'], 'reserved': 0})
                for r in shown(req))
    return {'quota_set': body}
