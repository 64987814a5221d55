"""stack.sh with NOVA_RABBIT_CLUSTER=3 (devstack/rabbitmq.sh): three
RabbitMQ nodes of the deployment's own, clustered, nova's queues quorum
queues on every node, and a transport URL naming all three.  One node is
killed (SIGKILL of its Erlang VM) in the middle of a workload: nova's
services fail over to the other two, every operation completes, nothing
is stuck or leaked and no request gets a 500; stack.sh starts the node
again and it rejoins; unstack.sh stops all three.
"""

import json
import os
import signal
import socket
import subprocess
import time

import pytest

from tests.integration import conftest
from tests.integration import test_fault_injection as faults

CTL = '/usr/lib/rabbitmq/bin/rabbitmqctl'


def _free_base():
    """A base port with it and the next two free, and their Erlang
    distribution ports (+20000) too: the CLI's (+30000) stay below
    65536."""
    for _ in range(100):
        base = 30000 + int.from_bytes(os.urandom(2), 'big') % 5000
        ports = [base + n + extra for n in range(3) for extra in (0, 20000)]
        try:
            for port in ports:
                with socket.socket() as s:
                    s.bind(('127.0.0.1', port))
        except OSError:
            continue
        return base
    pytest.fail('no free ports for three RabbitMQ nodes')


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-rabbit-cluster')
    database = conftest.Database('sqlite', tmp_path)
    deploy = conftest.Deployment(tmp_path, database, env={
        'NOVA_EXTRA_CONF': faults.EXTRA_CONF, 'NOVA_COMPUTES': '1',
        'NOVA_RABBIT_CLUSTER': '3'})
    deploy.env.update(
        NOVA_RABBIT_CLUSTER_NAME='nr%s-' % deploy.host[3:],
        NOVA_RABBIT_CLUSTER_PORT=str(_free_base()),
        NOVA_RABBIT_CLUSTER_DIR=os.path.join(tmp_path, 'rabbitmq'))
    yield from conftest.stacked(deploy)


def _node(deployment, n):
    return '%s%d@localhost' % (deployment.env['NOVA_RABBIT_CLUSTER_NAME'], n)


def _ctl(deployment, n, *args):
    """rabbitmqctl against node n, as devstack/rabbitmq.sh calls it."""
    base = int(deployment.env['NOVA_RABBIT_CLUSTER_PORT'])
    env = dict(os.environ, HOME=deployment.env['NOVA_RABBIT_CLUSTER_DIR'],
               RABBITMQ_DIST_PORT=str(base + n - 1 + 20000))
    return subprocess.run([CTL, '-n', _node(deployment, n)] + list(args),
                          env=env, capture_output=True, text=True,
                          timeout=120)


def _running_nodes(deployment, n=1):
    result = _ctl(deployment, n, '-q', 'cluster_status', '--formatter',
                  'json')
    assert result.returncode == 0, result.stderr
    return sorted(json.loads(result.stdout)['running_nodes'])


def test_three_nodes_and_quorum_queues(deployment):
    nodes = [_node(deployment, n) for n in (1, 2, 3)]
    assert _running_nodes(deployment) == sorted(nodes)
    base = int(deployment.env['NOVA_RABBIT_CLUSTER_PORT'])
    assert ('broker:   RabbitMQ cluster of 3 nodes (%s ...) on '
            '127.0.0.1:%d-%d, quorum queues' % (nodes[0], base, base + 2)
            in deployment.stack().stdout)
    with open(os.path.join(deployment.env['NOVA_CONF_DIR'],
                           'nova.conf')) as f:
        conf = f.read()
    vhost = deployment.transport_url.rsplit('/', 1)[1]
    assert ('transport_url = rabbit://' + ','.join(
        'guest:guest@127.0.0.1:%d' % (base + n) for n in range(3)) + '/' +
        vhost) in conf
    result = _ctl(deployment, 1, '-q', 'list_queues', '-p', vhost,
                  '--no-table-headers', 'name', 'type', 'members')
    queues = {line.split(None, 2)[0]: line.split(None, 2)[1:]
              for line in result.stdout.splitlines() if line.strip()}
    for topic in ('conductor', 'scheduler', 'compute.' + deployment.host):
        kind, members = queues[topic]
        assert kind == 'quorum', queues
        assert all(node in members for node in nodes), members


def test_a_killed_node_loses_nothing(deployment):
    client = faults.Client(deployment)
    empty = faults._usage(client)
    ready = [faults._create(client, 'rc-%d' % n) for n in range(3)]
    faults._wait_settled(client, ready, 60)
    threads = faults.start_workload(client, ready, 'rc-new')
    time.sleep(0.7)
    # The first node of the URL, where the services connected first.
    with open(os.path.join(deployment.env['NOVA_RABBIT_CLUSTER_DIR'],
                           _node(deployment, 1) + '.pid')) as f:
        os.kill(int(f.read().strip()), signal.SIGKILL)
    for thread in threads:
        thread.join(90)
    # While it is down, new work goes through the other two.
    later = faults._create(client, 'rc-later')
    created = [body['server']['id'] for status, method, path, body
               in client.statuses if method == 'POST' and path == '/servers'
               and status == 202]
    servers = faults._wait_settled(client, ready + created, 75)
    assert later in servers
    assert all(s is not None and s['status'] != 'ERROR'
               for s in servers.values()), {
        i: (s['status'], s.get('fault')) for i, s in servers.items() if s}
    assert [s for s in client.statuses if s[0] in (500, 'error')] == []
    assert sorted(_running_nodes(deployment, 2)) == sorted(
        [_node(deployment, 2), _node(deployment, 3)])

    # stack.sh starts the node again, and it is the cluster's once more.
    result = deployment.stack()
    assert result.returncode == 0, result.stderr[-2000:]
    assert _running_nodes(deployment) == sorted(
        _node(deployment, n) for n in (1, 2, 3))
    faults.delete_all(client, ready + created)
    assert faults._usage(client) == empty


def test_unstack_stops_the_nodes(deployment):
    result = deployment.unstack()
    assert result.returncode == 0, result.stderr
    for n in (1, 2, 3):
        assert 'stopped RabbitMQ node %s' % _node(deployment, n) in \
            result.stdout
        assert _ctl(deployment, n, '-q', 'ping').returncode != 0
