"""GET /servers/{id}/diagnostics (admin): the guest's figures, asked of
its compute host.  From 2.48 in the standard form, before it in the
driver's own (a flat dict)."""

from nova.api.handlers import servers
from nova.api.policies import server_diagnostics as policies
from nova.api import policy
from nova.api.views import server_diagnostics as views
from nova.api import wsgi


def show_diagnostics(req, server_id):
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, policies.DIAGNOSTICS,
                     {'project_id': instance['project_id']})
    standard = req.is_version(views.STANDARD)
    diagnostics = req.compute_api.get_diagnostics(req.context, instance,
                                                  legacy=not standard)
    if standard:
        diagnostics = views.show(diagnostics)
    return wsgi.json_response(diagnostics)
