"""/images/{image_id}/metadata (deprecated, gone from 2.36): an image's
properties through the Image API, as upstream's proxy.

As /images, no nova policy applies: the Image API decides who may read
and change the image.  POST merges into the properties, PUT replaces them
all; an item's key in the URL must be the one in the body.
"""

from nova.api.handlers import images
from nova.api.schemas import image_metadata as schemas
from nova.api.views import image_metadata as views
from nova.api import wsgi
from nova import exception


class MetadataKeyNotFound(exception.NotFound):
    msg_fmt = 'Invalid metadata key'


def _properties(req, image_id):
    image_api = images.get_image_api(req)
    image = image_api.show(req.context, image_id)
    return image_api, dict(image.get('properties') or {})


def _update(req, image_api, image_id, values=None, remove=()):
    try:
        image = image_api.update(req.context, image_id, values=values,
                                 remove=remove)
    except exception.ImageNotAuthorized:
        raise exception.Forbidden('You are not allowed to change the '
                                  'image.')
    return dict(image.get('properties') or {})


def list_metadata(req, image_id):
    _image_api, properties = _properties(req, image_id)
    return wsgi.json_response(views.collection(properties))


def update_metadata(req, image_id):
    """POST: the body's items join (or replace) the image's (the Image
    API's update reads the image itself: 404 for an unknown one)."""
    metadata = req.body_json(schemas.update_all)['metadata']
    return wsgi.json_response(views.collection(
        _update(req, images.get_image_api(req), image_id, metadata)))


def replace_metadata(req, image_id):
    """PUT: the body's items become the image's properties."""
    metadata = req.body_json(schemas.update_all)['metadata']
    image_api, properties = _properties(req, image_id)
    gone = [key for key in properties if key not in metadata]
    return wsgi.json_response(views.collection(
        _update(req, image_api, image_id, metadata, remove=gone)))


def show_metadata_item(req, image_id, key):
    _image_api, properties = _properties(req, image_id)
    if key not in properties:
        raise MetadataKeyNotFound()
    return wsgi.json_response(views.item(key, properties[key]))


def update_metadata_item(req, image_id, key):
    meta = req.body_json(schemas.update)['meta']
    if key not in meta:
        raise exception.Invalid('Request body and URI mismatch')
    if len(meta) > 1:
        raise exception.Invalid('Request body contains too many items')
    properties = _update(req, images.get_image_api(req), image_id, meta)
    return wsgi.json_response(views.item(key, properties[key]))


def delete_metadata_item(req, image_id, key):
    image_api, properties = _properties(req, image_id)
    if key not in properties:
        raise MetadataKeyNotFound()
    _update(req, image_api, image_id, remove=[key])
    return wsgi.empty_response(204)
