"""nova/api/auth.py: the RequestContext of each request, from Keystone.

``KeystoneContext`` is tested alone with the headers auth_token sets; the
whole keystone pipeline (keystonemiddleware's auth_token, KeystoneContext,
AuthTokenFaults) against a fake Keystone: a real HTTP server on 127.0.0.1
answering version discovery, the service user's password login and token
validation (``GET /v3/auth/tokens`` with ``X-Subject-Token``), so that
auth_token's own code (discovery, session, cache, allow_expired) runs as
it does against the real one.
"""

import datetime
from http import server
import json
import socket
import threading
import types
import uuid

from keystoneauth1 import loading
from keystonemiddleware import auth_token
from oslo_config import cfg
from oslo_policy import opts as oslo_policy_opts
import pytest
import webob
import webob.dec

import nova.conf
from nova.api import auth
from nova.api import deploy
from nova.api import policy
from nova import context as nova_context

GROUP = 'keystone_authtoken'
SERVICE_USER = 'nova'
SERVICE_PASSWORD = 'service-secret'
HOUR = datetime.timedelta(hours=1)


# -- the fake Keystone ------------------------------------------------------

def _iso(delta):
    when = datetime.datetime.now(datetime.timezone.utc) + delta
    return when.strftime('%Y-%m-%dT%H:%M:%S.000000Z')


class FakeKeystone:
    """Just the identity v3 API keystonemiddleware uses.

    Like the real one, an expired token is 404 unless the validation asks
    for ``?allow_expired=1`` (a token made with ``hides_expired=False`` is
    returned anyway, to reach auth_token's own expiry check).
    """

    def __init__(self):
        self.tokens = {}
        self.requests = []
        self.lock = threading.Lock()
        fake = self

        class Handler(server.BaseHTTPRequestHandler):

            def log_message(self, *args):
                pass

            def do_GET(self):
                fake.handle(self, 'GET')

            def do_POST(self):
                fake.handle(self, 'POST')

        self.server = server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={'poll_interval': 0.05},
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(10)

    # tokens

    def identity_catalog(self):
        return [{'id': 'keystone', 'type': 'identity', 'name': 'keystone',
                 'endpoints': [{'id': 'ks-' + interface,
                                'interface': interface,
                                'region': 'RegionOne',
                                'region_id': 'RegionOne',
                                'url': self.url}
                               for interface in ('public', 'internal',
                                                 'admin')]}]

    def add_token(self, roles=('member', 'reader'), expires_in=HOUR,
                  **values):
        token = 'tok-' + uuid.uuid4().hex
        data = {'user_id': 'u-' + uuid.uuid4().hex[:12],
                'user_name': 'alice',
                'user_domain': 'udom',
                'project_id': 'p-' + uuid.uuid4().hex[:12],
                'project_name': 'demo',
                'project_domain': 'pdom',
                'system': False,
                'roles': list(roles),
                'expires_in': expires_in,
                'hides_expired': True,
                'catalog': self.identity_catalog()}
        data.update(values)
        with self.lock:
            self.tokens[token] = data
        return token

    def token_body(self, data):
        token = {
            'methods': ['password'],
            'expires_at': _iso(data['expires_in']),
            'issued_at': _iso(data['expires_in'] - 2 * HOUR),
            'audit_ids': [uuid.uuid4().hex[:22]],
            'user': {'id': data['user_id'], 'name': data['user_name'],
                     'domain': {'id': data['user_domain'],
                                'name': data['user_domain'].upper()}},
            'roles': [{'id': 'r-' + name, 'name': name}
                      for name in data['roles']],
            'catalog': data['catalog'],
        }
        if data['system']:
            token['system'] = {'all': True}
        else:
            token['project'] = {
                'id': data['project_id'], 'name': data['project_name'],
                'domain': {'id': data['project_domain'],
                           'name': data['project_domain'].upper()}}
        return {'token': token}

    def validations(self, token):
        """The GET /v3/auth/tokens requests that asked about token."""
        with self.lock:
            return [r for r in self.requests
                    if r['method'] == 'GET' and r['subject'] == token]

    # HTTP

    def reply(self, handler, code, body, headers=None):
        data = json.dumps(body).encode()
        handler.send_response(code)
        handler.send_header('Content-Type', 'application/json')
        handler.send_header('Content-Length', str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def error(self, handler, code, message):
        self.reply(handler, code, {'error': {'code': code, 'title': message,
                                             'message': message}})

    def version(self):
        return {'id': 'v3.14', 'status': 'stable',
                'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.url + '/v3/'}],
                'media-types': [{
                    'base': 'application/json',
                    'type': 'application/vnd.openstack.identity-v3+json'}]}

    def handle(self, handler, method):
        path, _, query = handler.path.partition('?')
        flags = query.split('&') if query else []
        length = int(handler.headers.get('Content-Length') or 0)
        raw = handler.rfile.read(length) if length else b''
        with self.lock:
            self.requests.append({
                'method': method, 'path': path, 'flags': flags,
                'subject': handler.headers.get('X-Subject-Token'),
                'caller': handler.headers.get('X-Auth-Token')})
        path = path.rstrip('/')
        if method == 'GET' and path == '':
            return self.reply(handler, 300,
                              {'versions': {'values': [self.version()]}})
        if method == 'GET' and path == '/v3':
            return self.reply(handler, 200, {'version': self.version()})
        if path != '/v3/auth/tokens':
            return self.error(handler, 404, 'Not Found')
        if method == 'POST':
            return self.login(handler, json.loads(raw))
        with self.lock:
            caller = self.tokens.get(handler.headers.get('X-Auth-Token'))
            data = self.tokens.get(handler.headers.get('X-Subject-Token'))
        if caller is None or 'service' not in caller['roles']:
            return self.error(handler, 401, 'Unauthorized')
        if data is None:
            return self.error(handler, 404, 'Could not find token')
        if data.get('fail_with'):
            return self.error(handler, data['fail_with'], 'Broken')
        if (data['expires_in'] <= datetime.timedelta(0) and
                data['hides_expired'] and 'allow_expired=1' not in flags):
            return self.error(handler, 404, 'Could not find token')
        return self.reply(handler, 200, self.token_body(data),
                          {'X-Subject-Token':
                           handler.headers['X-Subject-Token']})

    def login(self, handler, body):
        identity = body['auth']['identity']
        user = identity['password']['user']
        if (identity['methods'] != ['password'] or
                user.get('name') != SERVICE_USER or
                user.get('password') != SERVICE_PASSWORD):
            return self.error(handler, 401, 'Unauthorized')
        token = self.add_token(roles=['service', 'admin'],
                               user_name=SERVICE_USER, project_name='service')
        with self.lock:
            data = self.tokens[token]
        return self.reply(handler, 201, self.token_body(data),
                          {'X-Subject-Token': token})


@pytest.fixture(scope='module')
def keystone():
    fake = FakeKeystone()
    yield fake
    fake.stop()


def _closed_port_url():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return 'http://127.0.0.1:%d' % port


# -- configuration and apps -------------------------------------------------

def make_conf(auth_url, strategy='keystone', **overrides):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    for group, options in auth_token.list_opts():
        conf.register_opts(options, group=group)
    conf.register_opts(loading.get_auth_plugin_conf_options('password'),
                       group=GROUP)
    if strategy is not None:
        conf.set_override('auth_strategy', strategy, group='api')
    values = {'auth_type': 'password',
              'auth_url': auth_url,
              'www_authenticate_uri': auth_url + '/v3',
              'username': SERVICE_USER,
              'password': SERVICE_PASSWORD,
              'project_name': 'service',
              'user_domain_id': 'default',
              'project_domain_id': 'default'}
    values.update(overrides)
    for name, value in values.items():
        conf.set_override(name, value, group=GROUP)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    # The middlewares ask policy whether a context is an admin.
    policy.reset()
    policy.get_enforcer(conf)
    return conf


@pytest.fixture(autouse=True)
def _fresh_policy():
    # The policy defaults on a configuration of the test's own.
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    policy.reset()
    policy.get_enforcer(conf)
    yield
    policy.reset()


class Capture:
    """The app behind auth: remembers the context and environ it got."""

    def __init__(self, response=None):
        self.contexts = []
        self.environs = []
        self.response = response

    @webob.dec.wsgify
    def __call__(self, req):
        self.contexts.append(req.environ['nova.context'])
        self.environs.append(dict(req.environ))
        if self.response is not None:
            return self.response()
        return webob.Response(json_body={'reached': True})

    @property
    def context(self):
        return self.contexts[-1]


def pipeline(conf, inner=None):
    inner = inner or Capture()
    return auth.keystone_pipeline(conf)(inner), inner


def get(app, path='/v2.1/flavors', token=None, **headers):
    if token is not None:
        headers['X-Auth-Token'] = token
    return webob.Request.blank(path, headers=headers).get_response(app)


def assert_nova_401(response, keystone_uri):
    assert response.status_int == 401, response.text
    assert response.json == {'unauthorized': {
        'code': 401,
        'message': 'The request you have made requires authentication.'}}
    assert response.content_type == 'application/json'
    assert response.headers['WWW-Authenticate'] == (
        'Keystone uri="%s"' % keystone_uri)


# -- 1. KeystoneContext alone -----------------------------------------------

def confirmed_environ(roles='reader,member', **extra):
    environ = {
        'HTTP_X_IDENTITY_STATUS': 'Confirmed',
        'HTTP_X_USER_ID': 'user-1',
        'HTTP_X_USER_NAME': 'alice',
        'HTTP_X_PROJECT_ID': 'project-1',
        'HTTP_X_PROJECT_NAME': 'demo',
        'HTTP_X_USER_DOMAIN_ID': 'user-domain',
        'HTTP_X_PROJECT_DOMAIN_ID': 'project-domain',
        'HTTP_X_ROLES': roles,
        'HTTP_X_SERVICE_ROLES': 'service',
        'HTTP_OPENSTACK_SYSTEM_SCOPE': 'all',
        'HTTP_X_AUTH_TOKEN': 'user-token',
        'openstack.request_id': 'req-11111111-2222-3333-4444-555555555555',
        'openstack.global_request_id':
            'req-66666666-7777-8888-9999-000000000000',
        'REMOTE_ADDR': '192.0.2.7',
    }
    environ.update(extra)
    return environ


def call_context_app(environ):
    inner = Capture()
    request = webob.Request.blank('/v2.1/servers')
    request.environ.update(environ)
    response = request.get_response(auth.KeystoneContext(inner))
    return response, inner


def test_context_from_a_confirmed_identity():
    response, inner = call_context_app(confirmed_environ())
    assert response.status_int == 200
    ctxt = inner.context
    assert isinstance(ctxt, nova_context.RequestContext)
    assert (ctxt.user_id, ctxt.user_name) == ('user-1', 'alice')
    assert (ctxt.project_id, ctxt.project_name) == ('project-1', 'demo')
    assert ctxt.roles == ['reader', 'member']
    assert ctxt.user_domain_id == 'user-domain'
    assert ctxt.project_domain_id == 'project-domain'
    # A system-scope header alone is not trusted: only the user token's
    # own data says so (test_a_system_scoped_user_token_makes_the_scope).
    assert ctxt.system_scope is None
    assert ctxt.service_roles == ['service']
    assert ctxt.auth_token == 'user-token'
    assert ctxt.request_id == 'req-11111111-2222-3333-4444-555555555555'
    assert ctxt.global_request_id == (
        'req-66666666-7777-8888-9999-000000000000')
    assert ctxt.remote_address == '192.0.2.7'
    assert ctxt.is_admin is False
    assert inner.environs[-1]['nova.context'] is ctxt


def test_the_admin_role_makes_an_admin_context():
    _, inner = call_context_app(confirmed_environ(roles='reader, admin'))
    assert inner.context.roles == ['reader', 'admin']
    assert inner.context.is_admin is True


def test_a_system_scoped_user_token_makes_the_scope():
    environ = confirmed_environ()
    environ['keystone.token_auth'] = types.SimpleNamespace(
        user=types.SimpleNamespace(system_scoped=True, system={'all': True}))
    _, inner = call_context_app(environ)
    assert inner.context.system_scope == 'all'


@pytest.mark.parametrize('change', [
    {'HTTP_X_IDENTITY_STATUS': None},
    {'HTTP_X_IDENTITY_STATUS': 'Invalid'},
    {'HTTP_X_IDENTITY_STATUS': 'confirmed'},
    {'HTTP_X_USER_ID': None},
    {'HTTP_X_USER_ID': ''},
], ids=['no-status', 'invalid', 'lowercase', 'no-user', 'empty-user'])
def test_an_unconfirmed_identity_is_refused(change):
    environ = confirmed_environ()
    for key, value in change.items():
        if value is None:
            del environ[key]
        else:
            environ[key] = value
    response, inner = call_context_app(environ)
    assert response.status_int == 401
    body = response.json
    assert list(body) == ['unauthorized']
    assert body['unauthorized']['code'] == 401
    assert body['unauthorized']['message']
    assert inner.contexts == []


def test_the_context_survives_rpc():
    _, inner = call_context_app(confirmed_environ())
    ctxt = inner.context
    # What RPC does: to_dict, JSON on the wire, from_dict.
    copy = nova_context.RequestContext.from_dict(
        json.loads(json.dumps(ctxt.to_dict())))
    for attr in ('user_id', 'project_id', 'user_name', 'project_name',
                 'roles', 'system_scope', 'user_domain_id',
                 'project_domain_id', 'domain_id', 'request_id',
                 'global_request_id', 'auth_token', 'is_admin',
                 'remote_address', 'timestamp'):
        assert getattr(copy, attr) == getattr(ctxt, attr), attr
    assert copy.to_policy_values()['user_domain_id'] == 'user-domain'
    assert copy.to_policy_values()['project_domain_id'] == 'project-domain'

    _, inner = call_context_app(confirmed_environ(roles='admin'))
    admin = nova_context.RequestContext.from_dict(inner.context.to_dict())
    assert admin.is_admin is True and admin.roles == ['admin']


# -- 2. the keystone pipeline against the fake Keystone ---------------------

class StubConductor:

    def __init__(self):
        self.contexts = []

    def flavor_get_all(self, ctxt, **filters):
        self.contexts.append(ctxt)
        return []


@pytest.fixture
def api(keystone, monkeypatch):
    """build_app with [api] auth_strategy keystone, no RPC."""
    monkeypatch.setattr(deploy.compute_rpcapi, 'ComputeAPI',
                        lambda *args, **kwargs: object())
    conf = make_conf(keystone.url)
    policy.reset()
    policy.get_enforcer(conf)
    conductor = StubConductor()
    app = deploy.build_app(conf, conductor=conductor, image_api=object())
    yield app, conductor
    policy.reset()


@pytest.mark.parametrize('path', ['/', '/v2.1', '/v2.1/'])
def test_version_documents_need_no_token(keystone, api, path):
    app, _ = api
    before = len(keystone.requests)
    response = get(app, path)
    assert response.status_int == 200, response.text
    assert response.json
    assert len(keystone.requests) == before, 'Keystone was asked'


def test_no_token_is_401_naming_keystone(keystone, api):
    app, conductor = api
    before = len(keystone.requests)
    response = get(app)
    assert_nova_401(response, keystone.url + '/v3')
    # Outer middleware still runs on a refusal; the version is not looked
    # at before authentication, as upstream.
    assert response.headers['X-OpenStack-Request-ID'].startswith('req-')
    assert 'OpenStack-API-Version' not in response.headers
    assert conductor.contexts == []
    assert len(keystone.requests) == before


def test_no_token_is_401_whatever_version_it_asks_for(keystone, api):
    app, _ = api
    response = get(app, **{'OpenStack-API-Version': 'compute 9.99'})
    assert_nova_401(response, keystone.url + '/v3')


def test_a_garbage_token_is_401(keystone, api):
    app, conductor = api
    response = get(app, token='garbage-' + uuid.uuid4().hex)
    assert_nova_401(response, keystone.url + '/v3')
    assert conductor.contexts == []


@pytest.mark.parametrize('hides_expired', [True, False],
                         ids=['keystone-404s', 'auth-token-checks'])
def test_an_expired_token_is_401(keystone, api, hides_expired):
    app, conductor = api
    token = keystone.add_token(expires_in=-HOUR, hides_expired=hides_expired)
    response = get(app, token=token)
    assert_nova_401(response, keystone.url + '/v3')
    assert conductor.contexts == []


def test_a_valid_token_reaches_the_api(keystone, api):
    app, conductor = api
    token = keystone.add_token(user_name='bob', project_name='bobs')
    data = keystone.tokens[token]
    response = get(app, token=token)
    assert response.status_int == 200, response.text
    assert response.json == {'flavors': []}
    [ctxt] = conductor.contexts
    assert ctxt.user_id == data['user_id']
    assert ctxt.project_id == data['project_id']
    assert (ctxt.user_name, ctxt.project_name) == ('bob', 'bobs')
    assert sorted(ctxt.roles) == ['member', 'reader']
    assert not ctxt.is_admin
    assert ctxt.auth_token == token
    assert ctxt.request_id == response.headers['X-OpenStack-Request-ID']


def test_the_context_of_a_keystone_token(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    token = keystone.add_token(roles=['reader', 'member'])
    data = keystone.tokens[token]
    response = get(app, token=token)
    assert response.status_int == 200, response.text
    ctxt = inner.context
    assert (ctxt.user_id, ctxt.user_name) == (data['user_id'], 'alice')
    assert (ctxt.project_id, ctxt.project_name) == (data['project_id'],
                                                    'demo')
    assert (ctxt.user_domain_id, ctxt.project_domain_id) == ('udom', 'pdom')
    assert sorted(ctxt.roles) == ['member', 'reader']
    assert ctxt.system_scope is None
    assert ctxt.service_roles == []
    assert ctxt.is_admin is False


def test_the_context_of_an_admin_token(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    catalog = keystone.identity_catalog() + [
        {'id': 'glance', 'type': 'image', 'name': 'glance',
         'endpoints': [{'id': 'g', 'interface': 'public',
                        'region': 'RegionOne', 'region_id': 'RegionOne',
                        'url': 'http://glance:9292'}]}]
    token = keystone.add_token(roles=['admin', 'member', 'reader'],
                               catalog=catalog)
    assert get(app, token=token).status_int == 200
    assert inner.context.is_admin is True
    # The catalog stays out of the context (and of every RPC message).
    assert not hasattr(inner.context, 'service_catalog')


def test_the_context_of_a_system_scoped_token(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    token = keystone.add_token(roles=['reader'], system=True)
    assert get(app, token=token).status_int == 200
    assert inner.context.system_scope == 'all'
    assert inner.context.project_id is None


def test_identity_headers_a_client_sends_are_ignored(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    forged = {'X-Identity-Status': 'Confirmed', 'X-User-Id': 'root',
              'X-Roles': 'admin', 'X-Service-Roles': 'service',
              'OpenStack-System-Scope': 'all'}
    assert_nova_401(get(app, **forged), keystone.url + '/v3')
    assert inner.contexts == []

    token = keystone.add_token(roles=['member'])
    assert get(app, token=token, **forged).status_int == 200
    ctxt = inner.context
    assert ctxt.user_id == keystone.tokens[token]['user_id']
    assert ctxt.roles == ['member'] and not ctxt.is_admin
    assert ctxt.service_roles == [] and ctxt.system_scope is None


def test_a_token_is_validated_once_then_cached(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    token = keystone.add_token()
    for _ in range(3):
        assert get(app, token=token).status_int == 200
    assert len(keystone.validations(token)) == 1
    assert len(inner.contexts) == 3
    # A token Keystone refused is not cached as valid either.
    garbage = 'garbage-' + uuid.uuid4().hex
    for _ in range(2):
        assert get(app, token=garbage).status_int == 401


def test_keystone_unreachable_is_503(keystone):
    conf = make_conf(_closed_port_url(), http_request_max_retries=0,
                     http_connect_timeout=5)
    app, inner = pipeline(conf)
    response = get(app, token=keystone.add_token())
    assert response.status_int == 503, response.text
    assert response.content_type == 'application/json'
    body = response.json
    assert list(body) == ['serviceUnavailable']
    assert body['serviceUnavailable']['code'] == 503
    assert 'Keystone' in body['serviceUnavailable']['message']
    assert 'Traceback' not in response.text
    assert 'WWW-Authenticate' not in response.headers
    assert inner.contexts == []


def test_keystone_going_away_is_503_for_tokens_not_cached():
    fake = FakeKeystone()
    try:
        conf = make_conf(fake.url, http_request_max_retries=0,
                         http_connect_timeout=5)
        app, inner = pipeline(conf)
        known, fresh = fake.add_token(), fake.add_token()
        assert get(app, token=known).status_int == 200
    finally:
        fake.stop()
    # Still in auth_token's cache: Keystone is not needed.
    assert get(app, token=known).status_int == 200
    response = get(app, token=fresh)
    assert response.status_int == 503, response.text
    assert list(response.json) == ['serviceUnavailable']
    assert 'Traceback' not in response.text
    assert len(inner.contexts) == 2


def test_keystone_unreachable_through_build_app(monkeypatch):
    monkeypatch.setattr(deploy.compute_rpcapi, 'ComputeAPI',
                        lambda *args, **kwargs: object())
    conf = make_conf(_closed_port_url(), http_request_max_retries=0)
    conductor = StubConductor()
    app = deploy.build_app(conf, conductor=conductor, image_api=object())
    response = get(app, token='tok-' + uuid.uuid4().hex)
    assert response.status_int == 503, response.text
    assert list(response.json) == ['serviceUnavailable']
    assert response.headers['X-OpenStack-Request-ID'].startswith('req-')
    assert 'Traceback' not in response.text
    assert conductor.contexts == []


def test_keystone_failing_is_503(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    response = get(app, token=keystone.add_token(fail_with=500))
    assert response.status_int == 503, response.text
    assert list(response.json) == ['serviceUnavailable']
    assert 'Traceback' not in response.text
    assert inner.contexts == []


@pytest.mark.parametrize('status,body', [
    (401, {'custom': 'the app refused'}),
    (503, {'custom': 'the app is down'}),
    (404, {'itemNotFound': {'code': 404, 'message': 'No such thing'}}),
])
def test_errors_of_the_app_behind_auth_pass_untouched(keystone, status,
                                                      body):
    def respond():
        return webob.Response(status=status, json_body=body)
    app, inner = pipeline(make_conf(keystone.url), Capture(respond))
    response = get(app, token=keystone.add_token())
    assert len(inner.contexts) == 1
    assert response.status_int == status
    assert response.json == body


# -- 3. service tokens ------------------------------------------------------

def test_a_service_token_adds_its_roles(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    user = keystone.add_token(roles=['member'])
    service = keystone.add_token(roles=['service'], user_name='neutron',
                                 project_name='service')
    response = get(app, token=user, **{'X-Service-Token': service})
    assert response.status_int == 200, response.text
    ctxt = inner.context
    assert ctxt.user_id == keystone.tokens[user]['user_id']
    assert ctxt.roles == ['member']
    assert ctxt.service_roles == ['service']
    assert ctxt.service_user_id == keystone.tokens[service]['user_id']
    assert ctxt.service_token == service
    assert inner.environs[-1]['HTTP_X_SERVICE_ROLES'] == 'service'
    assert inner.environs[-1]['HTTP_X_SERVICE_IDENTITY_STATUS'] == (
        'Confirmed')


def test_a_bad_service_token_is_401(keystone):
    app, inner = pipeline(make_conf(keystone.url))
    user = keystone.add_token(roles=['member'])
    response = get(app, token=user,
                   **{'X-Service-Token': 'garbage-' + uuid.uuid4().hex})
    assert_nova_401(response, keystone.url + '/v3')
    assert inner.contexts == []


def test_an_expired_user_token_with_a_service_token_is_accepted(keystone):
    conf = make_conf(keystone.url, service_token_roles_required=True)
    app, inner = pipeline(conf)
    user = keystone.add_token(roles=['member'], expires_in=-HOUR)
    service = keystone.add_token(roles=['service'])
    response = get(app, token=user, **{'X-Service-Token': service})
    assert response.status_int == 200, response.text
    assert inner.context.user_id == keystone.tokens[user]['user_id']
    assert inner.context.service_roles == ['service']
    [validation] = keystone.validations(user)
    assert 'allow_expired=1' in validation['flags']
    # The service token itself was validated the ordinary way.
    [validation] = keystone.validations(service)
    assert 'allow_expired=1' not in validation['flags']
    # Alone, the expired user token is still refused (even from the cache).
    assert_nova_401(get(app, token=user), keystone.url + '/v3')


def test_an_expired_user_token_needs_a_service_role(keystone):
    conf = make_conf(keystone.url, service_token_roles_required=True)
    app, inner = pipeline(conf)
    user = keystone.add_token(roles=['member'], expires_in=-HOUR)
    not_service = keystone.add_token(roles=['member'])
    response = get(app, token=user, **{'X-Service-Token': not_service})
    assert_nova_401(response, keystone.url + '/v3')
    assert inner.contexts == []
    assert all('allow_expired=1' not in r['flags']
               for r in keystone.validations(user))


@pytest.mark.parametrize('user_system,service_system', [
    (False, True), (True, False)],
    ids=['project-user-system-service', 'system-user-project-service'])
def test_the_system_scope_is_the_user_tokens(keystone, user_system,
                                             service_system):
    app, inner = pipeline(make_conf(keystone.url))
    user = keystone.add_token(roles=['admin', 'member', 'reader'],
                              system=user_system)
    service = keystone.add_token(roles=['service'], system=service_system)
    response = get(app, token=user, **{'X-Service-Token': service})
    assert response.status_int == 200, response.text
    ctxt = inner.context
    assert ctxt.user_id == keystone.tokens[user]['user_id']
    assert ctxt.service_roles == ['service']
    expected = 'all' if user_system else None
    assert ctxt.system_scope == expected, (
        'BUG in nova/api/auth.py KeystoneContext: the context of a %s user '
        'token sent with a %s service token has system_scope %r, the user '
        "token's is %r. keystonemiddleware 13 sets OpenStack-System-Scope "
        "for the user token and then again for the service token "
        '(_AuthTokenRequest._set_auth_headers), so the header holds the '
        "service token's scope; KeystoneContext trusts it. With nova's "
        "scope_types ['project'] a project member forwarded with a "
        'system-scoped service token gets 403, and a system-scoped token '
        "(refused alone) passes scope checks with any project-scoped "
        'service token.' % (
            'system-scoped' if user_system else 'project-scoped',
            'system-scoped' if service_system else 'project-scoped',
            ctxt.system_scope, expected))


# -- 4. pipeline_factory ----------------------------------------------------

def test_the_default_strategy_is_keystone(keystone):
    conf = make_conf(keystone.url, strategy=None)
    assert conf.api.auth_strategy == 'keystone'
    app = auth.pipeline_factory(conf)(Capture())
    assert isinstance(app, auth.AuthTokenFaults)
    assert isinstance(app.application, auth_token.AuthProtocol)


def test_keystone_strategy_builds_the_keystone_pipeline(keystone):
    inner = Capture()
    app = auth.pipeline_factory(make_conf(keystone.url))(inner)
    assert isinstance(app, auth.AuthTokenFaults)
    assert isinstance(app.application, auth_token.AuthProtocol)
    assert_nova_401(get(app), keystone.url + '/v3')
    assert get(app, token=keystone.add_token()).status_int == 200
    assert inner.context.user_name == 'alice'


def test_noauth2_strategy_is_the_noauth_middleware(keystone):
    inner = Capture()
    conf = make_conf(keystone.url, strategy='noauth2')
    factory = auth.pipeline_factory(conf)
    assert factory is auth.NoAuthMiddleware
    app = factory(inner)
    before = len(keystone.requests)
    assert get(app, token='bob:proj').status_int == 200
    assert (inner.context.user_id, inner.context.project_id) == ('bob',
                                                                 'proj')
    assert get(app).status_int == 401
    assert len(keystone.requests) == before


def test_is_admin_follows_the_context_is_admin_rule(tmp_path):
    # An operator who redefines the administrator in policy.yaml is obeyed
    # by is_admin too (cross-project look-ups, the lock check).
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"context_is_admin": "role:cloud-admin"\n')
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    policy.reset()
    for group, options in oslo_policy_opts.list_opts():
        conf.register_opts(options, group=group)
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    policy.get_enforcer(conf)
    _, inner = call_context_app(confirmed_environ(roles='admin,member'))
    assert inner.context.is_admin is False
    _, inner = call_context_app(confirmed_environ(roles='cloud-admin'))
    assert inner.context.is_admin is True
