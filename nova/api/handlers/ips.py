"""/servers/{server_id}/ips: a server's addresses, by network label.

Read from the server's network_info as it is, whatever the server's state
(upstream's ips controller has no building case, unlike the servers
view's ``addresses``).  Another project's server is a 404, as its GET is.
"""

from nova.api.handlers import servers
from nova.api.policies import ips as policies
from nova.api import policy
from nova.api.views import ips as views
from nova.api import wsgi
from nova import exception


def _networks(req, server_id, rule):
    """The server's {label: addresses} (404 unless the caller's project's
    server, or an admin's), rule checked against its project."""
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id']})
    return views.networks(instance.get('network_info'))


def list_ips(req, server_id):
    networks = _networks(req, server_id, policies.INDEX)
    return wsgi.json_response(views.collection(networks))


def show_ips(req, server_id, network_label):
    networks = _networks(req, server_id, policies.SHOW)
    if network_label not in networks:
        raise exception.NetworkNotFoundForInstance()
    return wsgi.json_response(
        views.network(network_label, networks[network_label]))
