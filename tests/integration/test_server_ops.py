"""Every lifecycle command of the unmodified openstack client, each
followed by a status check, against stack.sh's deployment."""

import json
import time

import pytest

# One deployment is enough: the database backends are covered elsewhere.
pytestmark = pytest.mark.parametrize('deployment', ['sqlite'],
                                     indirect=True, scope='module')


def _wait(deployment, server_id, status, timeout=60):
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = deployment.server(server_id)
        if shown['status'] == status and \
                shown.get('OS-EXT-STS:task_state') is None:
            return shown
        time.sleep(0.5)
    pytest.fail('%s did not reach %s: %s' % (server_id, status, shown and
                                            shown['status']))


def test_lifecycle_commands(deployment):
    deployment.openstack('server', 'create', '--image',
                         deployment.image_name, '--flavor', 'm1.tiny',
                         '--wait', 'vm1')
    server_id = deployment.openstack_json('server', 'show', 'vm1')['id']
    steps = [
        (('server', 'stop', 'vm1'), 'SHUTOFF'),
        (('server', 'start', 'vm1'), 'ACTIVE'),
        (('server', 'reboot', 'vm1'), 'ACTIVE'),
        (('server', 'reboot', '--hard', 'vm1'), 'ACTIVE'),
        (('server', 'pause', 'vm1'), 'PAUSED'),
        (('server', 'unpause', 'vm1'), 'ACTIVE'),
        (('server', 'suspend', 'vm1'), 'SUSPENDED'),
        (('server', 'resume', 'vm1'), 'ACTIVE'),
        (('server', 'rescue', 'vm1'), 'RESCUE'),
        (('server', 'unrescue', 'vm1'), 'ACTIVE'),
        (('server', 'rebuild', '--image', deployment.image_name, 'vm1'),
         'ACTIVE'),
        (('server', 'shelve', 'vm1'), 'SHELVED_OFFLOADED'),
        (('server', 'unshelve', 'vm1'), 'ACTIVE'),
        (('server', 'lock', 'vm1'), 'ACTIVE'),
        (('server', 'unlock', 'vm1'), 'ACTIVE'),
        (('server', 'resize', '--flavor', 'm1.small', 'vm1'),
         'VERIFY_RESIZE'),
        (('server', 'resize', 'confirm', 'vm1'), 'ACTIVE'),
        # Only the project's manager or an admin migrates (upstream's
        # policy): the admin cloud, by id (vm1 is not in its project).
        (('server', 'migrate', server_id), 'VERIFY_RESIZE'),
        (('server', 'resize', 'revert', 'vm1'), 'ACTIVE'),
    ]
    for command, status in steps:
        cloud = 'devstack-admin' if 'migrate' in command else 'devstack'
        deployment.openstack(*command, cloud=cloud)
        _wait(deployment, server_id, status)

    deployment.openstack('server', 'image', 'create', '--name', 'snap1',
                         '--wait', 'vm1')
    image = deployment.openstack_json('image', 'show', 'snap1')
    assert image['status'] == 'active'
    _wait(deployment, server_id, 'ACTIVE')

    console = deployment.openstack('console', 'log', 'show', '--lines', '3',
                                   'vm1').stdout
    assert 'fake console line' in console

    events = deployment.openstack_json('server', 'event', 'list', 'vm1')
    actions = [e['Action'] for e in events]
    for expected in ('create', 'stop', 'start', 'reboot', 'pause',
                     'unpause', 'suspend', 'resume', 'rescue', 'unrescue',
                     'rebuild', 'shelve', 'unshelve', 'lock', 'unlock',
                     'resize', 'confirmResize', 'migrate', 'revertResize',
                     'createImage'):
        assert expected in actions, (expected, actions)
    # Each action's request id leads to its lines in n-api.log and the
    # log of the compute that did it (n-cpu.log or n-cpu-2.log).
    stop = [e for e in events if e['Action'] == 'stop'][0]
    request_id = stop['Request ID']
    assert request_id in deployment.log('n-api')
    cpu_log = deployment.log('n-cpu') + deployment.log('n-cpu-2')
    cpu_lines = [line for line in cpu_log.splitlines()
                 if request_id in line]
    assert any('compute_stop_instance' in line for line in cpu_lines)
    shown = deployment.openstack_json('server', 'event', 'show', 'vm1',
                                      request_id)
    assert json.dumps(shown).count('compute_stop_instance') >= 1

    deployment.openstack('server', 'delete', '--wait', 'vm1')
    deployment.openstack('image', 'delete', 'snap1')
