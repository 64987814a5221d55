"""Soft delete ([DEFAULT] reclaim_instance_interval > 0): DELETE keeps the
server SOFT_DELETED and powered off; restore brings it back, forceDelete
and the compute's periodic reclaim delete it for real.

Contract: compute-api-facts.md sections 3.1 (delete, forceDelete,
restore), 3.2 (soft delete, restore rows) and 5 (_reclaim_queued_deletes).
"""

import datetime
import time

import pytest
from oslo_utils import timeutils

from nova.compute import states
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
INTERVAL = 3600


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={
        'report_interval': 50,
        'reclaim_instance_interval': INTERVAL}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo')


@pytest.fixture
def server(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    yield server_id
    cloud.api.post('/v2.1/servers/%s/action' % server_id,
                   {'forceDelete': None})


def _act(api, server_id, body, **kwargs):
    return api.post('/v2.1/servers/%s/action' % server_id, body, **kwargs)


def _events(cloud, server_id, resp, timeout=10):
    request_id = resp.headers['x-openstack-request-id']
    deadline = time.monotonic() + timeout
    while True:
        action = cloud.api.get(
            '/v2.1/servers/%s/os-instance-actions/%s' % (server_id,
                                                         request_id)
        ).body['instanceAction']
        events = action.get('events') or []
        if events and all(e['finish_time'] for e in events):
            return action['action'], [(e['event'], e['result'])
                                      for e in events]
        assert time.monotonic() < deadline, action
        time.sleep(0.05)


def _soft_delete(cloud, demo, server_id):
    resp = demo.delete('/v2.1/servers/' + server_id)
    assert resp.status == 204, resp
    shown = cloud.wait_for_server(server_id, 'SOFT_DELETED', api=demo)
    return resp, shown


def test_delete_is_a_soft_delete(cloud, demo, server):
    resp, shown = _soft_delete(cloud, demo, server)
    assert shown['OS-EXT-STS:vm_state'] == 'soft-delete'
    assert shown['OS-EXT-STS:power_state'] == states.power.SHUTDOWN
    assert _events(cloud, server, resp) == (
        'delete', [('compute_soft_delete_instance', 'Success')])
    # The guest is kept, off; the resources are still held.
    driver = cloud.compute('compute1').driver
    assert driver.guests[server] == states.power.SHUTDOWN
    assert db_compute_nodes.allocations_get(server) != []
    # Listed, with its status.
    listed = demo.get('/v2.1/servers/detail?status=SOFT_DELETED').body[
        'servers']
    assert server in {s['id'] for s in listed}
    # A second DELETE is fine.
    assert demo.delete('/v2.1/servers/' + server).status == 204
    cloud.wait_for_server(server, 'SOFT_DELETED', api=demo)


def test_restore_brings_it_back(cloud, demo, server):
    _soft_delete(cloud, demo, server)
    resp = _act(demo, server, {'restore': None})
    assert resp.status == 202, resp
    assert resp.text == ''
    shown = cloud.wait_for_server(server, 'ACTIVE', api=demo)
    assert shown['OS-EXT-STS:power_state'] == states.power.RUNNING
    assert _events(cloud, server, resp) == (
        'restore', [('compute_restore_instance', 'Success')])
    assert cloud.compute('compute1').driver.guests[server] == \
        states.power.RUNNING
    assert db_instances.instance_get(server)['deleted_at'] is None


def test_restore_only_a_soft_deleted_server(cloud, demo, server):
    resp = _act(demo, server, {'restore': None})
    assert resp.status == 409, resp
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot 'restore' instance %s while it is in vm_state active"
        % server)


def test_restore_policy(cloud, demo, server):
    _soft_delete(cloud, demo, server)
    other = cloud.api.as_user('other:other')
    assert _act(other, server, {'restore': None}).status == 404
    # The admin restores anyone's.
    assert _act(cloud.api, server, {'restore': None}).status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=demo)


def test_restore_of_a_locked_server_is_409(cloud, demo, server):
    _soft_delete(cloud, demo, server)
    assert _act(cloud.api, server, {'lock': None}).status == 202
    resp = _act(demo, server, {'restore': None})
    assert resp.status == 409
    assert _act(cloud.api, server, {'unlock': None}).status == 202


def test_force_delete_deletes_it(cloud, demo, server):
    _soft_delete(cloud, demo, server)
    resp = _act(demo, server, {'forceDelete': None})
    assert resp.status == 202, resp
    cloud.wait_for_server(server, 'DELETED', api=demo)
    assert db_compute_nodes.allocations_get(server) == []
    assert server not in cloud.compute('compute1').driver.guests


def test_reclaim_deletes_the_old_ones_only(cloud, demo):
    ids = []
    for _ in range(2):
        server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
            'server']['id']
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        _soft_delete(cloud, demo, server_id)
        ids.append(server_id)
    old, recent = ids
    db_instances.instance_update(old, {
        'deleted_at': timeutils.utcnow() - datetime.timedelta(
            seconds=INTERVAL + 5)})
    manager = cloud.compute('compute1')
    assert manager.reclaim_queued_deletes() == 1
    cloud.wait_for_server(old, 'DELETED', api=demo)
    assert db_compute_nodes.allocations_get(old) == []
    assert old not in manager.driver.guests
    assert demo.get('/v2.1/servers/' + recent).body['server'][
        'status'] == 'SOFT_DELETED'
    assert db_compute_nodes.allocations_get(recent) != []
    assert manager.reclaim_queued_deletes() == 0
    assert _act(demo, recent, {'forceDelete': None}).status == 202
    cloud.wait_for_server(recent, 'DELETED', api=demo)


def test_reclaim_leaves_a_server_being_restored(cloud, demo, server):
    _soft_delete(cloud, demo, server)
    db_instances.instance_update(server, {
        'task_state': states.task.RESTORING,
        'deleted_at': timeutils.utcnow() - datetime.timedelta(
            seconds=INTERVAL + 5)})
    assert cloud.compute('compute1').reclaim_queued_deletes() == 0
    db_instances.instance_update(server, {'task_state': None})


def test_a_server_never_launched_is_deleted_at_once(cloud, demo, server):
    db_instances.instance_update(server, {'launched_at': None})
    assert demo.delete('/v2.1/servers/' + server).status == 204
    cloud.wait_for_server(server, 'DELETED', api=demo)


def test_soft_delete_of_a_server_on_a_down_host_is_local(cloud, demo,
                                                        server):
    db_instances.instance_update(server, {'host': 'gone-host'})
    assert demo.delete('/v2.1/servers/' + server).status == 204
    shown = demo.get('/v2.1/servers/' + server).body['server']
    assert shown['status'] == 'SOFT_DELETED'
    assert shown['OS-EXT-STS:task_state'] is None
    db_instances.instance_update(server, {'host': 'compute1'})
