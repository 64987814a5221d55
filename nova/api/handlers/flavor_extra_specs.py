"""/flavors/{flavor_id}/os-extra_specs: a flavor's extra specs.

A project's reader lists and shows them (of the flavors it sees), an admin
sets and deletes them.  From 2.86 the keys of known namespaces are
validated (nova.api.extra_specs).  Upstream's codes: 200 everywhere, the
created or updated items echoed as sent (numbers stay numbers), an empty
200 for a delete.
"""

from nova.api import extra_specs
from nova.api.policies import flavor_extra_specs as policies
from nova.api import policy
from nova.api.schemas import flavor_extra_specs as schemas
from nova.api.views import flavor_extra_specs as views
from nova.api import wsgi
from nova import exception


def list_extra_specs(req, flavor_id):
    """GET: also what `openstack flavor show` reads."""
    policy.authorize(req.context, policies.INDEX)
    flavor = req.compute_api.flavors.get(req.context, flavor_id)
    return wsgi.json_response(views.collection(flavor['extra_specs']))


def create_extra_specs(req, flavor_id):
    """POST {"extra_specs": {...}}: merged into the flavor's."""
    body = req.body_json(schemas.create)
    policy.authorize(req.context, policies.CREATE)
    specs = body['extra_specs']
    extra_specs.check(specs, req.is_version(views.VALIDATION))
    req.compute_api.flavors.set_extra_specs(req.context, flavor_id, specs)
    return wsgi.json_response(body)


def show_extra_spec(req, flavor_id, key):
    policy.authorize(req.context, policies.SHOW)
    flavor = req.compute_api.flavors.get(req.context, flavor_id)
    if key not in flavor['extra_specs']:
        raise exception.FlavorExtraSpecsNotFound(flavor_id=flavor_id,
                                                 extra_specs_key=key)
    return wsgi.json_response(views.item(key, flavor['extra_specs'][key]))


def update_extra_spec(req, flavor_id, key):
    """PUT {key: value}: the body's one item must be the URL's key."""
    body = req.body_json(schemas.update)
    policy.authorize(req.context, policies.UPDATE)
    extra_specs.check(body, req.is_version(views.VALIDATION))
    if key not in body:
        raise exception.Invalid('Request body and URI mismatch')
    req.compute_api.flavors.set_extra_specs(req.context, flavor_id, body)
    return wsgi.json_response(body)


def delete_extra_spec(req, flavor_id, key):
    policy.authorize(req.context, policies.DELETE)
    req.compute_api.flavors.delete_extra_spec(req.context, flavor_id, key)
    return wsgi.empty_response(200)
