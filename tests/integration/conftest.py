"""Real processes: devstack/stack.sh brings the services up over the real
RabbitMQ and a real database; tests drive them with the openstack client.

Each deployment gets its own directories, API port, host name and RabbitMQ
control exchange, so it never meets another deployment on this machine.
The MariaDB and PostgreSQL variants need those servers on 127.0.0.1; when
NOVA_TEST_REQUIRE_ALL_BACKENDS=1 (as in CI) a missing server is a failure,
otherwise the variant is reported as skipped.
"""

import json
import os
import socket
import subprocess
import sys
import time
import uuid

import pytest
import sqlalchemy as sa

TOP = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
STACK = os.path.join(TOP, 'devstack', 'stack.sh')
UNSTACK = os.path.join(TOP, 'devstack', 'unstack.sh')
BIN = os.path.dirname(sys.executable)

SERVER_URLS = {
    'mysql': os.environ.get('NOVA_TEST_MYSQL_URL',
                            'mysql+pymysql://root@127.0.0.1:3306'),
    'postgresql': os.environ.get('NOVA_TEST_POSTGRESQL_URL',
                                 'postgresql+psycopg2://postgres@127.0.0.1'
                                 ':5432'),
}


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Database:
    """A throw-away database on one backend."""

    def __init__(self, backend, tmp_path):
        self.backend = backend
        self.name = 'nova_it_' + uuid.uuid4().hex[:10]
        if backend == 'sqlite':
            self.url = 'sqlite:///%s/nova.sqlite' % tmp_path
            return
        server = SERVER_URLS[backend]
        admin_db = '/postgres' if backend == 'postgresql' else '/'
        self.admin_engine = sa.create_engine(server + admin_db,
                                             isolation_level='AUTOCOMMIT')
        try:
            with self.admin_engine.connect() as conn:
                conn.execute(sa.text('CREATE DATABASE %s' % self.name))
        except sa.exc.OperationalError as e:
            message = '%s is not reachable at %s: %s' % (
                backend, server, str(e.orig).splitlines()[0])
            if os.environ.get('NOVA_TEST_REQUIRE_ALL_BACKENDS') == '1':
                pytest.fail(message)
            pytest.skip(message)
        self.url = '%s/%s' % (server, self.name)

    def drop(self):
        if self.backend == 'sqlite':
            return
        with self.admin_engine.connect() as conn:
            # stack.sh made Keystone's, Glance's (and Neutron's) beside
            # nova's (devstack/keystone.sh, glance.sh, neutron.sh).
            for name in (self.name, self.name + '_keystone',
                         self.name + '_glance', self.name + '_neutron'):
                conn.execute(sa.text('DROP DATABASE IF EXISTS %s' % name))
        self.admin_engine.dispose()


def cache_dir():
    """Where the suite keeps what it builds once and reuses from run to
    run: the Keystone, Glance, Horizon and Neutron virtualenvs and the
    tiny-linux guest.  stack.sh rebuilds each when what goes into it
    changes (a marker of its specs, a stamp of the image's inputs) and
    locks it while it does, so concurrent workers and runs share it."""
    return (os.environ.get('NOVA_TEST_CACHE_DIR') or
            os.path.join(os.path.expanduser('~'), '.cache', 'nova-tests'))


def _glance_venv(tmp_path):
    return (os.environ.get('NOVA_TEST_GLANCE_VENV')
            or os.path.join(cache_dir(), 'glance-venv'))


def _keystone_venv(tmp_path):
    return (os.environ.get('NOVA_TEST_KEYSTONE_VENV')
            or os.path.join(cache_dir(), 'keystone-venv'))


def _horizon_venv(tmp_path):
    return (os.environ.get('NOVA_TEST_HORIZON_VENV')
            or os.path.join(cache_dir(), 'horizon-venv'))


def _image_cache_dir(tmp_path):
    return (os.environ.get('NOVA_TEST_IMAGE_CACHE_DIR')
            or os.path.join(cache_dir(), 'tiny-linux'))


def _libvirt_type():
    # kvm only where it really works: /dev/kvm and a CPU with vmx or svm
    # (this machine's PVM /dev/kvm does not boot stock kernels).
    try:
        with open('/proc/cpuinfo') as f:
            flags = set(f.read().split())
    except OSError:
        flags = set()
    if os.path.exists('/dev/kvm') and flags & {'vmx', 'svm'}:
        return 'kvm'
    return 'qemu'


class Deployment:

    def __init__(self, tmp_path, database, virt_driver='fake', env=None):
        assert virt_driver in ('fake', 'libvirt'), virt_driver
        self.tmp = tmp_path
        self.database = database
        self.virt_driver = virt_driver
        self.host = 'it-' + uuid.uuid4().hex[:8]
        self._tokens = {}  # (user, project) -> token, for the REST polls
        self.port = _free_port()
        self.logdir = os.path.join(tmp_path, 'logs')
        self.piddir = os.path.join(tmp_path, 'data', 'nova', 'pids')
        self.clouds_yaml = os.path.join(tmp_path, 'clouds.yaml')
        ports = {self.port}
        while len(ports) < 6:
            ports.add(_free_port())
        (self.glance_port, self.keystone_port, self.horizon_port,
         self.novnc_port, self.placement_port) = sorted(
             ports - {self.port})
        self.horizon_url = 'http://127.0.0.1:%d/' % self.horizon_port
        self.auth_url = 'http://127.0.0.1:%d/v3' % self.keystone_port
        self.glance_endpoint = 'http://127.0.0.1:%d' % self.glance_port
        self.image_name = 'cirros-test'  # stack.sh uploads it to Glance
        self.vhost = 'nova-' + self.host
        # A flat network of its own: parallel deployments on this machine
        # (and a developer's stack on br100 and 10.0.0.0/24) never share a
        # bridge or a subnet.  At most 12 characters (devstack/lib.sh); the
        # range is 10.X.Y.0/24 with X in 1..254, from the host's hex.
        hexa = self.host[3:]
        flat_bridge = 'nb' + hexa
        fixed_range = '10.%d.%d.0/24' % (1 + int(hexa[:2], 16) % 254,
                                         int(hexa[2:4], 16))
        self.transport_url = 'rabbit://guest:guest@127.0.0.1:5672/' + \
            self.vhost
        self.env = dict(
            os.environ,
            STACK_DIR=str(tmp_path), LOGDIR=self.logdir,
            NOVA_CONF_DIR=os.path.join(tmp_path, 'etc'),
            NOVA_VENV=sys.prefix, NOVA_API_PORT=str(self.port),
            NOVA_PLACEMENT_PORT=str(self.placement_port),
            NOVA_HOST=self.host, NOVA_CONTROL_EXCHANGE='nova-' + self.host,
            # Its own RabbitMQ vhost: queues are named after topics alone.
            NOVA_TRANSPORT_URL=self.transport_url,
            NOVA_DB_CONNECTION=database.url, NOVA_REPORT_INTERVAL='1',
            NOVA_SERVICE_DOWN_TIME='4', CLOUDS_YAML=self.clouds_yaml,
            NOVA_INSTALL_CLIENT='False',
            NOVA_VIRT_DRIVER='fake',
            # Domain names of its own: other deployments on this machine
            # (a developer's stack, a parallel run) share the libvirtd and
            # count instance ids from 1 too.
            NOVA_INSTANCE_NAME_TEMPLATE=self.host + '-%08x',
            NOVA_FLAT_BRIDGE=flat_bridge, NOVA_FIXED_RANGE=fixed_range,
            # A second compute host, for migrate and resize.
            NOVA_COMPUTES='2',
            PATH=BIN + os.pathsep + os.environ.get('PATH', ''),
            OS_CLIENT_CONFIG_FILE=self.clouds_yaml,
            GLANCE_PORT=str(self.glance_port),
            GLANCE_CONF_DIR=os.path.join(tmp_path, 'etc', 'glance'),
            GLANCE_TEST_IMAGE_NAME=self.image_name,
            GLANCE_VENV=_glance_venv(tmp_path),
            KEYSTONE_PORT=str(self.keystone_port),
            KEYSTONE_CONF_DIR=os.path.join(tmp_path, 'etc', 'keystone'),
            KEYSTONE_VENV=_keystone_venv(tmp_path),
            # Horizon only where a test asks for it (the browser test):
            # it costs a deployment a minute.
            NOVA_ENABLE_HORIZON='False',
            HORIZON_PORT=str(self.horizon_port),
            HORIZON_VENV=_horizon_venv(tmp_path),
            NOVA_NOVNC_PORT=str(self.novnc_port))
        if virt_driver == 'libvirt':
            # Real guests: the bootable tiny-linux image (kernel_id,
            # ramdisk_id), and the second compute on a libvirtd of its own.
            self.image_name = 'tiny-linux'
            self.env.update(
                NOVA_VIRT_DRIVER='libvirt',
                NOVA_LIBVIRT_TYPE=_libvirt_type(),
                NOVA_COMPUTES='2',
                NOVA_IMAGE_CACHE_DIR=_image_cache_dir(tmp_path),
                # Socket paths must stay short: not under pytest's tmp.
                NOVA_LIBVIRT_HOSTS_DIR='/tmp/nova-lv-' + self.host[3:],
                # The hosts' own bridge and addresses (devstack/hosts.sh),
                # apart from every other deployment's.
                NOVA_HOSTS_BRIDGE='nh' + hexa,
                NOVA_HOSTS_RANGE='192.168.%d.0/24' % int(hexa[:2], 16),
                NOVA_LIBVIRT_SHUTDOWN_TIMEOUT='20')
        self.env.update(env or {})
        self.flat_bridge = self.env['NOVA_FLAT_BRIDGE']
        self.fixed_range = self.env['NOVA_FIXED_RANGE']
        self.endpoint = 'http://127.0.0.1:%d/v2.1' % self.port

    def stack(self):
        # The first run of a session installs Keystone and Glance (the
        # other workers' runs wait for it); libvirt may build the test
        # image and probe QEMU on top.
        timeout = 1200 if self.virt_driver == 'libvirt' else 900
        return subprocess.run(['bash', STACK], env=self.env,
                              capture_output=True, text=True,
                              timeout=timeout)

    def unstack(self):
        return subprocess.run(['bash', UNSTACK], env=self.env,
                              capture_output=True, text=True, timeout=120)

    def delete_vhost(self):
        subprocess.run(['rabbitmqctl', '-q', 'delete_vhost', self.vhost],
                       capture_output=True, timeout=60)

    def openstack(self, *args, cloud='devstack', debug=False, check=True):
        cmd = [os.path.join(BIN, 'openstack'), '--os-cloud', cloud]
        if debug:
            cmd.append('--debug')
        result = subprocess.run(cmd + list(args), env=self.env,
                                capture_output=True, text=True, timeout=120)
        if check:
            assert result.returncode == 0, (
                'openstack %s failed: %s' % (' '.join(args),
                                             result.stderr[-3000:]))
        return result

    def token(self, user='admin', project='admin'):
        """A Keystone token of user in project (password auth)."""
        from keystoneauth1.identity import v3
        from keystoneauth1 import session
        auth = v3.Password(auth_url=self.auth_url, username=user,
                           password=self.env.get('ADMIN_PASSWORD', 'secret'),
                           project_name=project, user_domain_id='default',
                           project_domain_id='default')
        return session.Session(auth=auth, timeout=30).get_token()

    def api(self, method, path, token, body=None, version='2.1'):
        """(status, headers, parsed body) of one call to nova-api."""
        import requests
        headers = {'X-OpenStack-Nova-API-Version': version}
        if token:
            headers['X-Auth-Token'] = token
        resp = requests.request(method, self.endpoint + path, json=body,
                                headers=headers, timeout=60)
        try:
            parsed = resp.json()
        except ValueError:
            parsed = resp.text
        return resp.status_code, resp.headers, parsed

    def server(self, server_id, user='admin', project='admin',
               version='2.75'):
        """GET /servers/{id} over REST, for the polls that wait on a
        server: each openstack command costs 1.5 s of CPU, which a test
        run on two cores feels; the client stays for the actions."""
        status, _headers, body = self.api(
            'GET', '/servers/' + server_id,
            self._token(user, project), version=version)
        assert status == 200, body
        return body['server']

    def console_output(self, server_id, user='demo', project='demo'):
        """The server's console log over REST (os-getConsoleOutput)."""
        status, _headers, body = self.api(
            'POST', '/servers/%s/action' % server_id,
            self._token(user, project), {'os-getConsoleOutput': {}})
        assert status == 200, body
        return body['output']

    def _token(self, user, project):
        # One per user for the deployment's life (stack.sh's tokens last
        # an hour; a test module does not).
        if (user, project) not in self._tokens:
            self._tokens[user, project] = self.token(user, project)
        return self._tokens[user, project]

    def openstack_json(self, *args, cloud='devstack'):
        return json.loads(self.openstack(*args, '-f', 'json',
                                         cloud=cloud).stdout)

    def pid(self, short):
        with open(os.path.join(self.piddir, short + '.pid')) as f:
            return int(f.read().strip())

    def log(self, short):
        with open(os.path.join(self.logdir, short + '.log')) as f:
            return f.read()

    def service_states(self):
        services = self.openstack_json('compute', 'service', 'list',
                                       cloud='devstack-admin')
        return {s['Binary']: s['State'] for s in services
                if s['Host'] == self.host}

    def wait_for_states(self, expected, timeout):
        deadline = time.monotonic() + timeout
        states = None
        while time.monotonic() < deadline:
            states = self.service_states()
            if all(states.get(b) == s for b, s in expected.items()):
                return states
            time.sleep(0.5)
        pytest.fail('services did not reach %s in %ss; last seen %s'
                    % (expected, timeout, states))


@pytest.fixture(params=['sqlite', 'mysql', 'postgresql'])
def database(request, tmp_path):
    """A database of each backend, at the schema's head, that nova.db's
    functions use in this process (no services)."""
    from nova.db import migration
    from nova.db import session
    database = Database(request.param, tmp_path)
    engine = session.create_engine(database.url)
    try:
        migration.db_sync(engine)
        session.use_engine(engine)
        yield database
    finally:
        session.dispose()
        engine.dispose()
        database.drop()


@pytest.fixture(scope='module', params=['sqlite', 'mysql', 'postgresql'])
def deployment(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-' + request.param)
    database = Database(request.param, tmp_path)
    yield from stacked(Deployment(tmp_path, database))


def stacked(deploy):
    """A fixture's body: stack.sh, the deployment, then its clean-up."""
    result = deploy.stack()
    try:
        assert result.returncode == 0, (
            'stack.sh failed:\n%s\n%s' % (result.stdout[-3000:],
                                          result.stderr[-3000:]))
        yield deploy
    finally:
        deploy.unstack()
        deploy.delete_vhost()
        deploy.database.drop()
