"""/servers/{server_id}/metadata: a server's user metadata.

Reads come with the server; changes are the compute API's
(nova.compute.api: the server's state checked, 409 naming 'update
metadata' or 'delete metadata', and for what they add the metadata quota,
403).  Another project's server is a 404, as its GET is.
"""

from nova.api.handlers import servers
from nova.api.policies import server_metadata as policies
from nova.api.schemas import server_metadata as schemas
from nova.api.views import server_metadata as views
from nova.api import wsgi
from nova import exception


def _update(req, instance, metadata, delete):
    return req.compute_api.update_metadata(req.context, instance, metadata,
                                           delete=delete)


def list_metadata(req, server_id):
    instance = servers.get_authorized_instance(req, server_id, policies.INDEX)
    return wsgi.json_response(views.collection(instance['metadata']))


def create_metadata(req, server_id):
    """POST: merge the items into the server's (200, the whole result)."""
    metadata = req.body_json(schemas.create)['metadata']
    instance = servers.get_authorized_instance(req, server_id, policies.CREATE)
    return wsgi.json_response(
        views.collection(_update(req, instance, metadata, delete=False)))


def update_all_metadata(req, server_id):
    """PUT: the items become the server's whole metadata."""
    metadata = req.body_json(schemas.update_all)['metadata']
    instance = servers.get_authorized_instance(
        req, server_id, policies.UPDATE_ALL)
    return wsgi.json_response(
        views.collection(_update(req, instance, metadata, delete=True)))


def show_metadata_item(req, server_id, key):
    instance = servers.get_authorized_instance(req, server_id, policies.SHOW)
    metadata = instance['metadata'] or {}
    if key not in metadata:
        raise exception.MetadataItemNotFound()
    return wsgi.json_response(views.item(key, metadata[key]))


def update_metadata_item(req, server_id, key):
    """PUT /metadata/{key}: the body's one item must be that key's."""
    meta = req.body_json(schemas.update)['meta']
    instance = servers.get_authorized_instance(req, server_id, policies.UPDATE)
    if key not in meta:
        raise exception.Invalid('Request body and URI mismatch')
    _update(req, instance, meta, delete=False)
    return wsgi.json_response(views.item(key, meta[key]))


def delete_metadata_item(req, server_id, key):
    instance = servers.get_authorized_instance(req, server_id, policies.DELETE)
    req.compute_api.delete_metadata_item(req.context, instance, key)
    return wsgi.empty_response(204)
