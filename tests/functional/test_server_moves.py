"""Cold migration and resize between two hosts; confirm and revert."""

import time

import pytest

from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves
from tests.functional import test_compute_recovery
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'),
                           overrides={'report_interval': 50}).start()
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


def _act(api, server_id, body):
    return api.post('/v2.1/servers/%s/action' % server_id, body)


def _usage():
    return {n['host']: (n['vcpus_used'], n['memory_mb_used'])
            for n in db_compute_nodes.compute_node_get_all()}


def _host(api, server_id):
    return api.get('/v2.1/servers/' + server_id).body['server'][
        'OS-EXT-SRV-ATTR:host']


def test_resize_then_confirm_frees_the_source(cloud, admin, server):
    source = _host(admin, server)
    dest = ({'compute1', 'compute2'} - {source}).pop()
    assert _act(admin, server, {'resize': {'flavorRef': '2'}}).status == 202
    shown = cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert shown['flavor']['original_name'] == 'm1.small'
    # Both hosts hold resources until the resize is confirmed.
    usage = _usage()
    assert usage[source] == (1, 512) and usage[dest] == (1, 2048)
    migrations = admin.get('/v2.1/os-migrations').body['migrations']
    mine = [m for m in migrations if m['instance_uuid'] == server]
    assert [(m['status'], m['migration_type'], m['source_compute'],
             m['dest_compute']) for m in mine] == [
        ('finished', 'resize', source, dest)]
    assert admin.post('/v2.1/servers/%s/action' % server,
                      {'confirmResize': None}).status == 204
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    usage = _usage()
    assert usage[source] == (0, 0) and usage[dest] == (1, 2048)
    assert admin.get('/v2.1/os-migrations').body['migrations'][0][
        'status'] == 'confirmed'


def test_migrate_then_revert_restores_the_source(cloud, admin, server):
    source = _host(admin, server)
    _act(admin, server, {'os-stop': None})
    cloud.wait_for_server(server, 'SHUTOFF', api=admin)
    assert _act(admin, server, {'migrate': None}).status == 202
    shown = cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] != source
    assert _act(admin, server, {'revertResize': None}).status == 202
    shown = cloud.wait_for_server(server, 'SHUTOFF', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert shown['flavor']['original_name'] == 'm1.tiny'
    assert shown['OS-EXT-STS:power_state'] == 4
    usage = _usage()
    assert usage[source] == (1, 512)
    assert sum(v for host, (v, m) in usage.items() if host != source) == 0


def test_move_refusals(cloud, admin, server):
    resp = _act(admin, server, {'resize': {'flavorRef': '1'}})
    assert resp.status == 400
    assert 'When resizing, instances must change flavor!' in resp.text
    resp = _act(admin, server, {'confirmResize': None})
    assert resp.status == 409
    resp = _act(admin, server, {'resize': {'flavorRef': 'nope'}})
    assert resp.status == 400
    demo = cloud.api.as_user('demo:demo', version='2.56')
    resp = _act(admin, server, {'migrate': {'host': 'nowhere'}})
    assert resp.status in (400, 404)
    assert _act(demo, server, {'migrate': None}).status == 404


def test_no_other_host_rolls_back(cloud, admin, server):
    other = ({'compute1', 'compute2'} - {_host(admin, server)}).pop()
    services = admin.get('/v2.1/os-services?host=' + other,
                         version='2.53').body['services']
    admin.put('/v2.1/os-services/' + services[0]['id'],
              {'status': 'disabled'}, version='2.53')
    try:
        assert _act(admin, server, {'migrate': None}).status == 202
        shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
        assert shown['OS-EXT-SRV-ATTR:host'] != other
        actions = admin.get('/v2.1/servers/%s/os-instance-actions'
                            % server).body['instanceActions']
        assert actions[0]['action'] == 'migrate'
        assert actions[0]['message'] == 'Error'
    finally:
        admin.put('/v2.1/os-services/' + services[0]['id'],
                  {'status': 'enabled'}, version='2.53')


def test_server_migrations_lists_only_live_ones_in_progress(cloud, admin,
                                                            server):
    _act(admin, server, {'migrate': None})
    cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    resp = admin.get('/v2.1/servers/%s/migrations' % server)
    assert resp.status == 200 and resp.body == {'migrations': []}
    assert admin.get('/v2.1/servers/%s/migrations' % server,
                     version='2.22').status == 404
    assert len([m for m in admin.get('/v2.1/os-migrations').body[
        'migrations'] if m['instance_uuid'] == server]) == 1
    _act(admin, server, {'confirmResize': None})
    cloud.wait_for_server(server, 'ACTIVE', api=admin)


def test_failed_move_gives_the_resources_back(cloud, admin, server):
    source = _host(admin, server)
    driver = cloud.compute(source).driver
    driver.fail_operations = {'migrate_disk_and_power_off'}
    try:
        _act(admin, server, {'migrate': None})
        shown = cloud.wait_for_server(server, 'ERROR', api=admin)
        assert shown['OS-EXT-SRV-ATTR:host'] == source
    finally:
        driver.fail_operations = set()
    usage = _usage()
    assert usage[source] == (1, 512)
    assert sum(v for host, (v, m) in usage.items() if host != source) == 0


def test_restart_reverts_a_migration_caught_mid_move(cloud, admin, server):
    source = _host(admin, server)
    driver = cloud.compute(source).driver
    driver.fail_operations = {'migrate_disk_and_power_off'}
    try:
        _act(admin, server, {'migrate': None})
        cloud.wait_for_server(server, 'ERROR', api=admin)
    finally:
        driver.fail_operations = set()
    # What a crash in the middle of the move leaves behind: the task, the
    # migration in progress, the destination claimed, the source held by
    # the migration.
    (migration,) = moves.migrations_get_all(instance_uuid=server)
    moves.allocations_move(server, migration['uuid'], [
        n['id'] for n in db_compute_nodes.compute_node_get_all()
        if n['host'] == source][0])
    moves.migration_update(migration['uuid'], {'status': 'migrating'})
    db_instances.instance_update(server, {
        'vm_state': 'active', 'task_state': 'resize_migrating'})
    test_compute_recovery.restart_compute(cloud, source)
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    usage = _usage()
    assert usage[source] == (1, 512)
    assert sum(v for host, (v, m) in usage.items() if host != source) == 0
    assert moves.migration_get(migration['uuid'])['status'] == 'error'


def test_deleting_a_server_awaiting_confirmation_cleans_the_source(
        cloud, admin):
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    source = _host(admin, server_id)
    source_driver = cloud.compute(source).driver
    _act(admin, server_id, {'migrate': None})
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=admin)
    # The source keeps the guest's disk for a revert.
    assert server_id in source_driver.moved_away
    admin.delete('/v2.1/servers/' + server_id)
    cloud.wait_for_server(server_id, 'DELETED', api=admin)
    deadline = time.monotonic() + 10
    while server_id in source_driver.moved_away and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert server_id not in source_driver.moved_away
    assert _usage() == {'compute1': (0, 0), 'compute2': (0, 0)}


def test_a_move_takes_the_guests_vifs_along(cloud, admin, server):
    from nova.db import instances as db_instances
    source = _host(admin, server)
    dest = ({'compute1', 'compute2'} - {source}).pop()
    vifs = db_instances.instance_get(server)['network_info']
    assert cloud.compute(source).driver.plugged_vifs[server] == vifs
    assert _act(admin, server, {'resize': {'flavorRef': '2'}}).status == 202
    cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    # Plugged on the destination, gone from the source; same VIFs.
    assert cloud.compute(dest).driver.plugged_vifs[server] == vifs
    assert server not in cloud.compute(source).driver.plugged_vifs
    assert _act(admin, server, {'revertResize': None}).status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert cloud.compute(source).driver.plugged_vifs[server] == vifs
    assert server not in cloud.compute(dest).driver.plugged_vifs
    assert db_instances.instance_get(server)['network_info'] == vifs


def test_resize_sets_the_disk_config_as_upstream(cloud, admin):
    # Created AUTO; a resize naming MANUAL turns it MANUAL, and a resize
    # without OS-DCF:diskConfig does too (upstream's default), while one
    # naming AUTO turns it back.
    server = admin.post('/v2.1/servers', {'server': dict(
        SERVER, **{'OS-DCF:diskConfig': 'AUTO'})}).body['server']['id']
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-DCF:diskConfig'] == 'AUTO'
    for flavor, asked, expected in (('2', 'MANUAL', 'MANUAL'),
                                    ('3', 'AUTO', 'AUTO'),
                                    ('4', None, 'MANUAL')):
        body = {'flavorRef': flavor}
        if asked:
            body['OS-DCF:diskConfig'] = asked
        assert _act(admin, server, {'resize': body}).status == 202
        cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
        assert _act(admin, server, {'confirmResize': None}).status == 204
        shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
        assert shown['OS-DCF:diskConfig'] == expected, (flavor, asked)
    assert _act(admin, server, {'resize': {
        'flavorRef': '5', 'OS-DCF:diskConfig': 'auto'}}).status == 400
    admin.delete('/v2.1/servers/' + server)
    cloud.wait_for_server(server, 'DELETED', api=admin)


def _allocations(consumer):
    nodes = {n['id']: n['host']
             for n in db_compute_nodes.compute_node_get_all()}
    return sorted((nodes[a['compute_node_id']], a['vcpus'], a['memory_mb'],
                   a['disk_gb']) for a in
                  db_compute_nodes.allocations_get(consumer))


@pytest.mark.parametrize('action', [{'migrate': None},
                                    {'resize': {'flavorRef': '2'}}])
def test_failed_disk_copy_rolls_back_to_the_source(cloud, admin, server,
                                                   action):
    source = _host(admin, server)
    dest = ({'compute1', 'compute2'} - {source}).pop()
    driver = cloud.compute(source).driver
    before = _allocations(server)
    driver.fail_operations = {'migrate_disk_copy'}
    try:
        assert _act(admin, server, action).status == 202
        deadline = time.monotonic() + 10
        migrations = []
        while time.monotonic() < deadline:
            migrations = moves.migrations_get_all(instance_uuid=server)
            instance = db_instances.instance_get(server)
            if [m['status'] for m in migrations] == ['error'] and \
                    instance['task_state'] is None:
                break
            time.sleep(0.05)
    finally:
        driver.fail_operations = set()
    (migration,) = migrations
    assert migration['status'] == 'error'
    # The destination's address reached the driver (its host_ip).
    assert driver.last_move_dest == '127.0.0.1'
    # Back as it was: ACTIVE on the source, its flavor, its guest running
    # there and nothing on the destination.
    shown = admin.get('/v2.1/servers/' + server).body['server']
    assert (shown['status'], shown['OS-EXT-SRV-ATTR:host'],
            shown['flavor']['original_name']) == ('ACTIVE', source,
                                                  'm1.tiny')
    assert driver.guests[server] == 1
    assert server not in driver.moved_away
    assert server not in cloud.compute(dest).driver.guests
    assert 'old_flavor' not in instance['system_metadata']
    # The fault says what failed; so does the compute's event.
    assert instance['fault']['message'] == \
        'Fake driver: migrate_disk_copy failed on purpose'
    # Event details from 2.84.
    admin_284 = cloud.api.as_user('admin:admin', version='2.84')
    actions = admin_284.get('/v2.1/servers/%s/os-instance-actions'
                            % server).body['instanceActions']
    action_detail = admin_284.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server, actions[0]['request_id'])).body['instanceAction']
    events = {e['event']: e for e in action_detail['events']}
    event = events['compute_resize_instance']
    assert event['result'] == 'Error'
    assert 'migrate_disk_copy failed on purpose' in event['details']
    # Allocations exact: the instance's on the source alone, the
    # migration's gone, the destination's usage free.
    assert _allocations(server) == before
    assert _allocations(migration['uuid']) == []
    usage = _usage()
    assert usage[source] == (1, 512) and usage[dest] == (0, 0)
