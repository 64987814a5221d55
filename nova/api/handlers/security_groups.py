"""GET /servers/{server_id}/os-security-groups: the security groups a
server is in, from the network API (the flat backend: the project's
'default' group, unless the server was taken out of it).  Adding and
removing are server actions (server_actions.py)."""

from nova.api.handlers import servers
from nova.api.policies import security_groups as policies
from nova.api import policy
from nova.api.views import security_groups as views
from nova.api import wsgi
from nova.network import api as network_api


def list_server_security_groups(req, server_id):
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, policies.LIST,
                     {'project_id': instance['project_id'],
                      'user_id': instance['user_id']})
    groups = network_api.API(req.conf, req.conductor)\
        .instance_security_groups(req.context, instance)
    return wsgi.json_response(views.collection(groups))
