"""Messages wait in durable queues through a restart of RabbitMQ.

nova with quorum queues ([oslo_messaging_rabbit] rabbit_quorum_queue,
off by default: nova.conf.messaging) and the mandatory flag (nova.rpc)
against a real broker: a cast to a service that is not
consuming survives ``rabbitmqctl stop_app; rabbitmqctl start_app`` and is
served when the service comes back; a cast no queue takes fails at once.

The broker is a RabbitMQ node of this test's own (its own name, ports and
data directory), in a virtual host of its own: restarting the machine's
broker would disturb everything else that uses it.  Skipped where
RabbitMQ's server is not installed or the test cannot start it.
"""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid

import oslo_messaging as messaging
import pytest

import nova.conf
from nova import config
from nova import context as nova_context
from nova import rpc

SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server'
CTL = '/usr/lib/rabbitmq/bin/rabbitmqctl'


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Broker:
    """A RabbitMQ node in a directory of its own."""

    def __init__(self, base):
        self.base = str(base)
        self.node = 'novait%s@localhost' % uuid.uuid4().hex[:8]
        self.port = _free_port()
        self.vhost = 'nova-durable-' + uuid.uuid4().hex[:8]
        with open(os.path.join(self.base, 'enabled_plugins'), 'w') as f:
            f.write('[].\n')
        with open(os.path.join(self.base, 'rabbitmq.conf'), 'w') as f:
            f.write('loopback_users = none\n')
        self.env = dict(
            os.environ, HOME=self.base, RABBITMQ_NODENAME=self.node,
            RABBITMQ_NODE_PORT=str(self.port),
            RABBITMQ_DIST_PORT=str(_free_port()),
            RABBITMQ_MNESIA_BASE=os.path.join(self.base, 'mnesia'),
            RABBITMQ_LOG_BASE=os.path.join(self.base, 'log'),
            RABBITMQ_PID_FILE=os.path.join(self.base, 'pid'),
            RABBITMQ_ENABLED_PLUGINS_FILE=os.path.join(self.base,
                                                       'enabled_plugins'),
            RABBITMQ_CONFIG_FILE=os.path.join(self.base, 'rabbitmq'))
        self.url = 'rabbit://guest:guest@127.0.0.1:%d/%s' % (self.port,
                                                              self.vhost)
        self.process = None

    def ctl(self, *args, timeout=120):
        return subprocess.run([CTL, '-n', self.node] + list(args),
                              env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def start(self):
        self.process = subprocess.Popen(
            [SERVER], env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        # "wait" waits for the pid file, then for the node to boot.
        result = self.ctl('wait', self.env['RABBITMQ_PID_FILE'],
                          '--timeout', '120', timeout=150)
        if result.returncode != 0:
            self.stop()
            pytest.skip('could not start a RabbitMQ node: %s'
                        % (result.stderr or result.stdout)[-500:])
        assert self.ctl('add_vhost', self.vhost).returncode == 0
        assert self.ctl('set_permissions', '-p', self.vhost, 'guest', '.*',
                        '.*', '.*').returncode == 0

    def restart_app(self):
        assert self.ctl('stop_app').returncode == 0
        assert self.ctl('start_app').returncode == 0

    def queues(self):
        result = self.ctl('list_queues', '-q', '--no-table-headers', '-p',
                          self.vhost, 'name', 'type', 'durable', 'messages')
        return {line.split()[0]: line.split()[1:]
                for line in result.stdout.splitlines() if line.strip()}

    def wait_for_messages(self, queue, count, timeout=30):
        """The queue's message count is count within timeout (a quorum
        queue's figures are updated every few seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            row = self.queues().get(queue)
            if row and row[2] == str(count):
                return
            assert time.monotonic() < deadline, (queue, row)
            time.sleep(0.5)

    def stop(self):
        if self.process is None:
            return
        self.ctl('stop', timeout=60)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None


@pytest.fixture(scope='module')
def broker(tmp_path_factory):
    if not os.path.exists(SERVER) or shutil.which('epmd') is None:
        pytest.skip('RabbitMQ server is not installed')
    broker = Broker(tmp_path_factory.mktemp('rabbitmq'))
    broker.start()
    yield broker
    broker.stop()


class Endpoint:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.received = []
        self.event = threading.Event()

    def remember(self, context, value):
        self.received.append(value)
        self.event.set()

    def echo(self, context, value):
        return value


@pytest.fixture
def transport(broker):
    # The process's CONF, as nova's services use: oslo.messaging registers
    # some of its options (tracing, metrics) there only.
    conf = nova.conf.CONF
    # Its command line options first, as every nova process registers
    # them (they cannot be added once CONF is parsed: later tests in this
    # process would fail).
    config.register_log_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    # The rabbit driver registers its group when the transport is made.
    from oslo_messaging._drivers import impl_rabbit
    conf.register_opts(impl_rabbit.rabbit_opts,
                       group='oslo_messaging_rabbit')
    conf.set_override('rabbit_quorum_queue', True,
                      group='oslo_messaging_rabbit')
    transport = messaging.get_rpc_transport(conf, url=broker.url)
    yield transport
    transport.cleanup()
    conf.clear_override('rabbit_quorum_queue', group='oslo_messaging_rabbit')


def _client(transport, topic, timeout=20):
    return messaging.get_rpc_client(
        transport, messaging.Target(topic=topic, version='1.0'),
        timeout=timeout, serializer=rpc.RequestContextSerializer(),
        transport_options=rpc.MANDATORY)


def _server(transport, topic, endpoint):
    server = messaging.get_rpc_server(
        transport, messaging.Target(topic=topic, server='host1',
                                    version='1.0'),
        [endpoint], serializer=rpc.RequestContextSerializer())
    server.start()
    return server


def _stop(server):
    server.stop()
    server.wait()


def test_a_cast_waits_through_a_broker_restart(broker, transport):
    topic = 'conductor-' + uuid.uuid4().hex[:6]
    ctxt = nova_context.get_admin_context()
    # The service declares its queue, then stops (a restart of its own).
    _stop(_server(transport, topic, Endpoint()))
    assert broker.queues()[topic][:2] == ['quorum', 'true']
    _client(transport, topic).cast(ctxt, 'remember', value='create vm1')
    broker.wait_for_messages(topic, 1)
    broker.restart_app()
    # What a broker restart keeps: the queue and the message in it.
    broker.wait_for_messages(topic, 1)
    endpoint = Endpoint()
    server = _server(transport, topic, endpoint)
    try:
        assert endpoint.event.wait(60), 'the cast was lost'
        assert endpoint.received == ['create vm1']
    finally:
        _stop(server)


def test_services_come_back_after_a_broker_restart(broker, transport):
    # A running service and its callers reconnect; a cast sent as soon as
    # the broker is back is not lost even before the service's consumer
    # has come back.
    topic = 'compute-' + uuid.uuid4().hex[:6]
    ctxt = nova_context.get_admin_context()
    endpoint = Endpoint()
    server = _server(transport, topic, endpoint)
    try:
        client = _client(transport, topic)
        assert client.call(ctxt, 'echo', value='before') == 'before'
        broker.restart_app()
        deadline = time.monotonic() + 60
        while True:
            try:
                client.cast(ctxt, 'remember', value='right after')
                break
            except (messaging.MessageDeliveryFailure,
                    messaging.MessageUndeliverable):
                assert time.monotonic() < deadline
                time.sleep(0.5)
        assert endpoint.event.wait(60), 'the cast was lost'
        assert endpoint.received == ['right after']
        assert client.call(ctxt, 'echo', value='after') == 'after'
    finally:
        _stop(server)


def test_a_cast_no_queue_takes_fails_at_once(broker, transport):
    # The mandatory flag: a service that never ran here has no queue.
    start = time.monotonic()
    with pytest.raises(messaging.MessageUndeliverable):
        _client(transport, 'nobody-' + uuid.uuid4().hex[:6]).cast(
            nova_context.get_admin_context(), 'remember', value='lost')
    assert time.monotonic() - start < 10


def _nova_conf(tmp_path, broker, host):
    path = tmp_path / 'nova.conf'
    path.write_text('''[DEFAULT]
host = %(host)s
state_path = %(tmp)s
transport_url = %(url)s
control_exchange = nova-%(host)s
report_interval = 1
service_down_time = 4
compute_driver = fake.FakeDriver

[conductor]
workers = 1
reap_interval = 0

[database]
connection = sqlite:///%(tmp)s/nova.sqlite

[oslo_messaging_rabbit]
rabbit_quorum_queue = true
''' % {'host': host, 'tmp': tmp_path, 'url': broker.url})
    return str(path)


def _services_up(conf_file, host):
    """{binary: up} of host's services, as the API would tell."""
    script = '''
import sys
import nova.conf
from nova.db import services
from nova.db import session
from nova import servicegroup
conf = nova.conf.CONF
conf(['--config-file', sys.argv[1]], project='nova')
session.configure(conf)
for s in services.service_get_all(host=sys.argv[2]):
    print(s['binary'], servicegroup.service_is_up(s, conf.service_down_time))
'''
    result = subprocess.run([sys.executable, '-c', script, conf_file, host],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(line.split() for line in result.stdout.splitlines())


def test_nova_services_start_and_survive_a_broker_restart(broker, tmp_path):
    host = 'durable-' + uuid.uuid4().hex[:6]
    conf_file = _nova_conf(tmp_path, broker, host)
    bindir = os.path.dirname(sys.executable)
    subprocess.run([os.path.join(bindir, 'nova-manage'), '--config-file',
                    conf_file, 'db', 'sync'], check=True,
                   capture_output=True, timeout=120)
    processes = []
    try:
        for binary in ('nova-conductor', 'nova-scheduler', 'nova-compute'):
            log = open(tmp_path / (binary + '.log'), 'w')
            processes.append(subprocess.Popen(
                [os.path.join(bindir, binary), '--config-file', conf_file],
                stdout=log, stderr=subprocess.STDOUT))
        expected = {'nova-conductor': 'True', 'nova-scheduler': 'True',
                    'nova-compute': 'True'}
        _wait_until(lambda: _services_up(conf_file, host) == expected, 90)
        queues = broker.queues()
        for topic in ('conductor', 'scheduler', 'compute',
                      'compute.' + host):
            assert queues[topic][:2] == ['quorum', 'true'], (topic, queues)
        broker.restart_app()
        # Down while the broker was away (their heartbeats go through the
        # conductor), up again once all have reconnected.
        time.sleep(5)
        _wait_until(lambda: _services_up(conf_file, host) == expected, 90)
        assert all(p.poll() is None for p in processes)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until(predicate, timeout):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(1)
