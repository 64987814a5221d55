"""What the Image API client authenticates with (nova.service_auth).

A local Image API (fakes.FakeImageAPI) records the headers of every call; a
local Keystone (fakes.FakeKeystone) issues the tokens of the [service_user]
and [glance] users.
"""

import gc
import json
import logging
import threading

from oslo_config import cfg
import pytest

import nova.conf
from nova.conf import opts as conf_opts
from nova import context
from nova import exception
from nova.image import glance
from nova import service_auth
from tests.unit.image import fakes

REQUEST_ID = 'req-5b0c2f8e-1d7e-4a43-8f0e-6a3c9d2b7e10'
USER_TOKEN = 'gAAAAA-user-token'
DATA = b'disk' * 4096


@pytest.fixture
def fake():
    fake = fakes.FakeImageAPI().start()
    yield fake
    fake.stop()


@pytest.fixture
def keystone():
    keystone = fakes.FakeKeystone({'nova': 'nova-secret',
                                   'periodic': 'periodic-secret'}).start()
    yield keystone
    keystone.stop()


@pytest.fixture
def make_api(fake, tmp_path):
    """An API on a conf read from a nova.conf of the given groups."""

    def make(**groups):
        groups.setdefault('glance', {})['endpoint'] = fake.endpoint
        path = tmp_path / 'nova.conf'
        with open(path, 'w') as f:
            for group, values in groups.items():
                f.write('[%s]\n' % group)
                for name, value in values.items():
                    f.write('%s = %s\n' % (name, value))
        conf = cfg.ConfigOpts()
        nova.conf.register_opts(conf)
        conf(['--config-file', str(path)], default_config_files=[])
        api = glance.API(conf)
        api.retry_delay = 0.01
        return api

    return make


def _password_auth(keystone, user, auth_type='v3password'):
    return {'auth_type': auth_type,
            'auth_url': keystone.url + ('/v3' if auth_type == 'v3password'
                                        else ''),
            'username': user, 'password': user + '-secret',
            'user_domain_name': 'Default', 'project_name': 'service',
            'project_domain_name': 'Default'}


def _service_user(keystone, **extra):
    return dict(_password_auth(keystone, 'nova'),
                send_service_user_token='true', **extra)


@pytest.fixture
def ctx():
    return context.RequestContext(user_id='demo', project_id='demo',
                                  auth_token=USER_TOKEN,
                                  global_request_id=REQUEST_ID,
                                  overwrite=False)


def _round_trip(api, ctx, tmp_path):
    """create, upload, show, download, update, delete: every kind of call."""
    image = api.create(ctx, {'name': 'snap', 'disk_format': 'raw',
                             'container_format': 'bare'})
    api.upload(ctx, image['id'], DATA)
    api.download(ctx, image['id'], str(tmp_path / 'image'))
    assert (tmp_path / 'image').read_bytes() == DATA
    api.update(ctx, image['id'], {'name': 'snap2'})
    api.delete(ctx, image['id'])


def _auth_headers(request):
    return (request.headers.get('X-Auth-Token'),
            request.headers.get('X-Service-Token'))


def test_a_user_context_sends_the_user_token_alone(fake, keystone, make_api,
                                                   ctx, tmp_path):
    api = make_api(service_user=_password_auth(keystone, 'nova'))
    _round_trip(api, ctx, tmp_path)
    assert {r.method for r in fake.requests} == {'POST', 'PUT', 'GET',
                                                 'PATCH', 'DELETE'}
    for request in fake.requests:
        assert _auth_headers(request) == (USER_TOKEN, None), request
        assert request.headers['X-OpenStack-Request-ID'] == REQUEST_ID
    assert keystone.requests == []


def test_the_service_token_goes_with_the_user_token(fake, keystone, make_api,
                                                    ctx, tmp_path):
    api = make_api(service_user=_service_user(keystone))
    _round_trip(api, ctx, tmp_path)
    assert len(keystone.tokens) == 1  # fetched once, then reused
    service_token = keystone.tokens[0]
    assert service_token.endswith('-nova')
    assert len(fake.requests) >= 7
    for request in fake.requests:
        assert _auth_headers(request) == (USER_TOKEN, service_token), \
            request
        assert request.headers['X-OpenStack-Request-ID'] == REQUEST_ID
    # The data calls in particular: the ones that outlive a user token.
    upload = fake.requests_for('PUT', '/file')
    download = fake.requests_for('GET', '/file')
    assert len(upload) == 1 and len(download) == 1
    assert upload[0].headers['X-Service-Token'] == service_token
    assert download[0].headers['X-Service-Token'] == service_token
    # What Keystone was asked: the [service_user] user and scope.
    (auth,) = keystone.token_requests()
    body = json.loads(auth.body)['auth']
    assert body['identity']['password']['user'] == {
        'name': 'nova', 'password': 'nova-secret',
        'domain': {'name': 'Default'}}
    assert body['scope'] == {'project': {'name': 'service',
                                         'domain': {'name': 'Default'}}}


def test_the_password_plugin_discovers_keystone(fake, keystone, make_api,
                                                ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user=dict(
        _password_auth(keystone, 'nova', auth_type='password'),
        send_service_user_token='true'))
    api.show(ctx, image['id'])
    assert _auth_headers(fake.requests[-1]) == (USER_TOKEN,
                                                keystone.tokens[0])


def test_a_context_without_token_uses_the_glance_user(fake, keystone,
                                                      make_api, tmp_path):
    api = make_api(glance=_password_auth(keystone, 'periodic'),
                   service_user=_service_user(keystone))
    ctx = context.get_admin_context()
    assert ctx.auth_token is None
    _round_trip(api, ctx, tmp_path)
    assert len(keystone.tokens) == 1
    assert keystone.tokens[0].endswith('-periodic')
    for request in fake.requests:
        # Its own token: no service token to add.
        assert _auth_headers(request) == (keystone.tokens[0], None), request
        assert request.headers['X-OpenStack-Request-ID'] == ctx.global_id


def test_a_context_without_token_and_no_glance_user_sends_no_token(
        fake, keystone, make_api, tmp_path):
    api = make_api(service_user=_service_user(keystone))
    ctx = context.get_admin_context()
    _round_trip(api, ctx, tmp_path)
    for request in fake.requests:
        assert _auth_headers(request) == (None, None), request
        assert request.headers['X-OpenStack-Request-ID'] == ctx.global_id
    assert keystone.requests == []


def test_send_service_user_token_without_a_service_user_warns(
        fake, make_api, ctx, caplog):
    service_auth.reset()
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user={'send_service_user_token': 'true'})
    with caplog.at_level(logging.WARNING, logger='nova.service_auth'):
        api.show(ctx, image['id'])
        api.show(ctx, image['id'])
    assert _auth_headers(fake.requests[-1]) == (USER_TOKEN, None)
    warnings = [r for r in caplog.records if 'auth_type' in r.getMessage()]
    assert len(warnings) == 1


def test_plugins_are_loaded_once_for_every_thread(fake, keystone, make_api,
                                                  ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user=_service_user(keystone),
                   glance=_password_auth(keystone, 'periodic'))
    first = service_auth.get_auth_plugin(ctx, 'glance', conf=api.conf)
    second = service_auth.get_auth_plugin(ctx, 'glance', conf=api.conf)
    assert first is not second  # the user's part is the context's
    assert first.service_auth is second.service_auth
    admin = context.get_admin_context()
    assert service_auth.get_auth_plugin(admin, 'glance', conf=api.conf) is \
        service_auth.get_auth_plugin(admin, 'glance', conf=api.conf)
    assert api.session is glance.API(api.conf).session
    errors = []
    barrier = threading.Barrier(8)

    def show(c):
        try:
            barrier.wait(10)
            api.show(c, image['id'])
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=show, args=(c,))
               for c in [ctx] * 4 + [admin] * 4]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    # One token of each user, whatever the number of calls and threads.
    assert sorted(t.rsplit('-', 1)[1] for t in keystone.tokens) == [
        'nova', 'periodic']


def test_keystone_refusing_the_service_user_fails_the_call(fake, keystone,
                                                           make_api, ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user=_service_user(keystone,
                                              password='wrong'))
    with pytest.raises(exception.GlanceConnectionFailed) as err:
        api.show(ctx, image['id'])
    assert err.value.code == 503
    # Keystone's answer stays in nova's log, out of the client's message.
    assert 'could not authenticate' in err.value.format_message()
    assert fake.requests == []


def test_an_unreachable_keystone_fails_the_call(fake, keystone, make_api,
                                                ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user=_service_user(keystone))
    keystone.stop()
    with pytest.raises(exception.GlanceConnectionFailed):
        api.show(ctx, image['id'])
    assert fake.requests == []


def test_an_unknown_auth_type_fails_the_call(fake, make_api):
    api = make_api(glance={'auth_type': 'no-such-plugin'})
    with pytest.raises(exception.GlanceConnectionFailed) as err:
        api.show(context.get_admin_context(), 'x')
    assert 'could not authenticate' in err.value.format_message()


def test_a_401_is_retried_with_a_new_service_token_but_not_an_upload(
        fake, keystone, make_api, ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api(service_user=_service_user(keystone))
    api.show(ctx, image['id'])
    # A read: keystoneauth renews the service token and asks again.
    fake.fail = [401]
    assert api.show(ctx, image['id'])['id'] == image['id']
    assert len(keystone.tokens) == 2
    assert fake.requests[-1].headers['X-Service-Token'] == keystone.tokens[1]
    # An upload's data cannot be sent twice: the 401 is the answer.
    fake.fail = [401]
    with pytest.raises(exception.NotAuthenticated):
        api.upload(ctx, image['id'], iter([DATA]))
    assert len(fake.requests_for('PUT', '/file')) == 1


def test_a_401_for_a_user_token_alone_is_not_authenticated(fake, make_api,
                                                           ctx):
    image = fake.add_image(DATA, name='x')
    api = make_api()
    fake.fail = [401]
    with pytest.raises(exception.NotAuthenticated):
        api.show(ctx, image['id'])
    assert len(fake.requests) == 1


def test_the_session_follows_the_glance_session_options(make_api, tmp_path):
    api = make_api()
    assert api.session.timeout == 60.0
    assert api.session.verify is True
    ca = tmp_path / 'ca.pem'
    ca.write_text('')
    api = make_api(glance={'cafile': str(ca), 'timeout': '7.5'})
    assert (api.session.verify, api.session.timeout) == (str(ca), 7.5)
    api = make_api(glance={'insecure': 'true'})
    assert api.session.verify is False


def test_options_are_registered_and_listed():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], default_config_files=[])
    assert conf.service_user.send_service_user_token is False
    assert conf.service_user.auth_type is None
    assert conf.glance.auth_type is None
    assert conf.glance.timeout == 60.0
    groups = dict(conf_opts.list_opts())
    auth = {'auth_type', 'auth_section', 'auth-url', 'username', 'password',
            'user-domain-name', 'project-name', 'project-domain-name'}
    session = {'cafile', 'certfile', 'keyfile', 'insecure', 'timeout'}
    assert {o.name for o in groups['service_user']} >= (
        {'send_service_user_token'} | auth | session)
    glance_opts = {o.name: o for o in groups['glance']}
    assert set(glance_opts) >= {'endpoint', 'num_retries',
                                'api_image_cache_seconds'} | auth | session
    # The sample shows nova's default timeout, not keystoneauth's.
    assert glance_opts['timeout'].default == 60.0
    for group, opts in groups.items():
        names = [o.dest for o in opts]
        assert len(names) == len(set(names)), group


def test_what_a_conf_loaded_goes_with_it(make_api, keystone):
    api = make_api(glance=_password_auth(keystone, 'periodic'))
    plugin = service_auth.get_auth_plugin(context.get_admin_context(),
                                          'glance', conf=api.conf)
    conf_id = id(api.conf)
    assert any(k[0] == conf_id for k in service_auth._LOADED)
    del api
    gc.collect()
    # Forgotten at the next lookup, before any other conf could reuse the id.
    other = make_api()
    service_auth.get_auth_plugin(context.get_admin_context(), 'glance',
                                 conf=other.conf)
    assert not any(k[0] == conf_id for k in service_auth._LOADED)
    assert plugin is not None
