"""/os-hypervisors (admin): the compute nodes and their resources."""

from oslo_utils import strutils
from oslo_utils import uuidutils

from nova.api.policies import hypervisors as policies
from nova.api import policy
from nova.api.views import hypervisors as views
from nova.api import wsgi
from nova import exception


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


def show_hypervisor(req, hypervisor_id):
    policy.authorize(req.context, policies.SHOW)
    if req.is_version(views.UUID_IDS):
        if not uuidutils.is_uuid_like(hypervisor_id):
            raise exception.Invalid('Invalid uuid %s' % hypervisor_id)
    elif not hypervisor_id.isdigit():
        raise exception.ComputeNodeNotFound(node_id=hypervisor_id)
    node = req.conductor.compute_node_get(req.context, hypervisor_id)
    servers = None
    params = req.query()
    if req.is_version(views.UUID_IDS) and strutils.bool_from_string(
            req.last_query_value(params, 'with_servers', 'false')):
        servers = _servers_of(req, [node]).get(node['hypervisor_hostname'],
                                               [])
    return wsgi.json_response({'hypervisor': views.detail(req, node,
                                                          servers)})


def hypervisor_statistics(req):
    if req.is_version(views.NO_RESOURCES):
        raise exception.NotFound()
    policy.authorize(req.context, policies.STATISTICS)
    return wsgi.json_response(views.statistics(
        req.conductor.compute_node_get_all(req.context)))
