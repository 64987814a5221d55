"""Services killed in the middle of an operation; nothing stays stuck.

A kill is an exception no handler catches (Killed is a BaseException):
the step stops where it is, nothing after it runs, as when the process
dies.  The service is then restarted, or left down, and the conductor's
reaper run; each test checks the final state, the fault, the action's
Error event, the migration and the allocations (os-hypervisors).
"""

import datetime
import time

import pytest

from nova.compute import events as compute_events
from nova.compute import manager as compute_manager
from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import build as conductor_build
from nova.conductor import reaper
from nova.conductor import rpcapi as conductor_rpcapi
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves
from nova.db import services as db_services
from nova.db import utils as db_utils
from nova import service as nova_service
from tests.functional import fixtures
from tests.functional import test_compute_recovery

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'none'}
TIMEOUT = 2


class Killed(BaseException):
    """The process died here."""


def killed(*args, **kwargs):
    raise Killed()


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'), overrides={
        'report_interval': 50, 'conductor.reap_interval': 0,
        'conductor.stuck_task_timeout': TIMEOUT}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def admin(cloud):
    return cloud.api.as_user('admin:admin', version='2.51')


def _boot(cloud, admin):
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    return server_id


def _act(admin, server_id, body):
    return admin.post('/v2.1/servers/%s/action' % server_id, body)


def _server(admin, server_id):
    return admin.get('/v2.1/servers/' + server_id).body['server']


def _usage(admin):
    """{host: (vcpus_used, memory_mb_used)} as os-hypervisors shows it."""
    return {h['service']['host']: (h['vcpus_used'], h['memory_mb_used'])
            for h in admin.get('/v2.1/os-hypervisors/detail').body[
                'hypervisors']}


def _reap(cloud):
    """A reaper pass once the stuck timeout has passed."""
    later = db_utils.utcnow() + datetime.timedelta(seconds=TIMEOUT + 1)
    return reaper.reap(cloud.conf, 'reaper-test', now=later)


def _events(admin, server_id, action):
    actions = admin.get('/v2.1/servers/%s/os-instance-actions'
                        % server_id).body['instanceActions']
    (mine,) = [a for a in actions if a['action'] == action]
    shown = admin.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, mine['request_id'])).body['instanceAction']
    return shown['message'], {e['event']: e['result']
                              for e in shown['events']}


def _fault(server_id):
    # The API shows a fault in ERROR only (as upstream); it is recorded
    # whatever the server's state.
    return db_instances.instance_get(server_id)['fault']['message']


def _service(cloud, binary, host=None):
    return [s for s in cloud.services if s.binary == binary and
            (host is None or s.host == host)][0]


def _wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out')
        time.sleep(0.05)


def _start_again(cloud, old):
    """A nova-compute for the host of old (stopped), its hypervisor
    (the same fake driver) as old left it."""
    manager = compute_manager.ComputeManager(cloud.conf, old.host,
                                             driver=old.manager.driver)
    manager._image_api = cloud.images
    service = nova_service.Service(cloud.conf, 'nova-compute',
                                   host=old.host, manager=manager)
    service.start()
    cloud.services.append(service)
    return manager


def _set_down(cloud, host, down):
    (service,) = db_services.service_get_all(host=host,
                                             binary='nova-compute')
    db_services.service_update(service['id'], {'forced_down': down})


def _cleanup(cloud, admin, server_id):
    assert admin.delete('/v2.1/servers/' + server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED', api=admin)
    assert _usage(admin) == {'compute1': (0, 0), 'compute2': (0, 0)}


# (1) nova-conductor killed while it held a build message.

def test_conductor_killed_while_scheduling(cloud, admin, monkeypatch):
    # It dies after claiming a host, before recording it.
    monkeypatch.setattr(conductor_build.BuildFlow, '_build_on', killed)
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    _wait(lambda: db_compute_nodes.allocations_get(server_id))
    monkeypatch.undo()
    old = _service(cloud, 'nova-conductor')
    cloud.stop_service(old)
    new = cloud.start_service('nova-conductor', old.host)
    cloud.services.remove(new)
    cloud.services.insert(0, new)  # stopped last, as the first one
    shown = _server(admin, server_id)
    assert (shown['status'], shown['OS-EXT-STS:task_state']) == (
        'BUILD', 'scheduling')
    assert sum(v for v, _ in _usage(admin).values()) == 1
    assert _reap(cloud) == 1
    shown = cloud.wait_for_server(server_id, 'ERROR', api=admin)
    assert 'nova-conductor stopped while scheduling' in \
        shown['fault']['message']
    assert shown['OS-EXT-SRV-ATTR:host'] is None
    assert _events(admin, server_id, 'create') == (
        'Error', {'conductor_schedule_and_build_instances': 'Error'})
    assert _usage(admin) == {'compute1': (0, 0), 'compute2': (0, 0)}
    assert _reap(cloud) == 0
    _cleanup(cloud, admin, server_id)


# (2) nova-api killed after accepting a request, before sending it on.

def test_api_killed_before_casting_a_resize(cloud, admin, monkeypatch):
    server_id = _boot(cloud, admin)
    source = _server(admin, server_id)['OS-EXT-SRV-ATTR:host']
    monkeypatch.setattr(conductor_rpcapi.ConductorAPI, 'migrate_server',
                        killed)
    with pytest.raises(Killed):
        _act(admin, server_id, {'resize': {'flavorRef': '2'}})
    monkeypatch.undo()
    shown = _server(admin, server_id)
    assert (shown['status'], shown['OS-EXT-STS:task_state']) == (
        'RESIZE', 'resize_prep')
    # Its compute is up: the step is the conductor's, which never takes
    # this long.
    assert _reap(cloud) == 1
    shown = cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    assert shown['flavor']['original_name'] == 'm1.tiny'
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert 'task_state resize_prep did not move' in _fault(server_id)
    assert _events(admin, server_id, 'resize') == (
        'Error', {reaper.EVENT: 'Error'})
    assert moves.migrations_get_all(instance_uuid=server_id) == []
    usage = _usage(admin)
    assert usage[source] == (1, 512) and sum(
        v for v, _ in usage.values()) == 1
    _cleanup(cloud, admin, server_id)


def test_api_killed_before_casting_a_stop(cloud, admin, monkeypatch):
    server_id = _boot(cloud, admin)
    monkeypatch.setattr(compute_rpcapi.ComputeAPI, 'stop_instance', killed)
    with pytest.raises(Killed):
        _act(admin, server_id, {'os-stop': None})
    monkeypatch.undo()
    assert _server(admin, server_id)['OS-EXT-STS:task_state'] == \
        'powering-off'
    assert _reap(cloud) == 1
    shown = cloud.wait_for_server(server_id, 'ACTIVE', api=admin)
    assert shown['OS-EXT-STS:power_state'] == 1
    assert 'not sent on' in _fault(server_id)
    assert _events(admin, server_id, 'stop') == (
        'Error', {reaper.EVENT: 'Error'})
    # The server works: the stop can be asked again.
    assert _act(admin, server_id, {'os-stop': None}).status == 202
    cloud.wait_for_server(server_id, 'SHUTOFF', api=admin)
    _cleanup(cloud, admin, server_id)


def test_a_task_its_live_compute_is_working_on_is_left(cloud, admin):
    server_id = _boot(cloud, admin)
    host = _server(admin, server_id)['OS-EXT-SRV-ATTR:host']
    driver = cloud.compute(host).driver
    driver.delays['power_off'] = TIMEOUT + 2
    try:
        _act(admin, server_id, {'os-stop': None})
        _wait(lambda: _server(admin, server_id)[
            'OS-EXT-STS:task_state'] == 'powering-off')
        time.sleep(0.5)
        assert _reap(cloud) == 0
    finally:
        driver.delays.pop('power_off')
    cloud.wait_for_server(server_id, 'SHUTOFF', api=admin)
    _cleanup(cloud, admin, server_id)


# (3) nova-compute killed during a resize.

def _kill_mid_move(cloud, admin, monkeypatch, where='driver'):
    """A server whose source compute died in the middle of its resize;
    (server id, source, destination)."""
    server_id = _boot(cloud, admin)
    source = _server(admin, server_id)['OS-EXT-SRV-ATTR:host']
    dest = ({'compute1', 'compute2'} - {source}).pop()
    if where == 'driver':
        # Powering the guest off: resize_migrating.
        monkeypatch.setattr(cloud.compute(source).driver,
                            'migrate_disk_and_power_off', killed)
        task = 'resize_migrating'
    else:
        # Took the move (migration 'migrating'), before its first step.
        step = compute_events.step

        def step_or_die(manager, context, uuid, expected, values):
            if expected == 'resize_prep':
                raise Killed()
            return step(manager, context, uuid, expected, values)
        monkeypatch.setattr(compute_events, 'step', step_or_die)
        task = 'resize_prep'
    _act(admin, server_id, {'resize': {'flavorRef': '2'}})
    _wait(lambda: [m['status'] for m in moves.migrations_get_all(
        instance_uuid=server_id)] == ['migrating'] and _server(
        admin, server_id)['OS-EXT-STS:task_state'] == task)
    time.sleep(0.2)
    monkeypatch.undo()
    # Both hosts held: the source by the migration, the destination by
    # the instance.
    assert _usage(admin) == {source: (1, 512), dest: (1, 2048)}
    return server_id, source, dest


@pytest.mark.parametrize('where,vm_status', [
    ('driver', 'ACTIVE'), ('first_step', 'ACTIVE')])
def test_compute_killed_during_a_resize_ends_it_on_restart(
        cloud, admin, monkeypatch, where, vm_status):
    server_id, source, dest = _kill_mid_move(cloud, admin, monkeypatch,
                                             where)
    test_compute_recovery.restart_compute(cloud, source)
    shown = cloud.wait_for_server(server_id, vm_status, api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert shown['flavor']['original_name'] == 'm1.tiny'
    assert 'restarted during the resize' in _fault(server_id)
    message, events = _events(admin, server_id, 'resize')
    assert message == 'Error'
    assert events['compute_resize_instance'] == 'Error'
    assert events['conductor_migrate_server'] == 'Success'
    (migration,) = moves.migrations_get_all(instance_uuid=server_id)
    assert migration['status'] == 'error'
    assert _usage(admin) == {source: (1, 512), dest: (0, 0)}
    assert cloud.compute(source).driver.guests[server_id] == 1
    assert _reap(cloud) == 0
    _cleanup(cloud, admin, server_id)


def test_compute_killed_during_a_resize_and_left_down_is_reaped(
        cloud, admin, monkeypatch):
    server_id, source, dest = _kill_mid_move(cloud, admin, monkeypatch)
    old = _service(cloud, 'nova-compute', source)
    cloud.stop_service(old)
    _set_down(cloud, source, True)
    try:
        assert _reap(cloud) == 1
        shown = _server(admin, server_id)
        # The guest may be half moved: ERROR, back on the source.
        assert (shown['status'], shown['OS-EXT-STS:task_state']) == (
            'ERROR', None)
        assert shown['OS-EXT-SRV-ATTR:host'] == source
        assert 'is migrating while the compute service of %s is down' % (
            source) in shown['fault']['message']
        message, events = _events(admin, server_id, 'resize')
        assert (message, events['compute_resize_instance']) == (
            'Error', 'Error')
        (migration,) = moves.migrations_get_all(instance_uuid=server_id)
        assert migration['status'] == 'error'
        assert _usage(admin) == {source: (1, 512), dest: (0, 0)}
        assert _reap(cloud) == 0
    finally:
        _set_down(cloud, source, False)
    # Back up, its recovery leaves what the reaper ended alone.
    _start_again(cloud, old)
    assert _server(admin, server_id)['status'] == 'ERROR'
    assert _usage(admin) == {source: (1, 512), dest: (0, 0)}
    _cleanup(cloud, admin, server_id)


def test_destination_killed_finishing_a_resize_ends_it_on_restart(
        cloud, admin, monkeypatch):
    server_id = _boot(cloud, admin)
    source = _server(admin, server_id)['OS-EXT-SRV-ATTR:host']
    dest = ({'compute1', 'compute2'} - {source}).pop()
    monkeypatch.setattr(cloud.compute(dest).driver, 'finish_migration',
                        killed)
    _act(admin, server_id, {'resize': {'flavorRef': '2'}})
    _wait(lambda: _server(admin, server_id)[
        'OS-EXT-STS:task_state'] == 'resize_finish')
    time.sleep(0.2)
    monkeypatch.undo()
    test_compute_recovery.restart_compute(cloud, dest)
    shown = cloud.wait_for_server(server_id, 'ERROR', api=admin)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert shown['flavor']['original_name'] == 'm1.tiny'
    assert 'restarted during the resize' in shown['fault']['message']
    assert _events(admin, server_id, 'resize')[1][
        'compute_finish_resize'] == 'Error'
    (migration,) = moves.migrations_get_all(instance_uuid=server_id)
    assert migration['status'] == 'error'
    assert _usage(admin) == {source: (1, 512), dest: (0, 0)}
    assert server_id not in cloud.compute(dest).driver.guests
    _cleanup(cloud, admin, server_id)


# (11) Deleting a server while it moves.

@pytest.mark.parametrize('body', [None, {'forceDelete': None}])
def test_deleting_a_moving_server_frees_both_hosts(cloud, admin, body):
    server_id = _boot(cloud, admin)
    source = _server(admin, server_id)['OS-EXT-SRV-ATTR:host']
    driver = cloud.compute(source).driver
    driver.delays['migrate_disk_and_power_off'] = 1.0
    try:
        _act(admin, server_id, {'migrate': None})
        _wait(lambda: _server(admin, server_id)[
            'OS-EXT-STS:task_state'] == 'resize_migrating')
        if body is None:
            assert admin.delete('/v2.1/servers/' + server_id).status == 204
        else:
            assert _act(admin, server_id, body).status == 202
        cloud.wait_for_server(server_id, 'DELETED', api=admin)
    finally:
        driver.delays.pop('migrate_disk_and_power_off')
    (migration,) = moves.migrations_get_all(instance_uuid=server_id)
    _wait(lambda: moves.migration_get(migration['uuid'])['status'] ==
          'error')
    # The destination's finish_resize, still on its way, finds the server
    # gone and gives nothing back to it.
    time.sleep(0.5)
    assert _usage(admin) == {'compute1': (0, 0), 'compute2': (0, 0)}
    assert _reap(cloud) == 0


def test_deleting_a_server_stuck_mid_move_on_a_dead_host(
        cloud, admin, monkeypatch):
    server_id, source, dest = _kill_mid_move(cloud, admin, monkeypatch)
    old = _service(cloud, 'nova-compute', source)
    cloud.stop_service(old)
    _set_down(cloud, source, True)
    try:
        # The source is down: the API deletes locally.
        assert _act(admin, server_id, {'forceDelete': None}).status == 202
        cloud.wait_for_server(server_id, 'DELETED', api=admin)
        (migration,) = moves.migrations_get_all(instance_uuid=server_id)
        assert migration['status'] == 'error'
        assert _usage(admin) == {'compute1': (0, 0), 'compute2': (0, 0)}
    finally:
        _set_down(cloud, source, False)
        _start_again(cloud, old)


def test_the_reaper_frees_claims_made_for_a_deleted_server(cloud, admin):
    server_id = _boot(cloud, admin)
    _cleanup(cloud, admin, server_id)
    # A flow that lost the race with the delete claims afterwards.
    node = db_compute_nodes.compute_node_get_all()[0]
    db_compute_nodes.allocation_claim(server_id, node['id'], 'p', 1, 512, 1)
    assert sum(v for v, _ in _usage(admin).values()) == 1
    _reap(cloud)
    assert _usage(admin) == {'compute1': (0, 0), 'compute2': (0, 0)}


def test_the_periodic_reaper_runs_in_the_conductor(cloud, admin,
                                                   monkeypatch):
    cloud.conf.set_override('reap_interval', 1, group='conductor')
    old = _service(cloud, 'nova-conductor')
    monkeypatch.setattr(conductor_build.BuildFlow, '_build_on', killed)
    server_id = admin.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    _wait(lambda: db_compute_nodes.allocations_get(server_id))
    monkeypatch.undo()
    cloud.stop_service(old)
    new = cloud.start_service('nova-conductor', old.host)
    cloud.services.remove(new)
    cloud.services.insert(0, new)
    try:
        cloud.wait_for_server(server_id, 'ERROR', api=admin,
                              timeout=TIMEOUT + 10)
    finally:
        cloud.conf.set_override('reap_interval', 0, group='conductor')
    _cleanup(cloud, admin, server_id)
