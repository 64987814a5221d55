"""/limits: the project's quota limits and what it uses."""

from nova.api.policies import limits as policies
from nova.api import policy
from nova.api import server_ops
from nova.api.views import limits as views
from nova.api import wsgi


def show_limits(req):
    ctxt = req.context
    policy.authorize(ctxt, policies.SHOW)
    project_id = req.last_query_value(req.query(), 'tenant_id')
    if project_id and project_id != ctxt.project_id:
        policy.authorize(ctxt, policies.OTHER_PROJECT)
    project_id = project_id or ctxt.project_id
    limits = server_ops.quota_limits(req.conf, req.conductor, ctxt,
                                     project_id)
    usage = req.conductor.instance_usage(ctxt, project_id)
    return wsgi.json_response(views.absolute(req, limits, usage, req.conf))
