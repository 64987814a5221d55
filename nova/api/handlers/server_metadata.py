"""/servers/{server_id}/metadata: a server's user metadata.

Reads come with the server; each change is one conductor call whose
transaction checks the server's state (the transitions table's
``metadata`` row: 409 naming 'update metadata' or 'delete metadata') and,
for what it adds, the metadata quota (403).  The same check runs here
first, so a request bound to fail costs no write.  Another project's
server is a 404, as its GET is.
"""

from nova.api.handlers import servers
from nova.api.policies import server_metadata as policies
from nova.api import policy
from nova.api.schemas import server_metadata as schemas
from nova.api.views import server_metadata as views
from nova.api import wsgi
from nova.compute import transitions
from nova import exception

UPDATE_METHOD = 'update metadata'
DELETE_METHOD = 'delete metadata'


def _instance(req, server_id, rule):
    """The server (404 unless the caller's project's, or an admin's),
    then rule checked against its project."""
    instance = servers.get_instance(req, server_id)
    policy.authorize(req.context, rule,
                     {'project_id': instance['project_id']})
    return instance


def _update(req, instance, metadata, delete):
    ctxt = req.context
    transitions.check('metadata', instance, ctxt.is_admin, UPDATE_METHOD)
    return req.conductor.instance_metadata_update(
        ctxt, instance['uuid'], metadata, delete=delete,
        max_items=req.conf.quota.metadata_items, api_method=UPDATE_METHOD,
        lock_override=ctxt.is_admin)


def list_metadata(req, server_id):
    instance = _instance(req, server_id, policies.INDEX)
    return wsgi.json_response(views.collection(instance['metadata']))


def create_metadata(req, server_id):
    """POST: merge the items into the server's (200, the whole result)."""
    metadata = req.body_json(schemas.create)['metadata']
    instance = _instance(req, server_id, policies.CREATE)
    return wsgi.json_response(
        views.collection(_update(req, instance, metadata, delete=False)))


def update_all_metadata(req, server_id):
    """PUT: the items become the server's whole metadata."""
    metadata = req.body_json(schemas.update_all)['metadata']
    instance = _instance(req, server_id, policies.UPDATE_ALL)
    return wsgi.json_response(
        views.collection(_update(req, instance, metadata, delete=True)))


def show_metadata_item(req, server_id, key):
    instance = _instance(req, server_id, policies.SHOW)
    metadata = instance['metadata'] or {}
    if key not in metadata:
        raise exception.MetadataItemNotFound()
    return wsgi.json_response(views.item(key, metadata[key]))


def update_metadata_item(req, server_id, key):
    """PUT /metadata/{key}: the body's one item must be that key's."""
    meta = req.body_json(schemas.update)['meta']
    instance = _instance(req, server_id, policies.UPDATE)
    if key not in meta:
        raise exception.Invalid('Request body and URI mismatch')
    _update(req, instance, meta, delete=False)
    return wsgi.json_response(views.item(key, meta[key]))


def delete_metadata_item(req, server_id, key):
    ctxt = req.context
    instance = _instance(req, server_id, policies.DELETE)
    if key not in (instance['metadata'] or {}):
        raise exception.MetadataItemNotFound()
    transitions.check('metadata', instance, ctxt.is_admin, DELETE_METHOD)
    req.conductor.instance_metadata_delete(
        ctxt, instance['uuid'], key, api_method=DELETE_METHOD,
        lock_override=ctxt.is_admin)
    return wsgi.empty_response(204)
