"""Live migration to a host the scheduler chose tries its next pick when
the pre-checks fail there (upstream's migrate_max_retries); a host the
request names is not replaced.  Three fake compute hosts."""

import time

import pytest

from nova.db import compute_nodes as db_compute_nodes
from nova.db import moves as db_moves
from tests.functional import fixtures

HOSTS = ('compute1', 'compute2', 'compute3')
SERVER = {'name': 'mover', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto', 'availability_zone': 'nova:compute1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=HOSTS, overrides={
        'report_interval': 50}).start()
    # The scheduler (free RAM first) prefers compute2 to compute3.
    cloud.compute('compute3').driver.memory_mb = 16384
    cloud.compute('compute3').update_available_resource()
    yield cloud
    cloud.stop()


@pytest.fixture
def admin(cloud):
    return cloud.api.as_user('admin:admin', version='2.80')


@pytest.fixture
def server(cloud, admin):
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    yield server_id
    admin.delete('/v2.1/servers/' + server_id)
    cloud.wait_for_server(server_id, 'DELETED', api=admin)


@pytest.fixture
def refusing_compute2(cloud):
    driver = cloud.compute('compute2').driver
    driver.cpu_info = '{"model": "elsewhere"}'
    cloud.compute('compute2').update_available_resource()
    yield
    driver.cpu_info = '{}'
    cloud.compute('compute2').update_available_resource()


def _live(admin, server_id, host=None, version='2.80'):
    return admin.post('/v2.1/servers/%s/action' % server_id,
                      {'os-migrateLive': {'host': host,
                                          'block_migration': 'auto'}},
                      version=version)


def _host(admin, server_id):
    return admin.get('/v2.1/servers/' + server_id).body['server'][
        'OS-EXT-SRV-ATTR:host']


def _claims(server_id):
    """{host: (vcpus, memory_mb)} of the server's allocations."""
    hosts = {n['id']: n['host']
             for n in db_compute_nodes.compute_node_get_all()}
    return {hosts[a['compute_node_id']]: (a['vcpus'], a['memory_mb'])
            for a in db_compute_nodes.allocations_get(server_id)}


def _wait_for(check, what, timeout=10):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError('no %s after %ss' % (what, timeout))
        time.sleep(0.05)


def _wait_moved(admin, server_id, host):
    _wait_for(lambda: _host(admin, server_id) == host and
              admin.get('/v2.1/servers/' + server_id).body['server'][
                  'OS-EXT-STS:task_state'] is None,
              'server on %s' % host)


def test_a_refused_pick_is_replaced_by_the_next(cloud, admin, server,
                                                refusing_compute2, caplog):
    assert _host(admin, server) == 'compute1'
    assert _live(admin, server).status == 202
    _wait_moved(admin, server, 'compute3')
    assert 'Live migration pre-checks failed on compute2, trying another ' \
        'host' in caplog.text
    (migration,) = db_moves.migrations_get_all(
        instance_uuid=server, migration_type='live-migration')
    assert (migration['dest_compute'], migration['status']) == (
        'compute3', 'completed')
    # compute2's claim went when it refused; only compute3 holds one.
    assert _claims(server) == {'compute3': (1, 512)}
    assert 'compute2' not in _claims(migration['uuid'])


def test_no_retry_past_migrate_max_retries(cloud, admin, server,
                                           refusing_compute2):
    cloud.conf.set_override('migrate_max_retries', 0)
    try:
        assert _live(admin, server).status == 202
        _wait_for(lambda: [m['status'] for m in db_moves.migrations_get_all(
            instance_uuid=server, migration_type='live-migration')] == [
                'error'], 'migration in error')
    finally:
        cloud.conf.clear_override('migrate_max_retries')
    assert _host(admin, server) == 'compute1'
    assert _claims(server) == {'compute1': (1, 512)}


def test_a_named_host_is_not_replaced(cloud, admin, server,
                                      refusing_compute2):
    resp = _live(admin, server, host='compute2', version='2.30')
    assert resp.status == 400, resp
    assert 'CPU' in resp.body['badRequest']['message']
    assert _host(admin, server) == 'compute1'
    assert _claims(server) == {'compute1': (1, 512)}


def test_every_pick_refusing_says_why_in_no_valid_host(
        cloud, admin, server, refusing_compute2):
    driver = cloud.compute('compute3').driver
    driver.fail_operations.add('check_can_live_migrate_destination')
    try:
        resp = _live(admin, server, version='2.33')
    finally:
        driver.fail_operations.clear()
    assert resp.status == 400, resp
    message = resp.body['badRequest']['message']
    assert 'No valid host' in message, message
    assert 'compute2: ' in message and 'compute3: ' in message, message
    assert _host(admin, server) == 'compute1'
    assert _claims(server) == {'compute1': (1, 512)}
