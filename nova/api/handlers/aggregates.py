"""/os-aggregates: host aggregates (admin only), as upstream has them.

Every change is one conductor call whose transaction applies upstream's
availability zone rules (nova.compute.aggregates): a host is in one zone
at most, and the zone of a host with instances never changes.  Upstream's
codes: create, update, delete and the actions answer 200; a duplicate
name is a 409; a zone refused by update or set_metadata, or deleting an
aggregate with hosts, a 400; add_host and remove_host answer a refused
zone with a 409.
"""


from nova.api.policies import aggregates as policies
from nova.api import policy
from nova.api.schemas import aggregates as schemas
from nova.api import validation
from nova.api.views import aggregates as views
from nova.api import wsgi
from nova import exception


def _id(aggregate_id):
    """Upstream's validate_integer: an id that is no integer is a 400."""
    try:
        return int(aggregate_id)
    except ValueError:
        raise exception.Invalid('Invalid input received: id must be an '
                                'integer')


def _name(value):
    # Upstream's normalize_name: an update's name may come with spaces.
    return value.strip()


def list_aggregates(req):
    policy.authorize(req.context, policies.INDEX)
    return wsgi.json_response(views.collection(
        req, req.conductor.aggregate_get_all(req.context)))


def create_aggregate(req):
    body = req.body_json(schemas.create)['aggregate']
    policy.authorize(req.context, policies.CREATE)
    zone = body.get('availability_zone')
    aggregate = req.conductor.aggregate_create(
        req.context, _name(body['name']),
        availability_zone=_name(zone) if zone else None)
    return wsgi.json_response(views.created(req, aggregate))


def show_aggregate(req, aggregate_id):
    policy.authorize(req.context, policies.SHOW)
    return wsgi.json_response(views.show(req, req.conductor.aggregate_get(
        req.context, _id(aggregate_id))))


def update_aggregate(req, aggregate_id):
    """PUT: name and/or availability_zone (a null zone is refused, as
    upstream refuses an empty one)."""
    values = req.body_json(schemas.update)['aggregate']
    policy.authorize(req.context, policies.UPDATE)
    if 'name' in values:
        values['name'] = _name(values['name'])
    return wsgi.json_response(views.show(req, req.conductor.aggregate_update(
        req.context, _id(aggregate_id), values)))


def delete_aggregate(req, aggregate_id):
    """200 and no body, as upstream answers."""
    policy.authorize(req.context, policies.DELETE)
    req.conductor.aggregate_delete(req.context, _id(aggregate_id))
    return wsgi.empty_response(200)


def _add_host(req, aggregate_id, body):
    policy.authorize(req.context, policies.ADD_HOST)
    return req.conductor.aggregate_host_add(
        req.context, _id(aggregate_id), body['host'])


def _remove_host(req, aggregate_id, body):
    policy.authorize(req.context, policies.REMOVE_HOST)
    host, aggregate_id = body['host'], _id(aggregate_id)
    try:
        return req.conductor.aggregate_host_remove(
            req.context, aggregate_id, host)
    except exception.NotFound:
        # Upstream says the same whatever was not found.
        raise exception.NotFound('Cannot remove host %s in aggregate %s'
                                 % (host, aggregate_id))


def _set_metadata(req, aggregate_id, body):
    policy.authorize(req.context, policies.SET_METADATA)
    return req.conductor.aggregate_metadata_set(
        req.context, _id(aggregate_id), body['metadata'])


ACTIONS = {
    'add_host': _add_host,
    'remove_host': _remove_host,
    'set_metadata': _set_metadata,
}


def aggregate_action(req, aggregate_id):
    """POST /os-aggregates/{id}/action: the aggregate as it is after."""
    action, body = req.action(ACTIONS)
    handler = ACTIONS[action]
    validation.validate(body, schemas.ACTIONS[action])
    return wsgi.json_response(views.show(
        req, handler(req, aggregate_id, body[action])))


def cache_images(req, aggregate_id):
    """POST /os-aggregates/{id}/images (2.81): checked as upstream checks
    it, then refused: no compute driver here can cache an image before a
    server is built from it."""
    if not req.is_version(views.IMAGE_CACHE):
        raise exception.NotFound()
    body = req.body_json(schemas.images)
    policy.authorize(req.context, policies.IMAGES)
    aggregate_id = _id(aggregate_id)
    image_ids = [item['id'] for item in body['cache']]
    if len(set(image_ids)) != len(image_ids):
        raise exception.Invalid('Duplicate images in request')
    req.conductor.aggregate_get(req.context, aggregate_id)
    raise exception.ImageCacheNotSupported()
