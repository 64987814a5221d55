"""/os-quota-sets/{tenant_id}: a project's limits, or with ?user_id= one
of its users': show, detail (with what is used), defaults, update and
delete (back to the defaults), with upstream's bodies and codes.

A limit is the user's own, else the project's, else the quota class
'default''s, else the [quota] option; the conductor resolves them
(nova.db.quotas), and checks an update against usage (400 below it, unless
force) in the transaction that writes it.  The tenant id is not checked
against Keystone: a project unknown there shows the defaults.
"""

from oslo_utils import strutils

from nova.api.policies import quota_sets as policies
from nova.api import policy
from nova.api.schemas import quota_sets as schemas
from nova.api.views import quota_sets as views
from nova.api import wsgi
from nova import exception
from nova import quota


def _user_id(req):
    """?user_id= (its first value, as upstream reads it), or None."""
    schema = (schemas.query_v2_75 if req.is_version(views.STRICT_QUERY)
              else schemas.query)
    values = req.query(schema).get('user_id')
    return values[0] if values and values[0] else None


def _authorize(req, rule, tenant_id):
    policy.authorize(req.context, rule, {'project_id': tenant_id})


def _update_schema(req):
    if req.is_version(views.NO_INJECTED_FILES):
        return schemas.update_v2_57
    if req.is_version(views.NO_NETWORK_QUOTAS):
        return schemas.update_v2_36
    return schemas.update


def limit_values(values):
    """{resource: int} of a validated body's limits (integers or their
    digits in strings, whose size the schema cannot bound)."""
    limits = {}
    for resource, value in values.items():
        limits[resource] = int(value)
        if limits[resource] > quota.MAX_LIMIT:
            raise exception.ValidationError(
                detail='Invalid input for field/attribute %s. Value: %s. '
                       '%s is greater than the maximum of %d'
                       % (resource, value, value, quota.MAX_LIMIT))
    return limits


def show_quota_set(req, tenant_id):
    user_id = _user_id(req)
    _authorize(req, policies.SHOW, tenant_id)
    limits = quota.project_limits(req.conf, req.conductor, req.context,
                                  tenant_id, user_id)
    return wsgi.json_response(views.quota_set(req, limits, tenant_id))


def show_quota_set_detail(req, tenant_id):
    user_id = _user_id(req)
    _authorize(req, policies.DETAIL, tenant_id)
    quotas = req.conductor.quota_get(req.context, tenant_id,
                                     quota.defaults(req.conf),
                                     user_id=user_id, usages=True)
    return wsgi.json_response(views.detail(req, quotas, tenant_id))


def show_defaults(req, tenant_id):
    """The defaults every project gets: the class 'default''s limits,
    else the [quota] options."""
    _authorize(req, policies.DEFAULTS, tenant_id)
    limits = req.conductor.quota_class_get(
        req.context, quota.DEFAULT_CLASS, quota.defaults(req.conf))
    return wsgi.json_response(views.quota_set(req, limits, tenant_id))


def update_quota_set(req, tenant_id):
    """PUT: the limits given become the project's (the user's) own; the
    answer is all of them, without 'id', as upstream."""
    body = req.body_json(_update_schema(req))['quota_set']
    user_id = _user_id(req)
    _authorize(req, policies.UPDATE, tenant_id)
    force = strutils.bool_from_string(body.pop('force', False))
    limits = req.conductor.quota_update(
        req.context, tenant_id, limit_values(body),
        quota.defaults(req.conf), user_id=user_id, force=force)
    return wsgi.json_response(views.quota_set(req, limits))


def delete_quota_set(req, tenant_id):
    """DELETE: the project's own limits and its users' go (with
    ?user_id=, that user's alone); 202 as upstream."""
    user_id = _user_id(req)
    _authorize(req, policies.DELETE, tenant_id)
    req.conductor.quota_destroy_all(req.context, tenant_id, user_id=user_id)
    return wsgi.empty_response(202)
