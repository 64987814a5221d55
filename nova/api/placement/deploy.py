"""Assemble the Placement-compatible WSGI application.

The middleware order, outside in, and why:

1. RequestId (oslo.middleware): ``req-<uuid>`` on every response, an
   inbound X-OpenStack-Request-ID as the global id, as upstream Placement.
2. FaultWrapper: anything that escapes below becomes a 500 in
   Placement's error shape.
3. RequestLog (nova's): one INFO line per request.
4. RootOrAuth: ``/`` is the version document, served without a token as
   upstream's auth skips it; everything else goes through
5. Auth: the Compute API's ([api] auth_strategy, nova/api/auth.py), its
   refusals rewritten into Placement's shape (errors.AuthErrors).
6. Microversion: ``OpenStack-API-Version: placement X.Y`` parsed and put
   on every response (406 out of range: osc-placement negotiates so).
7. Router: the route table of nova/api/placement/router.py.
"""

from oslo_middleware import request_id
import webob.dec

from nova.api import auth
from nova.api import faults
from nova.api.placement import errors
from nova.api.placement import microversion
from nova.api.placement import router
from nova.api import requestlog
from nova.conductor import rpcapi as conductor_rpcapi


class MicroversionMiddleware:

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            version = microversion.from_headers(req.headers)
        except Exception as exc:
            return errors.exception_response(req.environ, exc)
        req.environ[microversion.ENVIRON] = version
        # nova's Request (version, is_version) and RequestLog read it here.
        req.environ['nova.api_version'] = version
        try:
            response = req.get_response(self.application)
        except Exception as exc:
            response = errors.exception_response(req.environ, exc)
        microversion.add_headers(response, version)
        return response


class RootOrAuth:
    """The version document without a token, the rest authenticated."""

    def __init__(self, api, authenticated, conf, conductor):
        self.api = api
        self.authenticated = authenticated
        self.conf = conf
        self.conductor = conductor

    @webob.dec.wsgify
    def __call__(self, req):
        req.environ['nova.conf'] = self.conf
        req.environ['nova.conductor'] = self.conductor
        if req.path_info in ('', '/'):
            return req.get_response(self.api)
        return req.get_response(self.authenticated)


def build_app(conf, conductor=None, auth_middleware=None):
    """The whole API as one WSGI callable.

    ``auth_middleware`` (app -> app) replaces the one [api] auth_strategy
    picks: the functional tests' stand-in for Keystone.
    """
    conductor = conductor or conductor_rpcapi.ConductorAPI()
    api = MicroversionMiddleware(router.Router())
    authenticated = errors.AuthErrors(
        (auth_middleware or auth.pipeline_factory(conf))(api))
    app = RootOrAuth(api, authenticated, conf, conductor)
    app = requestlog.RequestLog(app)
    app = faults.FaultWrapper(
        app, lambda req, exc: errors.exception_response(req.environ, exc))
    app = request_id.RequestId(app)
    return app
