"""The build flow's harder paths: reschedules, no valid host, quotas and
concurrency (two schedulers, simultaneous address allocation)."""

import concurrent.futures

import pytest

from nova.db import compute_nodes as db_compute_nodes
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


def _boot(api, **overrides):
    resp = api.post('/v2.1/servers', {'server': dict(SERVER, **overrides)})
    assert resp.status == 202, resp
    return resp.body['server']['id']


def _events(api, server_id):
    actions = api.get('/v2.1/servers/%s/os-instance-actions' % server_id,
                      version='2.62').body['instanceActions']
    create = [a for a in actions if a['action'] == 'create'][0]
    return api.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, create['request_id']), version='2.62').body[
        'instanceAction']


@pytest.fixture
def two_computes():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2')).start()
    yield cloud
    cloud.stop()


def _favour(cloud, host):
    """Give host the most free RAM so the spreading weigher picks it."""
    manager = cloud.compute(host)
    manager.driver.memory_mb *= 2
    manager.update_available_resource()


def test_failed_build_is_rescheduled_to_another_host(two_computes):
    cloud, api = two_computes, two_computes.api
    _favour(cloud, 'compute1')
    cloud.compute('compute1').driver.fail_operations = {'spawn'}
    server_id = _boot(api)
    server = cloud.wait_for_server(server_id, 'ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == 'compute2'
    builds = [e for e in _events(api, server_id)['events']
              if e['event'] == 'compute__do_build_and_run_instance']
    assert sorted((e['host'], e['result']) for e in builds) == [
        ('compute1', 'Error'), ('compute2', 'Success')]
    # Nothing is left behind on the failed host.
    assert cloud.compute('compute1').driver.guests == {}
    assert [a['compute_node_id'] for a in
            db_compute_nodes.allocations_get(server_id)] == [
        cloud_node_id('compute2')]


def cloud_node_id(host):
    return [n['id'] for n in db_compute_nodes.compute_node_get_all()
            if n['host'] == host][0]


def test_build_fails_everywhere_then_errors_with_a_fault(two_computes):
    cloud, api = two_computes, two_computes.api
    for host in ('compute1', 'compute2'):
        cloud.compute(host).driver.fail_operations = {'spawn'}
    server_id = _boot(api)
    server = cloud.wait_for_server(server_id, 'ERROR')
    assert server['fault']['code'] == 500
    assert server['fault']['message'].startswith(
        'Exceeded maximum number of retries.')
    assert 'Fake driver: spawn failed on purpose' in server['fault'][
        'message']
    assert server['addresses'] == {}
    assert db_compute_nodes.allocations_get(server_id) == []
    assert _events(api, server_id)['message'] == 'Error'


def test_no_valid_host_says_why(cloud, api):
    flavor = api.post('/v2.1/flavors', {'flavor': {
        'name': 'huge', 'ram': 512, 'vcpus': 1, 'disk': 5000}}).body[
        'flavor']
    server_id = _boot(api.as_user('demo:demo'), flavorRef=flavor['id'])
    server = cloud.wait_for_server(server_id, 'ERROR',
                                   api=api.as_user('demo:demo'))
    fault = server['fault']
    assert fault['code'] == 500
    assert fault['message'].startswith(
        'No valid host was found. There are not enough hosts available.')
    assert '1 host considered: DiskFilter removed 1' in fault['message']
    # Tracebacks of 500 faults are for admins only.
    assert 'details' not in fault
    admin_view = api.get('/v2.1/servers/' + server_id).body['server']
    assert 'NoValidHost' in admin_view['fault']['details']
    events = _events(api, server_id)
    assert [(e['event'], e['result']) for e in events['events']] == [
        ('conductor_schedule_and_build_instances', 'Error')]


def test_disabled_host_is_not_used(cloud, api):
    services = api.get('/v2.1/os-services?binary=nova-compute',
                       version='2.53').body['services']
    api.put('/v2.1/os-services/' + services[0]['id'],
            {'status': 'disabled', 'disabled_reason': 'maintenance'},
            version='2.53')
    server_id = _boot(api)
    fault = cloud.wait_for_server(server_id, 'ERROR')['fault']
    assert 'ComputeFilter removed 1 (disabled or down)' in fault['message']


def test_over_quota_is_refused_with_the_resource_named():
    cloud = fixtures.Cloud(overrides={'quota.instances': 2}).start()
    try:
        demo = cloud.api.as_user('demo:demo')
        for _ in range(2):
            _boot(demo)
        resp = demo.post('/v2.1/servers', {'server': SERVER})
        assert resp.status == 403
        assert resp.body['forbidden']['message'].startswith(
            'Quota exceeded for instances: Requested 1, but already used 2 '
            'of 2 instances')
        limits = demo.get('/v2.1/limits').body['limits']['absolute']
        assert (limits['maxTotalInstances'],
                limits['totalInstancesUsed']) == (2, 2)
        # Another project is not affected.
        _boot(cloud.api.as_user('other:other'))
    finally:
        cloud.stop()


def test_cores_and_ram_quotas_are_refused_with_the_resource_named():
    # m1.tiny: 1 vCPU, 512 MB; m1.small: 1 vCPU, 2048 MB.
    cloud = fixtures.Cloud(overrides={'quota.cores': 1,
                                      'quota.ram': 1024}).start()
    try:
        demo = cloud.api.as_user('demo:demo')
        resp = demo.post('/v2.1/servers', {'server': dict(
            SERVER, flavorRef='2')})
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'].startswith(
            'Quota exceeded for ram: Requested 2048, but already used 0 '
            'of 1024 ram')
        _boot(demo)
        resp = demo.post('/v2.1/servers', {'server': SERVER})
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'].startswith(
            'Quota exceeded for cores: Requested 1, but already used 1 '
            'of 1 cores')
    finally:
        cloud.stop()


def test_a_multiple_create_gets_what_the_quota_leaves_room_for():
    cloud = fixtures.Cloud(overrides={'quota.instances': 3}).start()
    try:
        demo = cloud.api.as_user('demo:demo')
        _boot(demo)
        # Room for 2 of 5, and at least 2 were asked for: 2 are created.
        resp = demo.post('/v2.1/servers', {'server': dict(
            SERVER, min_count=2, max_count=5, return_reservation_id=True)})
        assert resp.status == 202, resp
        reservation = resp.body['reservation_id']
        servers = demo.get('/v2.1/servers/detail?reservation_id=' +
                           reservation).body['servers']
        assert len(servers) == 2
        for server in servers:
            cloud.wait_for_server(server['id'], 'ACTIVE')
        # None left, and at least 1 asked for: refused, as the quota says.
        resp = demo.post('/v2.1/servers', {'server': dict(
            SERVER, min_count=1, max_count=2)})
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'].startswith(
            'Quota exceeded for instances: Requested 1, but already used 3 '
            'of 3 instances')
    finally:
        cloud.stop()


def test_more_metadata_items_than_the_quota_are_refused():
    cloud = fixtures.Cloud(overrides={'quota.metadata_items': 2}).start()
    try:
        demo = cloud.api.as_user('demo:demo')
        metadata = {'a': '1', 'b': '2', 'c': '3'}
        resp = demo.post('/v2.1/servers', {'server': dict(
            SERVER, metadata=metadata)})
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'] == (
            'Maximum number of metadata items exceeds 2')
        server_id = _boot(demo)
        cloud.wait_for_server(server_id, 'ACTIVE')
        resp = demo.post('/v2.1/servers/%s/action' % server_id, {
            'rebuild': {'imageRef': fixtures.IMAGE_ID,
                        'metadata': metadata}})
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'] == (
            'Maximum number of metadata items exceeds 2')
        assert demo.get('/v2.1/limits').body['limits']['absolute'][
            'maxServerMeta'] == 2
    finally:
        cloud.stop()


def test_two_schedulers_never_overcommit_a_host():
    # Room for exactly 4 m1.tiny (512 MB) next to 512 MB reserved.
    cloud = fixtures.Cloud(overrides={
        'fake_driver.memory_mb': 512 * 5, 'quota.instances': -1,
        'quota.ram': -1, 'quota.cores': -1}).start()
    try:
        cloud.start_service('nova-scheduler', 'scheduler2-' + cloud.suffix)
        api = cloud.api
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(lambda _: _boot(api), range(8)))
        statuses = {}
        for server_id in ids:
            server = None
            for status in ('ACTIVE', 'ERROR'):
                try:
                    server = cloud.wait_for_server(server_id, status,
                                                   timeout=0.5)
                    break
                except AssertionError:
                    continue
            if server is None:
                server = cloud.wait_for_server(server_id, 'ACTIVE',
                                               timeout=20)
            statuses[server_id] = server['status']
        assert sorted(statuses.values()) == ['ACTIVE'] * 4 + ['ERROR'] * 4
        (node,) = db_compute_nodes.compute_node_get_all()
        assert node['memory_mb_used'] == 4 * 512
    finally:
        cloud.stop()


def test_concurrent_creates_get_distinct_addresses(cloud, api):
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(lambda _: _boot(api), range(6)))
    addresses = [cloud.wait_for_server(i, 'ACTIVE', timeout=20)[
        'addresses']['private'][0]['addr'] for i in ids]
    assert len(set(addresses)) == 6
    assert '10.0.0.1' not in addresses  # the reserved gateway


def test_networks_none_gets_no_address(cloud, api):
    server_id = _boot(api.as_user('demo:demo', version='2.37'),
                      networks='none')
    server = cloud.wait_for_server(server_id, 'ACTIVE')
    assert server['addresses'] == {}


def test_2_74_host_and_hypervisor_hostname_pick_the_node_or_are_a_400():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2')).start()
    try:
        admin = cloud.api
        for asked, where in (({'host': 'compute2'}, 'compute2'),
                             ({'hypervisor_hostname': 'compute1'},
                              'compute1'),
                             ({'host': 'compute2',
                               'hypervisor_hostname': 'compute2'},
                              'compute2')):
            resp = admin.post('/v2.1/servers', {'server': dict(
                SERVER, networks='auto', **asked)}, version='2.74')
            assert resp.status == 202, resp
            server = cloud.wait_for_server(resp.body['server']['id'],
                                           'ACTIVE')
            assert server['OS-EXT-SRV-ATTR:host'] == where
        for asked, message in (
                ({'host': 'nowhere'}, 'Compute host nowhere could not be '
                 'found.'),
                ({'hypervisor_hostname': 'nonode'}, 'Compute host nonode '
                 'could not be found.'),
                ({'host': 'compute1', 'hypervisor_hostname': 'compute2'},
                 'Compute host compute1 with node compute2 could not be '
                 'found.'),
                ({'availability_zone': 'nova:compute1',
                  'hypervisor_hostname': 'compute1'},
                 'One mechanism with host and/or hypervisor_hostname and '
                 'another mechanism with zone:host:node are mutually '
                 'exclusive.')):
            resp = admin.post('/v2.1/servers', {'server': dict(
                SERVER, networks='auto', **asked)}, version='2.74')
            assert resp.status == 400, resp
            assert resp.body['badRequest']['message'] == message
        # Only administrators choose.
        resp = cloud.api.as_user('demo:demo').post(
            '/v2.1/servers', {'server': dict(
                SERVER, networks='auto', host='compute1')}, version='2.74')
        assert resp.status == 403, resp
    finally:
        cloud.stop()
