"""/servers/{server_id}/tags (2.26): a server's tags.

Below 2.26 every route is a 404, as upstream's.  Reads come with the
server; each change is one conductor call whose transaction checks the
server's vm_state (the transitions table's ``tags`` row: 409 naming
'update tag(s)' or 'delete tag(s)'), checked here first too.  Another
project's server is a 404, as its GET is.
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


def _check_state(req, instance, method):
    transitions.check('tags', instance, req.context.is_admin, method)


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
    _check_state(req, instance, 'update tags')
    ctxt = req.context
    tags = req.conductor.instance_tags_set(
        ctxt, instance['uuid'], tags, api_method='update tags',
        lock_override=ctxt.is_admin)
    return wsgi.json_response(views.collection(tags))


def delete_all_tags(req, server_id):
    instance = _instance(req, server_id, policies.DELETE_ALL)
    _check_state(req, instance, 'delete tags')
    ctxt = req.context
    req.conductor.instance_tags_set(ctxt, instance['uuid'], [],
                                    api_method='delete tags',
                                    lock_override=ctxt.is_admin)
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
    _check_state(req, instance, 'update tag')
    try:
        validation.validate(tag, schemas.tag)
    except exception.ValidationError as e:
        raise exception.Invalid(
            "Tag '%s' is invalid. It must be a non empty string without "
            "characters '/' and ','. Validation error message: %s"
            % (tag, e.format_message()))
    ctxt = req.context
    added = req.conductor.instance_tag_add(
        ctxt, instance['uuid'], tag, schemas.MAX_TAGS,
        api_method='update tag', lock_override=ctxt.is_admin)
    if not added:
        return wsgi.empty_response(204)
    response = wsgi.empty_response(201)
    response.headers['Location'] = views.location(req, instance['uuid'],
                                                  tag)
    return response


def delete_tag(req, server_id, tag):
    instance = _instance(req, server_id, policies.DELETE)
    _check_state(req, instance, 'delete tag')
    ctxt = req.context
    req.conductor.instance_tag_delete(ctxt, instance['uuid'], tag,
                                      api_method='delete tag',
                                      lock_override=ctxt.is_admin)
    return wsgi.empty_response(204)
