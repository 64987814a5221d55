"""Authentication: who is asking, as the RequestContext of each API request.

Two strategies, chosen by ``[api] auth_strategy``:

keystone (the default)
    keystonemiddleware's ``auth_token`` validates ``X-Auth-Token`` (and an
    ``X-Service-Token``) against Keystone, caching what it learnt, and puts
    the token's identity in ``X-*`` headers; ``KeystoneContext`` turns them
    into the context.  A missing, bad or expired token is a 401 naming
    Keystone in ``WWW-Authenticate``; Keystone unreachable is a 503.

noauth2 (development and quick tests)
    The token is ``user:project`` (``user`` alone means project ``user``);
    user ``admin`` gets the admin role, everyone else member and reader,
    plus any roles in X-Roles.  Such a token means nothing to other
    services: the context carries none, and calls to Glance go with
    nova's own credentials where it has some ([glance] auth_type).
"""

from keystonemiddleware import auth_token
from oslo_log import log as logging
import webob.dec

from nova.api import faults
from nova.api import policy
from nova import context as nova_context

LOG = logging.getLogger(__name__)


class NoAuthMiddleware:

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        token = req.headers.get('X-Auth-Token', '').strip()
        if not token:
            return faults.fault_response(401, 'Authentication required')
        user_id, _, project_id = token.partition(':')
        project_id = project_id or user_id
        roles = ['member', 'reader']
        if user_id == 'admin':
            roles.insert(0, 'admin')
        extra = [r.strip() for r in req.headers.get('X-Roles', '').split(',')
                 if r.strip()]
        roles.extend(r for r in extra if r not in roles)
        ctxt = nova_context.RequestContext(
            user_id=user_id, project_id=project_id, roles=roles,
            user_name=user_id, project_name=project_id,
            request_id=req.environ.get('openstack.request_id'),
            global_request_id=req.environ.get('openstack.global_request_id'),
            remote_address=req.remote_addr, overwrite=True)
        ctxt.is_admin = policy.check_is_admin(ctxt)
        req.environ['nova.context'] = ctxt
        return req.get_response(self.application)


class KeystoneContext:
    """The context of a request auth_token has confirmed.

    auth_token sets ``X-Identity-Status: Confirmed`` and the identity
    headers (user, project, domains, roles, system scope, and the service
    token's user and roles); what a client sent in those headers itself
    was removed first, so they can be trusted here.
    """

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        if req.environ.get('HTTP_X_IDENTITY_STATUS') != 'Confirmed':
            return faults.fault_response(401, 'Authentication required')
        if not req.environ.get('HTTP_X_USER_ID'):
            return faults.fault_response(401, 'The token names no user')
        ctxt = nova_context.RequestContext.from_environ(
            req.environ, remote_address=req.remote_addr,
            system_scope=_system_scope(req.environ))
        # Operators may redefine the administrator (context_is_admin).
        ctxt.is_admin = policy.check_is_admin(ctxt)
        req.environ['nova.context'] = ctxt
        return req.get_response(self.application)


def _system_scope(environ):
    # auth_token writes OpenStack-System-Scope for the user's token, then
    # again for a service token: the user's own token data says it right.
    token_auth = environ.get('keystone.token_auth')
    user = getattr(token_auth, 'user', None)
    if user is None:
        return None
    if getattr(user, 'system_scoped', False):
        return 'all' if (user.system or {}).get('all') else None
    return None


class AuthTokenFaults:
    """auth_token's own refusals in nova's fault shape.

    auth_token answers a bad token itself (401) and Keystone being
    unreachable (503) with a body of its own; clients read nova's
    ``{"unauthorized": {...}}`` shape, so the body is rewritten here and
    the ``WWW-Authenticate`` header pointing at Keystone kept.
    """

    MESSAGES = {
        401: 'The request you have made requires authentication.',
        503: 'The identity service (Keystone) cannot be reached to '
             'validate the token; try again later.',
    }

    def __init__(self, application):
        self.application = application

    @webob.dec.wsgify
    def __call__(self, req):
        response = req.get_response(self.application)
        message = self.MESSAGES.get(response.status_code)
        if message is None or 'nova.context' in req.environ:
            return response
        if response.status_code == 503:
            LOG.error('Keystone could not validate the token of %s %s: '
                      'answering 503', req.method, req.path)
        headers = {}
        if 'WWW-Authenticate' in response.headers:
            headers['WWW-Authenticate'] = response.headers['WWW-Authenticate']
        fault = faults.fault_response(response.status_code, message)
        fault.headers.update(headers)
        return fault


def keystone_pipeline(conf):
    """auth_token, configured from conf's [keystone_authtoken]."""
    def build(application):
        protocol = auth_token.AuthProtocol(
            KeystoneContext(application),
            {'oslo_config_config': conf, 'oslo_config_project': 'nova'})
        return AuthTokenFaults(protocol)
    return build


def pipeline_factory(conf):
    """The auth middleware chosen by [api] auth_strategy."""
    if conf.api.auth_strategy == 'keystone':
        return keystone_pipeline(conf)
    return NoAuthMiddleware
