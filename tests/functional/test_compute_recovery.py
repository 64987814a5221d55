"""nova-compute restarts in the middle of operations; nothing stays stuck.

A crash is simulated by leaving the instance in a transitional task_state
(as the interrupted compute would have) and starting a new nova-compute on
the same host with the same hypervisor (the same fake driver).
"""

import pytest

from nova.compute import manager as compute_manager
from nova.compute import recovery
from nova.compute import states
from nova.db import instances as db_instances
from nova import rpc as nova_rpc
from nova import service as nova_service
from nova.virt import fake
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={
        'report_interval': 50, 'quota.instances': -1, 'quota.cores': -1,
        'quota.ram': -1}).start()
    yield cloud
    cloud.stop()


def _boot(cloud):
    server_id = cloud.api.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    return server_id


def restart_compute(cloud, host='compute1', driver=None):
    """driver: the new one's (default: the same fake hypervisor)."""
    old = [s for s in cloud.services if s.binary == 'nova-compute'
           and s.host == host][0]
    driver = driver or old.manager.driver
    cloud.stop_service(old)
    manager = compute_manager.ComputeManager(cloud.conf, host, driver=driver)
    manager._image_api = cloud.images
    service = nova_service.Service(cloud.conf, 'nova-compute', host=host,
                                   manager=manager)
    service.start()
    cloud.services.append(service)
    return manager


@pytest.mark.parametrize('vm_state,task_state,power,status', [
    (states.ACTIVE, states.task.POWERING_OFF, states.power.RUNNING,
     'SHUTOFF'),
    (states.ACTIVE, states.task.REBOOTING_HARD, states.power.RUNNING,
     'ACTIVE'),
    (states.ACTIVE, states.task.REBOOT_PENDING, states.power.RUNNING,
     'ACTIVE'),
    (states.ACTIVE, states.task.IMAGE_SNAPSHOT, states.power.RUNNING,
     'ACTIVE'),
    (states.ACTIVE, states.task.PAUSING, states.power.RUNNING, 'ACTIVE'),
    (states.ACTIVE, states.task.REBUILDING, states.power.RUNNING, 'ERROR'),
])
def test_restart_resolves_transitional_states(cloud, vm_state, task_state,
                                              power, status):
    server_id = _boot(cloud)
    db_instances.instance_update(server_id, {'vm_state': vm_state,
                                             'task_state': task_state})
    restart_compute(cloud)
    shown = cloud.wait_for_server(server_id, status)
    assert shown['OS-EXT-STS:task_state'] is None


def test_restart_leaves_a_resize_the_conductor_has_not_handed_over(cloud):
    # resize_prep with no migration taken by this host is the conductor's
    # (its reaper ends it if the conductor died): clearing it here would
    # fail the move the conductor is about to send.
    server_id = _boot(cloud)
    db_instances.instance_update(server_id, {
        'task_state': states.task.RESIZE_PREP})
    restart_compute(cloud)
    assert db_instances.instance_get(server_id)['task_state'] == \
        states.task.RESIZE_PREP
    db_instances.instance_update(server_id, {'task_state': None})


def test_restart_finishes_a_start(cloud):
    server_id = _boot(cloud)
    cloud.api.post('/v2.1/servers/%s/action' % server_id, {'os-stop': None})
    cloud.wait_for_server(server_id, 'SHUTOFF')
    db_instances.instance_update(server_id, {
        'task_state': states.task.POWERING_ON})
    restart_compute(cloud)
    cloud.wait_for_server(server_id, 'ACTIVE')


def test_restart_turns_a_half_build_into_error_with_a_fault(cloud):
    server_id = _boot(cloud)
    db_instances.instance_update(server_id, {
        'vm_state': states.BUILDING, 'task_state': states.task.SPAWNING})
    restart_compute(cloud)
    shown = cloud.wait_for_server(server_id, 'ERROR')
    assert 'failed to spawn correctly' in shown['fault']['message']


def test_restart_finishes_a_delete(cloud):
    server_id = _boot(cloud)
    db_instances.instance_update(server_id, {
        'task_state': states.task.DELETING})
    manager = restart_compute(cloud)
    cloud.wait_for_server(server_id, 'DELETED')
    assert server_id not in manager.driver.guests


def test_guest_that_stopped_by_itself_becomes_shutoff(cloud):
    server_id = _boot(cloud)
    manager = cloud.compute('compute1')
    manager.driver.guests[server_id] = states.power.SHUTDOWN
    recovery.sync_power_states(manager)
    shown = cloud.wait_for_server(server_id, 'SHUTOFF')
    assert shown['OS-EXT-STS:power_state'] == states.power.SHUTDOWN
    actions = cloud.api.get('/v2.1/servers/%s/os-instance-actions'
                            % server_id).body['instanceActions']
    assert [a['action'] for a in actions] == ['stop', 'create']


def test_stopped_instance_running_again_is_stopped(cloud):
    server_id = _boot(cloud)
    cloud.api.post('/v2.1/servers/%s/action' % server_id, {'os-stop': None})
    cloud.wait_for_server(server_id, 'SHUTOFF')
    manager = cloud.compute('compute1')
    manager.driver.guests[server_id] = states.power.RUNNING
    recovery.sync_power_states(manager)
    assert manager.driver.guests[server_id] == states.power.SHUTDOWN



def test_a_restarted_compute_takes_messages_only_once_recovered(
        cloud, monkeypatch):
    # A message served during the recovery would be judged by it: a build
    # finished meanwhile was then marked ERROR as an interrupted one.
    events = []
    real_init_instances = recovery.init_instances
    real_get_server = nova_rpc.get_server

    def init_instances(manager):
        events.append('recovery')
        real_init_instances(manager)
        events.append('recovered')

    def get_server(*args, **kwargs):
        server = real_get_server(*args, **kwargs)
        real_start = server.start

        def start():
            events.append('serving RPC')
            real_start()
        server.start = start
        return server
    monkeypatch.setattr(recovery, 'init_instances', init_instances)
    monkeypatch.setattr(nova_rpc, 'get_server', get_server)
    server_id = _boot(cloud)
    restart_compute(cloud)
    assert events == ['recovery', 'recovered', 'serving RPC']
    # And it serves: a stop cast now is done.
    assert cloud.api.post('/v2.1/servers/%s/action' % server_id,
                          {'os-stop': None}).status == 202
    cloud.wait_for_server(server_id, 'SHUTOFF')


@pytest.mark.parametrize('action,vm_state', [
    (None, states.ACTIVE), ('pause', states.PAUSED),
    ('suspend', states.SUSPENDED)])
def test_an_instance_whose_guest_is_gone_is_stopped_then_starts(
        cloud, action, vm_state):
    # A hypervisor that lost its guests (a fake driver restarted, a host
    # rebooted): not an error on the next operation but SHUTOFF, and a
    # start creates the guest again.
    server_id = _boot(cloud)
    if action:
        cloud.api.post('/v2.1/servers/%s/action' % server_id, {action: None})
        cloud.wait_for_server(server_id, vm_state.upper())
    restart_compute(cloud, driver=fake.FakeDriver(cloud.conf))
    shown = cloud.wait_for_server(server_id, 'SHUTOFF')
    assert shown['OS-EXT-STS:power_state'] == states.power.NOSTATE
    actions = cloud.api.get('/v2.1/servers/%s/os-instance-actions'
                            % server_id).body['instanceActions']
    assert actions[0]['action'] == 'stop'
    assert cloud.api.post('/v2.1/servers/%s/action' % server_id,
                          {'os-start': None}).status == 202
    shown = cloud.wait_for_server(server_id, 'ACTIVE')
    assert shown['OS-EXT-STS:power_state'] == states.power.RUNNING
    assert server_id in cloud.compute('compute1').driver.guests


def test_persisted_fake_guests_survive_a_restart(cloud, tmp_path):
    cloud.conf.set_override('state_path', str(tmp_path))
    cloud.conf.set_override('persist_guests', True, group='fake_driver')
    try:
        driver = fake.FakeDriver(cloud.conf)
        restart_compute(cloud, driver=driver)
        server_id = _boot(cloud)
        cloud.api.post('/v2.1/servers/%s/action' % server_id,
                       {'pause': None})
        cloud.wait_for_server(server_id, 'PAUSED')
        restart_compute(cloud, driver=fake.FakeDriver(cloud.conf))
        assert cloud.compute('compute1').driver.guests[server_id] == \
            states.power.PAUSED
        assert cloud.wait_for_server(server_id, 'PAUSED')[
            'OS-EXT-STS:power_state'] == states.power.PAUSED
    finally:
        cloud.conf.clear_override('state_path')
        cloud.conf.clear_override('persist_guests', group='fake_driver')
