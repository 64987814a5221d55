"""Authentication: builds the RequestContext of each API request.

noauth2 (development): the token is ``user:project`` (``user`` alone means
project ``user``); user ``admin`` gets the admin role, everyone else member
and reader, plus any roles in X-Roles.
"""

import webob.dec

from nova.api import faults
from nova import context as nova_context


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
            remote_address=req.remote_addr, auth_token=token,
            overwrite=True)
        req.environ['nova.context'] = ctxt
        return req.get_response(self.application)


def pipeline_factory(conf):
    """The auth middleware chosen by [api] auth_strategy."""
    return {'noauth2': NoAuthMiddleware}[conf.api.auth_strategy]
