"""A forced-down or disabled compute service, as the API and the scheduler
see it: down (or disabled) at once, and no new server lands there.

Forced down through PUT /os-services/{uuid} (2.53+) or the legacy
PUT /os-services/force-down (2.11-2.52); contract: compute-api-facts.md
sections 5.8 and 6.1.
"""

import time

import pytest

from nova.db import services as db_services
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'none'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'), overrides={
        'report_interval': 50, 'quota.instances': -1, 'quota.cores': -1,
        'quota.ram': -1}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def admin(cloud):
    api = cloud.api.as_user('admin:admin', version='2.53')
    yield api
    # Every compute up and enabled again, its servers gone.
    for service in db_services.service_get_all(binary='nova-compute'):
        db_services.service_update(service['id'], {
            'disabled': False, 'disabled_reason': None,
            'forced_down': False})
    for server in api.get('/v2.1/servers').body['servers']:
        api.delete('/v2.1/servers/' + server['id'])
        cloud.wait_for_server(server['id'], 'DELETED', api=api)


def _service(api, host, version='2.53'):
    (service,) = api.get('/v2.1/os-services?binary=nova-compute&host=' +
                         host, version=version).body['services']
    return service


def _new_servers(api, count):
    """count new servers of one request, each once ACTIVE or ERROR."""
    before = {s['id'] for s in api.get('/v2.1/servers').body['servers']}
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, min_count=count, max_count=count)})
    assert resp.status == 202, resp
    new = [s['id'] for s in api.get('/v2.1/servers').body['servers']
           if s['id'] not in before]
    assert len(new) == count
    return [_wait_settled(api, server_id) for server_id in new]


def _wait_settled(api, server_id, timeout=10):
    """The server once ACTIVE or ERROR with no task."""
    deadline = time.monotonic() + timeout
    while True:
        server = api.get('/v2.1/servers/' + server_id).body['server']
        if server['status'] in ('ACTIVE', 'ERROR') and \
                server['OS-EXT-STS:task_state'] is None:
            return server
        assert time.monotonic() < deadline, server
        time.sleep(0.05)


def test_forced_down_at_2_53_is_down_at_once_and_skipped(cloud, admin):
    service = _service(admin, 'compute2')
    assert (service['state'], service['forced_down']) == ('up', False)
    resp = admin.put('/v2.1/os-services/' + service['id'],
                     {'forced_down': True})
    assert resp.status == 200, resp
    shown = resp.body['service']
    assert (shown['state'], shown['forced_down'], shown['status']) == (
        'down', True, 'enabled')
    assert _service(admin, 'compute2')['state'] == 'down'
    # Its heartbeats do not bring it up: only the operator does.
    (row,) = db_services.service_get_all(host='compute2')
    db_services.service_heartbeat(row['id'])
    assert _service(admin, 'compute2')['state'] == 'down'
    # The hypervisor is down too, and no new server goes there.
    hypervisors = {h['hypervisor_hostname']: h['state'] for h in admin.get(
        '/v2.1/os-hypervisors/detail', version='2.1').body['hypervisors']}
    assert hypervisors == {'compute1': 'up', 'compute2': 'down'}
    servers = _new_servers(admin, 4)
    assert {(s['status'], s['OS-EXT-SRV-ATTR:host']) for s in servers} == {
        ('ACTIVE', 'compute1')}
    # host_status (2.16) of the servers there: UP.
    resp = admin.get('/v2.1/servers/detail', version='2.16')
    assert {s['host_status'] for s in resp.body['servers']} == {'UP'}
    resp = admin.put('/v2.1/os-services/' + service['id'],
                     {'forced_down': False})
    assert resp.body['service']['state'] == 'up'
    assert _service(admin, 'compute2')['forced_down'] is False


def test_legacy_force_down_at_2_11_is_down_and_skipped(cloud, admin):
    resp = admin.put('/v2.1/os-services/force-down', {
        'host': 'compute1', 'binary': 'nova-compute', 'forced_down': True},
        version='2.11')
    assert resp.status == 200, resp
    assert resp.body == {'service': {'host': 'compute1',
                                     'binary': 'nova-compute',
                                     'forced_down': True}}
    service = _service(admin, 'compute1', version='2.11')
    assert (service['state'], service['forced_down']) == ('down', True)
    servers = _new_servers(admin, 3)
    assert {s['OS-EXT-SRV-ATTR:host'] for s in servers} == {'compute2'}
    resp = admin.put('/v2.1/os-services/force-down', {
        'host': 'compute1', 'binary': 'nova-compute', 'forced_down': False},
        version='2.11')
    assert resp.status == 200, resp
    assert _service(admin, 'compute1', version='2.11')['state'] == 'up'


def test_disabled_with_a_reason_and_forced_down_leave_no_host(cloud, admin):
    compute1 = _service(admin, 'compute1')
    compute2 = _service(admin, 'compute2')
    resp = admin.put('/v2.1/os-services/' + compute1['id'], {
        'status': 'disabled', 'disabled_reason': 'disk replacement'})
    assert resp.status == 200, resp
    shown = resp.body['service']
    assert (shown['status'], shown['disabled_reason'], shown['state']) == (
        'disabled', 'disk replacement', 'up')
    admin.put('/v2.1/os-services/' + compute2['id'], {'forced_down': True})
    (server,) = _new_servers(admin, 1)
    assert server['status'] == 'ERROR'
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert server['fault']['message'] == (
        'No valid host was found. There are not enough hosts available. '
        '2 hosts considered: ComputeFilter removed 2 (disabled or down).')
    admin.put('/v2.1/os-services/' + compute1['id'], {'status': 'enabled'})
    (placed,) = _new_servers(admin, 1)
    assert (placed['status'], placed['OS-EXT-SRV-ATTR:host']) == (
        'ACTIVE', 'compute1')
    admin.put('/v2.1/os-services/' + compute1['id'], {
        'status': 'disabled', 'disabled_reason': 'again'})
    # host_status (2.16): MAINTENANCE on a disabled host, DOWN on a
    # forced-down one.
    admin.put('/v2.1/os-services/' + compute2['id'], {'forced_down': False})
    (other,) = _new_servers(admin, 1)
    assert other['OS-EXT-SRV-ATTR:host'] == 'compute2'
    admin.put('/v2.1/os-services/' + compute2['id'], {'forced_down': True})
    statuses = {s['id']: s['host_status'] for s in admin.get(
        '/v2.1/servers/detail', version='2.16').body['servers']}
    assert statuses[placed['id']] == 'MAINTENANCE'
    assert statuses[other['id']] == 'DOWN'
    assert _service(admin, 'compute1')['disabled_reason'] == 'again'
