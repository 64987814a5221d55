"""GET /servers/{id}/diagnostics (admin; standard form from 2.48) and
/servers/{id}/os-server-password, checked against tempest's schemas."""

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import \
    servers as servers_v2_1
from tempest.lib.api_schema.response.compute.v2_48 import \
    servers as servers_v2_48

from nova.api.handlers import server_password
from nova.db import instances as db_instances
from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


def _server(cloud):
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers', {'server': {
        'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
    assert resp.status == 202, resp
    return cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE',
                                 api=demo)


@pytest.fixture(scope='module')
def server(cloud):
    return _server(cloud)


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message


@pytest.mark.parametrize('version', ['2.48', '2.60', 'latest'])
def test_standard_diagnostics_from_2_48(cloud, server, version):
    resp = cloud.api.get('/v2.1/servers/%s/diagnostics' % server['id'],
                         version=version)
    body = oracle.validate(servers_v2_48.show_server_diagnostics, resp)
    assert body['state'] == 'running'
    assert body['driver'] == 'libvirt'
    # m1.tiny: one vCPU, 512 MB; one disk; the server's one NIC.
    assert body['num_cpus'] == len(body['cpu_details']) == 1
    assert body['num_disks'] == len(body['disk_details']) == 1
    assert body['num_nics'] == len(body['nic_details']) == 1
    assert body['memory_details']['maximum'] == 512
    (nic,) = body['nic_details']
    (port,) = cloud.api.get('/v2.1/servers/%s' % server['id']).body[
        'server']['addresses'].values()
    assert nic['mac_address'] == port[0]['OS-EXT-IPS-MAC:mac_addr']


@pytest.mark.parametrize('version', ['2.1', '2.47'])
def test_driver_diagnostics_before_2_48(cloud, server, version):
    resp = cloud.api.get('/v2.1/servers/%s/diagnostics' % server['id'],
                         version=version)
    body = oracle.validate(servers_v2_1.show_server_diagnostics, resp)
    assert body['memory'] == 512 * 1024
    assert body['cpu0_time'] > 0
    assert {'vda_read', 'vda_write', 'vnet0_rx', 'vnet0_tx'} <= set(body)
    assert 'state' not in body


def test_diagnostics_of_a_stopped_server_is_409(cloud):
    server = _server(cloud)
    demo = cloud.api.as_user('demo:demo')
    assert demo.post('/v2.1/servers/%s/action' % server['id'],
                     {'os-stop': None}).status == 202
    cloud.wait_for_server(server['id'], 'SHUTOFF', api=demo)
    _fault(cloud.api.get('/v2.1/servers/%s/diagnostics' % server['id'],
                         version='2.48'), 409, 'conflictingRequest',
           "Cannot 'get_diagnostics' instance %s while it is in power "
           "state shutdown" % server['id'])


def test_diagnostics_of_a_driver_without_them_is_501(cloud, server):
    driver = cloud.compute('compute1').driver

    def unsupported(instance):
        raise NotImplementedError()
    driver.get_instance_diagnostics = unsupported
    try:
        resp = cloud.api.get('/v2.1/servers/%s/diagnostics' % server['id'],
                             version='2.48')
    finally:
        del driver.get_instance_diagnostics
    _fault(resp, 501, 'notImplemented')


def test_diagnostics_errors(cloud, server):
    _fault(cloud.api.get('/v2.1/servers/%s/diagnostics'
                         % fixtures.IMAGE_ID), 404, 'itemNotFound')
    demo = cloud.api.as_user('demo:demo')
    _fault(demo.get('/v2.1/servers/%s/diagnostics' % server['id']), 403,
           'forbidden', "Policy doesn't allow "
           "os_compute_api:os-server-diagnostics to be performed.")


def test_password_is_empty_until_set_and_cleared(cloud, server):
    demo = cloud.api.as_user('demo:demo')
    url = '/v2.1/servers/%s/os-server-password' % server['id']
    body = oracle.validate(servers_v2_1.show_password, demo.get(url))
    assert body == {'password': ''}
    # What the metadata service stores for a guest: a long encrypted
    # password, over several system_metadata items.
    secret = 'x' * 300 + 'y' * 100
    instance = db_instances.instance_get(server['id'])
    metadata = dict(instance['system_metadata'] or {})
    metadata.update(server_password.to_system_metadata(secret))
    db_instances.instance_update(server['id'],
                                 {'system_metadata': metadata})
    assert demo.get(url).body == {'password': secret}
    resp = demo.delete(url)
    assert resp.status in servers_v2_1.server_actions_delete_password[
        'status_code']
    assert resp.text == ''
    assert demo.get(url).body == {'password': ''}
    # The rest of system_metadata stays.
    instance = db_instances.instance_get(server['id'])
    assert instance['system_metadata'].get('image_disk_format') == \
        metadata.get('image_disk_format')


def test_password_errors(cloud, server):
    url = '/v2.1/servers/%s/os-server-password' % server['id']
    other = cloud.api.as_user('other:other')
    _fault(other.get(url), 404, 'itemNotFound')
    _fault(other.delete(url), 404, 'itemNotFound')
    _fault(cloud.api.as_user('demo:demo').get(
        '/v2.1/servers/%s/os-server-password' % fixtures.IMAGE_ID), 404,
        'itemNotFound')
