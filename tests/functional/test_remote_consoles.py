"""POST /servers/{id}/remote-consoles (2.6+) and os-getVNCConsole
(2.1-2.5): the URL and its token, the refusals, the tokens' life in the
conductor's table (hashed, expiring, gone with their server)."""

import hashlib
import time
from urllib import parse as urlparse

import pytest
import sqlalchemy as sa
from tempest.lib.api_schema.response.compute.v2_1 import \
    servers as servers_v2_1
from tempest.lib.api_schema.response.compute.v2_6 import \
    servers as servers_v2_6

from nova.conductor import console_auth
from nova.db import instances as db_instances
from nova.db import models
from nova.db import session as db_session
from nova import exception
from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}
VNC = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


def _server(cloud, name='vm1'):
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers', {'server': {
        'name': name, 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
    assert resp.status == 202, resp
    return cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE',
                                 api=demo)


@pytest.fixture(scope='module')
def server(cloud):
    return _server(cloud)


def _token(url):
    """The token of a noVNC console URL (in its 'path' parameter)."""
    path = urlparse.parse_qs(urlparse.urlparse(url).query)['path'][0]
    return urlparse.parse_qs(urlparse.urlparse(path).query)['token'][0]


def _tokens(instance_uuid):
    table = models.ConsoleAuthToken.__table__
    with db_session.read_connection() as conn:
        return [dict(row._mapping) for row in conn.execute(
            sa.select(table).where(table.c.instance_uuid == instance_uuid))]


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message, resp.body


@pytest.mark.parametrize('version', ['2.6', '2.8', 'latest'])
def test_remote_console_url_with_a_token(cloud, server, version):
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                     VNC, version=version)
    body = oracle.validate(servers_v2_6.get_remote_consoles, resp)
    console = body['remote_console']
    assert (console['protocol'], console['type']) == ('vnc', 'novnc')
    base = cloud.conf.vnc.novncproxy_base_url
    assert console['url'].startswith(base + '?path=')
    token = _token(console['url'])
    # Known to the conductor for this server, stored only as its hash.
    info = console_auth.validate(token)
    assert info['instance_uuid'] == server['id']
    assert info['compute_host'] == 'compute1'
    assert (info['host'], info['console_type']) == ('127.0.0.1', 'novnc')
    assert info['port'] == cloud.compute('compute1').driver.vnc_ports[
        server['id']]
    stored = [t for t in _tokens(server['id'])
              if t['token_hash'] == hashlib.sha256(
                  token.encode()).hexdigest()]
    assert len(stored) == 1
    assert token not in repr(_tokens(server['id']))


def test_each_console_has_its_own_token(cloud, server):
    urls = {cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                           VNC, version='2.6').body['remote_console']['url']
            for _ in range(2)}
    assert len(urls) == 2


def test_the_token_expires_after_token_ttl(cloud, server):
    cloud.conf.set_override('token_ttl', 0, group='consoleauth')
    try:
        resp = cloud.api.post('/v2.1/servers/%s/remote-consoles'
                              % server['id'], VNC, version='2.6')
    finally:
        cloud.conf.clear_override('token_ttl', group='consoleauth')
    assert resp.status == 200, resp
    token = _token(resp.body['remote_console']['url'])
    with pytest.raises(exception.InvalidToken) as e:
        console_auth.validate(token)
    assert str(e.value) == 'The console token is invalid or has expired.'
    expired = hashlib.sha256(token.encode()).hexdigest()
    valid = hashlib.sha256(_token(cloud.api.post(
        '/v2.1/servers/%s/remote-consoles' % server['id'], VNC,
        version='2.6').body['remote_console']['url']).encode()).hexdigest()
    assert {expired, valid} <= {t['token_hash']
                                for t in _tokens(server['id'])}
    # The conductor's periodic clean-up deletes it, and only the expired.
    assert console_auth.clean_expired() >= 1
    hashes = [t['token_hash'] for t in _tokens(server['id'])]
    assert expired not in hashes
    assert valid in hashes


def test_token_ttl_default_is_upstream_s(cloud, server):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                          VNC, version='2.6')
    info = console_auth.validate(_token(resp.body['remote_console']['url']))
    assert cloud.conf.consoleauth.token_ttl == 600
    assert 590 < info['expires'] - time.time() <= 600


def test_an_unknown_token_is_refused(cloud):
    with pytest.raises(exception.InvalidToken):
        console_auth.validate('not-a-token')


@pytest.mark.parametrize('console, version, message', [
    ({'protocol': 'spice', 'type': 'spice-html5'}, '2.6',
     'Unavailable console type spice.'),
    ({'protocol': 'serial', 'type': 'serial'}, '2.6',
     'Unavailable console type serial.'),
    ({'protocol': 'rdp', 'type': 'rdp-html5'}, '2.6',
     'Unavailable console type rdp.'),
    ({'protocol': 'mks', 'type': 'webmks'}, '2.8',
     'Unavailable console type mks.'),
    ({'protocol': 'vnc', 'type': 'xvpvnc'}, '2.6',
     'Invalid console type xvpvnc'),
    ({'protocol': 'vnc', 'type': 'spice-html5'}, '2.6',
     'Invalid console type spice-html5'),
])
def test_consoles_not_served_here_are_400(cloud, server, console, version,
                                          message):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                          {'remote_console': console}, version=version)
    _fault(resp, 400, 'badRequest', message)


@pytest.mark.parametrize('body, version', [
    ({'remote_console': {'protocol': 'mks', 'type': 'webmks'}}, '2.6'),
    ({'remote_console': {'protocol': 'vnc'}}, '2.6'),
    ({'remote_console': {'protocol': 'vnc', 'type': 'novnc', 'x': 1}},
     '2.6'),
    ({'remote_console': {'protocol': 'telnet', 'type': 'novnc'}}, '2.8'),
    ({}, '2.6'),
])
def test_malformed_requests_are_400(cloud, server, body, version):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                          body, version=version)
    _fault(resp, 400, 'badRequest')


def test_remote_consoles_do_not_exist_before_2_6(cloud, server):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                          VNC, version='2.5')
    _fault(resp, 404, 'itemNotFound')


def test_unknown_server_is_404(cloud):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles'
                          % '9d6c8d9e-0000-4000-8000-000000000000', VNC,
                          version='2.6')
    _fault(resp, 404, 'itemNotFound')


def test_a_stopped_server_has_no_console(cloud):
    server = _server(cloud, 'stopped')
    demo = cloud.api.as_user('demo:demo')
    assert demo.post('/v2.1/servers/%s/action' % server['id'],
                     {'os-stop': None}).status == 202
    cloud.wait_for_server(server['id'], 'SHUTOFF', api=demo)
    resp = demo.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                     VNC, version='2.6')
    _fault(resp, 409, 'conflictingRequest')
    assert 'vm_state stopped' in resp.body['conflictingRequest']['message']
    resp = demo.post('/v2.1/servers/%s/action' % server['id'],
                     {'os-getVNCConsole': {'type': 'novnc'}})
    _fault(resp, 409, 'conflictingRequest')


@pytest.mark.parametrize('version', ['2.1', '2.5'])
def test_os_get_vnc_console_up_to_2_5(cloud, server, version):
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers/%s/action' % server['id'],
                     {'os-getVNCConsole': {'type': 'novnc'}},
                     version=version)
    body = oracle.validate(servers_v2_1.get_vnc_console, resp)
    assert body['console']['type'] == 'novnc'
    info = console_auth.validate(_token(body['console']['url']))
    assert info['instance_uuid'] == server['id']


def test_os_get_vnc_console_is_404_from_2_6(cloud, server):
    resp = cloud.api.post('/v2.1/servers/%s/action' % server['id'],
                          {'os-getVNCConsole': {'type': 'novnc'}},
                          version='2.6')
    _fault(resp, 404, 'itemNotFound')


@pytest.mark.parametrize('body, message', [
    ({'type': 'xvpvnc'}, 'Invalid console type xvpvnc'),
    ({'type': 'spice'}, None),
    ({}, None),
])
def test_os_get_vnc_console_bad_types_are_400(cloud, server, body,
                                              message):
    resp = cloud.api.post('/v2.1/servers/%s/action' % server['id'],
                          {'os-getVNCConsole': body})
    _fault(resp, 400, 'badRequest', message)


def test_vnc_disabled_on_the_compute_is_400(cloud, server):
    cloud.conf.set_override('enabled', False, group='vnc')
    try:
        resp = cloud.api.post('/v2.1/servers/%s/remote-consoles'
                              % server['id'], VNC, version='2.6')
    finally:
        cloud.conf.clear_override('enabled', group='vnc')
    _fault(resp, 400, 'badRequest', 'Unavailable console type novnc.')


def test_tokens_go_with_their_server(cloud):
    server = _server(cloud, 'doomed')
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles'
                          % server['id'], VNC, version='2.6')
    token = _token(resp.body['remote_console']['url'])
    assert console_auth.validate(token)
    assert cloud.api.delete('/v2.1/servers/%s' % server['id']).status == 204
    cloud.wait_for_server(server['id'], 'DELETED')
    assert _tokens(server['id']) == []
    with pytest.raises(exception.InvalidToken):
        console_auth.validate(token)


def test_tokens_do_not_follow_a_server_to_another_host(cloud, server):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles'
                          % server['id'], VNC, version='2.6')
    assert _tokens(server['id'])
    # What a move's last step does: the instance's host is written.
    db_instances.instance_update(server['id'], {'host': 'compute1'})
    assert _tokens(server['id']) == []
    with pytest.raises(exception.InvalidToken):
        console_auth.validate(_token(resp.body['remote_console']['url']))


def _console_token(cloud, server):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server['id'],
                          VNC, version='2.6')
    return _token(resp.body['remote_console']['url'])


def test_an_admin_reads_what_a_token_opens_from_2_31(cloud, server):
    token = _console_token(cloud, server)
    resp = cloud.api.get('/v2.1/os-console-auth-tokens/%s' % token,
                         version='2.31')
    assert resp.status == 200, resp
    assert resp.body == {'console': {
        'instance_uuid': server['id'], 'host': '127.0.0.1',
        'port': cloud.compute('compute1').driver.vnc_ports[server['id']],
        'internal_access_path': None}}


def test_console_auth_tokens_refusals(cloud, server):
    token = _console_token(cloud, server)
    path = '/v2.1/os-console-auth-tokens/%s' % token
    _fault(cloud.api.get(path, version='2.30'), 400, 'badRequest')
    _fault(cloud.api.get('/v2.1/os-console-auth-tokens/nope',
                         version='2.31'), 404, 'itemNotFound',
           'Token not found')
    _fault(cloud.api.as_user('demo:demo').get(path, version='2.31'), 403,
           'forbidden')
