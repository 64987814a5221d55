"""/servers/{id}/os-volume_attachments without a volume service.

Upstream's contract (nova/api/openstack/compute/volume_attachments.py):
the list of a server's attachments (Horizon's instance page reads it) is
empty here; attaching, detaching and swapping name the volume that
cannot be found and why; showing or updating an attachment is upstream's
404 of a volume the server is not attached to.  The personas' rules are in
test_policy_personas.
"""

import uuid

import pytest

from tests.functional import fixtures

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
VOLUME = 'c0ffee00-1d2e-4f5a-8b9c-0d1e2f3a4b5c'
NO_VOLUME = ('Volume %s could not be found: this cloud has no volume '
             'service (Cinder).' % VOLUME)


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def server(cloud):
    resp = cloud.api.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    return cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE')


def _path(server_id, volume_id=None):
    path = '/v2.1/servers/%s/os-volume_attachments' % server_id
    return path + '/' + volume_id if volume_id else path


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


@pytest.mark.parametrize('version', ['2.1', '2.70', '2.89', '2.92'])
def test_a_server_has_no_attachments(cloud, server, version):
    resp = cloud.api.get(_path(server['id']), version=version)
    assert resp.status == 200, resp
    assert resp.body == {'volumeAttachments': []}
    assert server['os-extended-volumes:volumes_attached'] == []


def test_list_paging_and_unknown_parameters(cloud, server):
    resp = cloud.api.get(_path(server['id']) + '?limit=1&offset=0&foo=1',
                         version='2.74')
    assert resp.status == 200, resp
    _fault(cloud.api.get(_path(server['id']) + '?foo=1', version='2.75'),
           400, 'badRequest')
    _fault(cloud.api.get(_path(server['id']) + '?limit=-1'), 400,
           'badRequest')


def test_unknown_server_is_404(cloud):
    missing = str(uuid.uuid4())
    for method, volume_id, body in (
            ('GET', None, None), ('GET', VOLUME, None),
            ('POST', None, {'volumeAttachment': {'volumeId': VOLUME}}),
            ('DELETE', VOLUME, None)):
        resp = cloud.api.request(method, _path(missing, volume_id),
                                 body=body)
        _fault(resp, 404, 'itemNotFound',
               'Instance %s could not be found.' % missing)


def test_another_projects_server_is_404(cloud, server):
    other = cloud.api.as_user('someone:elsewhere')
    _fault(other.get(_path(server['id'])), 404, 'itemNotFound')


def test_attach_names_the_volume_and_the_missing_service(cloud, server):
    resp = cloud.api.post(_path(server['id']),
                          {'volumeAttachment': {'volumeId': VOLUME,
                                                'device': '/dev/vdb'}})
    _fault(resp, 404, 'itemNotFound', NO_VOLUME)


@pytest.mark.parametrize('body,version', [
    (None, '2.1'),
    ({}, '2.1'),
    ({'volumeAttachment': {}}, '2.1'),
    ({'volumeAttachment': {'volumeId': 'not-a-uuid'}}, '2.1'),
    ({'volumeAttachment': {'volumeId': VOLUME, 'device': 'vdb'}}, '2.1'),
    # tag from 2.49, delete_on_termination from 2.79
    ({'volumeAttachment': {'volumeId': VOLUME, 'tag': 'a'}}, '2.48'),
    ({'volumeAttachment': {'volumeId': VOLUME,
                           'delete_on_termination': True}}, '2.78'),
])
def test_attach_body_is_checked_first(cloud, server, body, version):
    resp = cloud.api.post(_path(server['id']), body, version=version)
    _fault(resp, 400, 'badRequest')


def test_attach_with_the_newer_fields(cloud, server):
    resp = cloud.api.post(_path(server['id']), {'volumeAttachment': {
        'volumeId': VOLUME, 'tag': 'data',
        'delete_on_termination': True}}, version='2.79')
    _fault(resp, 404, 'itemNotFound', NO_VOLUME)


def test_show_is_not_attached(cloud, server):
    _fault(cloud.api.get(_path(server['id'], VOLUME)), 404, 'itemNotFound',
           'Instance %s is not attached to volume %s' % (server['id'],
                                                         VOLUME))


def test_detach_names_the_volume_and_the_missing_service(cloud, server):
    _fault(cloud.api.delete(_path(server['id'], VOLUME)), 404,
           'itemNotFound', NO_VOLUME)


def test_swap_is_the_volume_services_and_finds_no_volume(cloud, server):
    body = {'volumeAttachment': {'volumeId': str(uuid.uuid4())}}
    # Upstream's default: the service role only, even for an admin.
    message = _fault(cloud.api.put(_path(server['id'], VOLUME), body), 403,
                     'forbidden')
    assert 'os-volumes-attachments:swap' in message
    # Cinder's service user (admin and service roles, as devstack's).
    resp = cloud.api.request('PUT', _path(server['id'], VOLUME), body=body,
                             headers={'X-Roles': 'service'})
    _fault(resp, 404, 'itemNotFound', NO_VOLUME)


def test_update_at_2_85_is_not_attached(cloud, server):
    body = {'volumeAttachment': {'volumeId': VOLUME,
                                 'delete_on_termination': True}}
    resp = cloud.api.put(_path(server['id'], VOLUME), body, version='2.85')
    _fault(resp, 404, 'itemNotFound',
           'Instance %s is not attached to volume %s' % (server['id'],
                                                         VOLUME))
    # delete_on_termination is 2.85's, not 2.84's.
    _fault(cloud.api.put(_path(server['id'], VOLUME), body, version='2.84'),
           400, 'badRequest')
