"""nova-novncproxy in process: noVNC's page, and a websocket (Tempest's
own client, as test_novnc uses it) through the proxy to a fake VNC
server after the token was checked with the conductor and the port with
the compute; bad, expired, foreign-Origin and moved tokens refused with
an HTTP error that says why, and nothing proxied."""

import socket
import struct
import threading
import time
import urllib.request
from urllib import parse as urlparse

import pytest
from tempest.common import compute as tempest_compute

from nova.compute import rpcapi as compute_rpcapi
from nova.conductor import rpcapi as conductor_rpcapi
from nova.console import websocketproxy
from tests.functional import fixtures

QUIET = {'report_interval': 50}
VNC = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
PAGE = b'<html><head><title>noVNC</title><script src="x.js"></script>' \
       b'</head><body></body></html>'
NAME = b'fake guest'


class FakeVNCServer:
    """A VNC server that does RFB 3.8 up to ServerInit, as QEMU's
    (security type None)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(('127.0.0.1', 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        self.clients = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.clients += 1
            threading.Thread(target=self._rfb, args=(conn,),
                             daemon=True).start()

    def _rfb(self, conn):
        with conn:
            conn.sendall(b'RFB 003.008\n')
            if len(conn.recv(12)) != 12:
                return
            conn.sendall(bytes((1, 1)))          # one type: None
            conn.recv(1)
            conn.sendall(struct.pack('>L', 0))   # SecurityResult OK
            conn.recv(1)                         # ClientInit (shared)
            conn.sendall(struct.pack('>HH16sL', 640, 480, b'\0' * 16,
                                     len(NAME)) + NAME)
            conn.recv(1)

    def close(self):
        self.sock.close()


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    web = tmp_path_factory.mktemp('novnc')
    (web / 'vnc_auto.html').write_bytes(PAGE)
    cloud = fixtures.Cloud(overrides=dict(QUIET, **{'vnc.web': str(web)}))
    cloud.start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def proxy(cloud):
    proxy = websocketproxy.NovaWebSocketProxy(
        cloud.conf, conductor_rpcapi.ConductorAPI(conf=cloud.conf),
        compute_rpcapi.ComputeAPI(), listen_host='127.0.0.1', listen_port=0)
    host, port = proxy.listen()
    thread = threading.Thread(target=proxy.serve, daemon=True)
    thread.start()
    base = 'http://127.0.0.1:%d/vnc_auto.html' % port
    cloud.conf.set_override('novncproxy_base_url', base, group='vnc')
    yield proxy
    proxy.stop()
    thread.join(5)
    cloud.conf.clear_override('novncproxy_base_url', group='vnc')


@pytest.fixture(scope='module')
def vnc_server():
    server = FakeVNCServer()
    yield server
    server.close()


@pytest.fixture(scope='module')
def server(cloud, vnc_server):
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers', {'server': {
        'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
    assert resp.status == 202, resp
    server = cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE',
                                   api=demo)
    # The guest's VNC server is the fake one.
    cloud.compute('compute1').driver.vnc_ports[server['id']] = \
        vnc_server.port
    return server


def _console_url(cloud, server, version='2.6'):
    resp = cloud.api.as_user('demo:demo').post(
        '/v2.1/servers/%s/remote-consoles' % server['id'], VNC,
        version=version)
    assert resp.status == 200, resp
    return resp.body['remote_console']['url']


def _with_token(url, token):
    """url with its token replaced (as Tempest's test_novnc_bad_token)."""
    parts = urlparse.urlparse(url)
    return parts._replace(query=urlparse.urlencode(
        {'path': '?token=%s' % token})).geturl()


def _status_line(websocket):
    return websocket.response.split(b'\r\n', 1)[0].decode()


def test_the_novnc_page_is_served(cloud, proxy, server):
    with urllib.request.urlopen(_console_url(cloud, server)) as resp:
        assert resp.status == 200
        assert resp.read() == PAGE


def test_rfb_through_the_proxy(cloud, proxy, server, vnc_server):
    """What Tempest's test_novnc checks, with its own websocket client."""
    websocket = tempest_compute.create_websocket(_console_url(cloud, server))
    try:
        # Tempest's validate_websocket_upgrade.
        assert _status_line(websocket) == \
            'HTTP/1.1 101 Switching Protocols', websocket.response
        assert 'upgrade: websocket' in str(websocket.response).lower()
        data = websocket.receive_frame()
        assert data == b'RFB 003.008\n'
        websocket.send_frame(data)
        assert websocket.receive_frame() == bytes((1, 1))
        websocket.send_frame(bytes((1,)))
        assert websocket.receive_frame() == bytes(4)
        websocket.send_frame(bytes((1,)))
        data = websocket.receive_frame()
        assert len(data) == 24 + len(NAME)
        assert struct.unpack('>L', data[20:24])[0] == len(NAME)
        assert data[24:] == NAME
    finally:
        websocket.close()


def test_the_token_may_come_as_a_cookie(cloud, proxy, server):
    """Older noVNCs: GET /websockify with the token in a cookie (Tempest's
    client sends the URL's query as its Cookie header)."""
    token = urlparse.parse_qs(urlparse.urlparse(urlparse.parse_qs(
        urlparse.urlparse(_console_url(cloud, server)).query)['path'][0])
        .query)['token'][0]
    url = 'http://127.0.0.1:%d/vnc_auto.html?token=%s' % (
        proxy._listener.getsockname()[1], token)
    websocket = tempest_compute.create_websocket(url)
    try:
        assert _status_line(websocket).startswith('HTTP/1.1 101')
        assert websocket.receive_frame() == b'RFB 003.008\n'
    finally:
        websocket.close()


def _refused(url, status, reason, headers=None):
    if headers:
        websocket = _raw_websocket(url, headers)
    else:
        websocket = tempest_compute.create_websocket(url)
    try:
        assert _status_line(websocket) == 'HTTP/1.1 %d %s' % (status,
                                                               reason)
        # Tempest's test_novnc_bad_token: nothing comes, the proxy closed.
        assert not websocket.receive_frame()
    finally:
        websocket.close()


def _raw_websocket(url, headers):
    """Tempest's client with headers of our own (an Origin)."""
    parts = urlparse.urlparse(url)
    sock = socket.create_connection((parts.hostname, parts.port))
    path = urlparse.parse_qs(parts.query)['path'][0]
    request = ('GET /%s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n'
               'Connection: Upgrade\r\nSec-WebSocket-Key: '
               'x3JJHMbDL1EzLkh9GBhXDw==\r\nSec-WebSocket-Version: 13\r\n'
               % (path, parts.hostname, parts.port))
    request += ''.join('%s: %s\r\n' % item for item in headers.items())
    sock.sendall((request + '\r\n').encode())
    websocket = tempest_compute._WebSocket.__new__(tempest_compute._WebSocket)
    websocket._socket = sock
    websocket.cached_stream = b''
    websocket.response = b''
    while b'\r\n\r\n' not in websocket.response:
        data = sock.recv(4096)
        if not data:
            break
        websocket.response += data
    return websocket


def test_a_bad_token_is_refused(cloud, proxy, server, vnc_server):
    before = vnc_server.clients
    url = _console_url(cloud, server)
    _refused(_with_token(url, 'bad'), 403,
             'The console token is invalid or has expired.')
    assert vnc_server.clients == before


def test_no_token_is_refused(cloud, proxy, server):
    url = _console_url(cloud, server)
    _refused(urlparse.urlparse(url)._replace(query='path=%3Fx%3D1')
             .geturl(), 400, 'No console token in the request.')


def test_an_expired_token_is_refused(cloud, proxy, server, vnc_server):
    cloud.conf.set_override('token_ttl', 1, group='consoleauth')
    try:
        url = _console_url(cloud, server)
    finally:
        cloud.conf.clear_override('token_ttl', group='consoleauth')
    time.sleep(1.1)
    before = vnc_server.clients
    _refused(url, 403, 'The console token is invalid or has expired.')
    assert vnc_server.clients == before


def test_a_page_of_another_site_is_refused(cloud, proxy, server):
    url = _console_url(cloud, server)
    _refused(url, 403, 'Origin header does not match this host.',
             headers={'Origin': 'http://evil.example.com'})


def test_a_page_of_the_proxy_itself_is_accepted(cloud, proxy, server):
    url = _console_url(cloud, server)
    websocket = _raw_websocket(url, {'Origin': 'http://127.0.0.1:%d'
                                     % urlparse.urlparse(url).port})
    try:
        assert _status_line(websocket).startswith('HTTP/1.1 101')
        assert websocket.receive_frame() == b'RFB 003.008\n'
    finally:
        websocket.close()


def test_a_console_whose_port_changed_is_refused(cloud, proxy, server,
                                                 vnc_server):
    """A guest started again may have another VNC port; the token's old
    one may be another guest's by then."""
    url = _console_url(cloud, server)
    driver = cloud.compute('compute1').driver
    driver.vnc_ports[server['id']] = vnc_server.port + 1
    try:
        _refused(url, 403, 'The console moved (the server was started '
                           'again): ask for a new console.')
    finally:
        driver.vnc_ports[server['id']] = vnc_server.port
