"""Assemble the WSGI application: version documents and the v2.1 API.

The middleware order, outside in, and why:

1. RequestId (oslo.middleware): makes ``req-<uuid>``, takes a valid inbound
   X-OpenStack-Request-ID as the global id, and puts both id headers on
   every response, faults included; so it must be outermost.
2. FaultWrapper: anything that escapes below becomes a JSON fault.
3. RequestLog: one INFO line per request, with the final status.
4. RequestChecks: a path or query string that is not UTF-8, or holds a
   control character, is a 400 before any code reads it.
5. URL map: ``/`` and ``/v2.1[/]`` are unauthenticated version documents;
   ``/networking/`` is the flat network's read-only Networking API
   (nova/api/networking, with the same auth); everything under ``/v2.1/``
   goes on through
6. Auth ([api] auth_strategy, nova/api/auth.py): keystonemiddleware's
   auth_token then the context middleware, or noauth2; builds the
   RequestContext.  Before the version is looked at, as upstream: a
   request without a valid token is a 401 whatever version it asks for.
7. Microversion: parses the version, adds its headers to every response
   of an authenticated request.
8. Router: the route table of nova/api/router.py.
"""

from oslo_middleware import request_id
import webob.dec

from nova.api import auth
from nova.api import faults
from nova.api import image_metadata
from nova.api.handlers import versions
from nova.api import microversion
from nova.api.networking import app as networking_app
from nova.api import request_checks
from nova.api import requestlog
from nova.api import router
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi


class ComputeRequestId(request_id.RequestId):
    compat_headers = ['x-compute-request-id']


class MicroversionMiddleware:

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            version = microversion.from_headers(req.headers)
        except Exception as exc:
            return faults.exception_response(exc)
        req.environ['nova.api_version'] = version
        try:
            response = req.get_response(self.application)
        except Exception as exc:
            response = faults.exception_response(exc)
        microversion.add_headers(response, version)
        return response


class URLMap:
    """Version documents at the roots; the API under /v2.1/."""

    def __init__(self, api, conf, conductor, compute, image_api,
                 networking=None):
        self.api = api
        self.networking = networking
        self.conf = conf
        self.conductor = conductor
        self.compute = compute
        self.image_api = image_api
        self.image_metadata = image_metadata.MetadataCache(
            conf.glance.api_image_cache_seconds)

    @webob.dec.wsgify
    def __call__(self, req):
        path = req.path_info
        if path in ('', '/'):
            return versions.list_versions(req)
        if path in ('/v2.1', '/v2.1/'):
            return versions.show_version(req)
        if path in ('/v2', '/v2/'):
            return versions.show_v20_version(req)
        if self.networking and (path == '/networking' or
                                path.startswith('/networking/')):
            req.script_name += '/networking'
            req.path_info = path[len('/networking'):]
            return req.get_response(self.networking)
        if not path.startswith('/v2.1/'):
            return versions.multiple_choices(req)
        limit = self.conf.api.max_request_body_size
        if req.content_length and req.content_length > limit:
            return faults.fault_response(
                413, 'Request is too large: the limit is %d bytes.' % limit)
        req.script_name += '/v2.1'
        req.path_info = path[len('/v2.1'):]
        base = req.host_url + req.script_name[:-len('/v2.1')]
        req.environ['nova.link_base'] = base + '/v2.1'
        req.environ['nova.link_base_bookmark'] = base
        req.environ['nova.conf'] = self.conf
        req.environ['nova.conductor'] = self.conductor
        req.environ['nova.compute'] = self.compute
        req.environ['nova.image_api'] = self.image_api
        req.environ['nova.image_metadata'] = self.image_metadata
        return req.get_response(self.api)


def build_app(conf, conductor=None, image_api=None, auth_middleware=None):
    """The whole API as one WSGI callable.

    ``auth_middleware`` (app -> app) replaces the one [api] auth_strategy
    picks: the functional tests' stand-in for Keystone.
    """
    conductor = conductor or conductor_rpcapi.ConductorAPI()
    if image_api is None:
        from nova.image import glance
        image_api = glance.API(conf)
    auth_middleware = auth_middleware or auth.pipeline_factory(conf)
    api = router.Router()
    api = MicroversionMiddleware(api)
    api = auth_middleware(api)
    networking = None
    if conf.network.backend == 'flat':
        networking = networking_app.NetworkingApp(conf, conductor,
                                                  auth_middleware)
    app = URLMap(api, conf, conductor, compute_rpcapi.ComputeAPI(),
                 image_api, networking)
    app = request_checks.RequestChecks(app)
    app = requestlog.RequestLog(app)
    app = faults.FaultWrapper(app)
    app = ComputeRequestId(app)
    return app
