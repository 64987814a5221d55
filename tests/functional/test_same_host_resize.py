"""A resize on a single compute host: [DEFAULT] allow_resize_to_same_host.

With the option on, a resize stays on the instance's host: the new
flavor is claimed there beside the old one until confirm or revert frees
exactly one.  A cold migration never stays, and a resize with the option
off (upstream's default) finds no host: either way the server goes back
to ACTIVE, and the fault and the action's Error event say why.
"""

import pytest

from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves as db_moves
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}
TINY = (1, 512)      # flavor 1: vCPUs, MB
SMALL = (1, 2048)    # flavor 2
MEDIUM = (2, 4096)   # flavor 3


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def admin(cloud):
    return cloud.api.as_user('admin:admin', version='2.84')


@pytest.fixture
def same_host(cloud):
    cloud.conf.set_override('allow_resize_to_same_host', True)
    yield
    cloud.conf.clear_override('allow_resize_to_same_host')


@pytest.fixture
def server(cloud, admin):
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    yield server_id
    admin.delete('/v2.1/servers/' + server_id)
    cloud.wait_for_server(server_id, 'DELETED', api=admin)


def _act(api, server_id, body, **kwargs):
    return api.post('/v2.1/servers/%s/action' % server_id, body, **kwargs)


def _hypervisor_usage(admin):
    """(vcpus_used, memory_mb_used) of the only hypervisor, as
    os-hypervisors shows it, checked against the compute_nodes table."""
    (hypervisor,) = admin.get('/v2.1/os-hypervisors/detail',
                              version='2.1').body['hypervisors']
    (node,) = db_compute_nodes.compute_node_get_all()
    usage = (hypervisor['vcpus_used'], hypervisor['memory_mb_used'])
    assert usage == (node['vcpus_used'], node['memory_mb_used'])
    return usage


def _plus(*flavors):
    return tuple(sum(values) for values in zip(*flavors))


def _migration(server_id):
    (migration,) = db_moves.migrations_get_all(instance_uuid=server_id)[:1]
    return migration


def _last_action(admin, server_id):
    actions = admin.get('/v2.1/servers/%s/os-instance-actions'
                        % server_id).body['instanceActions']
    action = admin.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, actions[0]['request_id'])).body['instanceAction']
    return action


def _assert_refused(cloud, admin, server_id, action_name, usage):
    """The move found no host: ACTIVE on its host again, as it was, with
    a fault and an Error event naming NoValidHost's reason."""
    shown = cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert shown['flavor']['original_name'] == 'm1.tiny'
    # As upstream, an ACTIVE server shows no fault; it is recorded.
    assert 'fault' not in shown
    fault = db_instances.instance_get(server_id)['fault']
    assert fault['code'] == 500
    assert fault['message'].startswith('No valid host was found.')
    assert "the instance's own host" in fault['message']
    action = _last_action(admin, server_id)
    assert action['action'] == action_name
    assert action['message'] == 'Error'
    (event,) = [e for e in action['events']
                if e['event'] == 'conductor_migrate_server']
    assert event['result'] == 'Error'
    assert event['details'] == fault['message']
    migration = _migration(server_id)
    assert migration['status'] == 'error'
    assert _hypervisor_usage(admin) == usage


def test_same_host_resize_then_confirm(cloud, admin, same_host, server):
    driver = cloud.compute('compute1').driver
    assert _hypervisor_usage(admin) == TINY
    assert _act(admin, server, {'resize': {'flavorRef': '2'}}).status == 202
    shown = cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert shown['flavor']['original_name'] == 'm1.small'
    migration = _migration(server)
    assert (migration['source_compute'], migration['dest_compute'],
            migration['status'], migration['migration_type']) == (
        'compute1', 'compute1', 'finished', 'resize')
    # Both flavors held on the one node until the resize is confirmed:
    # the old by the migration, the new by the instance.
    assert _hypervisor_usage(admin) == _plus(TINY, SMALL)
    allocations = {a['consumer_uuid']: (a['vcpus'], a['memory_mb'])
                   for a in db_compute_nodes.allocations_get(server) +
                   db_compute_nodes.allocations_get(migration['uuid'])}
    assert allocations == {server: SMALL, migration['uuid']: TINY}
    # The new guest runs; the old one is kept aside for a revert.
    assert driver.guests[server] == 1 and server in driver.moved_away
    assert _act(admin, server, {'confirmResize': None}).status == 204
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['flavor']['original_name'] == 'm1.small'
    assert _hypervisor_usage(admin) == SMALL
    assert db_moves.migration_get(migration['uuid'])['status'] == \
        'confirmed'
    assert server not in driver.moved_away and driver.guests[server] == 1


def test_same_host_resize_then_revert(cloud, admin, same_host, server):
    driver = cloud.compute('compute1').driver
    assert _act(admin, server, {'resize': {'flavorRef': '3'}}).status == 202
    shown = cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert _hypervisor_usage(admin) == _plus(TINY, MEDIUM)
    assert _act(admin, server, {'revertResize': None}).status == 202
    shown = cloud.wait_for_server(server, 'ACTIVE', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == 'compute1'
    assert shown['flavor']['original_name'] == 'm1.tiny'
    assert shown['OS-EXT-STS:power_state'] == 1
    assert _hypervisor_usage(admin) == TINY
    assert [(a['vcpus'], a['memory_mb'])
            for a in db_compute_nodes.allocations_get(server)] == [TINY]
    assert _migration(server)['status'] == 'reverted'
    assert driver.guests[server] == 1 and server not in driver.moved_away


def test_same_host_resize_of_a_stopped_server_stays_stopped(
        cloud, admin, same_host, server):
    _act(admin, server, {'os-stop': None})
    cloud.wait_for_server(server, 'SHUTOFF', api=admin)
    assert _act(admin, server, {'resize': {'flavorRef': '2'}}).status == 202
    cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
    assert _act(admin, server, {'confirmResize': None}).status == 204
    shown = cloud.wait_for_server(server, 'SHUTOFF', api=admin)
    assert shown['flavor']['original_name'] == 'm1.small'
    assert shown['OS-EXT-STS:power_state'] == 4
    assert _hypervisor_usage(admin) == SMALL


def test_cold_migration_never_stays_on_its_host(cloud, admin, same_host,
                                                server):
    assert _act(admin, server, {'migrate': None}).status == 202
    _assert_refused(cloud, admin, server, 'migrate', TINY)


def test_migrate_to_its_own_host_is_400(cloud, admin, same_host, server):
    resp = _act(admin, server, {'migrate': {'host': 'compute1'}},
                version='2.56')
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == (
        'The target host compute1 is the current host of the instance.')
    shown = admin.get('/v2.1/servers/' + server).body['server']
    assert (shown['status'], shown['OS-EXT-STS:task_state']) == (
        'ACTIVE', None)


def test_resize_on_one_host_without_the_option_is_refused(cloud, admin,
                                                          server):
    assert cloud.conf.allow_resize_to_same_host is False
    assert _act(admin, server, {'resize': {'flavorRef': '2'}}).status == 202
    _assert_refused(cloud, admin, server, 'resize', TINY)
    # Nothing is left held: the server resizes once the option is on.
    cloud.conf.set_override('allow_resize_to_same_host', True)
    try:
        assert _act(admin, server,
                    {'resize': {'flavorRef': '2'}}).status == 202
        cloud.wait_for_server(server, 'VERIFY_RESIZE', api=admin)
        assert _act(admin, server, {'confirmResize': None}).status == 204
        cloud.wait_for_server(server, 'ACTIVE', api=admin)
        assert _hypervisor_usage(admin) == SMALL
    finally:
        cloud.conf.clear_override('allow_resize_to_same_host')
