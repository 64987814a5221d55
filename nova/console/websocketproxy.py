"""nova-novncproxy: noVNC's files, and websockets proxied to guests' VNC
servers, each after its console token was checked.

A browser opens the console URL nova-api gave (the proxy's noVNC page
with ``path=?token=...``); noVNC then opens a websocket to
``/?token=...`` (older noVNCs send the token as a cookie).  Before the
websocket is accepted the token is checked with the conductor (known, not
expired, its instance not deleted), the Origin against the Host the
browser reached (or [console] allowed_origins), and with the instance's
compute that the guest's VNC server is still where the token says (a
guest started again may have another port, and the old one may be
another guest's).  A refusal is an HTTP error whose reason says why, and
a log line; nothing is proxied.

Connections are served on threads of one process (websockify's own
server forks a process per connection, which would also need an RPC
connection each).
"""

import http.cookies
import os
import re
import select
import socket
import threading
from urllib import parse as urlparse

from oslo_log import log as logging
from oslo_utils import netutils
import websockify

from nova import context as nova_context
from nova import exception

LOG = logging.getLogger(__name__)


# A token in a request line or path as websockify logs them, plain or
# URL-encoded (noVNC's page URL has it in its 'path' parameter).
_TOKEN = re.compile(r'(token(?:=|%3D))[^&\s\'"%]+', re.IGNORECASE)


def mask_tokens(text):
    """text with its console tokens masked: they open consoles."""
    return _TOKEN.sub(r'\1***', text)


class ConsoleRefused(Exception):
    """A websocket not accepted: code is the HTTP status, reason why."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code
        self.reason = reason


def token_of(path, cookie_header):
    """The console token of a websocket request: the query's token=, or
    noVNC's cookie of that name; '' when there is none."""
    query = urlparse.parse_qs(urlparse.urlparse(path).query)
    token = query.get('token', [''])[-1]
    if token or not cookie_header:
        return token
    for part in cookie_header.split(';'):
        cookie = http.cookies.SimpleCookie()
        try:
            cookie.load(part.strip())
        except http.cookies.CookieError:
            # Never the cookie itself in the log: it may hold a token.
            LOG.warning('A malformed cookie was ignored')
            continue
        if 'token' in cookie:
            return cookie['token'].value
    return ''


def check_origin(headers, access_url_base, allowed_origins):
    """Refuse a browser page of another site (a missing Origin is a
    client that is not a browser, as upstream's proxy lets through)."""
    origin = headers.get('Origin')
    if origin is None:
        return
    parts = urlparse.urlparse(origin)
    scheme = headers.get('X-Forwarded-Proto') or parts.scheme
    if not parts.hostname or not scheme:
        raise ConsoleRefused(403, 'Origin header not valid.')
    host = netutils.parse_host_port(headers.get('Host') or '')[0]
    if parts.hostname not in list(allowed_origins) + [host]:
        raise ConsoleRefused(403, 'Origin header does not match this '
                                  'host.')
    expected = urlparse.urlparse(access_url_base or '').scheme
    allowed = {expected, {'ws': 'http', 'wss': 'https'}.get(expected)}
    if scheme not in allowed:
        raise ConsoleRefused(403, 'Origin header protocol does not match '
                                  'this host.')


class NovaProxyRequestHandler(websockify.ProxyRequestHandler):

    # SimpleHTTPRequestHandler serves the process's working directory
    # unless told otherwise (websockify chdirs there): here, the
    # server's noVNC directory, whatever the working directory.
    @property
    def directory(self):
        return self.server.web

    @directory.setter
    def directory(self, value):
        pass

    def log_message(self, format, *args):
        # websockify logs each websocket's path, the token in it.
        LOG.info('%s %s', self.client_address[0],
                 mask_tokens(format % args))

    def handle_upgrade(self):
        """Check the connection before the websocket is accepted: a
        refusal answers an HTTP error, never a websocket."""
        self.context = nova_context.get_admin_context()
        nova_context.bind(self.context)
        client = self.client_address[0]
        try:
            self.connect_info = self.server.check_connection(
                self.context, self.path, self.headers)
        except ConsoleRefused as e:
            LOG.warning('Console connection from %s refused: %s', client,
                        e.reason)
            self.send_response(e.code, e.reason)
            self.send_header('Content-Length', '0')
            self.send_header('Connection', 'close')
            self.end_headers()
            self.close_connection = True
            return
        info = self.connect_info
        LOG.info('Console connection from %s accepted: %s console at '
                 '%s:%s', client, info['console_type'], info['host'],
                 info['port'], instance_uuid=info['instance_uuid'])
        super().handle_upgrade()

    def new_websocket_client(self):
        info = self.connect_info
        host, port = info['host'], info['port']
        try:
            target = self.server.socket(host, port, connect=True)
        except OSError as e:
            LOG.warning('Could not reach the console at %s:%s: %s', host,
                        port, e, instance_uuid=info['instance_uuid'])
            raise self.CClose(1011, 'Failed to connect to the console')
        target.setsockopt(socket.SOL_TCP, socket.TCP_NODELAY, 1)
        try:
            self.do_proxy(target)
        finally:
            try:
                target.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            target.close()
            LOG.info('Console connection to %s:%s closed', host, port,
                     instance_uuid=info['instance_uuid'])


class NovaWebSocketProxy(websockify.WebSocketProxy):
    """The proxy: conductor and compute_rpc are the RPC clients that
    check tokens and ports."""

    def __init__(self, conf, conductor, compute_rpc, listen_host=None,
                 listen_port=None):
        self.conf = conf
        self.conductor = conductor
        self.compute_rpc = compute_rpc
        super().__init__(
            RequestHandlerClass=NovaProxyRequestHandler,
            listen_host=(conf.vnc.novncproxy_host if listen_host is None
                         else listen_host),
            listen_port=(conf.vnc.novncproxy_port if listen_port is None
                         else listen_port),
            # No TLS here (a TLS terminator in front serves https): no
            # certificate, as upstream's default self.pem is absent.
            cert='self.pem', file_only=True, web='')
        # Set after websockify's __init__, which would chdir there.
        self.web = os.path.abspath(conf.vnc.web) if conf.vnc.web else ''
        self.only_upgrade = not self.web
        self._listener = None
        self._stop = threading.Event()

    @staticmethod
    def get_logger():
        return LOG

    def check_connection(self, ctxt, path, headers):
        """The token's connect info ({'instance_uuid', 'host', 'port',
        'console_type', 'compute_host', ...}) or ConsoleRefused."""
        token = token_of(path, headers.get('Cookie'))
        if not token:
            raise ConsoleRefused(400, 'No console token in the request.')
        try:
            info = self.conductor.console_auth_token_validate(ctxt, token)
        except exception.InvalidToken as e:
            raise ConsoleRefused(403, e.format_message())
        check_origin(headers, info.get('access_url_base'),
                     self.conf.console.allowed_origins)
        try:
            where = self.compute_rpc.get_vnc_console(
                ctxt, info['compute_host'], info['instance_uuid'])
        except exception.NovaException as e:
            raise ConsoleRefused(403, 'The console is not available: %s'
                                 % e.format_message())
        except Exception as e:
            LOG.warning('The compute %s did not tell where the console '
                        'is: %s', info['compute_host'], e,
                        instance_uuid=info['instance_uuid'])
            raise ConsoleRefused(503, 'The console\'s compute host did '
                                      'not answer.')
        if (where['host'], int(where['port'])) != (info['host'],
                                                   int(info['port'])):
            raise ConsoleRefused(403, 'The console moved (the server was '
                                      'started again): ask for a new '
                                      'console.')
        return info

    def listen(self):
        """Bind the listening socket; returns (host, port) bound."""
        self._listener = self.socket(self.listen_host, self.listen_port,
                                     False, self.prefer_ipv6)
        return self._listener.getsockname()[:2]

    def serve(self):
        """Accept connections until stop(), each on a thread of its own."""
        if self._listener is None:
            self.listen()
        host, port = self._listener.getsockname()[:2]
        LOG.info('nova-novncproxy listening on %s:%s, serving noVNC from '
                 '%s', host, port, self.web or '(nothing)')
        try:
            while not self._stop.is_set():
                if not select.select([self._listener], [], [], 0.5)[0]:
                    continue
                try:
                    sock, address = self._listener.accept()
                except OSError:
                    continue
                threading.Thread(target=self._client, args=(sock, address),
                                 name='console-%s' % address[0],
                                 daemon=True).start()
        finally:
            self._listener.close()

    def _client(self, sock, address):
        try:
            self.top_new_client(sock, address)
        finally:
            sock.close()

    def stop(self):
        self._stop.set()
