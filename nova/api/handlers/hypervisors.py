"""/os-hypervisors (admin): the compute nodes and their resources.

Before 2.53 ``/{pattern}/search`` and ``/{pattern}/servers`` find nodes by
a part of their hostname (the query parameters ``hypervisor_hostname_pattern``
and ``with_servers`` replace them); before 2.88 ``/statistics`` totals the
nodes and ``/{id}/uptime`` asks the node's compute host for its uptime.
"""

from oslo_utils import strutils
from oslo_utils import uuidutils

from nova.api.policies import hypervisors as policies
from nova.api import policy
from nova.api.views import hypervisors as views
from nova.api import wsgi
from nova import exception
from nova import servicegroup


def _servers_of(req, nodes):
    """{node id: [{'name', 'uuid'}]} for with_servers."""
    instances = req.conductor.instance_get_all(
        req.context, filters={'node': [n['hypervisor_hostname']
                                       for n in nodes]})
    by_node = {}
    for instance in instances:
        by_node.setdefault(instance['node'], []).append(
            {'name': instance['display_name'], 'uuid': instance['uuid']})
    return by_node


def _list(req, builder, rule):
    policy.authorize(req.context, rule)
    params = req.query()
    pattern = with_servers = None
    if req.is_version(views.UUID_IDS):
        pattern = req.last_query_value(params, 'hypervisor_hostname_pattern')
        value = req.last_query_value(params, 'with_servers')
        with_servers = value is not None and strutils.bool_from_string(value)
    nodes = req.conductor.compute_node_get_all(req.context,
                                               hostname_pattern=pattern)
    if pattern and not nodes:
        raise exception.NotFound('No hypervisor matching %r could be '
                                 'found.' % pattern)
    limit = None
    if req.is_version(views.PAGINATION):
        limit = req.limit_param(params)
        marker = req.last_query_value(params, 'marker')
        key = 'uuid' if req.is_version(views.UUID_IDS) else 'id'
        if marker is not None:
            ids = [str(n[key]) for n in nodes]
            if marker not in ids:
                raise exception.Invalid('marker [%s] not found' % marker)
            nodes = nodes[ids.index(marker) + 1:]
        nodes = nodes[:limit]
    servers = _servers_of(req, nodes) if with_servers else None
    if servers is not None:
        inner = builder

        def builder(req, node):
            view = inner(req, node)
            view['servers'] = servers.get(node['hypervisor_hostname'], [])
            return view
    return wsgi.json_response(views.collection(req, nodes, builder, limit))


def list_hypervisors(req):
    return _list(req, views.basic, policies.LIST)


def list_hypervisors_detail(req):
    return _list(req, views.detail, policies.LIST_DETAIL)


def _get_node(req, hypervisor_id):
    """The node: a uuid from 2.53 (400 otherwise), an integer before."""
    if req.is_version(views.UUID_IDS):
        if not uuidutils.is_uuid_like(hypervisor_id):
            raise exception.Invalid('Invalid uuid %s' % hypervisor_id)
    elif not hypervisor_id.isdigit():
        raise exception.ComputeNodeNotFound(node_id=hypervisor_id)
    return req.conductor.compute_node_get(req.context, hypervisor_id)


def show_hypervisor(req, hypervisor_id):
    policy.authorize(req.context, policies.SHOW)
    node = _get_node(req, hypervisor_id)
    servers = None
    params = req.query()
    if req.is_version(views.UUID_IDS) and strutils.bool_from_string(
            req.last_query_value(params, 'with_servers', 'false')):
        servers = _servers_of(req, [node]).get(node['hypervisor_hostname'],
                                               [])
    return wsgi.json_response({'hypervisor': views.detail(req, node,
                                                          servers)})


def _before(req, version):
    """404 from version on: the route is gone there."""
    if req.is_version(version):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)


def _matching(req, pattern):
    nodes = req.conductor.compute_node_get_all(req.context,
                                               hostname_pattern=pattern)
    if not nodes:
        raise exception.NotFound("No hypervisor matching '%s' could be "
                                 "found." % pattern)
    return nodes


def search_hypervisors(req, hypervisor_hostname_pattern):
    _before(req, views.UUID_IDS)
    policy.authorize(req.context, policies.SEARCH)
    nodes = _matching(req, hypervisor_hostname_pattern)
    return wsgi.json_response({'hypervisors': [views.basic(req, n)
                                               for n in nodes]})


def hypervisor_servers(req, hypervisor_hostname_pattern):
    _before(req, views.UUID_IDS)
    policy.authorize(req.context, policies.SERVERS)
    nodes = _matching(req, hypervisor_hostname_pattern)
    servers = _servers_of(req, nodes)
    body = []
    for node in nodes:
        view = views.basic(req, node)
        # As upstream: the key only for a node that has servers.
        if servers.get(node['hypervisor_hostname']):
            view['servers'] = servers[node['hypervisor_hostname']]
        body.append(view)
    return wsgi.json_response({'hypervisors': body})


def hypervisor_uptime(req, hypervisor_id):
    _before(req, views.NO_RESOURCES)
    policy.authorize(req.context, policies.UPTIME)
    node = _get_node(req, hypervisor_id)
    service = node.get('service') or {}
    if not service or not servicegroup.service_is_up(
            service, req.conf.service_down_time):
        raise exception.ComputeServiceUnavailable(host=node['host'])
    uptime = req.compute_api.get_host_uptime(req.context, node['host'])
    view = views.basic(req, node)
    view['uptime'] = uptime
    return wsgi.json_response({'hypervisor': view})


def hypervisor_statistics(req):
    _before(req, views.NO_RESOURCES)
    policy.authorize(req.context, policies.STATISTICS)
    return wsgi.json_response(views.statistics(
        req.conductor.compute_node_get_all(req.context)))
