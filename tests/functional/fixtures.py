"""All services in one process: fake:// transport, SQLite, fake driver.

``Cloud`` starts nova-conductor, nova-scheduler and any number of
nova-compute services as threads, plus the API as an in-process WSGI app,
and gives tests an HTTP-like client.
"""

import datetime
import json
import threading
import time
import types
import uuid

from oslo_log import log as logging
import webob
import webob.dec

from nova.api import auth
from nova.api import deploy
from nova.api import policy
from nova import conf as nova_conf
from nova import exception
from nova import config
from nova.db import flavors as db_flavors
from nova.db import migration
from nova.db import session as db_session
from nova import rpc
from nova import service as nova_service
from nova import service_auth
from tests import fake_neutron

_SETUP_DONE = False


def setup_process(conf):
    """Once per test process: log options, logging, the fake transport."""
    global _SETUP_DONE
    if not _SETUP_DONE:
        config.register_log_opts(conf)
        conf([], project='nova', default_config_files=[],
             default_config_dirs=[])
        logging.setup(conf, 'nova')
        rpc.init(conf, url='fake:/')
        _SETUP_DONE = True


class Response:

    def __init__(self, webob_response):
        self.raw = webob_response
        self.status = webob_response.status_int
        self.headers = webob_response.headers
        self.text = webob_response.text

    @property
    def body(self):
        return json.loads(self.text) if self.text else None

    def __repr__(self):
        return '<Response %s %s>' % (self.status, self.text[:200])


class APIClient:
    """Talks to the WSGI app as an HTTP client would."""

    def __init__(self, app, token='admin:admin', version=None):
        self.app = app
        self.token = token
        self.version = version

    def as_user(self, token, version=None):
        return APIClient(self.app, token, version or self.version)

    def request(self, method, path, body=None, headers=None, version=None,
                token=None, raw_body=None):
        req = webob.Request.blank(path, method=method)
        token = token if token is not None else self.token
        if token:
            req.headers['X-Auth-Token'] = token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = 'compute %s' % version
        if raw_body is not None:
            req.body = raw_body
            req.content_type = 'application/json'
        elif body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = 'application/json'
        for key, value in (headers or {}).items():
            req.headers[key] = value
        return Response(req.get_response(self.app))

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.request('POST', path, body=body, **kwargs)

    def put(self, path, body=None, **kwargs):
        return self.request('PUT', path, body=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)


IMAGE_ID = '155d900f-4e14-4e4c-a73d-069cbf4541e6'
QUEUED_IMAGE_ID = 'a2459075-d96c-40d5-893e-577ff92e721c'
CREATED = datetime.datetime(2024, 1, 2, 3, 4, 5)


class FakeImageAPI:
    """The Image API as nova-api sees it, in memory."""

    def __init__(self):
        self.images = {
            IMAGE_ID: {'id': IMAGE_ID, 'name': 'cirros', 'status': 'active',
                       'size': 25165824, 'min_disk': 0, 'min_ram': 0,
                       'disk_format': 'qcow2', 'container_format': 'bare',
                       'created_at': CREATED, 'updated_at': CREATED,
                       'properties': {'hw_architecture': 'x86_64'}},
            QUEUED_IMAGE_ID: {'id': QUEUED_IMAGE_ID, 'name': 'queued',
                              'status': 'queued', 'size': 0, 'min_disk': 0,
                              'min_ram': 0, 'created_at': CREATED,
                              'updated_at': CREATED, 'properties': {}},
        }

    def show(self, context, image_id):
        try:
            return dict(self.images[image_id])
        except KeyError:
            raise exception.ImageNotFound(image_id=image_id)

    downloads = 0
    created = 0

    def detail(self, context, name=None, limit=None, **filters):
        """As glance.API.detail: name, status, marker and property
        filters (an exact match), ordered by id here."""
        self.last_filters = dict(filters, name=name)
        images = sorted(self.images.values(), key=lambda i: i['id'])
        marker = filters.pop('marker', None)
        if marker is not None:
            ids = [i['id'] for i in images]
            if marker not in ids:
                raise exception.Invalid('marker %s not found' % marker)
            images = images[ids.index(marker) + 1:]
        if name is not None:
            images = [i for i in images if i.get('name') == name]
        for key, value in filters.items():
            if key == 'updated_at':
                continue
            images = [i for i in images if str(
                i.get(key, (i.get('properties') or {}).get(key))) == value]
        images = [dict(i) for i in images]
        return images[:limit] if limit else images

    def create(self, context, image_meta, data=None):
        image = dict(image_meta, id=str(uuid.uuid4()), status='queued',
                     size=0, created_at=CREATED, updated_at=CREATED)
        image.setdefault('properties', {})
        # Microseconds apart: the order the images were created in.
        self.created += 1
        image['created_at'] = '2025-01-01T00:00:00.%06d' % self.created
        self.images[image['id']] = image
        return dict(image)

    def upload(self, context, image_id, data):
        image = self.images[image_id]
        image.update(status='active', size=len(data), data=data)
        return dict(image)

    def update(self, context, image_id, values=None, remove=()):
        """As glance.API.update, for properties: set values, drop remove."""
        try:
            image = self.images[image_id]
        except KeyError:
            raise exception.ImageNotFound(image_id=image_id)
        properties = dict(image.get('properties') or {})
        properties.update(values or {})
        for key in remove:
            properties.pop(key, None)
        image['properties'] = properties
        return dict(image)

    def delete(self, context, image_id):
        self.images.pop(image_id, None)

    def download(self, context, image_id, dest_path):
        self.show(context, image_id)
        self.downloads += 1
        with open(dest_path, 'wb') as f:
            f.write(b'image data of ' + image_id.encode())


def identity(user_id, project_id, roles, **extra):
    """What Keystone knows of a token: user, project, roles (a list).

    Names default to the ids and both domains to ``default``; extra keys
    (``system_scope``, ``service_catalog``, ``is_admin_project``) are set
    as auth_token sets them.
    """
    values = {'user_id': user_id, 'user_name': user_id,
              'user_domain_id': 'default', 'user_domain_name': 'Default',
              'project_id': project_id, 'project_name': project_id,
              'project_domain_id': 'default',
              'project_domain_name': 'Default', 'roles': list(roles)}
    values.update(extra)
    return values


class FakeAuthToken:
    """keystonemiddleware's auth_token, with a dict for Keystone.

    ``identities`` maps a token string to an ``identity()``.  Like
    auth_token, it first drops the identity headers a client sent, then
    answers a missing or unknown ``X-Auth-Token`` (or an unknown
    ``X-Service-Token``) with 401 and ``WWW-Authenticate: Keystone
    uri=...``; for a known one it sets ``X-Identity-Status: Confirmed`` and
    the ``X-User-*``, ``X-Project-*`` and ``X-Roles`` (comma separated)
    headers, and a known ``X-Service-Token`` the ``X-Service-*`` ones.  Put
    ``nova.api.auth.KeystoneContext`` behind it (``keystone_pipeline``
    does) for nova's request context.
    """

    WWW_AUTHENTICATE = 'Keystone uri="http://keystone.invalid/identity"'
    # name in identity() -> header auth_token sets
    HEADERS = (('user_id', 'X-User-Id'), ('user_name', 'X-User-Name'),
               ('user_domain_id', 'X-User-Domain-Id'),
               ('user_domain_name', 'X-User-Domain-Name'),
               ('project_id', 'X-Project-Id'),
               ('project_name', 'X-Project-Name'),
               ('project_domain_id', 'X-Project-Domain-Id'),
               ('project_domain_name', 'X-Project-Domain-Name'))
    # What auth_token removes from every request before it validates.
    REMOVED = tuple(header for _, header in HEADERS) + tuple(
        'X-Service-' + header[2:] for _, header in HEADERS) + (
        'X-Identity-Status', 'X-Service-Identity-Status', 'X-Roles',
        'X-Service-Roles', 'X-Role', 'X-Domain-Id', 'X-Domain-Name',
        'X-Service-Catalog', 'X-Is-Admin-Project', 'OpenStack-System-Scope',
        'X-User', 'X-Tenant-Id', 'X-Tenant-Name', 'X-Tenant')

    def __init__(self, application, identities):
        self.application = application
        self.identities = identities

    @webob.dec.wsgify
    def __call__(self, req):
        for header in self.REMOVED:
            req.headers.pop(header, None)
        values = self.identities.get(req.headers.get('X-Auth-Token'))
        service_token = req.headers.get('X-Service-Token')
        service = self.identities.get(service_token)
        if values is None or (service_token and service is None):
            response = webob.Response(
                status=401, content_type='application/json',
                json_body={'error': {
                    'code': 401, 'title': 'Unauthorized',
                    'message': 'The request you have made requires '
                               'authentication.'}})
            response.headers['WWW-Authenticate'] = self.WWW_AUTHENTICATE
            return response
        req.headers['X-Identity-Status'] = 'Confirmed'
        self._set(req, values, 'X-')
        if service is not None:
            req.headers['X-Service-Identity-Status'] = 'Confirmed'
            self._set(req, service, 'X-Service-')
        return req.get_response(self.application)

    def _set(self, req, values, prefix):
        for key, header in self.HEADERS:
            if values.get(key) is not None:
                req.headers[prefix + header[2:]] = values[key]
        req.headers[prefix + 'Roles'] = ','.join(values['roles'])
        if prefix != 'X-':
            return
        if values.get('system_scope'):
            req.headers['OpenStack-System-Scope'] = values['system_scope']
        # The user token's data, as auth_token leaves it for the service.
        req.environ['keystone.token_auth'] = types.SimpleNamespace(
            user=types.SimpleNamespace(
                system_scoped=bool(values.get('system_scope')),
                system={'all': True} if values.get('system_scope') else {}))
        if 'is_admin_project' in values:
            req.headers['X-Is-Admin-Project'] = str(
                bool(values['is_admin_project']))


def keystone_pipeline(identities):
    """An ``auth_middleware`` for ``deploy.build_app``: nova's Keystone
    pipeline (auth.keystone_pipeline) with FakeAuthToken for auth_token."""
    def build(application):
        return auth.AuthTokenFaults(
            FakeAuthToken(auth.KeystoneContext(application), identities))
    return build


class Cloud:
    """The services and the API.

    With ``identities`` (token -> ``identity()``) the API authenticates as
    behind Keystone (``keystone_pipeline``) instead of with noauth2; the
    ``api`` client's token is ``admin:admin`` either way, so map it to an
    admin there.

    With ``neutron`` (a tests.fake_neutron.FakeNeutron) the network
    backend is Neutron: nova's Networking API client reaches the fake, and
    when a compute's driver plugs VIFs the fake is told (``plugged``: the
    ports bound there go ACTIVE) and, as Neutron's nova notifier does,
    sends network-vif-plugged through the API, unless ``neutron_plugs``
    is set to False (a Neutron that never answers).
    """

    def __init__(self, conf=None, overrides=None, computes=('compute1',),
                 identities=None, neutron=None):
        self.conf = conf or nova_conf.CONF
        setup_process(self.conf)
        self._overrides = dict({'report_interval': 1,
                                'api.auth_strategy': 'noauth2'},
                               **(overrides or {}))
        self.neutron = neutron
        self.neutron_plugs = True
        # The answers to the events the fake Neutron sent.
        self.neutron_events = []
        if neutron is not None:
            self._overrides.update({
                'network.backend': 'neutron',
                'neutron.endpoint_override': fake_neutron.ENDPOINT})
        self.compute_hosts = computes
        self.services = []
        self.engine = None
        # Unique host names keep this test's RPC servers apart from those of
        # earlier tests on the shared fake exchange.
        self.suffix = uuid.uuid4().hex[:8]
        self.images = FakeImageAPI()
        self.identities = identities

    def start(self):
        for key, value in self._overrides.items():
            group = None
            if '.' in key:
                group, key = key.split('.', 1)
            self.conf.set_override(key, value, group=group)
        policy.reset()
        if self.neutron is not None:
            fake_neutron.install(
                service_auth.get_session('neutron', conf=self.conf),
                self.neutron)
            self.neutron.notifier = self._notify_nova
        self.engine = db_session.create_engine('sqlite://')
        migration.db_sync(self.engine)
        db_session.use_engine(self.engine)
        db_flavors.flavor_create_defaults()
        self.start_service('nova-conductor', 'conductor-' + self.suffix)
        self.start_service('nova-scheduler', 'scheduler-' + self.suffix)
        for host in self.compute_hosts:
            self.start_service('nova-compute', host)
        auth_middleware = None
        if self.identities is not None:
            auth_middleware = keystone_pipeline(self.identities)
        self.app = deploy.build_app(self.conf, image_api=self.images,
                                    auth_middleware=auth_middleware)
        self.api = APIClient(self.app)
        return self

    def start_service(self, binary, host):
        service = nova_service.Service(self.conf, binary, host=host)
        self._bind_manager(service)
        service.start()
        self.services.append(service)
        return service

    def _bind_manager(self, service):
        """Computes talk to the in-memory Image API; with a fake Neutron,
        their driver's plugs reach it."""
        if service.binary == 'nova-compute':
            service.manager._image_api = self.images
            if self.neutron is not None:
                self._watch_plugs(service.manager.driver, service.host)

    def _watch_plugs(self, driver, host):
        plug_vifs = driver.plug_vifs

        def plug_and_tell_neutron(instance, network_info):
            plug_vifs(instance, network_info)
            if self.neutron_plugs and network_info:
                # ovn-controller sees the OVS ports a moment later.
                threading.Thread(target=self.neutron.plugged, daemon=True,
                                 args=([v['id'] for v in network_info],
                                       host)).start()

        driver.plug_vifs = plug_and_tell_neutron

    def _notify_nova(self, port, event):
        """Neutron's nova notifier: the event, through the API, as an
        admin."""
        resp = self.api.post('/v2.1/os-server-external-events', {
            'events': [{'name': event, 'server_uuid': port['device_id'],
                        'tag': port['id'], 'status': 'completed'}]})
        self.neutron_events.append((port['id'], resp.status))

    def compute(self, host):
        """The ComputeManager of host (its driver is a FakeDriver)."""
        for service in self.services:
            if service.binary == 'nova-compute' and service.host == host:
                return service.manager
        raise KeyError(host)

    def wait_for_server(self, server_id, status, timeout=10, api=None):
        """Poll GET /servers/{id} until status (or 404 for 'DELETED')."""
        api = api or self.api
        deadline = time.monotonic() + timeout
        while True:
            resp = api.get('/v2.1/servers/%s' % server_id)
            if status == 'DELETED' and resp.status == 404:
                return None
            if resp.status == 200 and resp.body['server']['status'] == \
                    status and resp.body['server'].get(
                        'OS-EXT-STS:task_state') is None:
                return resp.body['server']
            if time.monotonic() > deadline:
                raise AssertionError('server %s not %s after %ss: %r'
                                     % (server_id, status, timeout, resp))
            time.sleep(0.05)

    def stop_service(self, service):
        service.stop()
        self.services.remove(service)

    def stop(self):
        # Conductor last: the others heartbeat through it.
        for service in reversed(self.services):
            service.stop()
        self.services = []
        db_session.dispose()
        for key in self._overrides:
            group = None
            if '.' in key:
                group, key = key.split('.', 1)
            self.conf.clear_override(key, group=group)
        policy.reset()
