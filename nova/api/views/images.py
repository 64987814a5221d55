"""Images as the (deprecated) compute API showed them, before 2.36."""

from nova.api.views import common

_STATUS = {'active': 'ACTIVE', 'queued': 'SAVING', 'saving': 'SAVING',
           'deleted': 'DELETED', 'pending_delete': 'DELETED',
           'killed': 'ERROR'}
_PROGRESS = {'queued': 25, 'saving': 50, 'active': 100}


def _time(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return value.strftime('%Y-%m-%dT%H:%M:%SZ')


def _links(req, image, image_endpoint):
    links = [{'rel': 'self', 'href': req.link('images', image['id'])},
             {'rel': 'bookmark',
              'href': req.link('images', image['id'], bookmark=True)}]
    if image_endpoint:
        links.append({'rel': 'alternate',
                      'type': 'application/vnd.openstack.image',
                      'href': '%s/images/%s' % (image_endpoint.rstrip('/'),
                                                image['id'])})
    return links


def basic(req, image, image_endpoint):
    return {'id': image['id'], 'name': image.get('name'),
            'links': _links(req, image, image_endpoint)}


def detail(req, image, image_endpoint):
    view = basic(req, image, image_endpoint)
    properties = image.get('properties') or {}
    status = image.get('status')
    view.update({
        'minRam': image.get('min_ram') or 0,
        'minDisk': image.get('min_disk') or 0,
        'metadata': dict(properties),
        'created': _time(image.get('created_at')),
        'updated': _time(image.get('updated_at')),
        'status': _STATUS.get(status, 'UNKNOWN'),
        'progress': _PROGRESS.get(status, 0),
        'OS-EXT-IMG-SIZE:size': image.get('size'),
    })
    server = properties.get('instance_uuid')
    if server:
        view['server'] = {'id': server, 'links': [
            {'rel': 'self', 'href': req.link('servers', server)},
            {'rel': 'bookmark',
             'href': req.link('servers', server, bookmark=True)}]}
    if 'auto_disk_config' in properties:
        auto = str(properties['auto_disk_config']).lower() in ('true', '1')
        view['OS-DCF:diskConfig'] = 'AUTO' if auto else 'MANUAL'
    return view


def collection(req, images, builder, image_endpoint, limit):
    body = {'images': [builder(req, i, image_endpoint) for i in images]}
    if limit is not None:
        links = common.next_links(req, images, limit, 'id')
        if links:
            body['images_links'] = links
    return body
