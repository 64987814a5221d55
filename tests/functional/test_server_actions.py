"""Power and lock actions, the 409 matrix from the transitions table."""

import pytest

from nova.compute import states
from nova.compute import transitions
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo', version='2.73')


@pytest.fixture
def server(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _act(api, server_id, body):
    return api.post('/v2.1/servers/%s/action' % server_id, body)


@pytest.mark.parametrize('body,status,power,event', [
    ({'os-stop': None}, 'SHUTOFF', states.power.SHUTDOWN, 'stop'),
    ({'pause': None}, 'PAUSED', states.power.PAUSED, 'pause'),
    ({'suspend': None}, 'SUSPENDED', states.power.SUSPENDED, 'suspend'),
    ({'reboot': {'type': 'SOFT'}}, 'ACTIVE', states.power.RUNNING, 'reboot'),
    ({'reboot': {'type': 'hard'}}, 'ACTIVE', states.power.RUNNING, 'reboot'),
])
def test_action_reaches_its_state(cloud, demo, server, body, status, power,
                                  event):
    resp = _act(demo, server, body)
    assert resp.status == 202, resp
    request_id = resp.headers['x-openstack-request-id']
    shown = cloud.wait_for_server(server, status, api=demo)
    assert shown['OS-EXT-STS:power_state'] == power
    action = demo.get('/v2.1/servers/%s/os-instance-actions/%s'
                      % (server, request_id)).body['instanceAction']
    assert action['action'] == list(body)[0].replace('os-', '')
    assert [(e['event'], e['result']) for e in action['events']] == [
        ('compute_%s_instance' % event, 'Success')]


def test_undo_actions(cloud, demo, server):
    for do, undo, status in (('os-stop', 'os-start', 'SHUTOFF'),
                             ('pause', 'unpause', 'PAUSED'),
                             ('suspend', 'resume', 'SUSPENDED')):
        assert _act(demo, server, {do: None}).status == 202
        cloud.wait_for_server(server, status, api=demo)
        assert _act(demo, server, {undo: None}).status == 202
        shown = cloud.wait_for_server(server, 'ACTIVE', api=demo)
        assert shown['OS-EXT-STS:power_state'] == states.power.RUNNING


def test_rescue_returns_a_password_and_unrescue_returns(cloud, demo,
                                                        server):
    resp = _act(demo, server, {'rescue': None})
    assert resp.status == 200 and len(resp.body['adminPass']) == 12
    cloud.wait_for_server(server, 'RESCUE', api=demo)
    resp = _act(demo, server, {'rescue': {'adminPass': 'secret123'}})
    assert resp.status == 409
    assert _act(demo, server, {'unrescue': None}).status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=demo)


def test_wrong_state_is_409_naming_action_and_state(cloud, demo, server):
    resp = _act(demo, server, {'os-start': None})
    assert resp.status == 409
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot 'start' instance %s while it is in vm_state active"
        % server)
    resp = _act(demo, server, {'unpause': None})
    assert resp.status == 409 and 'vm_state active' in resp.text


@pytest.mark.parametrize('operation', sorted(
    op for op, row in transitions.TRANSITIONS.items()
    if row.vm_states and states.STOPPED not in row.vm_states and
    op in ('pause', 'suspend', 'unpause', 'resume', 'unrescue', 'reboot')))
def test_stopped_server_refuses(cloud, demo, server, operation):
    _act(demo, server, {'os-stop': None})
    cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    body = {'reboot': {'type': 'SOFT'}} if operation == 'reboot' else \
        {operation: None}
    resp = _act(demo, server, body)
    assert resp.status == 409
    assert "while it is in vm_state stopped" in resp.text


def test_lock_refuses_the_owner_but_not_an_admin(cloud, demo, server):
    assert _act(demo, server, {'lock': {'locked_reason': 'audit'}}).status \
        == 202
    shown = demo.get('/v2.1/servers/' + server).body['server']
    assert shown['locked'] is True and shown['locked_reason'] == 'audit'
    resp = _act(demo, server, {'os-stop': None})
    assert resp.status == 409
    assert resp.body['conflictingRequest']['message'] == \
        'Instance %s is locked' % server
    assert demo.delete('/v2.1/servers/' + server).status == 409
    assert _act(cloud.api, server, {'os-stop': None}).status == 202
    cloud.wait_for_server(server, 'SHUTOFF')
    assert _act(demo, server, {'unlock': None}).status == 202
    shown = demo.get('/v2.1/servers/' + server).body['server']
    assert shown['locked'] is False and shown['locked_reason'] is None


def test_admin_lock_needs_admin_to_unlock(cloud, demo, server):
    assert _act(cloud.api, server, {'lock': None}).status == 202
    resp = _act(demo, server, {'unlock': None})
    assert resp.status == 403
    assert _act(cloud.api, server, {'unlock': None}).status == 202


def test_console_output(cloud, demo, server):
    resp = _act(demo, server, {'os-getConsoleOutput': {'length': 3}})
    assert resp.status == 200
    # As upstream, the last `length` pieces of output.split('\n'): the
    # trailing newline counts as one.
    assert resp.body['output'] == ''.join(
        'fake console line %d of %s\n' % (i, server) for i in (9, 10))
    full = _act(demo, server, {'os-getConsoleOutput': {}}).body['output']
    assert len(full.splitlines()) == 10


def test_bad_action_bodies(cloud, demo, server):
    assert _act(demo, server, {'reboot': {'type': 'SIDEWAYS'}}).status == 400
    # Actions without arguments take any value (upstream validates only
    # the key); test_bodyless_actions covers them.
    assert _act(demo, server, {'os-getConsoleOutput': None}).status == 400
    resp = _act(demo, server, {'fly': None})
    assert resp.status == 400 and 'There is no such action: fly' in resp.text
    resp = demo.request('POST', '/v2.1/servers/%s/action' % server,
                        raw_body=b'{not json')
    assert resp.status == 400


def test_other_project_gets_404(cloud, server):
    other = cloud.api.as_user('other:other')
    resp = _act(other, server, {'os-stop': None})
    assert resp.status == 404
    assert 'could not be found' in resp.body['itemNotFound']['message']


def test_failed_operation_reverts_the_task_state(cloud, demo, server):
    driver = cloud.compute('compute1').driver
    driver.fail_operations = {'pause'}
    try:
        assert _act(demo, server, {'pause': None}).status == 202
        shown = cloud.wait_for_server(server, 'ACTIVE', api=demo)
        assert shown['OS-EXT-STS:task_state'] is None
    finally:
        driver.fail_operations = set()
