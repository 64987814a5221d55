"""Routing, filters and faults of the flat network's Networking API.

Bodies and errors take Neutron's shapes: ``{"networks": [...]}``,
``{"NeutronError": {"type", "message", "detail"}}``.  A collection takes
Neutron's query filters (``?name=x&name=y`` is either; booleans as
``true``/``false``) and ``fields``; the flat network's collections are
small, so they are filtered here, not in the database.
"""

import routes
import webob
import webob.dec

from nova.api.networking import networks
from nova.api.networking import ports
from nova.api.networking import quotas
from nova.api.networking import security_groups
from nova.api import wsgi
from nova import exception
from nova.network import api as network_api

# The aliases Horizon and the clients ask about; nothing that would make
# them offer routers, floating IPs or quotas of a network service.
EXTENSIONS = (
    ('security-group', 'security-group',
     'The security groups of a project (the flat network filters '
     'nothing: each project has one, default, without rules).'),
    ('binding', 'Port Binding', 'The host and VIF type of a port.'),
    ('standard-attr-description', 'standard-attr-description',
     'A description on each resource.'),
)

_PAGING_PARAMS = frozenset(('fields', 'limit', 'marker', 'sort_key',
                            'sort_dir', 'page_reverse', 'all_tenants'))


class NotFound(exception.NovaException):
    code = 404
    msg_fmt = '%(kind)s %(id)s could not be found.'


def _list_extensions(req, ctxt, api):
    return {'extensions': [
        {'alias': alias, 'name': name, 'description': description,
         'updated': '2026-12-07T00:00:00-00:00', 'links': []}
        for alias, name, description in EXTENSIONS]}


def _show_extension(req, ctxt, api, alias):
    for item in _list_extensions(req, ctxt, api)['extensions']:
        if item['alias'] == alias:
            return {'extension': item}
    raise NotFound(kind='Extension', id=alias)


def _collection(name, lister):
    def handler(req, ctxt, api):
        return {name: select(lister(ctxt, api), req.GET)}
    return handler


def _member(name, kind, lister):
    def handler(req, ctxt, api, id):
        for item in lister(ctxt, api):
            if item['id'] == id:
                return {name: select([item], req.GET)[0]}
        raise NotFound(kind=kind, id=id)
    return handler


ROUTES = (
    ('/extensions', _list_extensions),
    ('/extensions/{alias}', _show_extension),
    ('/networks', _collection('networks', networks.list_networks)),
    ('/networks/{id}', _member('network', 'Network',
                               networks.list_networks)),
    ('/subnets', _collection('subnets', networks.list_subnets)),
    ('/subnets/{id}', _member('subnet', 'Subnet', networks.list_subnets)),
    ('/ports', _collection('ports', ports.list_ports)),
    ('/ports/{id}', _member('port', 'Port', ports.list_ports)),
    ('/quotas', quotas.list_quotas),
    ('/quotas/{project_id}/default', quotas.show_default),
    ('/quotas/{project_id}/details', quotas.show_details),
    ('/quotas/{project_id}', quotas.show),
    ('/security-groups', _collection('security_groups',
                                     security_groups.list_groups)),
    ('/security-groups/{id}', _member('security_group', 'Security group',
                                      security_groups.list_groups)),
    ('/security-group-rules', _collection('security_group_rules',
                                          security_groups.list_rules)),
    ('/security-group-rules/{id}', _member(
        'security_group_rule', 'Security group rule',
        security_groups.list_rules)),
)


def _matches(value, wanted):
    if isinstance(value, bool):
        return str(value).lower() in {w.lower() for w in wanted}
    if isinstance(value, (list, tuple)):
        return any(str(v) in wanted for v in value)
    return str('' if value is None else value) in wanted


def _page(items, params):
    """Sorted by sort_key/sort_dir (id ascending by default), the items
    after marker (none when the marker is not among them: a client
    paging on must see an end), at most limit of them."""
    keys = params.getall('sort_key') or ['id']
    dirs = params.getall('sort_dir')
    for i in reversed(range(len(keys))):
        reverse = (dirs[i] if i < len(dirs) else 'asc') == 'desc'
        items = sorted(items, key=lambda item: str(item.get(keys[i], '')),
                       reverse=reverse)
    marker = params.get('marker')
    if marker:
        ids = [item.get('id') for item in items]
        items = items[ids.index(marker) + 1:] if marker in ids else []
    limit = params.get('limit', '')
    if limit.isdigit() and int(limit) > 0:
        items = items[:int(limit)]
    return items


def select(items, params):
    """items filtered by params (Neutron's filters), paged, then cut to
    the fields asked for."""
    for key in set(params.keys()) - _PAGING_PARAMS:
        wanted = set(params.getall(key))
        items = [item for item in items
                 if key in item and _matches(item[key], wanted)]
    items = _page(items, params)
    fields = [f for f in params.getall('fields') if f]
    if fields:
        items = [{k: v for k, v in item.items() if k in fields}
                 for item in items]
    return items


def neutron_error(code, kind, message):
    response = webob.Response(status=code, charset='UTF-8',
                              content_type='application/json')
    response.body = wsgi.dump_json({'NeutronError': {
        'type': kind, 'message': message, 'detail': ''}})
    return response


class NetworkingApp:
    """``/`` (the version document) and ``/v2.0/...`` (authenticated:
    auth_middleware wraps the v2.0 part)."""

    def __init__(self, conf, conductor, auth_middleware):
        self.api = network_api.FlatAPI(conf, conductor)
        self.mapper = routes.Mapper()
        for path, handler in ROUTES:
            self.mapper.connect(None, path, handler=handler)
        self.v2 = auth_middleware(self._dispatch)

    @webob.dec.wsgify
    def __call__(self, req):
        if req.path_info in ('', '/'):
            return self._versions(req)
        if not req.path_info.startswith('/v2.0/'):
            return neutron_error(404, 'HTTPNotFound',
                                 'The resource could not be found.')
        req.script_name += '/v2.0'
        req.path_info = req.path_info[len('/v2.0'):]
        return req.get_response(self.v2)

    def _versions(self, req):
        href = req.host_url + req.script_name + '/v2.0/'
        response = webob.Response(content_type='application/json',
                                  charset='UTF-8')
        response.body = wsgi.dump_json({'versions': [{
            'id': 'v2.0', 'status': 'CURRENT',
            'links': [{'href': href, 'rel': 'self'}]}]})
        return response

    @webob.dec.wsgify
    def _dispatch(self, req):
        path = req.path_info
        if path.endswith('.json'):  # the old clients' suffix
            path = path[:-len('.json')]
        match = self.mapper.match(path.rstrip('/') or '/')
        if match is None:
            return neutron_error(404, 'HTTPNotFound',
                                 'The resource could not be found.')
        if req.method != 'GET':
            return neutron_error(
                405, 'HTTPMethodNotAllowed',
                'The flat network is read-only here: its network and '
                'subnet come from nova.conf ([network]), its ports from '
                'server builds, and its default security group filters '
                'nothing.')
        handler = match.pop('handler')
        ctxt = req.environ['nova.context']
        try:
            body = handler(req, ctxt, self.api, **match)
        except exception.NovaException as exc:
            if exc.code >= 500 and not exc.safe:
                raise
            kind = type(exc).__name__
            return neutron_error(exc.code, kind, exc.format_message())
        response = webob.Response(content_type='application/json',
                                  charset='UTF-8')
        response.body = wsgi.dump_json(body)
        return response
