"""The route table of the Placement-compatible API, and the dispatcher.

Only reads are served: each path lists its GET; any other method on a
known path (the writes upstream Placement takes there) answers 405 with
an Allow header, an unknown path 404.  Handlers are
``handler(req, **path_args)``; routes newer than the requested
microversion answer 404, as upstream's version_handler does.
"""

import routes
import webob.dec

from nova.api.placement import aggregates
from nova.api.placement import allocations
from nova.api.placement import inventories
from nova.api.placement import resource_providers
from nova.api.placement import root
from nova.api.placement import traits
from nova.api.placement import usages
from nova.api import wsgi
from nova import exception

RP = '/resource_providers/{uuid}'

# (path, {method: handler}, the microversion that added the path)
ROUTES = (
    ('/', {'GET': root.home}, (1, 0)),
    # '' too: the service's root mounted under a prefix (/placement).
    ('', {'GET': root.home}, (1, 0)),
    ('/resource_providers',
     {'GET': resource_providers.list_resource_providers}, (1, 0)),
    (RP, {'GET': resource_providers.show_resource_provider}, (1, 0)),
    (RP + '/inventories', {'GET': inventories.list_inventories}, (1, 0)),
    (RP + '/inventories/{resource_class}',
     {'GET': inventories.show_inventory}, (1, 0)),
    (RP + '/usages', {'GET': usages.list_provider_usages}, (1, 0)),
    (RP + '/aggregates', {'GET': aggregates.list_aggregates}, (1, 1)),
    (RP + '/traits', {'GET': traits.list_provider_traits}, (1, 6)),
    (RP + '/allocations',
     {'GET': allocations.list_provider_allocations}, (1, 0)),
    ('/allocations/{consumer_uuid}',
     {'GET': allocations.list_consumer_allocations}, (1, 0)),
    ('/usages', {'GET': usages.list_total_usages}, (1, 9)),
)


class MethodNotAllowed(exception.NovaException):
    msg_fmt = ('The method specified is not allowed for this resource: '
               'this Placement API only reads (its resource providers are '
               'the compute nodes nova-compute reports).')
    code = 405


class ResourceNotFound(exception.NotFound):
    msg_fmt = 'The resource could not be found.'


def make_map(route_table):
    mapper = routes.Mapper()
    for path, methods, since in route_table:
        # Routes keeps a route's extra values as strings.
        since = '%d.%d' % since
        for method, handler in methods.items():
            mapper.connect(path, handler=handler, since=since,
                           conditions={'method': [method]})
        mapper.connect(path, handler=None, since=since,
                       allowed=', '.join(sorted(methods)))
    return mapper


class Router:

    def __init__(self, route_table=ROUTES):
        self.mapper = make_map(route_table)

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            raise ResourceNotFound()
        match = dict(match)
        handler = match.pop('handler')
        since = tuple(int(n) for n in match.pop('since').split('.'))
        if req.version < since:
            raise ResourceNotFound()
        if handler is None:
            exc = MethodNotAllowed()
            exc.headers = {'Allow': match['allowed']}
            raise exc
        return handler(req, **match)
