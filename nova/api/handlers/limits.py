"""/limits: the project's quota limits and what it uses."""

from nova.api.policies import limits as policies
from nova.api import policy
from nova.api.views import limits as views
from nova.api import wsgi
from nova import quota


def show_limits(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.SHOW)
    project_id = req.last_query_value(req.query(), 'tenant_id')
    if project_id and project_id != ctxt.project_id:
        policy.authorize(ctxt, policies.OTHER_PROJECT)
    project_id = project_id or ctxt.project_id
    # The project's limits as upstream resolves them (its own, the class
    # 'default''s, the [quota] options) and its usage, in one call.
    quotas = req.conductor.quota_get(ctxt, project_id,
                                     quota.defaults(req.conf), usages=True)
    return wsgi.json_response(views.absolute(req, quotas))
