"""/images (deprecated, gone from 2.36): a proxy to the Image API.

Upstream checks no policy here: the Image API decides what the caller
may see and delete.
"""

from oslo_utils import timeutils

from nova.api.views import images as views
from nova.api import wsgi
from nova import exception

REMOVED = (2, 36)
# The compute API's filters and the Image API's names for them.
_PROPERTY_FILTERS = {'server': 'instance_uuid', 'type': 'image_type'}


def get_image_api(req):
    """The Image API, or 404 from 2.36."""
    if req.is_version(REMOVED):
        raise exception.VersionNotFoundForAPIMethod(version=req.version)
    return req.compute_api.image_api


def _endpoint(req, image_api):
    return getattr(image_api, 'endpoint', None) or req.conf.glance.endpoint


def _filters(req, params):
    filters = {}
    for name in ('name', 'status'):
        value = req.last_query_value(params, name)
        if value is not None:
            filters[name] = value.lower() if name == 'status' else value
    for name, prop in _PROPERTY_FILTERS.items():
        value = req.last_query_value(params, name)
        if value is not None:
            filters[prop] = value.rstrip('/').rsplit('/', 1)[-1]
    since = req.last_query_value(params, 'changes-since')
    if since is not None:
        try:
            when = timeutils.parse_isotime(since)
        except ValueError:
            raise exception.Invalid('Invalid changes-since value')
        filters['updated_at'] = 'gte:' + timeutils.normalize_time(
            when).strftime('%Y-%m-%dT%H:%M:%SZ')
    marker = req.last_query_value(params, 'marker')
    if marker is not None:
        filters['marker'] = marker
    return filters


def _minimum(req, params, name):
    value = req.last_query_value(params, name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise exception.Invalid('Invalid %s filter [%s]' % (name, value))


def _list(req, builder):
    image_api = get_image_api(req)
    params = req.query()
    limit = req.int_param(params, 'limit')
    min_ram = _minimum(req, params, 'minRam')
    min_disk = _minimum(req, params, 'minDisk')
    try:
        images = image_api.detail(req.context, limit=limit,
                                  **_filters(req, params))
    except exception.Invalid as e:
        raise exception.Invalid(e.format_message())
    if min_ram is not None:
        images = [i for i in images if (i.get('min_ram') or 0) >= min_ram]
    if min_disk is not None:
        images = [i for i in images if (i.get('min_disk') or 0) >= min_disk]
    return wsgi.json_response(views.collection(
        req, images, builder, _endpoint(req, image_api), limit))


def list_images(req):
    return _list(req, views.basic)


def list_images_detail(req):
    return _list(req, views.detail)


def show_image(req, image_id):
    image_api = get_image_api(req)
    image = image_api.show(req.context, image_id)
    return wsgi.json_response({'image': views.detail(
        req, image, _endpoint(req, image_api))})


def delete_image(req, image_id):
    image_api = get_image_api(req)
    try:
        image_api.delete(req.context, image_id)
    except exception.ImageNotAuthorized:
        raise exception.Forbidden('You are not allowed to delete the '
                                  'image.')
    return wsgi.empty_response(204)
