"""Security groups through the network API (the flat backend: the
project's 'default' group, which a server is in unless it was taken out
of it).

GET /servers/{server_id}/os-security-groups: a server's groups.  GET
/os-security-groups[/{id}]: the project's groups, the deprecated proxy
(gone from 2.36) that clients still use to find a group by name.  Adding
and removing are server actions (server_actions.py).
"""

from nova.api.handlers import servers
from nova.api.policies import security_groups as policies
from nova.api import policy
from nova.api.views import security_groups as views
from nova.api import wsgi
from nova import exception

PROXY_REMOVED = (2, 36)


def list_server_security_groups(req, server_id):
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, policies.LIST,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})
    groups = req.compute_api.network_api.instance_security_groups(
        req.context, instance)
    return wsgi.json_response(views.collection(groups))


def _project_groups(req, rule):
    if req.is_version(PROXY_REMOVED):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)
    project_id = req.context.project_id
    policy.authorize(req.context, rule, {'project_id': project_id})
    return req.compute_api.network_api.security_groups(req.context,
                                                       project_id)


def list_security_groups(req):
    return wsgi.json_response(views.collection(
        _project_groups(req, policies.GET)))


def show_security_group(req, security_group_id):
    for group in _project_groups(req, policies.SHOW):
        if group['id'] == security_group_id:
            return wsgi.json_response(
                {'security_group': views.security_group(group)})
    raise exception.SecurityGroupNotFound(
        security_group_id=security_group_id)
