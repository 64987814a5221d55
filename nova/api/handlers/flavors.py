"""/flavors: list, detail, show; admins create, describe and delete.

Their extra specs and project access have modules of their own
(flavor_extra_specs, flavor_access)."""

import functools

from oslo_utils import strutils

from nova.api.policies import flavor_extra_specs as extra_specs_policies
from nova.api.policies import flavors as policies
from nova.api import policy
from nova.api.schemas import flavors as schemas
from nova.api.views import flavors as views
from nova.api import wsgi
from nova import exception


def _is_public(req, params):
    """What the is_public filter asks for (admins only).

    Missing means public only; the string 'none' (clients send the literal
    ``is_public=None`` for --all) means every flavor.
    """
    value = req.last_query_value(params, 'is_public')
    if value is None:
        return True
    if value.lower() == 'none':
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError:
        raise exception.Invalid(reason='Invalid is_public filter [%s]'
                                % value)


def _list(req, builder):
    policy.authorize(req.context, policies.LIST)
    params = req.query()
    ctxt = req.context
    # Public flavors and the private ones shared with the caller's
    # project; an admin may ask for the private ones only (is_public=false)
    # or all (is_public=none), as upstream.  Disabled ones are the admin's.
    filters = {}
    if ctxt.is_admin:
        is_public = _is_public(req, params)
        project_id = ctxt.project_id if is_public else None
    else:
        is_public, project_id = True, ctxt.project_id
        filters['disabled'] = False
    limit = req.limit_param(params)
    flavors = req.conductor.flavor_get_all(
        ctxt, is_public=is_public, project_id=project_id, **filters,
        min_memory_mb=req.int_param(params, 'minRam'),
        min_root_gb=req.int_param(params, 'minDisk'),
        sort_key=req.last_query_value(params, 'sort_key', 'flavorid'),
        sort_dir=req.last_query_value(params, 'sort_dir', 'asc'),
        limit=limit, marker=req.last_query_value(params, 'marker'))
    return wsgi.json_response(
        views.collection(req, flavors, builder, limit))


def list_flavors(req):
    return _list(req, views.basic)


def _detail(req):
    """The detail view, with extra_specs (2.61+) where policy allows."""
    shown = policy.authorize(req.context, extra_specs_policies.INDEX,
                             fatal=False)
    return functools.partial(views.detail, show_extra_specs=shown)


def list_flavors_detail(req):
    return _list(req, _detail(req))


def show_flavor(req, flavor_id):
    policy.authorize(req.context, policies.LIST)
    flavor = req.compute_api.flavors.get(req.context, flavor_id)
    return wsgi.json_response({'flavor': _detail(req)(req, flavor)})


def create_flavor(req):
    policy.authorize(req.context, policies.CREATE)
    schema = (schemas.create_v2_55 if req.is_version(views.DESCRIPTION)
              else schemas.create)
    body = req.body_json(schema)['flavor']
    flavor = req.compute_api.flavors.create(
        req.context, body['name'], body['ram'], body['vcpus'],
        body['disk'], flavorid=body.get('id'),
        ephemeral_gb=body.get('OS-FLV-EXT-DATA:ephemeral', 0),
        swap=body.get('swap', 0),
        rxtx_factor=body.get('rxtx_factor', 1.0),
        is_public=strutils.bool_from_string(
            body.get('os-flavor-access:is_public', True), strict=True),
        description=body.get('description'))
    return wsgi.json_response({'flavor': _detail(req)(req, flavor)})


def update_flavor(req, flavor_id):
    if not req.is_version(views.DESCRIPTION):
        raise exception.NotFound()
    policy.authorize(req.context, policies.UPDATE)
    body = req.body_json(schemas.update_v2_55)['flavor']
    flavor = req.compute_api.flavors.update_description(
        req.context, flavor_id, body['description'])
    return wsgi.json_response({'flavor': _detail(req)(req, flavor)})


def delete_flavor(req, flavor_id):
    policy.authorize(req.context, policies.DELETE)
    req.compute_api.flavors.delete(req.context, flavor_id)
    return wsgi.empty_response(202)
