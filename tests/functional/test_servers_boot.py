"""Launch and terminate, end to end through every service."""

from nova.db import compute_nodes as db_compute_nodes
from nova.db import network as db_network
from tests.functional import fixtures

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


def test_create_goes_active_with_an_address(cloud, api):
    resp = api.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    assert len(resp.body['server']['adminPass']) == 12
    assert resp.headers['Location'].endswith('/v2.1/servers/' + server_id)
    server = cloud.wait_for_server(server_id, 'ACTIVE')
    assert server['OS-EXT-STS:power_state'] == 1
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute1'
    (address,) = server['addresses']['private']
    assert address['addr'].startswith('10.0.0.')
    assert address['OS-EXT-IPS:type'] == 'fixed'


def test_delete_frees_everything(cloud, api):
    server_id = api.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert db_compute_nodes.allocations_get(server_id) != []
    resp = api.delete('/v2.1/servers/' + server_id)
    assert resp.status == 204
    cloud.wait_for_server(server_id, 'DELETED')
    assert cloud.compute('compute1').driver.guests == {}
    # Its address and its claim on the host are given back.
    assert db_network.fixed_ips_release(server_id) == 0
    assert db_compute_nodes.allocations_get(server_id) == []


def test_a_failed_terminate_leaves_the_server_in_error_to_delete_again(
        cloud, api):
    server_id = api.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    driver = cloud.compute('compute1').driver
    driver.fail_operations = {'destroy'}
    try:
        assert api.delete('/v2.1/servers/' + server_id).status == 204
        server = cloud.wait_for_server(server_id, 'ERROR')
    finally:
        driver.fail_operations = set()
    # Not stuck in deleting: no task, and the fault says why.
    assert server['OS-EXT-STS:task_state'] is None
    assert 'destroy' in server['fault']['message']
    assert server_id in driver.guests
    events = api.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                     version='2.51').body['instanceActions']
    assert events[0]['action'] == 'delete'
    assert api.delete('/v2.1/servers/' + server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED')
    assert server_id not in driver.guests
    assert db_network.fixed_ips_release(server_id) == 0


def test_image_is_cached_once_per_host(cloud, api, tmp_path):
    manager = cloud.compute('compute1')
    cloud.conf.set_override('instances_path', str(tmp_path))
    manager.driver.uses_image_cache = True
    try:
        for _ in range(2):
            server_id = api.post('/v2.1/servers', {'server': SERVER}).body[
                'server']['id']
            cloud.wait_for_server(server_id, 'ACTIVE')
        cached = tmp_path / '_base' / fixtures.IMAGE_ID
        assert cached.read_bytes() == b'image data of ' + \
            fixtures.IMAGE_ID.encode()
        assert cloud.images.downloads == 1
    finally:
        cloud.conf.clear_override('instances_path')


def test_the_flat_network_is_asked_for_by_its_uuid_or_its_name(cloud, api):
    for network in (cloud.conf.network.flat_network_id, 'private'):
        resp = api.post('/v2.1/servers', {'server': dict(
            SERVER, networks=[{'uuid': network}])}, version='2.37')
        assert resp.status == 202, resp
        server = cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE')
        assert len(server['addresses']['private']) == 1


def test_a_fixed_ip_asked_for_is_given_or_the_build_fails_at_once(
        cloud, api):
    network = cloud.conf.network.flat_network_id
    body = dict(SERVER, networks=[{'uuid': network,
                                   'fixed_ip': '10.0.0.200'}])
    first = api.post('/v2.1/servers', {'server': body}, version='2.37')
    assert first.status == 202, first
    server = cloud.wait_for_server(first.body['server']['id'], 'ACTIVE')
    assert [a['addr'] for a in server['addresses']['private']] == [
        '10.0.0.200']
    # Taken: the build fails at once (no other host would do better).  As
    # upstream, the message names the instance asking, not the holder.
    second = api.post('/v2.1/servers', {'server': body}, version='2.37')
    assert second.status == 202, second
    failed = cloud.wait_for_server(second.body['server']['id'], 'ERROR')
    assert failed['fault']['message'] == (
        'Fixed IP address 10.0.0.200 is already in use on instance %s.'
        % failed['id'])
    assert failed['fault']['code'] == 400


def test_a_fixed_ip_outside_the_network_or_for_several_is_a_400(cloud, api):
    network = cloud.conf.network.flat_network_id
    for fixed_ip, extra, message in (
            ('192.168.1.5', {}, 'Fixed IP address 192.168.1.5 is not an '
             'address instances may have on network private (10.0.0.0/24, '
             'less 10.0.0.1).'),
            ('10.0.0.1', {}, 'Fixed IP address 10.0.0.1 is not an address '
             'instances may have on network private (10.0.0.0/24, less '
             '10.0.0.1).'),
            ('10.0.0.201', {'max_count': 2}, 'max_count cannot be greater '
             'than 1 if a fixed_ip is specified.'),
            ('', {}, "Invalid fixed IP address ''")):
        resp = api.post('/v2.1/servers', {'server': dict(
            SERVER, networks=[{'uuid': network, 'fixed_ip': fixed_ip}],
            **extra)}, version='2.37')
        assert resp.status == 400, resp
        assert resp.body['badRequest']['message'] == message
