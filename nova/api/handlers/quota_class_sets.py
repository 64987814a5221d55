"""/os-quota-class-sets/{quota_class}: the limits of a quota class, the
admin's.  Only the class 'default' is used: its limits are every project's
defaults in place of the [quota] options (what GET
/os-quota-sets/{tenant_id}/defaults shows, what a build and /limits are
held to until a project has limits of its own).  Other classes are kept
and shown, as upstream, and limit nothing.
"""

from nova.api.handlers import quota_sets
from nova.api.policies import quota_class_sets as policies
from nova.api import policy
from nova.api.schemas import quota_class_sets as schemas
from nova.api.views import quota_class_sets as views
from nova.api import wsgi
from nova import exception
from nova import quota

MAX_NAME_LENGTH = 255


def _update_schema(req):
    if req.is_version(views.NO_INJECTED_FILES):
        return schemas.update_v2_57
    if req.is_version(views.SERVER_GROUPS_NO_NETWORK):
        return schemas.update_v2_50
    return schemas.update


def show_quota_class_set(req, quota_class):
    policy.authorize(req.context, policies.SHOW, {})
    limits = req.conductor.quota_class_get(req.context, quota_class,
                                           quota.defaults(req.conf))
    return wsgi.json_response(
        views.quota_class_set(req, limits, quota_class))


def update_quota_class_set(req, quota_class):
    """PUT: set the class's limits; the answer is all of them, without
    'id', as upstream."""
    body = req.body_json(_update_schema(req))['quota_class_set']
    policy.authorize(req.context, policies.UPDATE, {})
    if len(quota_class) > MAX_NAME_LENGTH:
        raise exception.Invalid(
            'quota_class_name has %d characters, more than %d.'
            % (len(quota_class), MAX_NAME_LENGTH))
    limits = req.conductor.quota_class_update(
        req.context, quota_class, quota_sets.limit_values(body),
        quota.defaults(req.conf))
    return wsgi.json_response(views.quota_class_set(req, limits))
