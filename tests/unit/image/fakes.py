"""A small in-process Image API v2 on 127.0.0.1 that records its requests."""

import hashlib
import http.server
import json
import threading
import time
import urllib.parse
import uuid


class Request:

    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def __repr__(self):
        return '%s %s' % (self.method, self.path)


class _LocalServer:
    """An HTTP server on a free port of 127.0.0.1, in a thread."""

    def _serve(self, handler):
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      handler)
        self.server.daemon_threads = True
        self.url = 'http://127.0.0.1:%d' % self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={'poll_interval': 0.05},
                                       daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class FakeImageAPI(_LocalServer):
    """Images live in ``images`` (metadata) and ``data`` (bytes).

    ``fail`` holds status codes answered (and consumed) before any request
    is served; ``fail_after`` those answered (and consumed) after a request
    was served (an answer lost); ``corrupt`` holds image ids whose data is
    sent altered;
    ``download_delay`` slows every data download.
    """

    def __init__(self):
        self.images = {}
        self.data = {}
        self.requests = []
        self.fail = []
        self.fail_after = []
        self.corrupt = set()
        self.download_delay = 0.0
        self.lock = threading.Lock()
        self._serve(_handler(self))
        self.endpoint = self.url

    def add_image(self, data=None, **values):
        image_id = values.pop('id', None) or str(uuid.uuid4())
        image = {'id': image_id, 'name': None, 'status': 'queued',
                 'disk_format': None, 'container_format': None,
                 'size': None, 'virtual_size': None, 'checksum': None,
                 'os_hash_algo': None, 'os_hash_value': None,
                 'min_disk': 0, 'min_ram': 0, 'owner': None,
                 'visibility': 'shared', 'protected': False,
                 'os_hidden': False, 'tags': [],
                 'created_at': '2026-11-22T04:05:06Z',
                 'updated_at': '2026-11-22T04:05:06Z',
                 'self': '/v2/images/' + image_id,
                 'file': '/v2/images/%s/file' % image_id,
                 'schema': '/v2/schemas/image'}
        image.update(values)
        self.images[image_id] = image
        if data is not None:
            self.set_data(image_id, data)
        return image

    def set_data(self, image_id, data):
        image = self.images[image_id]
        self.data[image_id] = data
        image.update(status='active', size=len(data),
                     checksum=hashlib.md5(data).hexdigest(),
                     os_hash_algo='sha512',
                     os_hash_value=hashlib.sha512(data).hexdigest())

    def requests_for(self, method, path_suffix=''):
        return [r for r in self.requests
                if r.method == method and r.path.endswith(path_suffix)]


def _handler(api):

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def _body(self):
            if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
                chunks = []
                while True:
                    size = int(self.rfile.readline().split(b';')[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        return b''.join(chunks)
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
            length = int(self.headers.get('Content-Length') or 0)
            return self.rfile.read(length) if length else b''

        def _send(self, status, body=b'', content_type='application/json',
                  headers=None):
            if getattr(self, 'lost', None):
                # Served, but the client hears of a failure.
                status, body, content_type, headers = (
                    self.lost, b'answer lost on purpose', 'text/plain', None)
                self.lost = None
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', content_type)
            self.send_header('Content-Length', str(len(body)))
            self.send_header('x-openstack-request-id',
                             'req-' + str(uuid.uuid4()))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _not_found(self):
            self._send(404, b'<html><body><h1>404 Not Found</h1>No image'
                       b'</body></html>', 'text/html')

        def _handle(self):
            self.lost = None
            url = urllib.parse.urlsplit(self.path)
            request = Request(self.command, url.path,
                              dict(urllib.parse.parse_qsl(url.query)),
                              self.headers, self._body())
            with api.lock:
                api.requests.append(request)
                fail = api.fail.pop(0) if api.fail else None
            if fail:
                return self._send(fail, b'failed on purpose', 'text/plain')
            with api.lock:
                self.lost = api.fail_after.pop(0) if api.fail_after else None
            parts = url.path.strip('/').split('/')
            if parts[:2] != ['v2', 'images']:
                return self._not_found()
            if len(parts) == 2:
                if self.command == 'GET':
                    return self._list(request)
                if self.command == 'POST':
                    values = json.loads(request.body)
                    if values.get('id') in api.images:
                        return self._send(409, b'Image with identifier %s '
                                          b'already exists!' %
                                          values['id'].encode())
                    return self._send(201, api.add_image(**values))
            image = api.images.get(parts[2]) if len(parts) > 2 else None
            if image is None:
                return self._not_found()
            if len(parts) == 3:
                if self.command == 'GET':
                    return self._send(200, image)
                if self.command == 'DELETE':
                    del api.images[image['id']]
                    return self._send(204)
                if self.command == 'PATCH':
                    return self._patch(image, request)
            if parts[3:] == ['file']:
                if self.command == 'PUT':
                    if image['status'] != 'queued':
                        return self._send(409, b'Image is not queued')
                    api.set_data(image['id'], request.body)
                    return self._send(204)
                if self.command == 'GET':
                    return self._download(image)
            return self._send(405)

        def _list(self, request):
            query = request.query
            images = sorted(api.images.values(), key=lambda i: i['id'])
            if 'name' in query:
                images = [i for i in images if i['name'] == query['name']]
            if 'marker' in query:
                images = [i for i in images if i['id'] > query['marker']]
            limit = int(query.get('limit', 25))
            body = {'images': images[:limit], 'first': '/v2/images',
                    'schema': '/v2/schemas/images'}
            if len(images) > limit:
                body['next'] = '/v2/images?marker=%s' % images[limit - 1]['id']
            self._send(200, body)

        def _patch(self, image, request):
            assert request.headers['Content-Type'] == (
                'application/openstack-images-v2.1-json-patch')
            for op in json.loads(request.body):
                key = op['path'][1:].replace('~1', '/').replace('~0', '~')
                if op['op'] == 'remove':
                    image.pop(key)
                else:
                    image[key] = op['value']
            self._send(200, image)

        def _download(self, image):
            if image['id'] not in api.data:
                return self._send(204)
            time.sleep(api.download_delay)
            data = api.data[image['id']]
            if image['id'] in api.corrupt:
                data = b'!' + data[1:]
            self._send(200, data, 'application/octet-stream',
                       {'Content-MD5': image['checksum']})

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    return Handler


class FakeKeystone(_LocalServer):
    """Enough of the Identity API v3 for keystoneauth's password plugins.

    ``users`` maps a user name to its password; ``POST /v3/auth/tokens``
    with one of them answers a fresh token (``X-Subject-Token``, recorded in
    ``tokens``), anything else 401.  ``GET /`` and ``GET /v3`` answer the
    version documents the ``password`` plugin discovers.
    """

    def __init__(self, users=None):
        self.users = dict(users or {})
        self.requests = []
        self.tokens = []
        self.lock = threading.Lock()
        self._serve(_keystone_handler(self))

    def token_requests(self):
        return [r for r in self.requests
                if (r.method, r.path) == ('POST', '/v3/auth/tokens')]

    def version(self):
        return {'id': 'v3.14', 'status': 'stable',
                'updated': '2020-04-07T00:00:00Z',
                'links': [{'rel': 'self', 'href': self.url + '/v3/'}],
                'media-types': [{
                    'base': 'application/json',
                    'type': 'application/vnd.openstack.identity-v3+json'}]}

    def issue(self, body):
        """(token, token body) for an auth request body; None if refused."""
        identity = body['auth']['identity']
        if identity.get('methods') != ['password']:
            return None
        user = identity['password']['user']
        if self.users.get(user.get('name')) != user.get('password'):
            return None
        now = time.time()
        stamp = '%Y-%m-%dT%H:%M:%S.000000Z'
        with self.lock:
            token = 'ks-token-%d-%s' % (len(self.tokens) + 1, user['name'])
            self.tokens.append(token)
        domain = {'id': 'default', 'name': 'Default'}
        scope = body['auth'].get('scope', {}).get('project', {})
        return token, {'token': {
            'methods': ['password'],
            'issued_at': time.strftime(stamp, time.gmtime(now)),
            'expires_at': time.strftime(stamp, time.gmtime(now + 3600)),
            'audit_ids': [uuid.uuid4().hex[:22]],
            'user': {'id': uuid.uuid5(uuid.NAMESPACE_DNS, user['name']).hex,
                     'name': user['name'], 'domain': domain,
                     'password_expires_at': None},
            'project': {'id': uuid.uuid5(uuid.NAMESPACE_DNS,
                                         scope.get('name', '-')).hex,
                        'name': scope.get('name'), 'domain': domain},
            'roles': [{'id': uuid.uuid4().hex, 'name': 'service'}],
            'catalog': []}}


def _keystone_handler(keystone):

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def _send(self, status, body, headers=None):
            body = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _handle(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else b''
            path = urllib.parse.urlsplit(self.path).path.rstrip('/') or '/'
            with keystone.lock:
                keystone.requests.append(Request(self.command, path, {},
                                                 self.headers, body))
            if (self.command, path) == ('GET', '/'):
                return self._send(300, {'versions': {
                    'values': [keystone.version()]}})
            if (self.command, path) == ('GET', '/v3'):
                return self._send(200, {'version': keystone.version()})
            if (self.command, path) == ('POST', '/v3/auth/tokens'):
                issued = keystone.issue(json.loads(body))
                if issued is None:
                    return self._send(401, {'error': {
                        'code': 401, 'title': 'Unauthorized',
                        'message': 'The request you have made requires '
                                   'authentication.'}})
                token, token_body = issued
                return self._send(201, token_body,
                                  {'X-Subject-Token': token})
            return self._send(404, {'error': {'code': 404}})

        do_GET = do_POST = _handle

    return Handler
