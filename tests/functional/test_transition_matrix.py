"""The 409 matrix, generated from the transitions table: every action is
refused, naming itself and the state, from every vm_state it does not
start from."""

import pytest

from nova.compute import states
from nova.compute import transitions
from nova.db import instances as db_instances
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}

# API bodies and the method name their 409 message uses.
BODIES = {
    'stop': ({'os-stop': None}, 'stop'),
    'start': ({'os-start': None}, 'start'),
    'reboot': ({'reboot': {'type': 'SOFT'}}, 'reboot'),
    'reboot_hard': ({'reboot': {'type': 'HARD'}}, 'reboot'),
    'pause': ({'pause': None}, 'pause'),
    'unpause': ({'unpause': None}, 'unpause'),
    'suspend': ({'suspend': None}, 'suspend'),
    'resume': ({'resume': None}, 'resume'),
    'rescue': ({'rescue': None}, 'rescue'),
    'unrescue': ({'unrescue': None}, 'unrescue'),
    'createImage': ({'createImage': {'name': 'x'}}, 'createImage'),
    'rebuild': ({'rebuild': {'imageRef': fixtures.IMAGE_ID}}, 'rebuild'),
    'shelve': ({'shelve': None}, 'shelve'),
    'shelveOffload': ({'shelveOffload': None}, 'shelveOffload'),
    'unshelve': ({'unshelve': None}, 'unshelve'),
    'migrate': ({'migrate': None}, 'migrate'),
    'resize': ({'resize': {'flavorRef': '2'}}, 'resize'),
    'confirmResize': ({'confirmResize': None}, 'confirmResize'),
    'revertResize': ({'revertResize': None}, 'revertResize'),
    'createBackup': ({'createBackup': {'name': 'x', 'backup_type': 'daily',
                                       'rotation': 1}}, 'createBackup'),
    'restore': ({'restore': None}, 'restore'),
    'trigger_crash_dump': ({'trigger_crash_dump': None},
                           'trigger_crash_dump'),
    # The state is checked before the host (up here) is.
    'evacuate': ({'evacuate': {}}, 'evacuate'),
}
# The microversion an action needs (2.1 otherwise).
VERSIONS = {'trigger_crash_dump': '2.17', 'evacuate': '2.14'}
VM_STATES = (states.ACTIVE, states.STOPPED, states.PAUSED,
             states.SUSPENDED, states.RESCUED, states.RESIZED,
             states.ERROR, states.SHELVED, states.SHELVED_OFFLOADED,
             states.SOFT_DELETED)


def _refusals():
    for operation, (body, method) in sorted(BODIES.items()):
        row = transitions.TRANSITIONS[operation]
        for vm_state in VM_STATES:
            if row.vm_states is not None and vm_state not in row.vm_states:
                yield operation, vm_state


def test_every_api_operation_is_in_the_table():
    assert set(BODIES) <= set(transitions.TRANSITIONS)
    assert {'delete', 'forceDelete', 'lock', 'unlock',
            'os-getConsoleOutput'} <= set(transitions.TRANSITIONS)


@pytest.fixture(scope='module')
def server():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    server_id = cloud.api.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    yield cloud, server_id
    cloud.stop()


@pytest.mark.parametrize('operation,vm_state', list(_refusals()))
def test_refused_with_409(server, operation, vm_state):
    cloud, server_id = server
    db_instances.instance_update(server_id, {'vm_state': vm_state,
                                             'task_state': None})
    body, method = BODIES[operation]
    resp = cloud.api.post('/v2.1/servers/%s/action' % server_id, body,
                          version=VERSIONS.get(operation))
    assert resp.status == 409, (operation, vm_state, resp)
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot '%s' instance %s while it is in vm_state %s"
        % (method, server_id, vm_state))


@pytest.mark.parametrize('operation', sorted(
    op for op in BODIES
    if transitions.TRANSITIONS[op].task_states == (None,)))
def test_refused_while_a_task_runs(server, operation):
    cloud, server_id = server
    row = transitions.TRANSITIONS[operation]
    vm_state = row.vm_states[0] if row.vm_states else states.ACTIVE
    db_instances.instance_update(server_id, {
        'vm_state': vm_state, 'task_state': states.task.POWERING_OFF})
    body, method = BODIES[operation]
    resp = cloud.api.post('/v2.1/servers/%s/action' % server_id, body,
                          version=VERSIONS.get(operation))
    assert resp.status == 409, (operation, resp)
    assert resp.body['conflictingRequest']['message'] == (
        "Cannot '%s' instance %s while it is in task_state powering-off"
        % (method, server_id))
