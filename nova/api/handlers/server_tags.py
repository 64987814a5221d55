"""/servers/{server_id}/tags (2.26): a server's tags.

Below 2.26 every route is a 404, as upstream's.  Reads come with the
server; changes are the compute API's (nova.compute.api: the server's
vm_state checked, 409 naming 'update tag(s)' or 'delete tag(s)').
Another project's server is a 404, as its GET is.
"""

from oslo_serialization import jsonutils

from nova.api.handlers import servers
from nova.api.policies import server_tags as policies
from nova.api import policy
from nova.api.schemas import server_tags as schemas
from nova.api import validation
from nova.api.views import server_tags as views
from nova.api import wsgi
from nova.compute import transitions
from nova import exception


def _check_version(req):
    if not req.is_version(views.TAGS):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)


def _instance(req, server_id, rule):
    """The server (404 below 2.26, or unless the caller's project's or an
    admin's), then rule checked against its project."""
    _check_version(req)
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id']})
    return instance


def list_tags(req, server_id):
    instance = _instance(req, server_id, policies.INDEX)
    return wsgi.json_response(views.collection(instance['tags']))


def show_tag(req, server_id, tag):
    """204 when the server has tag, else 404."""
    instance = _instance(req, server_id, policies.SHOW)
    if tag not in (instance['tags'] or ()):
        raise exception.NotFound("Server %s has no tag '%s'"
                                 % (server_id, tag))
    return wsgi.empty_response(204)


def update_all_tags(req, server_id):
    """PUT: the list becomes the server's tags (each once)."""
    _check_version(req)
    tags = req.body_json(schemas.update_all)['tags']
    instance = _instance(req, server_id, policies.UPDATE_ALL)
    tags = req.compute_api.set_tags(req.context, instance, tags)
    return wsgi.json_response(views.collection(tags))


def delete_all_tags(req, server_id):
    instance = _instance(req, server_id, policies.DELETE_ALL)
    req.compute_api.set_tags(req.context, instance, [],
                             method='delete tags')
    return wsgi.empty_response(204)


def _no_body(req):
    """PUT /tags/{tag} takes no body; a JSON null is no body too."""
    if not req.body:
        return
    try:
        body = jsonutils.loads(req.body)
    except ValueError as e:
        raise exception.MalformedRequestBody(reason=e)
    validation.validate(body, schemas.update)


def update_tag(req, server_id, tag):
    """PUT /tags/{tag}: 201 with the tag's Location when added, 204 when
    the server had it."""
    _check_version(req)
    _no_body(req)
    instance = _instance(req, server_id, policies.UPDATE)
    # The state before the tag, as upstream answers (409 before 400).
    transitions.check('tags', instance, req.context.is_admin, 'update tag')
    try:
        validation.validate(tag, schemas.tag)
    except exception.ValidationError as e:
        raise exception.Invalid(
            "Tag '%s' is invalid. It must be a non empty string without "
            "characters '/' and ','. Validation error message: %s"
            % (tag, e.format_message()))
    added = req.compute_api.add_tag(req.context, instance, tag,
                                    schemas.MAX_TAGS)
    if not added:
        return wsgi.empty_response(204)
    response = wsgi.empty_response(201)
    response.headers['Location'] = views.location(req, instance['uuid'],
                                                  tag)
    return response


def delete_tag(req, server_id, tag):
    instance = _instance(req, server_id, policies.DELETE)
    req.compute_api.delete_tag(req.context, instance, tag)
    return wsgi.empty_response(204)
