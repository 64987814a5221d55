"""/os-networks (deprecated, gone from 2.36): a proxy to the network API
(nova/network/api.py): the networks instances get addresses on."""

from nova.api.policies import networks as policies
from nova.api import policy
from nova.api.views import networks as views
from nova.api import wsgi
from nova import exception

REMOVED = (2, 36)


def _network_api(req):
    if req.is_version(REMOVED):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)
    return req.compute_api.network_api


def list_networks(req):
    api = _network_api(req)
    policy.authorize(req.context, policies.LIST)
    return wsgi.json_response({'networks': [
        views.show(req.context, n) for n in api.get_all(req.context)]})


def show_network(req, network_id):
    api = _network_api(req)
    policy.authorize(req.context, policies.VIEW)
    return wsgi.json_response({'network': views.show(
        req.context, api.get(req.context, network_id))})
