"""/flavors/{flavor_id}/os-flavor-access and the flavor actions: which
projects may use a private flavor.

The admin's: the list (404 for a public flavor, which everyone may use),
``addTenantAccess`` (409 when the project has access already, and from
2.7 for a public flavor) and ``removeTenantAccess`` (404 when it has
none).  Each answers the flavor's access list.  Upstream also asks
Keystone whether the project exists; this does not (there is no identity
client here), any project id is taken.
"""

from nova.api.policies import flavor_access as policies
from nova.api import policy
from nova.api.schemas import flavor_access as schemas
from nova.api import validation
from nova.api.views import flavor_access as views
from nova.api import wsgi


def list_access(req, flavor_id):
    policy.authorize(req.context, policies.LIST)
    flavor = req.compute_api.flavors.access_list(req.context, flavor_id)
    return wsgi.json_response(views.collection(flavor))


def _add_tenant_access(req, flavor_id, body):
    validation.validate(body, schemas.add_tenant_access)
    policy.authorize(req.context, policies.ADD)
    flavor = req.compute_api.flavors.add_access(
        req.context, flavor_id,
        body['addTenantAccess']['tenant'],
        refuse_public=req.is_version(views.PUBLIC_FLAVOR_REFUSED))
    return wsgi.json_response(views.collection(flavor))


def _remove_tenant_access(req, flavor_id, body):
    validation.validate(body, schemas.remove_tenant_access)
    policy.authorize(req.context, policies.REMOVE)
    flavor = req.compute_api.flavors.remove_access(
        req.context, flavor_id, body['removeTenantAccess']['tenant'])
    return wsgi.json_response(views.collection(flavor))


ACTIONS = {
    'addTenantAccess': _add_tenant_access,
    'removeTenantAccess': _remove_tenant_access,
}


def flavor_action(req, flavor_id):
    """POST /flavors/{flavor_id}/action: {"<action>": {...}}."""
    action, body = req.action(ACTIONS)
    return ACTIONS[action](req, flavor_id, body)
