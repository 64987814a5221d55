"""Live migration between two fake compute hosts (os-migrateLive), and a
server's migrations in progress: list, show, force complete, abort.

Contract: compute-api-facts.md (os-migrateLive rows of 3.1-3.4) and
upstream's migrate_server / server_migrations APIs.
"""

import time

import pytest

from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves as db_moves
from nova.virt import fake
from tests.functional import fixtures

SERVER = {'name': 'mover', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}
HOSTS = ('compute1', 'compute2')
LIVE = {'host': None, 'block_migration': 'auto'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=HOSTS, overrides={
        'report_interval': 50, 'quota.instances': -1, 'quota.cores': -1,
        'quota.ram': -1}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def admin(cloud):
    return cloud.api.as_user('admin:admin', version='2.80')


@pytest.fixture
def drivers(cloud):
    """The hosts' fake drivers; what a test sets on them is undone."""
    found = {host: cloud.compute(host).driver for host in HOSTS}
    yield found
    for host, driver in found.items():
        driver.delays.pop('live_migration', None)
        driver.fail_operations.clear()
        if driver.cpu_info != '{}':
            driver.cpu_info = '{}'
            cloud.compute(host).update_available_resource()


@pytest.fixture
def server(cloud, admin):
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    yield server_id
    admin.delete('/v2.1/servers/' + server_id)
    cloud.wait_for_server(server_id, 'DELETED', api=admin)


def _live(api, server_id, body=LIVE, version=None):
    return api.post('/v2.1/servers/%s/action' % server_id,
                    {'os-migrateLive': body}, version=version)


def _shown(api, server_id):
    return api.get('/v2.1/servers/' + server_id).body['server']


def _other(host):
    return ({'compute1', 'compute2'} - {host}).pop()


def _usage():
    return {n['host']: (n['vcpus_used'], n['memory_mb_used'])
            for n in db_compute_nodes.compute_node_get_all()}


def _migration(server_id):
    (migration,) = db_moves.migrations_get_all(
        instance_uuid=server_id, migration_type='live-migration')
    return migration


def _wait_migration(server_id, status, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        found = db_moves.migrations_get_all(
            instance_uuid=server_id, migration_type='live-migration')
        if found and found[0]['status'] == status:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError('migration not %s: %r' % (status, found))
        time.sleep(0.02)


def _events(api, server_id, action):
    actions = api.get('/v2.1/servers/%s/os-instance-actions'
                      % server_id).body['instanceActions']
    (found,) = [a for a in actions if a['action'] == action]
    detail = api.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, found['request_id'])).body['instanceAction']
    return {e['event']: e['result'] for e in detail['events']}


def test_live_migration_moves_the_running_server(cloud, admin, server,
                                                  drivers):
    before = _shown(admin, server)
    source = before['OS-EXT-SRV-ATTR:host']
    dest = _other(source)
    assert _live(admin, server).status == 202
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert shown['OS-EXT-SRV-ATTR:hypervisor_hostname'] == dest
    # The flat network's address goes with it.
    assert shown['addresses'] == before['addresses']
    assert server in drivers[dest].guests
    assert server not in drivers[source].guests
    steps = [e['step'] for e in drivers[source].live_migration_log +
             drivers[dest].live_migration_log if e['uuid'] == server]
    assert sorted(steps) == sorted(['check_destination', 'check_source',
                                    'pre', 'migrated', 'post_source',
                                    'post_destination'])
    # The destination's VIFs are plugged, the source's gone.
    assert server in drivers[dest].plugged_vifs
    assert server not in drivers[source].plugged_vifs
    migration = _migration(server)
    assert (migration['status'], migration['source_compute'],
            migration['dest_compute']) == ('completed', source, dest)
    assert migration['memory_processed'] == migration['memory_total'] > 0
    usage = _usage()
    assert usage[dest] == (1, 512) and usage[source] == (0, 0)
    assert _events(admin, server, 'live-migration') == {
        'conductor_live_migrate_instance': 'Success',
        'compute_check_can_live_migrate_destination': 'Success',
        'compute_check_can_live_migrate_source': 'Success',
        'compute_live_migration': 'Success',
        'compute_pre_live_migration': 'Success',
        'compute_post_live_migration_at_destination': 'Success'}
    # os-migrations shows it as a live migration (2.23).
    (listed,) = [m for m in admin.get('/v2.1/os-migrations').body[
        'migrations'] if m['instance_uuid'] == server]
    assert listed['migration_type'] == 'live-migration'


def test_to_a_named_host_forced(cloud, admin, server, drivers):
    dest = _other(_shown(admin, server)['OS-EXT-SRV-ATTR:host'])
    resp = _live(admin, server, {'host': dest, 'block_migration': False,
                                 'force': True}, version='2.30')
    assert resp.status == 202, resp
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest


def test_a_paused_server_moves_paused(cloud, admin, server, drivers):
    assert admin.post('/v2.1/servers/%s/action' % server,
                      {'pause': None}).status == 202
    source = cloud.wait_for_server(server, 'PAUSED', api=admin)[
        'OS-EXT-SRV-ATTR:host']
    assert _live(admin, server).status == 202
    shown = cloud.wait_for_server(server, 'PAUSED', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == _other(source)


def _stays_on_source(cloud, admin, server, source, drivers):
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert server in drivers[source].guests
    assert server not in drivers[_other(source)].guests
    usage = _usage()
    assert usage[source] == (1, 512) and usage[_other(source)] == (0, 0)


def _last_fault(server_id):
    from nova.db import session as db_session
    from nova.db import models
    import sqlalchemy as sa
    table = models.InstanceFault.__table__
    with db_session.read_connection() as conn:
        row = conn.execute(sa.select(table).where(
            table.c.instance_uuid == server_id).order_by(
            table.c.id.desc())).mappings().first()
    return row and dict(row)


def test_incompatible_cpu_is_a_400_before_2_34(cloud, admin, server,
                                               drivers):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    drivers[_other(source)].cpu_info = '{"model": "elsewhere"}'
    cloud.compute(_other(source)).update_available_resource()
    resp = _live(admin, server, {'host': None, 'block_migration': False,
                                 'disk_over_commit': False}, version='2.1')
    assert resp.status == 400, resp
    message = resp.body['badRequest']['message']
    assert 'CPU' in message and 'not compatible' in message, message
    _stays_on_source(cloud, admin, server, source, drivers)
    assert _migration(server)['status'] == 'error'
    events = _events(admin, server, 'live-migration')
    assert events['conductor_live_migrate_instance'] == 'Error'
    assert events['compute_check_can_live_migrate_destination'] == 'Error'


def test_failed_pre_check_after_2_34_is_a_fault(cloud, admin, server,
                                                drivers):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    drivers[source].fail_operations.add('check_can_live_migrate_source')
    assert _live(admin, server).status == 202
    _stays_on_source(cloud, admin, server, source, drivers)
    assert _migration(server)['status'] == 'error'
    fault = _last_fault(server)
    assert 'check_can_live_migrate_source failed' in fault['message']
    events = _events(admin, server, 'live-migration')
    assert events['conductor_live_migrate_instance'] == 'Error'
    assert events['compute_check_can_live_migrate_source'] == 'Error'


def test_no_other_host_fits(cloud, admin, server, drivers):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    resp = _live(admin, server, {'host': None, 'block_migration': 'auto'},
                 version='2.33')
    # The other host is fine: for a 400 it must be disabled.
    dest = _other(source)
    assert resp.status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=admin)
    (service,) = admin.get('/v2.1/os-services?host=' + source,
                           version='2.53').body['services']
    assert admin.put('/v2.1/os-services/' + service['id'],
                     {'status': 'disabled'}, version='2.53').status == 200
    try:
        resp = _live(admin, server, version='2.33')
        assert resp.status == 400, resp
        assert 'No valid host' in resp.body['badRequest']['message']
        _stays_on_source(cloud, admin, server, dest, drivers)
    finally:
        admin.put('/v2.1/os-services/' + service['id'],
                  {'status': 'enabled'}, version='2.53')


def test_pre_live_migration_failure_rolls_back(cloud, admin, server,
                                               drivers):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    drivers[_other(source)].fail_operations.add('pre_live_migration')
    assert _live(admin, server).status == 202
    _wait_migration(server, 'error')
    _stays_on_source(cloud, admin, server, source, drivers)
    assert 'pre_live_migration failed' in _last_fault(server)['message']
    events = _events(admin, server, 'live-migration')
    assert events['compute_live_migration'] == 'Error'
    assert events['compute_pre_live_migration'] == 'Error'


def test_bad_hosts_and_states(cloud, admin, server, drivers):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    resp = _live(admin, server, {'host': 'nowhere',
                                 'block_migration': 'auto'})
    assert resp.status == 400
    assert resp.body['badRequest']['message'] == \
        'Compute host nowhere could not be found.'
    resp = _live(admin, server, {'host': source, 'block_migration': 'auto'})
    assert resp.status == 400
    assert 'current host' in resp.body['badRequest']['message']
    resp = _live(admin, server, {'host': None, 'block_migration': 'auto',
                                 'force': True}, version='2.30')
    assert resp.status == 400
    assert resp.body['badRequest']['message'] == \
        "Can't force to a non-provided destination"
    assert admin.post('/v2.1/servers/%s/action' % server,
                      {'os-stop': None}).status == 202
    cloud.wait_for_server(server, 'SHUTOFF', api=admin)
    resp = _live(admin, server)
    assert resp.status == 409
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot 'os-migrateLive' instance %s while it is in vm_state "
        'stopped' % server)
    assert _shown(admin, server)['OS-EXT-SRV-ATTR:host'] == source
    assert not db_moves.migrations_get_all(instance_uuid=server)


@pytest.mark.parametrize('version,body,status', [
    ('2.1', {'host': None, 'block_migration': False,
             'disk_over_commit': False}, 202),
    ('2.1', {'host': None, 'block_migration': False}, 400),
    ('2.24', {'host': None, 'block_migration': 'auto',
              'disk_over_commit': False}, 400),
    ('2.25', {'host': None, 'block_migration': 'auto'}, 202),
    ('2.25', {'host': None, 'block_migration': False,
              'disk_over_commit': False}, 400),
    ('2.29', {'host': None, 'block_migration': 'auto', 'force': False},
     400),
    ('2.30', {'host': None, 'block_migration': 'auto', 'force': False},
     202),
    ('2.67', {'host': None, 'block_migration': 'auto', 'force': False},
     202),
    ('2.68', {'host': None, 'block_migration': 'auto', 'force': False},
     400),
    ('2.68', {'host': None, 'block_migration': 'maybe'}, 400),
    ('2.68', {'block_migration': 'auto'}, 400),
])
def test_body_per_microversion(cloud, admin, server, drivers, version,
                               body, status):
    resp = _live(admin, server, body, version=version)
    assert resp.status == status, resp
    if status == 202:
        shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
        assert _migration(server)['status'] == 'completed', shown


def _start_slow(cloud, admin, server, drivers, seconds=5):
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    drivers[source].delays['live_migration'] = seconds
    assert _live(admin, server).status == 202
    return source, _wait_migration(server, 'running')


def test_migrations_in_progress_are_listed(cloud, admin, server, drivers):
    source, migration = _start_slow(cloud, admin, server, drivers)
    assert _shown(admin, server)['status'] == 'MIGRATING'
    # Both hosts hold the server's resources while it moves.
    usage = _usage()
    assert usage[source] == (1, 512) and usage[_other(source)] == (1, 512)
    resp = admin.get('/v2.1/servers/%s/migrations' % server)
    (listed,) = resp.body['migrations']
    assert listed['id'] == migration['id']
    assert listed['server_uuid'] == server
    assert listed['status'] == 'running'
    assert (listed['source_compute'], listed['dest_compute']) == (
        source, _other(source))
    assert listed['uuid'] == migration['uuid']
    assert listed['memory_total_bytes'] == 512 * 1024 * 1024
    assert set(listed) == {
        'created_at', 'dest_compute', 'dest_host', 'dest_node',
        'disk_processed_bytes', 'disk_remaining_bytes', 'disk_total_bytes',
        'id', 'memory_processed_bytes', 'memory_remaining_bytes',
        'memory_total_bytes', 'server_uuid', 'source_compute', 'source_node',
        'status', 'updated_at', 'uuid', 'user_id', 'project_id'}
    old = admin.get('/v2.1/servers/%s/migrations' % server,
                    version='2.23').body['migrations'][0]
    assert 'uuid' not in old and 'user_id' not in old
    shown = admin.get('/v2.1/servers/%s/migrations/%d' % (
        server, migration['id'])).body['migration']
    assert shown['id'] == migration['id']
    assert admin.get('/v2.1/servers/%s/migrations' % server,
                     version='2.22').status == 404
    assert admin.get('/v2.1/servers/%s/migrations/424242' % server
                     ).status == 404
    # Another live migration meanwhile: 409.
    assert _live(admin, server).status == 409
    assert admin.post('/v2.1/servers/%s/migrations/%d/action' % (
        server, migration['id']), {'force_complete': None},
        version='2.22').status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=admin)
    # Done: no longer in progress.
    assert admin.get('/v2.1/servers/%s/migrations' % server).body[
        'migrations'] == []
    assert admin.get('/v2.1/servers/%s/migrations/%d' % (
        server, migration['id'])).status == 404


def test_force_complete(cloud, admin, server, drivers):
    source, migration = _start_slow(cloud, admin, server, drivers,
                                    seconds=30)
    url = '/v2.1/servers/%s/migrations/%d/action' % (server,
                                                      migration['id'])
    assert admin.post(url, {'force_complete': None},
                      version='2.21').status == 404
    started = time.monotonic()
    assert admin.post(url, {'force_complete': None},
                      version='2.22').status == 202
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert time.monotonic() - started < 10
    assert shown['OS-EXT-SRV-ATTR:host'] == _other(source)
    (moved,) = [e for e in drivers[source].live_migration_log
                if e['uuid'] == server and e['step'] == 'migrated']
    assert moved['forced'] is True
    assert _migration(server)['status'] == 'completed'
    assert 'live_migration_force_complete' in {
        a['action'] for a in admin.get(
            '/v2.1/servers/%s/os-instance-actions' % server).body[
            'instanceActions']}
    # Not running any more: 400.
    resp = admin.post(url, {'force_complete': None}, version='2.22')
    assert resp.status == 409 or resp.status == 400, resp


def test_abort_by_delete(cloud, admin, server, drivers):
    source, migration = _start_slow(cloud, admin, server, drivers,
                                    seconds=30)
    url = '/v2.1/servers/%s/migrations/%d' % (server, migration['id'])
    assert admin.delete(url, version='2.23').status == 404
    assert admin.delete(url, version='2.24').status == 202
    _wait_migration(server, 'cancelled')
    _stays_on_source(cloud, admin, server, source, drivers)
    assert 'live_migration_cancel' in {
        a['action'] for a in admin.get(
            '/v2.1/servers/%s/os-instance-actions' % server).body[
            'instanceActions']}
    steps = [e['step'] for e in drivers[_other(source)].live_migration_log
             if e['uuid'] == server]
    assert steps[-1] == 'rollback_destination'
    # Nothing in progress: 409 from the state, as upstream.
    assert admin.delete(url, version='2.24').status == 409


def test_destination_dying_midway_leaves_the_guest_on_the_source(
        cloud, admin, server, drivers):
    source, migration = _start_slow(cloud, admin, server, drivers,
                                    seconds=30)
    dest = _other(source)
    (service,) = [s for s in cloud.services
                  if s.binary == 'nova-compute' and s.host == dest]
    cloud.stop_service(service)
    try:
        _wait_migration(server, 'error')
        shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
        assert shown['OS-EXT-SRV-ATTR:host'] == source
        assert server in drivers[source].guests
        assert 'lost the connection to %s' % dest in _last_fault(server)[
            'message']
        usage = _usage()
        assert usage[source] == (1, 512) and usage[dest] == (0, 0)
    finally:
        new = cloud.start_service('nova-compute', dest)
        assert fake.FakeDriver.hosts[dest] is new.manager.driver


def test_a_destination_failing_after_the_move_leaves_it_in_error(
        cloud, admin, server, drivers):
    """The guest moved, but the destination's last step failed (its
    nova-compute died, say): the server is the destination's, in ERROR
    with a fault saying so (as upstream), and the source holds nothing."""
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    dest = _other(source)
    drivers[dest].fail_operations.add('post_live_migration_at_destination')
    assert _live(admin, server).status == 202
    shown = cloud.wait_for_server(server, 'ERROR', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert server in drivers[dest].guests
    assert server not in drivers[source].guests
    assert _migration(server)['status'] == 'error'
    message = _last_fault(server)['message']
    assert 'did not finish on the destination' in message, message
    usage = _usage()
    assert usage[dest] == (1, 512) and usage[source] == (0, 0)


def test_a_restarted_source_undoes_its_live_migration(cloud, admin, server,
                                                      drivers):
    """nova-compute restarted on the source mid-way: the guest is still
    there, so the migration is undone (startup recovery)."""
    from nova.compute import recovery
    from nova import context as nova_context
    source = _shown(admin, server)['OS-EXT-SRV-ATTR:host']
    dest = _other(source)
    nodes = {n['host']: n['id'] for n in
             db_compute_nodes.compute_node_get_all()}
    db_instances.instance_update(server, {'task_state': 'migrating'})
    migration = db_moves.migration_create({
        'instance_uuid': server, 'source_compute': source,
        'source_node': source, 'dest_compute': dest, 'dest_node': dest,
        'status': 'running', 'migration_type': 'live-migration'})
    db_moves.allocations_move(server, migration['uuid'], nodes[source])
    db_compute_nodes.allocation_claim(server, nodes[dest], 'admin', 1, 512,
                                      1)
    recovery.init_instance(cloud.compute(source),
                           nova_context.get_admin_context(),
                           db_instances.instance_get(server))
    _stays_on_source(cloud, admin, server, source, drivers)
    assert db_moves.migration_get(migration['uuid'])['status'] == 'error'
    assert 'restarted during the live migration' in _last_fault(server)[
        'message']
