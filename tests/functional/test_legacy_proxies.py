"""The deprecated proxies /images (with its metadata) and /os-networks
(404 from 2.36) and the legacy /extensions list, checked against tempest's
schemas."""

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import \
    extensions as extension_schemas
from tempest.lib.api_schema.response.compute.v2_1 import \
    images as image_schemas

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message


# --- /images -----------------------------------------------------------------

def test_image_list(cloud):
    resp = cloud.api.as_user('demo:demo').get('/v2.1/images')
    body = oracle.validate(image_schemas.list_images, resp)
    by_id = {i['id']: i for i in body['images']}
    image = by_id[fixtures.IMAGE_ID]
    assert image['name'] == 'cirros'
    links = {link['rel']: link['href'] for link in image['links']}
    assert links['self'] == 'http://localhost/v2.1/images/' + \
        fixtures.IMAGE_ID
    assert links['bookmark'] == 'http://localhost/images/' + \
        fixtures.IMAGE_ID
    assert links['alternate'].endswith('/images/' + fixtures.IMAGE_ID)


def test_image_detail_and_show(cloud):
    demo = cloud.api.as_user('demo:demo')
    body = oracle.validate(image_schemas.list_images_details,
                           demo.get('/v2.1/images/detail'))
    by_id = {i['id']: i for i in body['images']}
    assert by_id[fixtures.QUEUED_IMAGE_ID]['status'] == 'SAVING'
    assert by_id[fixtures.QUEUED_IMAGE_ID]['progress'] == 25
    shown = oracle.validate(image_schemas.get_image, demo.get(
        '/v2.1/images/' + fixtures.IMAGE_ID))['image']
    assert shown == by_id[fixtures.IMAGE_ID]
    assert shown['status'] == 'ACTIVE'
    assert shown['progress'] == 100
    assert shown['minRam'] == 0 and shown['minDisk'] == 0
    assert shown['metadata'] == {'hw_architecture': 'x86_64'}
    assert shown['OS-EXT-IMG-SIZE:size'] == 25165824
    assert shown['created'] == shown['updated'] == '2024-01-02T03:04:05Z'
    assert 'server' not in shown


def test_image_filters_and_pages(cloud):
    demo = cloud.api.as_user('demo:demo')
    names = [i['name'] for i in demo.get(
        '/v2.1/images?name=cirros').body['images']]
    assert names == ['cirros']
    ids = [i['id'] for i in demo.get(
        '/v2.1/images/detail?status=ACTIVE').body['images']]
    assert fixtures.IMAGE_ID in ids
    assert fixtures.QUEUED_IMAGE_ID not in ids
    first = demo.get('/v2.1/images?limit=1').body
    assert len(first['images']) == 1
    (link,) = first['images_links']
    assert link['rel'] == 'next'
    assert 'marker=' + first['images'][0]['id'] in link['href']
    rest = demo.get('/v2.1/images?marker=' + first['images'][0]['id']).body
    assert first['images'][0]['id'] not in {i['id'] for i in rest['images']}


def test_a_snapshot_names_its_server(cloud):
    image = cloud.images.create(None, {
        'name': 'snap', 'properties': {'instance_uuid': fixtures.IMAGE_ID,
                                       'auto_disk_config': 'True'}})
    body = oracle.validate(image_schemas.get_image, cloud.api.get(
        '/v2.1/images/' + image['id']))['image']
    assert body['server']['id'] == fixtures.IMAGE_ID
    assert body['OS-DCF:diskConfig'] == 'AUTO'
    ids = [i['id'] for i in cloud.api.get(
        '/v2.1/images?server=' + fixtures.IMAGE_ID).body['images']]
    assert ids == [image['id']]


def test_image_delete(cloud):
    image = cloud.images.create(None, {'name': 'doomed'})
    resp = cloud.api.as_user('demo:demo').delete(
        '/v2.1/images/' + image['id'])
    assert resp.status in image_schemas.delete['status_code']
    assert image['id'] not in cloud.images.images
    _fault(cloud.api.get('/v2.1/images/' + image['id']), 404,
           'itemNotFound')


def test_image_list_changes_since(cloud):
    for url in ('/v2.1/images', '/v2.1/images/detail'):
        resp = cloud.api.get(url + '?changes-since=2024-01-01T02:00:00%2B02:00')
        assert resp.status == 200, resp
        # The Image API's filter, in UTC.
        assert cloud.images.last_filters['updated_at'] == \
            'gte:2024-01-01T00:00:00Z'
        resp = cloud.api.get(url + '?changes-since=yesterday')
        _fault(resp, 400, 'badRequest', 'Invalid changes-since value')


def test_unknown_image_is_404(cloud):
    _fault(cloud.api.get('/v2.1/images/nosuchimage'), 404, 'itemNotFound')


@pytest.mark.parametrize('method,path', [
    ('GET', '/images'), ('GET', '/images/detail'),
    ('GET', '/images/' + fixtures.IMAGE_ID),
    ('DELETE', '/images/' + fixtures.IMAGE_ID),
    ('GET', '/os-networks'), ('GET', '/os-networks/anything')])
def test_proxies_are_gone_from_2_36(cloud, method, path):
    _fault(cloud.api.request(method, '/v2.1' + path, version='2.36'), 404,
           'itemNotFound')
    assert fixtures.IMAGE_ID in cloud.images.images
    if method == 'GET':
        assert cloud.api.request(method, '/v2.1' + path,
                                 version='2.35').status in (200, 404)


# --- /images/{image_id}/metadata --------------------------------------------

def test_image_metadata(cloud):
    image_id = cloud.images.create(None, {
        'name': 'described', 'properties': {'a': '1', 'b': '2'}})['id']
    url = '/v2.1/images/%s/metadata' % image_id
    body = oracle.validate(image_schemas.image_metadata, cloud.api.get(url))
    assert body == {'metadata': {'a': '1', 'b': '2'}}
    # POST merges ...
    body = oracle.validate(image_schemas.image_metadata, cloud.api.post(
        url, {'metadata': {'b': 'two', 'c': '3'}}))
    assert body == {'metadata': {'a': '1', 'b': 'two', 'c': '3'}}
    # ... PUT replaces.
    body = oracle.validate(image_schemas.image_metadata, cloud.api.put(
        url, {'metadata': {'c': 'three', 'd': '4'}}))
    assert body == {'metadata': {'c': 'three', 'd': '4'}}
    assert cloud.images.images[image_id]['properties'] == {
        'c': 'three', 'd': '4'}
    # One item.
    body = oracle.validate(image_schemas.image_meta_item,
                           cloud.api.get(url + '/c'))
    assert body == {'meta': {'c': 'three'}}
    body = oracle.validate(image_schemas.image_meta_item, cloud.api.put(
        url + '/e', {'meta': {'e': '5'}}))
    assert body == {'meta': {'e': '5'}}
    assert cloud.api.delete(url + '/d').status == 204
    assert cloud.api.get(url).body == {'metadata': {'c': 'three', 'e': '5'}}
    _fault(cloud.api.get(url + '/d'), 404, 'itemNotFound',
           'Invalid metadata key')
    _fault(cloud.api.delete(url + '/d'), 404, 'itemNotFound')
    # The URL's key must be the body's only one.
    _fault(cloud.api.put(url + '/e', {'meta': {'f': '6'}}), 400,
           'badRequest', 'Request body and URI mismatch')
    _fault(cloud.api.put(url + '/e', {'meta': {'e': '6', 'f': '7'}}), 400,
           'badRequest', 'Request body contains too many items')
    for bad in ({}, {'metadata': 'x'}, {'metadata': {'k': 1}},
                {'metadata': {'': 'v'}}, {'metadata': {'k': 'v' * 256}}):
        _fault(cloud.api.post(url, bad), 400, 'badRequest')
    # An unknown image, and gone from 2.36.
    _fault(cloud.api.get('/v2.1/images/nosuchimage/metadata'), 404,
           'itemNotFound')
    _fault(cloud.api.put('/v2.1/images/nosuchimage/metadata/k',
                         {'meta': {'k': 'v'}}), 404, 'itemNotFound')
    _fault(cloud.api.get(url, version='2.36'), 404, 'itemNotFound')
    assert cloud.api.get(url, version='2.35').status == 200


# --- /os-networks ------------------------------------------------------------

def test_networks_list_and_show(cloud):
    net = cloud.conf.network
    demo = cloud.api.as_user('demo:demo')
    (network,) = demo.get('/v2.1/os-networks').body['networks']
    assert network['id'] == net.flat_network_id
    assert network['label'] == net.flat_network_name
    assert network['cidr'] == net.fixed_range_v4
    # The admin fields are the admin's.
    assert 'bridge' not in network
    assert demo.get('/v2.1/os-networks/' + net.flat_network_id).body == {
        'network': network}
    (admin_view,) = cloud.api.get('/v2.1/os-networks').body['networks']
    assert admin_view['bridge'] == net.flat_bridge
    _fault(demo.get('/v2.1/os-networks/nosuchnet'), 404, 'itemNotFound',
           'Network nosuchnet could not be found.')


# --- /extensions -------------------------------------------------------------

def test_extensions(cloud):
    demo = cloud.api.as_user('demo:demo')
    body = oracle.validate(extension_schemas.list_extensions,
                           demo.get('/v2.1/extensions'))
    aliases = [e['alias'] for e in body['extensions']]
    assert aliases == sorted(aliases)
    assert {'os-hosts', 'os-server-diagnostics', 'os-server-password',
            'os-instance_usage_audit_log', 'OS-EXT-SRV-ATTR'} <= set(aliases)
    (hosts,) = [e for e in body['extensions'] if e['alias'] == 'os-hosts']
    assert demo.get('/v2.1/extensions/os-hosts').body == {
        'extension': hosts}
    # What Tempest's test_get_extension looks up.
    assert demo.get('/v2.1/extensions/os-consoles').body['extension'][
        'alias'] == 'os-consoles'
    _fault(demo.get('/v2.1/extensions/os-nothing'), 404, 'itemNotFound',
           'Extension os-nothing could not be found.')
