"""Evacuate: a server whose host is down rebuilt on another host.

Three computes.  A host "dies" when its nova-compute stops (its fake
driver keeps the guests, as a dead host's disks do) and an admin forces
it down; it "comes back" when a new nova-compute starts on the same
driver.  Contract: compute-api-facts.md (evacuate rows of 3.1-3.4) and
upstream's evacuate API.
"""

import time

import pytest

from nova.compute import manager as compute_manager
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves as db_moves
from nova.db import services as db_services
from nova import service as nova_service
from tests.functional import fixtures

SERVER = {'name': 'evacuee', 'imageRef': fixtures.IMAGE_ID,
          'flavorRef': '1', 'networks': 'auto'}
HOSTS = ('compute1', 'compute2', 'compute3')
TINY = (1, 512)


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=HOSTS, overrides={
        'report_interval': 50, 'quota.instances': -1, 'quota.cores': -1,
        'quota.ram': -1}).start()
    yield cloud
    cloud.stop()


class Hosts:
    """Kills and revives compute hosts; puts everything back after the
    test."""

    def __init__(self, cloud, admin):
        self.cloud = cloud
        self.admin = admin
        self.dead = {}      # host -> its driver

    def service_id(self, host):
        (service,) = self.admin.get(
            '/v2.1/os-services?binary=nova-compute&host=' + host,
            version='2.53').body['services']
        return service['id']

    def force_down(self, host, down=True):
        resp = self.admin.put('/v2.1/os-services/' + self.service_id(host),
                              {'forced_down': down}, version='2.53')
        assert resp.status == 200, resp

    def set_disabled(self, host, disabled=True):
        resp = self.admin.put('/v2.1/os-services/' + self.service_id(host),
                              {'status': 'disabled' if disabled
                               else 'enabled'}, version='2.53')
        assert resp.status == 200, resp

    def kill(self, host):
        """nova-compute on host stops and is forced down; its driver (the
        guests there) is kept."""
        (service,) = [s for s in self.cloud.services
                      if s.binary == 'nova-compute' and s.host == host]
        self.dead[host] = service.manager.driver
        self.cloud.stop_service(service)
        self.force_down(host)
        return self.dead[host]

    def revive(self, host):
        """nova-compute starts again on host, on its old driver (startup
        recovery runs before it starts); still forced down."""
        manager = compute_manager.ComputeManager(
            self.cloud.conf, host, driver=self.dead.pop(host))
        manager._image_api = self.cloud.images
        service = nova_service.Service(self.cloud.conf, 'nova-compute',
                                       host=host, manager=manager)
        service.start()
        self.cloud.services.append(service)
        return manager

    def restore(self):
        for host in list(self.dead):
            self.revive(host)
        for service in db_services.service_get_all(binary='nova-compute'):
            db_services.service_update(service['id'], {
                'disabled': False, 'disabled_reason': None,
                'forced_down': False})


@pytest.fixture
def admin(cloud):
    return cloud.api.as_user('admin:admin', version='2.84')


@pytest.fixture
def hosts(cloud, admin):
    hosts = Hosts(cloud, admin)
    yield hosts
    hosts.restore()
    for server in admin.get('/v2.1/servers').body['servers']:
        admin.delete('/v2.1/servers/' + server['id'])
        cloud.wait_for_server(server['id'], 'DELETED', api=admin)


def _boot(cloud, admin, **extra):
    resp = admin.post('/v2.1/servers', {'server': dict(SERVER, **extra)})
    assert resp.status == 202, resp
    return cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE',
                                 api=admin)


def _evacuate(admin, server_id, body=None, version='2.84'):
    return admin.post('/v2.1/servers/%s/action' % server_id,
                      {'evacuate': {} if body is None else body},
                      version=version)


def _usage():
    return {n['host']: (n['vcpus_used'], n['memory_mb_used'])
            for n in db_compute_nodes.compute_node_get_all()}


def _node_ids():
    return {n['id']: n['host']
            for n in db_compute_nodes.compute_node_get_all()}


def _allocated_on(consumer):
    nodes = _node_ids()
    return sorted(nodes[a['compute_node_id']]
                  for a in db_compute_nodes.allocations_get(consumer))


def _migration(server_id):
    (migration,) = db_moves.migrations_get_all(instance_uuid=server_id,
                                               migration_type='evacuation')
    return migration


def _action(admin, server_id):
    actions = admin.get('/v2.1/servers/%s/os-instance-actions'
                        % server_id).body['instanceActions']
    return admin.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, actions[0]['request_id'])).body['instanceAction']


def _wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.05)


def _wait_status(cloud, admin, server_id, status):
    return cloud.wait_for_server(server_id, status, api=admin)


def _evacuated(cloud, admin, server_id, status='ACTIVE'):
    """The server once settled in status on its new host, its migration
    done (the destination's last step, just after the server's)."""
    shown = _wait_status(cloud, admin, server_id, status)
    _wait(lambda: db_moves.migrations_get_all(
        instance_uuid=server_id, migration_type='evacuation')[0][
        'status'] == 'done')
    return shown


# --- the happy paths ------------------------------------------------------

def test_evacuate_rebuilds_elsewhere_and_the_dead_host_cleans_up(
        cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    source_driver = hosts.kill(source)
    assert source_driver.guests[server_id] == 1
    resp = _evacuate(admin, server_id)
    # 2.14+: 200 with no body.
    assert resp.status == 200, resp
    assert resp.text == ''
    shown = _evacuated(cloud, admin, server_id)
    dest = shown['OS-EXT-SRV-ATTR:host']
    assert dest in HOSTS and dest != source
    # The same server: uuid, name, addresses; on its new host and node.
    assert (shown['id'], shown['name'], shown['addresses']) == (
        server_id, server['name'], server['addresses'])
    assert shown['OS-EXT-SRV-ATTR:hypervisor_hostname'] == dest
    assert shown['OS-EXT-AZ:availability_zone'] == 'nova'
    dest_driver = cloud.compute(dest).driver
    assert dest_driver.guests[server_id] == 1
    network_info = db_instances.instance_get(server_id)['network_info']
    assert dest_driver.plugged_vifs[server_id] == network_info
    migration = _migration(server_id)
    assert (migration['status'], migration['source_compute'],
            migration['dest_compute'], migration['source_node'],
            migration['dest_node']) == ('done', source, dest, source, dest)
    listed = admin.get('/v2.1/os-migrations?migration_type=evacuation',
                       version='2.23').body['migrations']
    assert [(m['instance_uuid'], m['status']) for m in listed] == [
        (server_id, 'done')]
    action = _action(admin, server_id)
    assert action['action'] == 'evacuate' and action['message'] is None
    assert {(e['event'], e['result']) for e in action['events']} == {
        ('rebuild_server', 'Success'),
        ('compute_rebuild_instance', 'Success')}
    # The dead host keeps its allocation (and its guest) until it is back.
    assert _allocated_on(server_id) == sorted([source, dest])
    usage = _usage()
    assert usage[source] == TINY and usage[dest] == TINY
    assert source_driver.guests[server_id] == 1

    hosts.revive(source)
    # Startup recovery destroyed the stale guest before taking messages,
    # freed the source's allocation and completed the migration.
    assert server_id not in source_driver.guests
    assert _allocated_on(server_id) == [dest]
    usage = _usage()
    assert usage[source] == (0, 0) and usage[dest] == TINY
    assert _migration(server_id)['status'] == 'completed'
    shown = _wait_status(cloud, admin, server_id, 'ACTIVE')
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert dest_driver.guests[server_id] == 1
    # Up again once the operator says so; the server stays where it is.
    hosts.force_down(source, False)
    assert admin.get('/v2.1/servers/' + server_id).body['server'][
        'OS-EXT-SRV-ATTR:host'] == dest


def test_evacuate_before_2_14_gives_the_admin_password(cloud, admin,
                                                       hosts):
    server_id = _boot(cloud, admin)['id']
    source = admin.get('/v2.1/servers/' + server_id).body['server'][
        'OS-EXT-SRV-ATTR:host']
    hosts.force_down(source)
    # onSharedStorage is required before 2.14, and a password cannot go
    # with a disk that is kept.
    resp = _evacuate(admin, server_id, {}, version='2.13')
    assert resp.status == 400, resp
    resp = _evacuate(admin, server_id, {'onSharedStorage': True,
                                        'adminPass': 'x'}, version='2.13')
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == (
        "admin password can't be changed on existing disk")
    resp = _evacuate(admin, server_id, {'onSharedStorage': 'False',
                                        'adminPass': 'S3cret-pass'},
                     version='2.13')
    assert resp.status == 200, resp
    assert resp.body == {'adminPass': 'S3cret-pass'}
    shown = _evacuated(cloud, admin, server_id)
    dest = shown['OS-EXT-SRV-ATTR:host']
    assert dest != source
    assert cloud.compute(dest).driver.admin_passwords[server_id] == \
        'S3cret-pass'
    # Evacuated again (its new host dies too), without a password: one is
    # made up and returned.
    hosts.force_down(dest)
    resp = _evacuate(admin, server_id, {'onSharedStorage': False},
                     version='2.1')
    assert resp.status == 200, resp
    password = resp.body['adminPass']
    assert isinstance(password, str) and len(password) == 12
    shown = _evacuated(cloud, admin, server_id)
    third = shown['OS-EXT-SRV-ATTR:host']
    assert third not in (source, dest)
    assert cloud.compute(third).driver.admin_passwords[server_id] == \
        password
    assert len(db_moves.migrations_get_all(
        instance_uuid=server_id, migration_type='evacuation')) == 2


def test_evacuate_to_a_named_host(cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    others = [h for h in HOSTS if h != source]
    hosts.force_down(source)
    resp = _evacuate(admin, server_id, {'host': 'nowhere'})
    assert resp.status == 404, resp
    assert resp.body['itemNotFound']['message'] == \
        'Compute host nowhere not found.'
    resp = _evacuate(admin, server_id, {'host': source})
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == \
        "The target host can't be the same one."
    # The named host, not the scheduler's choice of the two.
    for target in reversed(others):
        resp = _evacuate(admin, server_id, {'host': target})
        assert resp.status == 200, resp
        shown = _evacuated(cloud, admin, server_id)
        assert shown['OS-EXT-SRV-ATTR:host'] == target
        assert _migration_to(server_id, target)['status'] == 'done'
        hosts.force_down(target)


def _migration_to(server_id, host):
    (migration,) = [m for m in db_moves.migrations_get_all(
        instance_uuid=server_id, migration_type='evacuation')
        if m['dest_compute'] == host]
    return migration


def test_a_named_host_is_still_checked_unless_forced(cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    target = [h for h in HOSTS if h != source][0]
    hosts.force_down(source)
    hosts.set_disabled(target)
    # 2.29-2.67: force without a host is refused; at 2.68 force is gone.
    resp = _evacuate(admin, server_id, {'force': True}, version='2.29')
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == \
        "Can't force to a non-provided destination"
    resp = _evacuate(admin, server_id, {'host': target, 'force': True},
                     version='2.68')
    assert resp.status == 400, resp
    # Named, not forced: the scheduler refuses the disabled host.
    resp = _evacuate(admin, server_id, {'host': target}, version='2.67')
    assert resp.status == 200, resp
    shown = _wait_status(cloud, admin, server_id, 'ERROR')
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert 'ComputeFilter removed 1' in shown['fault']['message']
    # Forced: no filter stands in the way.
    resp = _evacuate(admin, server_id, {'host': target, 'force': True},
                     version='2.67')
    assert resp.status == 200, resp
    shown = _evacuated(cloud, admin, server_id)
    assert shown['OS-EXT-SRV-ATTR:host'] == target


def test_a_stopped_server_is_evacuated_stopped(cloud, admin, hosts):
    server_id = _boot(cloud, admin)['id']
    admin.post('/v2.1/servers/%s/action' % server_id, {'os-stop': None})
    shown = _wait_status(cloud, admin, server_id, 'SHUTOFF')
    source = shown['OS-EXT-SRV-ATTR:host']
    hosts.force_down(source)
    assert _evacuate(admin, server_id).status == 200
    shown = _evacuated(cloud, admin, server_id, 'SHUTOFF')
    dest = shown['OS-EXT-SRV-ATTR:host']
    assert dest != source and shown['OS-EXT-STS:power_state'] == 4
    assert cloud.compute(dest).driver.guests[server_id] == 4


# --- refusals -------------------------------------------------------------

def test_evacuate_of_a_server_whose_host_is_up_is_refused(cloud, admin,
                                                          hosts):
    server = _boot(cloud, admin)
    resp = _evacuate(admin, server['id'])
    # As upstream (ComputeServiceInUse): 400.
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == (
        'Compute service of %s is still in use.'
        % server['OS-EXT-SRV-ATTR:host'])
    shown = admin.get('/v2.1/servers/' + server['id']).body['server']
    assert (shown['status'], shown['OS-EXT-STS:task_state']) == (
        'ACTIVE', None)
    assert db_moves.migrations_get_all(instance_uuid=server['id']) == []


def test_evacuate_is_refused_in_other_states_and_to_non_admins(
        cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id = server['id']
    admin.post('/v2.1/servers/%s/action' % server_id, {'pause': None})
    _wait_status(cloud, admin, server_id, 'PAUSED')
    hosts.force_down(server['OS-EXT-SRV-ATTR:host'])
    resp = _evacuate(admin, server_id)
    assert resp.status == 409, resp
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot 'evacuate' instance %s while it is in vm_state paused"
        % server_id)
    resp = cloud.api.as_user('demo:demo', version='2.84').post(
        '/v2.1/servers/%s/action' % server_id, {'evacuate': {}})
    assert resp.status == 404, resp


def test_evacuate_with_no_valid_host(cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    others = [h for h in HOSTS if h != source]
    hosts.kill(source)
    for host in others:
        hosts.set_disabled(host)
    assert _evacuate(admin, server_id).status == 200
    # As upstream: ERROR, still on the dead host, the migration in error,
    # the fault and the event say why.
    shown = _wait_status(cloud, admin, server_id, 'ERROR')
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    message = shown['fault']['message']
    assert message.startswith('No valid host was found.')
    assert 'ComputeFilter removed 2' in message
    assert _migration(server_id)['status'] == 'error'
    action = _action(admin, server_id)
    assert (action['action'], action['message']) == ('evacuate', 'Error')
    (event,) = action['events']
    assert (event['event'], event['result'], event['details']) == (
        'rebuild_server', 'Error', message)
    assert _allocated_on(server_id) == [source]
    # The dead host comes back: the failed evacuation leaves its guest.
    driver = hosts.dead[source]
    hosts.revive(source)
    assert driver.guests[server_id] == 1
    assert _allocated_on(server_id) == [source]
    assert _migration(server_id)['status'] == 'error'
    # From ERROR it can be evacuated again once a host is free.
    hosts.kill(source)
    hosts.set_disabled(others[0], False)
    assert _evacuate(admin, server_id).status == 200
    shown = _evacuated(cloud, admin, server_id)
    assert shown['OS-EXT-SRV-ATTR:host'] == others[0]


def test_a_failure_on_the_destination_leaves_the_server_on_its_host(
        cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    others = [h for h in HOSTS if h != source]
    hosts.force_down(source)
    hosts.set_disabled(others[1])
    dest_driver = cloud.compute(others[0]).driver
    dest_driver.fail_operations = {'spawn'}
    try:
        assert _evacuate(admin, server_id).status == 200
        shown = _wait_status(cloud, admin, server_id, 'ERROR')
    finally:
        dest_driver.fail_operations = set()
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert 'spawn failed on purpose' in shown['fault']['message']
    assert _migration(server_id)['status'] == 'failed'
    assert server_id not in dest_driver.guests
    assert _allocated_on(server_id) == [source]
    action = _action(admin, server_id)
    assert ('compute_rebuild_instance', 'Error') in {
        (e['event'], e['result']) for e in action['events']}


def test_a_server_deleted_after_its_evacuation_leaves_nothing_behind(
        cloud, admin, hosts):
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    driver = hosts.kill(source)
    assert _evacuate(admin, server_id).status == 200
    _evacuated(cloud, admin, server_id)
    admin.delete('/v2.1/servers/' + server_id)
    _wait_status(cloud, admin, server_id, 'DELETED')
    assert _usage()[source] == (0, 0)
    hosts.revive(source)
    assert server_id not in driver.guests
    assert _migration(server_id)['status'] == 'completed'


# --- restarts in the middle of an evacuation --------------------------------

def _interrupted(cloud, admin, hosts, status):
    """A server whose evacuation from its dead source to dest is under way
    (the migration in status, dest claimed, the guest half spawned there,
    task rebuild_spawning): (server id, source, dest)."""
    server = _boot(cloud, admin)
    server_id, source = server['id'], server['OS-EXT-SRV-ATTR:host']
    dest = [h for h in HOSTS if h != source][0]
    hosts.kill(source)
    node = db_compute_nodes.compute_node_get_by_host_and_nodename(dest,
                                                                  dest)
    db_compute_nodes.allocation_claim(server_id, node['id'], 'admin', 1,
                                      512, 1)
    db_moves.migration_create({
        'instance_uuid': server_id, 'source_compute': source,
        'source_node': source, 'dest_compute': dest, 'dest_node': dest,
        'dest_host': dest, 'status': status,
        'migration_type': 'evacuation'})
    db_instances.instance_update(server_id,
                                 {'task_state': 'rebuild_spawning'})
    cloud.compute(dest).driver.guests[server_id] = 1
    return server_id, source, dest


def test_a_destination_restarted_mid_evacuation_ends_it(cloud, admin,
                                                        hosts):
    server_id, source, dest = _interrupted(cloud, admin, hosts,
                                           'pre-migrating')
    driver = hosts.kill(dest)
    hosts.revive(dest)
    shown = _wait_status(cloud, admin, server_id, 'ERROR')
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert 'restarted during the evacuation' in shown['fault']['message']
    assert server_id not in driver.guests
    assert _allocated_on(server_id) == [source]
    assert _migration(server_id)['status'] == 'error'


def test_a_source_back_mid_evacuation_destroys_its_guest_only(cloud, admin,
                                                              hosts):
    server_id, source, dest = _interrupted(cloud, admin, hosts,
                                           'pre-migrating')
    driver = hosts.dead[source]
    hosts.revive(source)
    # Its guest is gone (the server is being rebuilt elsewhere), the
    # server is not resumed nor failed here, the rest is the
    # destination's.
    assert server_id not in driver.guests
    instance = db_instances.instance_get(server_id)
    assert (instance['host'], instance['vm_state'],
            instance['task_state']) == (source, 'active',
                                        'rebuild_spawning')
    assert _migration(server_id)['status'] == 'pre-migrating'
    assert _allocated_on(server_id) == sorted([source, dest])
    # What the destination's restart would do ends it.
    hosts.kill(dest)
    hosts.revive(dest)
    _wait_status(cloud, admin, server_id, 'ERROR')
