"""Fault injection with real processes: a short workload, one service
killed with SIGKILL while it runs, started again by stack.sh; 60 s after
its return nothing may be stuck, nothing lost, no allocation leaked, and
no request may have got a 500.

The fake driver is slowed down (each step takes a second or two) so the
kill lands in the middle of the work, and the conductor's reaper runs
every 2 s with a 15 s stuck-task timeout.
"""

import os
import signal
import threading
import time

import pytest

from tests.integration import conftest

# Where a server may rest: anything else (BUILD, a task state) is stuck.
SETTLED = {'ACTIVE', 'SHUTOFF', 'VERIFY_RESIZE', 'SHELVED_OFFLOADED',
           'SHELVED', 'ERROR'}
EXTRA_CONF = '\\n'.join([
    '[conductor]', 'reap_interval = 2', 'stuck_task_timeout = 15',
    '[fake_driver]',
    'operation_delays = spawn:1.5,power_off:1,'
    'migrate_disk_and_power_off:2,finish_migration:1,snapshot:1',
    '[quota]', 'instances = -1', 'cores = -1', 'ram = -1'])


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-faults')
    database = conftest.Database('sqlite', tmp_path)
    yield from conftest.stacked(conftest.Deployment(
        tmp_path, database, env={'NOVA_EXTRA_CONF': EXTRA_CONF}))


class Client:
    """REST calls as the admin, every status kept."""

    def __init__(self, deployment):
        self.deployment = deployment
        self.token = deployment.token()
        self.statuses = []
        self.lock = threading.Lock()

    def call(self, method, path, body=None, version='2.1'):
        try:
            status, _headers, parsed = self.deployment.api(
                method, path, self.token, body, version)
        except Exception as error:  # a reset connection: say so
            status, parsed = 'error', repr(error)
        with self.lock:
            self.statuses.append((status, method, path, parsed))
        return status, parsed

    def server(self, server_id):
        status, body = self.call('GET', '/servers/' + server_id)
        return body['server'] if status == 200 else None


def _create(client, name):
    status, body = client.call('POST', '/servers', {'server': {
        'name': name, 'imageRef': _image_id(client), 'flavorRef': '1'}})
    assert status == 202, body
    return body['server']['id']


def _image_id(client):
    images = client.deployment.openstack_json('image', 'list',
                                              cloud='devstack-admin')
    return [i['ID'] for i in images
            if i['Name'] == client.deployment.image_name][0]


def _wait_settled(client, server_ids, timeout):
    deadline = time.monotonic() + timeout
    servers = {}
    while time.monotonic() < deadline:
        servers = {i: client.server(i) for i in server_ids}
        if all(s is None or (s['status'] in SETTLED and
                             s['OS-EXT-STS:task_state'] is None)
               for s in servers.values()):
            return servers
        time.sleep(1)
    stuck = {i: (s['status'], s['OS-EXT-STS:task_state'])
             for i, s in servers.items() if s is not None}
    pytest.fail('still moving %ds after the restart: %s' % (timeout, stuck))


def _usage(client):
    status, body = client.call('GET', '/os-hypervisors/detail')
    assert status == 200, body
    return {h['hypervisor_hostname']: (h['vcpus_used'], h['memory_mb_used'])
            for h in body['hypervisors']}


def delete_all(client, server_ids, timeout=60):
    """Delete the servers and wait until each is gone."""
    for server_id in server_ids:
        client.call('DELETE', '/servers/' + server_id)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(
            client.server(i) is not None for i in server_ids):
        time.sleep(1)
    assert all(client.server(i) is None for i in server_ids)


def start_workload(client, ready, name):
    """A stop, a resize and a shelve of the three ready servers and the
    create of one named name, each request in a thread of its own
    (started; join them)."""
    work = [
        ('POST', '/servers/%s/action' % ready[0], {'os-stop': None}),
        ('POST', '/servers/%s/action' % ready[1],
         {'resize': {'flavorRef': '2'}}),
        ('POST', '/servers/%s/action' % ready[2], {'shelve': None}),
        ('POST', '/servers', {'server': {
            'name': name, 'imageRef': _image_id(client),
            'flavorRef': '1'}}),
    ]
    threads = [threading.Thread(target=client.call, args=item)
               for item in work]
    for thread in threads:
        thread.start()
    return threads


@pytest.mark.parametrize('victim', ['n-cond', 'n-cpu', 'n-sch', 'n-api'])
def test_a_killed_service_leaves_nothing_stuck_or_leaked(deployment,
                                                         victim):
    client = Client(deployment)
    empty = _usage(client)
    ready = [_create(client, '%s-%d' % (victim, n)) for n in range(3)]
    _wait_settled(client, ready, 60)
    # The kill after the workload was sent (the slowed driver is still at
    # work).
    threads = start_workload(client, ready, victim + '-new')
    time.sleep(0.7)
    os.kill(deployment.pid(victim), signal.SIGKILL)
    for thread in threads:
        thread.join(90)
    result = deployment.stack()  # starts what is not running
    assert result.returncode == 0, result.stderr[-2000:]
    created = [body['server']['id'] for status, method, path, body
               in client.statuses if method == 'POST' and path == '/servers'
               and status == 202]
    servers = _wait_settled(client, ready + created, 60 + 15)
    # Each operation completed or failed with a fault.
    for server in servers.values():
        if server is not None and server['status'] == 'ERROR':
            assert server.get('fault', {}).get('message'), server
    # No 500, ever (a 503 while the victim was down is fair).
    assert [s for s in client.statuses if s[0] == 500] == []
    # Nothing leaked: with every server gone, every host is as before.
    delete_all(client, ready + created)
    assert _usage(client) == empty
