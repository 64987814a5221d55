"""Server boot, delete and list timings against a running deployment.

Not a pytest module: run it by hand against a control plane brought up by
devstack/stack.sh (see tests/perf/README.rst for the settings it needs)::

    python tests/perf/bench_servers.py [--count 50] [--concurrency 5]
        [--list-servers 1000] [--list-repeats 20] [--keep]
        [--operations all|OP,OP... [--op-servers 5]]

Phases, Rally style (a pool of workers, each with its own persistent HTTP
connection, taking the next server when it is done with the last):

boot    POST /servers, then GET /servers/{id} every --poll-interval until
        the server is ACTIVE with task_state null (or ERROR).  Measured
        from just before the POST to the response of the first GET that
        shows it ACTIVE.
delete  DELETE /servers/{id}, then GET until 404.  Measured from just
        before the DELETE to the response of the first 404.
list    brings the project to --list-servers servers (booting the missing
        ones at --list-concurrency), then times GET /servers/detail
        (and, for comparison, GET /servers) with limit=--list-limit,
        --list-repeats times.  The servers it booted are deleted afterwards
        unless --keep.
ops     (--operations, off by default) boots --op-servers servers at
        --concurrency, then runs the lifecycle operations (OPERATIONS
        below) in order, each on every server (--concurrency at a time):
        POST /servers/{id}/action at compute 2.92, then GET /servers/{id}
        until the final status with task_state null.  Measured from just
        before the POST to the response of that GET.  One table: p50 /
        p95 / max per operation.  An operation that ends in ERROR, ends
        elsewhere, records a failed event in its instance action or times
        out is an error; that server sits out the rest (until it is
        ACTIVE again).  createImage's snapshot must become active in
        Glance and is deleted there.  resize, confirmResize, migrate and
        revertResize are skipped unless two nova-compute are up.  The
        servers are deleted at the end unless --keep.

Each phase prints count, errors, p50 / p95 / max in ms and throughput
(servers per second over the phase's wall time).  A server that ends in
ERROR is an error, printed with its fault message.  The exit status is 0
when nothing failed, 1 when a request failed or a server went to ERROR or
timed out, 2 when the deployment is not set up for the benchmark (quota,
image), 130 after Ctrl-C (what this run created is deleted first, unless
--keep).

Only the standard library is used, so it runs from any Python 3.9+.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import platform
import queue
import select
import socket
import statistics
import sys
import threading
import time
import urllib.parse
import uuid

QUOTA_HELP = """\
The deployment refused to create servers because of a quota:
    %s
The benchmark needs a project without instance, core and RAM limits.
nova-api takes them from [quota] in nova.conf:

    [quota]
    instances = -1
    cores = -1
    ram = -1

(or start the services with OS_QUOTA__INSTANCES=-1 OS_QUOTA__CORES=-1
OS_QUOTA__RAM=-1 in their environment, which oslo.config reads before
nova.conf), then restart nova-api.  See tests/perf/README.rst."""

CAPACITY_HELP = """\
Servers went to ERROR with "No valid host": the compute hosts are full.
The fake driver reports [fake_driver] vcpus (default 64, times
cpu_allocation_ratio 4.0) and memory_mb (default 131072, less
reserved_host_memory_mb 512) per host: 256 m1.tiny at most.  For %d
m1.tiny set, for nova-compute (nova.conf, or OS_FAKE_DRIVER__VCPUS and
OS_FAKE_DRIVER__MEMORY_MB in its environment), e.g.:

    [fake_driver]
    vcpus = 512
    memory_mb = 1048576

or run more nova-compute hosts.  See tests/perf/README.rst."""

ADDRESS_HELP = """\
Servers went to ERROR with "No fixed IP addresses available".  The flat
network hands out the addresses of [network] fixed_range_v4 (default
10.0.0.0/24: 253 of them); for %d servers nova-compute needs a larger
range (nova.conf, or OS_NETWORK__FIXED_RANGE_V4 in its environment), e.g.:

    [network]
    fixed_range_v4 = 10.0.0.0/20

(Servers being deleted still hold their addresses until the delete ends.)
See tests/perf/README.rst."""

# The lifecycle operations of --operations, in the order they run on each
# server: each one starts from the state the one before left.  name (as
# given to --operations), the action's body (None: built per server, see
# Bench.op_body), the status of a successful POST, the final status.
OPERATIONS = (
    ('os-stop', {'os-stop': None}, 202, 'SHUTOFF'),
    ('os-start', {'os-start': None}, 202, 'ACTIVE'),
    ('reboot-soft', {'reboot': {'type': 'SOFT'}}, 202, 'ACTIVE'),
    ('reboot-hard', {'reboot': {'type': 'HARD'}}, 202, 'ACTIVE'),
    ('pause', {'pause': None}, 202, 'PAUSED'),
    ('unpause', {'unpause': None}, 202, 'ACTIVE'),
    ('suspend', {'suspend': None}, 202, 'SUSPENDED'),
    ('resume', {'resume': None}, 202, 'ACTIVE'),
    ('rescue', {'rescue': None}, 200, 'RESCUE'),
    ('unrescue', {'unrescue': None}, 202, 'ACTIVE'),
    ('createImage', None, 202, 'ACTIVE'),
    ('rebuild', None, 202, 'ACTIVE'),
    ('shelve', {'shelve': None}, 202, 'SHELVED_OFFLOADED'),
    ('unshelve', {'unshelve': None}, 202, 'ACTIVE'),
    ('resize', None, 202, 'VERIFY_RESIZE'),
    ('confirmResize', {'confirmResize': None}, 204, 'ACTIVE'),
    ('migrate', {'migrate': None}, 202, 'VERIFY_RESIZE'),
    ('revertResize', {'revertResize': None}, 202, 'ACTIVE'),
)
OP_NAMES = tuple(op[0] for op in OPERATIONS)
OP_SPECS = {op[0]: op for op in OPERATIONS}
# Selected together: the second needs the first before it, and what comes
# after needs the second (the server ACTIVE again).
OP_GROUPS = (('os-stop', 'os-start'), ('reboot-soft',), ('reboot-hard',),
             ('pause', 'unpause'), ('suspend', 'resume'),
             ('rescue', 'unrescue'), ('createImage',), ('rebuild',),
             ('shelve', 'unshelve'), ('resize', 'confirmResize'),
             ('migrate', 'revertResize'))
# They move the server to another nova-compute.
OP_MOVES = ('resize', 'confirmResize', 'migrate', 'revertResize')
# The actions are always sent at this microversion (createImage answers
# with the image id from 2.45).
OP_MICROVERSION = '2.92'


def parse_operations(value):
    """'all' or a comma list of OP_NAMES (case does not matter; 'reboot'
    is both reboots) -> the selected names, whole OP_GROUPS, in the order
    of OPERATIONS; ValueError when a name is unknown."""
    if value is None or not value.strip():
        return []
    lower = {name.lower(): name for name in OP_NAMES}
    wanted = set()
    for word in value.split(','):
        word = word.strip().lower()
        if not word:
            continue
        if word == 'all':
            wanted.update(OP_NAMES)
        elif word == 'reboot':
            wanted.update(('reboot-soft', 'reboot-hard'))
        elif word in lower:
            wanted.add(lower[word])
        else:
            raise ValueError('unknown operation %r; choose from all, %s'
                             % (word, ', '.join(OP_NAMES)))
    for group in OP_GROUPS:
        if wanted.intersection(group):
            wanted.update(group)
    return [name for name in OP_NAMES if name in wanted]


class Interrupted(Exception):
    pass


class QuotaExceeded(Exception):
    pass


class HTTPError(Exception):

    def __init__(self, method, path, status, body, request_id=None):
        self.status = status
        self.body = body
        self.request_id = request_id
        message = _fault_message(body)
        super().__init__('%s %s: %s %s%s' % (
            method, path, status, message,
            ' (%s)' % request_id if request_id else ''))
        self.message = message


def _fault_message(body):
    try:
        doc = json.loads(body)
        (inner,) = doc.values()
        return inner.get('message') or body
    except Exception:
        return (body or b'').decode('utf-8', 'replace')[:300] \
            if isinstance(body, bytes) else str(body)[:300]


class Client:
    """One persistent HTTP/1.1 connection (one per worker thread)."""

    def __init__(self, base_url, headers, timeout=60.0):
        url = urllib.parse.urlsplit(base_url)
        if url.scheme != 'http':
            raise SystemExit('only http:// endpoints are supported: %s'
                             % base_url)
        self.host = url.hostname
        self.port = url.port or 80
        self.prefix = url.path.rstrip('/')
        self.headers = dict(headers)
        self.timeout = timeout
        self.conn = None
        self.requests = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connection(self):
        conn = self.conn
        if conn is not None and conn.sock is not None:
            # The server closed an idle keep-alive connection: the socket
            # is readable (EOF) before we send anything.
            try:
                readable, _, _ = select.select([conn.sock], [], [], 0)
            except (OSError, ValueError):
                readable = True
            if readable:
                self.close()
                conn = None
        if conn is None:
            conn = http.client.HTTPConnection(self.host, self.port,
                                              timeout=self.timeout)
            conn.connect()
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.conn = conn
        return conn

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes); retries once on a dropped
        connection (never a POST whose request went out)."""
        url = path if path.startswith('http') else self.prefix + path
        if url.startswith('http'):
            parts = urllib.parse.urlsplit(url)
            url = parts.path + ('?' + parts.query if parts.query else '')
        all_headers = dict(self.headers)
        if body is not None:
            body = json.dumps(body).encode()
            all_headers['Content-Type'] = 'application/json'
        all_headers.update(headers or {})
        for attempt in (1, 2):
            conn = self._connection()
            sent = False
            try:
                conn.request(method, url, body=body, headers=all_headers)
                sent = True
                resp = conn.getresponse()
                data = resp.read()
            except (http.client.HTTPException, ConnectionError,
                    BrokenPipeError, socket.timeout, OSError):
                self.close()
                if attempt == 2 or (sent and method == 'POST'):
                    raise
                continue
            self.requests += 1
            if resp.will_close:
                self.close()
            return resp.status, resp.headers, data
        raise AssertionError('unreachable')

    def json(self, method, path, body=None, expect=(200,), headers=None):
        status, resp_headers, data = self.request(method, path, body,
                                                  headers)
        if status not in expect:
            raise HTTPError(method, path, status, data,
                            resp_headers.get('x-openstack-request-id'))
        return json.loads(data) if data else None


class Result:

    def __init__(self, name):
        self.name = name
        self.server_id = None
        self.ok = False
        self.error = None
        self.seconds = None      # the measured interval
        self.call_seconds = None  # the POST or the DELETE alone
        self.request_id = None
        self.polls = 0
        self.started_at = None   # wall clock, to match the services' logs
        self.extra = {}          # e.g. createImage's image id and timing

    def as_dict(self, phase):
        doc = {'phase': phase, 'name': self.name, 'id': self.server_id,
               'ok': self.ok, 'error': self.error,
               'started_at': self.started_at, 'seconds': self.seconds,
               'call_seconds': self.call_seconds,
               'request_id': self.request_id, 'polls': self.polls}
        doc.update(self.extra)
        return doc


def percentile(sorted_values, fraction):
    """Nearest rank, as scheduler_bench.py."""
    if not sorted_values:
        return float('nan')
    rank = max(1, int(math.ceil(fraction * len(sorted_values))))
    return sorted_values[rank - 1]


def stats_line(seconds):
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return 'p50 -  p95 -  max -'
    return 'p50 %.1f ms  p95 %.1f ms  max %.1f ms' % (
        statistics.median(ms), percentile(ms, 0.95), ms[-1])


class Bench:

    def __init__(self, args):
        self.args = args
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.created = set()    # ids this run created and has not seen go
        self.images = set()     # createImage snapshots not deleted yet
        self.run_id = uuid.uuid4().hex[:6]
        self.unexpected = []    # failures that make the exit status 1
        self.quota_message = None
        self.headers = {
            'X-Auth-Token': args.token,
            'OpenStack-API-Version': 'compute %s' % args.microversion,
            'Accept': 'application/json',
            'User-Agent': 'nova-bench-servers',
        }
        self.version = tuple(int(p) for p in args.microversion.split('.'))

    def client(self):
        return Client(self.args.endpoint, self.headers,
                      timeout=self.args.http_timeout)

    # -- workers ---------------------------------------------------------

    def run_pool(self, items, work, concurrency, label):
        """work(client, item) -> Result for every item, at most
        concurrency at a time; returns (results, wall seconds)."""
        todo = queue.Queue()
        for item in items:
            todo.put(item)
        results = []

        def worker():
            client = self.client()
            try:
                while not self.stop.is_set():
                    try:
                        item = todo.get_nowait()
                    except queue.Empty:
                        return
                    result = work(client, item)
                    with self.lock:
                        results.append(result)
            finally:
                client.close()

        threads = [threading.Thread(target=worker, daemon=True,
                                    name='%s-%d' % (label, i))
                   for i in range(min(concurrency, len(items)) or 0)]
        start = time.perf_counter()
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                while thread.is_alive():
                    thread.join(0.2)   # short joins keep Ctrl-C responsive
        except KeyboardInterrupt:
            # Let the workers finish their request in flight, so that every
            # server they created is in self.created before the clean-up.
            self.stop.set()
            for thread in threads:
                thread.join(self.args.http_timeout)
            raise Interrupted()
        wall = time.perf_counter() - start
        if self.quota_message:
            raise QuotaExceeded(self.quota_message)
        if self.stop.is_set():
            raise Interrupted()
        return results, wall

    def _sleep(self, seconds):
        if self.stop.wait(seconds):
            raise Interrupted()

    def boot_one(self, client, name, poll_interval):
        result = Result(name)
        body = {'server': {'name': name, 'imageRef': self.image_id,
                           'flavorRef': self.args.flavor}}
        if self.version >= (2, 37):
            body['server']['networks'] = 'auto'
        request_id = 'req-' + str(uuid.uuid4())
        result.request_id = request_id
        try:
            result.started_at = time.time()
            start = time.perf_counter()
            status, headers, data = client.request(
                'POST', '/servers', body,
                {'X-OpenStack-Request-ID': request_id})
            result.call_seconds = time.perf_counter() - start
            if status == 403 and b'uota' in data:
                raise QuotaExceeded(_fault_message(data))
            if status != 202:
                raise HTTPError('POST', '/servers', status, data,
                                headers.get('x-openstack-request-id'))
            server_id = json.loads(data)['server']['id']
            result.server_id = server_id
            with self.lock:
                self.created.add(server_id)
            deadline = start + self.args.timeout
            while True:
                server = client.json('GET', '/servers/%s' % server_id)
                now = time.perf_counter()
                result.polls += 1
                server = server['server']
                if server['status'] == 'ACTIVE' and \
                        server.get('OS-EXT-STS:task_state') is None:
                    result.seconds = now - start
                    result.ok = True
                    return result
                if server['status'] == 'ERROR':
                    result.error = 'ERROR: %s' % (
                        (server.get('fault') or {}).get('message')
                        or 'no fault recorded')
                    return result
                if now > deadline:
                    result.error = 'timed out after %ds in %s/%s' % (
                        self.args.timeout, server['status'],
                        server.get('OS-EXT-STS:task_state'))
                    with self.lock:
                        self.unexpected.append('%s: %s'
                                               % (name, result.error))
                    return result
                self._sleep(poll_interval)
        except QuotaExceeded as e:
            self.stop.set()
            result.error = e.args[0]
            with self.lock:
                self.quota_message = e.args[0]
            return result
        except Interrupted:
            result.error = 'interrupted'
            return result
        except Exception as e:
            result.error = '%s: %s' % (type(e).__name__, e)
            with self.lock:
                self.unexpected.append('%s: %s' % (name, result.error))
            return result

    def delete_one(self, client, server_id, poll_interval):
        result = Result(server_id)
        result.server_id = server_id
        try:
            result.started_at = time.time()
            start = time.perf_counter()
            status, headers, data = client.request(
                'DELETE', '/servers/%s' % server_id)
            result.call_seconds = time.perf_counter() - start
            result.request_id = headers.get('x-openstack-request-id')
            if status == 404:
                raise HTTPError('DELETE', '/servers/%s' % server_id, status,
                                data, result.request_id)
            if status not in (202, 204):
                raise HTTPError('DELETE', '/servers/%s' % server_id, status,
                                data, result.request_id)
            deadline = start + self.args.timeout
            while True:
                status, _h, data = client.request(
                    'GET', '/servers/%s' % server_id)
                now = time.perf_counter()
                result.polls += 1
                if status == 404:
                    result.seconds = now - start
                    result.ok = True
                    with self.lock:
                        self.created.discard(server_id)
                    return result
                if status != 200:
                    raise HTTPError('GET', '/servers/%s' % server_id,
                                    status, data)
                server = json.loads(data)['server']
                if server['status'] == 'ERROR' and \
                        server.get('OS-EXT-STS:task_state') is None:
                    result.error = 'ERROR: %s' % (
                        (server.get('fault') or {}).get('message')
                        or 'no fault recorded')
                    return result
                if now > deadline:
                    result.error = 'timed out after %ds in %s/%s' % (
                        self.args.timeout, server['status'],
                        server.get('OS-EXT-STS:task_state'))
                    with self.lock:
                        self.unexpected.append('delete %s: %s'
                                               % (server_id, result.error))
                    return result
                self._sleep(poll_interval)
        except Interrupted:
            result.error = 'interrupted'
            return result
        except Exception as e:
            result.error = '%s: %s' % (type(e).__name__, e)
            with self.lock:
                self.unexpected.append('delete %s: %s'
                                       % (server_id, result.error))
            return result

    # -- lifecycle operations (--operations) -------------------------------

    def op_body(self, name, server):
        spec = OP_SPECS[name]
        if spec[1] is not None:
            return spec[1]
        if name == 'createImage':
            return {'createImage': {'name': '%s-snapshot-%s' % (
                server['name'], uuid.uuid4().hex[:6])}}
        if name == 'rebuild':
            return {'rebuild': {'imageRef': self.image_id}}
        if name == 'resize':
            return {'resize': {'flavorRef': self.args.op_resize_flavor}}
        raise AssertionError(name)

    def action_failure(self, client, server_id, request_id):
        """The first failed event of the instance action request_id, as
        'event: message', or None (also when the action cannot be read)."""
        try:
            action = client.json('GET', '/servers/%s/os-instance-actions/%s'
                                 % (server_id, request_id))
        except Exception:
            return None
        for event in action['instanceAction'].get('events') or ():
            if event.get('result') == 'Error':
                message = event.get('details')
                if not message and event.get('traceback'):
                    message = event['traceback'].strip().splitlines()[-1]
                return '%s: %s' % (event.get('event'),
                                   message or 'failed')
        return None

    def op_one(self, client, server, name):
        """POST the action, then GET the server until it shows the final
        status with task_state null; Result.seconds covers both."""
        _name, _body, expect, final = OP_SPECS[name]
        server_id = server['id']
        result = Result(server['name'])
        result.server_id = server_id
        path = '/servers/%s/action' % server_id
        global_id = 'req-' + str(uuid.uuid4())
        result.request_id = global_id
        body = self.op_body(name, server)
        try:
            result.started_at = time.time()
            start = time.perf_counter()
            status, headers, data = client.request(
                'POST', path, body,
                {'OpenStack-API-Version': 'compute %s' % OP_MICROVERSION,
                 'X-OpenStack-Request-ID': global_id})
            result.call_seconds = time.perf_counter() - start
            result.request_id = headers.get('x-openstack-request-id') or \
                global_id
            if status != expect:
                raise HTTPError('POST', '%s (%s)' % (path, name), status,
                                data, result.request_id)
            doc = json.loads(data) if data else {}
            if name == 'rescue' and not doc.get('adminPass'):
                raise HTTPError('POST', '%s (%s)' % (path, name), status,
                                'the response has no adminPass',
                                result.request_id)
            image_id = None
            if name == 'createImage':
                image_id = doc.get('image_id') or \
                    (headers.get('Location') or '').rstrip('/') \
                    .rsplit('/', 1)[-1] or None
                if not image_id:
                    raise HTTPError('POST', '%s (%s)' % (path, name),
                                    status, 'no image id in the response',
                                    result.request_id)
                result.extra['image_id'] = image_id
                with self.lock:
                    self.images.add(image_id)
            deadline = start + self.args.timeout
            while True:
                shown = client.json('GET', '/servers/%s' % server_id)
                now = time.perf_counter()
                result.polls += 1
                shown = shown['server']
                state = shown['status']
                task = shown.get('OS-EXT-STS:task_state')
                if state == final and task is None:
                    result.seconds = now - start
                    break
                if state == 'ERROR':
                    result.error = 'ERROR: %s' % (
                        (shown.get('fault') or {}).get('message')
                        or self.action_failure(client, server_id,
                                               result.request_id)
                        or 'no fault recorded')
                    return result
                if task is None and name != 'confirmResize':
                    # The API set a task_state before answering, and the
                    # compute clears it at the end, failed or not.
                    # (confirmResize sets none: VERIFY_RESIZE until done.)
                    # The failed event may be recorded just after.
                    failure = self.action_failure(client, server_id,
                                                  result.request_id)
                    if not failure:
                        self._sleep(0.5)
                        failure = self.action_failure(
                            client, server_id, result.request_id)
                    result.error = 'ended in %s, not %s: %s' % (
                        state, final, failure or 'no failed event recorded')
                    return result
                if now > deadline:
                    result.error = 'timed out after %ds in %s/%s' % (
                        self.args.timeout, state, task)
                    with self.lock:
                        self.unexpected.append('%s %s: %s' % (
                            name, server['name'], result.error))
                    return result
                self._sleep(self.args.poll_interval)
            # The final status alone does not tell a reboot, a rebuild or
            # a snapshot that failed (the task_state is cleared all the
            # same): a failed event of the action does.
            failure = self.action_failure(client, server_id,
                                          result.request_id)
            if failure:
                result.error = 'back in %s, but %s' % (final, failure)
                return result
            if image_id:
                error = self.finish_image(image_id, deadline, result)
                if error:
                    result.error = error
                    return result
            result.ok = True
            return result
        except Interrupted:
            result.error = 'interrupted'
            return result
        except Exception as e:
            result.error = '%s: %s' % (type(e).__name__, e)
            return result

    def glance(self):
        """(a Client of the Image API, its path prefix)."""
        url = urllib.parse.urlsplit(self.args.glance_url)
        return (Client('%s://%s' % (url.scheme, url.netloc),
                       {'X-Auth-Token': self.args.token,
                        'Accept': 'application/json'},
                       timeout=self.args.http_timeout),
                url.path.rstrip('/'))

    def finish_image(self, image_id, deadline, result):
        """Wait for the snapshot to be active in Glance, then delete it.
        Returns an error message, or None.  Records in result.extra how
        long it took to be active after the server was (0: at once)."""
        glance, prefix = self.glance()
        path = '%s/v2/images/%s' % (prefix, image_id)
        begin = time.perf_counter()
        first = True
        try:
            while True:
                status, _h, data = glance.request('GET', path)
                now = time.perf_counter()
                if status != 200:
                    return 'image %s: GET %s' % (
                        image_id, HTTPError('GET', path, status, data))
                image_status = json.loads(data)['status']
                if image_status == 'active':
                    result.extra['image_wait_seconds'] = \
                        0.0 if first else now - begin
                    break
                first = False
                if image_status in ('killed', 'deleted',
                                    'pending_delete'):
                    return 'image %s is %s in Glance' % (image_id,
                                                         image_status)
                if now > deadline:
                    return 'image %s still %s in Glance after %ds' % (
                        image_id, image_status, self.args.timeout)
                self._sleep(max(self.args.poll_interval, 0.05))
            status, _h, data = glance.request('DELETE', path)
            if status not in (204, 404):
                message = 'image %s: %s' % (image_id, HTTPError(
                    'DELETE', path, status, data))
                with self.lock:
                    self.unexpected.append('createImage %s: %s'
                                           % (result.name, message))
                return message
            with self.lock:
                self.images.discard(image_id)
            return None
        finally:
            glance.close()

    def delete_images(self):
        """Delete the snapshots a run left (Ctrl-C, failures)."""
        with self.lock:
            ids = sorted(self.images)
        if not ids:
            return
        glance, prefix = self.glance()
        gone = 0
        try:
            for image_id in ids:
                try:
                    status, _h, _d = glance.request(
                        'DELETE', '%s/v2/images/%s' % (prefix, image_id))
                except OSError as e:
                    status = str(e)
                if status in (204, 404):
                    gone += 1
                    with self.lock:
                        self.images.discard(image_id)
                else:
                    print('could not delete image %s: %s'
                          % (image_id, status))
        finally:
            glance.close()
        print('deleted %d of %d snapshot images this run created'
              % (gone, len(ids)))

    def compute_hosts(self, client):
        """Hosts of the nova-compute services up and enabled, or None
        when GET /os-services fails."""
        try:
            services = client.json('GET', '/os-services')['services']
        except Exception:
            return None
        return sorted(s['host'] for s in services
                      if s['binary'] == 'nova-compute' and
                      s['state'] == 'up' and s.get('status') == 'enabled')

    def operations_bench(self, client):
        args = self.args
        ops = list(args.operations)
        skipped, skip_reason = [], None
        if set(ops).intersection(OP_MOVES):
            hosts = self.compute_hosts(client)
            if hosts is None or len(hosts) < 2:
                skipped = [o for o in ops if o in OP_MOVES]
                ops = [o for o in ops if o not in OP_MOVES]
                skip_reason = (
                    'GET /os-services failed (it needs an admin)'
                    if hosts is None else
                    'only %d nova-compute is up and enabled in GET '
                    '/os-services%s' % (len(hosts), ' (%s)' % hosts[0]
                                        if hosts else ''))
        print('ops     booting %d servers at concurrency %d, then %d '
              'operations on each, %d servers at a time' % (
                  args.op_servers, args.concurrency, len(ops),
                  args.concurrency))
        sys.stdout.flush()
        self.check_quota(client, args.op_servers)
        names = ['bench-%s-op-%02d' % (self.run_id, i)
                 for i in range(args.op_servers)]
        results, wall = self.run_pool(
            names, lambda c, n: self.boot_one(c, n, args.poll_interval),
            args.concurrency, 'op-boot')
        errors = self.report('op-boot', 'create->ACTIVE', results, wall,
                             'POST /servers')
        self.check_capacity_errors(errors)
        failed = len(errors)
        booted = sorted((r for r in results if r.server_id),
                        key=lambda r: r.name)
        servers = [{'id': r.server_id, 'name': r.name}
                   for r in booted if r.ok]
        by_op = {}
        out = set()          # ids left out after an error
        notes = []
        groups = [[o for o in group if o in ops] for group in OP_GROUPS]
        start = time.perf_counter()
        for group in [g for g in groups if g]:
            if out:
                self.op_rejoin(client, servers, out, group[0], notes)
            for name in group:
                active = [s for s in servers if s['id'] not in out]
                if not active:
                    break
                results, _wall = self.run_pool(
                    active, lambda c, s, name=name: self.op_one(c, s, name),
                    args.concurrency, name)
                order = {s['id']: i for i, s in enumerate(active)}
                results.sort(key=lambda r: order[r.server_id])
                by_op[name] = results
                for r in results:
                    if not r.ok:
                        out.add(r.server_id)
        wall = time.perf_counter() - start
        if args.results:
            with open(args.results, 'a') as f:
                for name in ops:
                    for r in by_op.get(name, ()):
                        f.write(json.dumps(r.as_dict('op-' + name)) + '\n')
        failed += self.op_table(ops, by_op, skipped, skip_reason, wall,
                                notes)
        ids = [r.server_id for r in booted]
        if ids and not args.keep:
            results, wall = self.run_pool(
                ids, lambda c, i: self.delete_one(c, i, args.poll_interval),
                args.concurrency, 'op-del')
            errors = self.report('op-del', 'delete->gone  ', results, wall,
                                 'DELETE /servers/{id}')
            failed += len(errors)
        elif ids:
            with self.lock:
                self.created.difference_update(ids)
            print('ops     kept the %d servers (--keep): %s'
                  % (len(ids), ' '.join(ids)))
        return failed

    def op_rejoin(self, client, servers, out, name, notes):
        """A server left out after an error takes part again from the
        next pair of operations if it is ACTIVE and idle."""
        for server in servers:
            if server['id'] not in out:
                continue
            try:
                shown = client.json('GET', '/servers/%s'
                                    % server['id'])['server']
            except Exception:
                continue
            if shown['status'] == 'ACTIVE' and \
                    shown.get('OS-EXT-STS:task_state') is None:
                out.discard(server['id'])
                notes.append('server %s was ACTIVE again after its error: '
                             'it ran %s and what follows' % (server['id'],
                                                             name))

    def op_table(self, ops, by_op, skipped, skip_reason, wall, notes):
        print('ops     end to end: from just before POST /servers/{id}/'
              'action (compute %s) to the first GET /servers/{id} with the '
              'final status and task_state null' % OP_MICROVERSION)
        print('%-7s %-14s %-17s %5s %6s %9s %9s %9s %9s %6s' % (
            'ops', 'operation', 'final status', 'count', 'errors',
            'p50 ms', 'p95 ms', 'max ms', 'POST p50', 'GETs'))

        def cell(values, fraction=None):
            if not values:
                return '-'
            ms = sorted(v * 1000 for v in values)
            if fraction is None:
                return '%.1f' % statistics.median(ms)
            return '%.1f' % percentile(ms, fraction)

        errors = []
        for name in ops + skipped:
            final = OP_SPECS[name][3]
            if name in skipped:
                print('%-7s %-14s %-17s %5s' % ('', name, final,
                                                'skipped'))
                continue
            results = by_op.get(name, [])
            ok = [r.seconds for r in results if r.ok]
            bad = [r for r in results if not r.ok]
            errors.extend((name, r) for r in bad)
            calls = [r.call_seconds for r in results
                     if r.call_seconds is not None]
            polls = sum(r.polls for r in results)
            print('%-7s %-14s %-17s %5d %6d %9s %9s %9s %9s %6s' % (
                '', name, final, len(results), len(bad), cell(ok),
                cell(ok, 0.95), cell(ok, 1.0), cell(calls),
                '%.1f' % (polls / len(results)) if results else '-'))
        waits = [r.extra['image_wait_seconds']
                 for r in by_op.get('createImage', ())
                 if 'image_wait_seconds' in r.extra]
        if waits:
            print('%-7s createImage: the snapshot was active in Glance at '
                  'the first GET /v2/images/{id} after the server for %d '
                  'of %d (longest further wait %.1f ms); each deleted '
                  'after with DELETE /v2/images/{id}' % (
                      '', waits.count(0.0), len(waits),
                      max(waits) * 1000))
        done = [(name, r) for name in ops for r in by_op.get(name, ())
                if r.ok]
        print('%-7s %d operations in %.1f s (count: servers that ran it; '
              'POST p50: the POST alone, ms; GETs: polling GETs per '
              'operation)' % ('', sum(len(by_op.get(n, ())) for n in ops),
                              wall))
        if done:
            name, slowest = max(done, key=lambda d: d[1].seconds)
            print('%-7s slowest: %s on server %s, %.1f ms, request %s' % (
                '', name, slowest.server_id, slowest.seconds * 1000,
                slowest.request_id))
        if skipped:
            print('%-7s skipped %s: they need a second compute host, but '
                  '%s' % ('', ', '.join(skipped), skip_reason))
        for name, r in errors:
            print('%-7s error: %s on server %s (%s): %s (request %s)' % (
                '', name, r.server_id, r.name, r.error, r.request_id))
        left, failed_at = {}, set()
        for name in ops:
            ran = {r.server_id for r in by_op.get(name, ())}
            for server_id in failed_at - ran:
                left.setdefault(server_id, []).append(name)
            failed_at.update(r.server_id for r in by_op.get(name, ())
                             if not r.ok)
        for server_id, names in sorted(left.items()):
            print('%-7s server %s did not run %s after its error' % (
                '', server_id, ', '.join(names)))
        for note in notes:
            print('%-7s %s' % ('', note))
        sys.stdout.flush()
        return len(errors)

    # -- reporting -------------------------------------------------------

    def report(self, phase, measured, results, wall, call_label):
        if self.args.results:
            with open(self.args.results, 'a') as f:
                for r in results:
                    f.write(json.dumps(r.as_dict(phase)) + '\n')
        ok = [r for r in results if r.ok]
        errors = [r for r in results if not r.ok]
        polls = sum(r.polls for r in results)
        print('%-7s count %d  errors %d  %s  %s  throughput %.2f servers/s '
              '(wall %.2f s)' % (
                  phase, len(results), len(errors), measured,
                  stats_line([r.seconds for r in ok]),
                  len(ok) / wall if wall else 0.0, wall))
        calls = [r.call_seconds for r in results
                 if r.call_seconds is not None]
        print('%-7s %s alone: %s;  %d polling GETs (%.1f per server)' % (
            '', call_label, stats_line(calls), polls,
            polls / len(results) if results else 0.0))
        if ok:
            slowest = max(ok, key=lambda r: r.seconds)
            print('%-7s slowest: server %s, %.1f ms, request %s' % (
                '', slowest.server_id, slowest.seconds * 1000,
                slowest.request_id))
        for r in errors[:20]:
            print('%-7s error: %s %s' % ('', r.server_id or r.name, r.error))
        if len(errors) > 20:
            print('%-7s ... and %d more errors' % ('', len(errors) - 20))
        sys.stdout.flush()
        return errors

    # -- set-up ----------------------------------------------------------

    def find_image(self):
        if self.args.image_id:
            return self.args.image_id
        glance, prefix = self.glance()
        try:
            images = glance.json('GET', '%s/v2/images?%s' % (
                prefix,
                urllib.parse.urlencode({'name': self.args.image_name})))
        except (OSError, HTTPError) as e:
            raise SystemExit('cannot list images at %s: %s (use --image-id '
                             'or --glance-url)' % (self.args.glance_url, e))
        finally:
            glance.close()
        active = [i for i in images['images'] if i['status'] == 'active']
        if not active:
            print('no active image named %r in %s (stack.sh uploads '
                  'cirros-test; use --image-name or --image-id)'
                  % (self.args.image_name, self.args.glance_url))
            sys.exit(2)
        return active[0]['id']

    def count_servers(self, client):
        """Servers of the project (every page of GET /servers)."""
        total, marker = 0, None
        while True:
            query = {'limit': 1000}
            if marker:
                query['marker'] = marker
            page = client.json('GET', '/servers?' +
                               urllib.parse.urlencode(query))['servers']
            total += len(page)
            if len(page) < 1000:
                return total
            marker = page[-1]['id']

    def check_quota(self, client, needed):
        limits = client.json('GET', '/limits')['limits']['absolute']
        flavor = client.json('GET', '/flavors/%s' % self.args.flavor)
        flavor = flavor['flavor']
        for resource, limit_key, used_key, each in (
                ('instances', 'maxTotalInstances', 'totalInstancesUsed', 1),
                ('cores', 'maxTotalCores', 'totalCoresUsed',
                 flavor['vcpus']),
                ('ram', 'maxTotalRAMSize', 'totalRAMUsed', flavor['ram'])):
            limit, used = limits.get(limit_key, -1), limits.get(used_key, 0)
            if limit >= 0 and used + needed * each > limit:
                print(QUOTA_HELP % (
                    '%s: limit %d, used %d, the benchmark needs %d more'
                    % (resource, limit, used, needed * each)))
                sys.exit(2)

    def machine(self):
        model = '?'
        try:
            with open('/proc/cpuinfo') as f:
                for line in f:
                    if line.startswith('model name'):
                        model = line.split(':', 1)[1].strip()
                        break
        except OSError:
            pass
        memory = '?'
        try:
            with open('/proc/meminfo') as f:
                for line in f:
                    if line.startswith('MemTotal:'):
                        memory = '%.1f GiB' % (int(line.split()[1]) / 2**20)
                        break
        except OSError:
            pass
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:
            cpus = os.cpu_count()
        return cpus, model, memory

    def header(self, client):
        args = self.args
        cpus, model, memory = self.machine()
        try:
            doc = client.json('GET', '/')
            api = 'v2.1 (microversions %s-%s)' % (
                doc['version']['min_version'], doc['version']['version'])
        except Exception as e:
            api = 'version document unavailable: %s' % e
        try:
            services = client.json('GET', '/os-services')['services']
            computes = '%d up' % len([s for s in services
                                      if s['binary'] == 'nova-compute' and
                                      s['state'] == 'up'])
        except Exception:
            computes = 'unknown (os-services needs an admin)'
        print('nova server benchmark (tests/perf/bench_servers.py)')
        print('  date:      %s' % datetime.datetime.now(
            datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S UTC'))
        print('  endpoint:  %s  %s, sending compute %s' % (
            args.endpoint, api, args.microversion))
        print('  machine:   %s, %s CPUs (%s), %s RAM, Python %s' % (
            platform.node(), cpus, model, memory,
            platform.python_version()))
        print('  computes:  %s;  image %s;  flavor %s' % (
            computes, self.image_id, args.flavor))
        print('  settings:  count %d, concurrency %d, poll %g ms, '
              'timeout %d s; list %d servers (fill concurrency %d, poll '
              '%g ms), limit %d, %d repeats%s' % (
                  args.count, args.concurrency, args.poll_interval * 1000,
                  args.timeout, args.list_servers, args.list_concurrency,
                  args.list_poll_interval * 1000, args.list_limit,
                  args.list_repeats, ', keep' if args.keep else ''))
        if args.operations:
            print('  operations: %s on %d servers (resize to flavor %s)' % (
                ', '.join(args.operations), args.op_servers,
                args.op_resize_flavor))
        print('  load:      %.2f %.2f %.2f (1/5/15 min) at start; the client '
              'and the deployment share this machine' % os.getloadavg())
        sys.stdout.flush()

    # -- phases ----------------------------------------------------------

    def boot_and_delete(self):
        args = self.args
        names = ['bench-%s-%03d' % (self.run_id, i)
                 for i in range(args.count)]
        results, wall = self.run_pool(
            names, lambda c, n: self.boot_one(c, n, args.poll_interval),
            args.concurrency, 'boot')
        errors = self.report('boot', 'create->ACTIVE', results, wall,
                             'POST /servers')
        self.check_capacity_errors(errors)
        failed = len(errors)
        ids = [r.server_id for r in results if r.server_id]
        results, wall = self.run_pool(
            ids, lambda c, i: self.delete_one(c, i, args.poll_interval),
            args.concurrency, 'delete')
        errors = self.report('delete', 'delete->gone  ', results, wall,
                             'DELETE /servers/{id}')
        return failed + len(errors)

    def check_capacity_errors(self, errors):
        needed = max(self.args.list_servers, self.args.count)
        messages = ' '.join(r.error or '' for r in errors)
        if 'No valid host' in messages:
            print(CAPACITY_HELP % needed)
        if 'No fixed IP addresses' in messages:
            print(ADDRESS_HELP % needed)

    def list_bench(self, client):
        args = self.args
        existing = self.count_servers(client)
        missing = max(0, args.list_servers - existing)
        failed = 0
        filled = []
        print('list    the project has %d servers; booting %d more at '
              'concurrency %d' % (existing, missing, args.list_concurrency))
        sys.stdout.flush()
        if missing:
            self.check_quota(client, missing)
            names = ['bench-%s-list-%04d' % (self.run_id, i)
                     for i in range(missing)]
            results, wall = self.run_pool(
                names,
                lambda c, n: self.boot_one(c, n, args.list_poll_interval),
                args.list_concurrency, 'fill')
            errors = self.report('fill', 'create->ACTIVE', results, wall,
                                 'POST /servers')
            self.check_capacity_errors(errors)
            failed += len(errors)
            filled = [r.server_id for r in results if r.server_id]
        for path in ('/servers/detail?limit=%d' % args.list_limit,
                     '/servers?limit=%d' % args.list_limit):
            status, _h, data = client.request('GET', path)  # warm up
            if status != 200:
                raise HTTPError('GET', path, status, data)
            times = []
            for _ in range(args.list_repeats):
                if self.stop.is_set():
                    raise Interrupted()
                start = time.perf_counter()
                status, headers, data = client.request('GET', path)
                times.append(time.perf_counter() - start)
                if status != 200:
                    raise HTTPError('GET', path, status, data,
                                    headers.get('x-openstack-request-id'))
            listed = len(json.loads(data)['servers'])
            print('list    GET %s: %d servers, body %d bytes, %s over %d '
                  'requests' % (path, listed, len(data), stats_line(times),
                                len(times)))
            sys.stdout.flush()
        if filled and not args.keep:
            results, wall = self.run_pool(
                filled,
                lambda c, i: self.delete_one(c, i, args.list_poll_interval),
                args.list_concurrency, 'cleanup')
            errors = self.report('cleanup', 'delete->gone  ', results, wall,
                                 'DELETE /servers/{id}')
            failed += len(errors)
        elif filled:
            with self.lock:
                self.created.difference_update(filled)
            print('list    kept the %d servers it booted (--keep)'
                  % len(filled))
        return failed

    def cleanup(self):
        """Delete what this run created and did not see go (Ctrl-C)."""
        self.delete_images()
        with self.lock:
            ids = sorted(self.created)
        if not ids or self.args.keep:
            if ids:
                print('keeping %d servers (--keep)' % len(ids))
            return
        print('deleting the %d servers this run created...' % len(ids))
        sys.stdout.flush()
        self.stop.clear()
        self.args.timeout = min(self.args.timeout, 120)
        try:
            results, wall = self.run_pool(
                ids, lambda c, i: self.delete_one(c, i, 0.1),
                max(self.args.concurrency, self.args.list_concurrency),
                'cleanup')
        except (KeyboardInterrupt, Interrupted):
            with self.lock:
                left = sorted(self.created)
            print('clean-up interrupted; %d servers left: %s'
                  % (len(left), ' '.join(left)))
            return
        gone = len([r for r in results if r.ok])
        print('deleted %d of %d in %.1f s' % (gone, len(ids), wall))

    def run(self):
        args = self.args
        client = self.client()
        self.image_id = self.find_image()
        self.header(client)
        failed = 0
        try:
            try:
                if args.count:
                    self.check_quota(client, args.count)
                    failed += self.boot_and_delete()
                if args.operations:
                    failed += self.operations_bench(client)
                if args.list_servers:
                    failed += self.list_bench(client)
            finally:
                client.close()
        except QuotaExceeded as e:
            print(QUOTA_HELP % e.args[0])
            self.stop.clear()
            self.quota_message = None
            self.cleanup()
            return 2
        except (KeyboardInterrupt, Interrupted):
            self.stop.set()
            print('\ninterrupted')
            self.cleanup()
            return 130
        except BaseException:
            self.stop.set()
            self.cleanup()
            raise
        print('load:      %.2f %.2f %.2f (1/5/15 min) at the end'
              % os.getloadavg())
        if self.unexpected:
            print('unexpected failures: %d' % len(self.unexpected))
        return 1 if failed or self.unexpected else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split('\n\n')[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument('--endpoint', default='http://127.0.0.1:8774/v2.1',
                        help='the compute endpoint')
    parser.add_argument('--token', default='admin:admin',
                        help='sent as X-Auth-Token (noauth2: user:project)')
    parser.add_argument('--microversion', default='2.92',
                        help='sent as OpenStack-API-Version: compute X.Y')
    parser.add_argument('--glance-url', default='http://127.0.0.1:9292',
                        help='the Image API, to find --image-name')
    parser.add_argument('--image-name', default='cirros-test',
                        help='an active image of that name')
    parser.add_argument('--image-id', help='skip the Glance look-up')
    parser.add_argument('--flavor', default='1', help='flavorRef')
    parser.add_argument('--count', type=int, default=50,
                        help='servers to boot and delete (0: skip)')
    parser.add_argument('--concurrency', type=int, default=5,
                        help='workers of the boot and delete phases')
    parser.add_argument('--poll-interval', type=float, default=0.01,
                        help='seconds between GETs of one server')
    parser.add_argument('--timeout', type=int, default=300,
                        help='seconds one server may take to boot or go')
    parser.add_argument('--http-timeout', type=float, default=60.0,
                        help='seconds one HTTP request may take')
    parser.add_argument('--list-servers', type=int, default=1000,
                        help='servers the project holds for the list '
                             'benchmark (0: skip it)')
    parser.add_argument('--list-concurrency', type=int, default=20,
                        help='workers that boot (and delete) the servers '
                             'of the list benchmark')
    parser.add_argument('--list-poll-interval', type=float, default=0.25,
                        help='seconds between GETs while filling')
    parser.add_argument('--list-limit', type=int, default=1000,
                        help='limit= of the timed list requests')
    parser.add_argument('--list-repeats', type=int, default=20,
                        help='timed requests per list path')
    parser.add_argument('--operations', metavar='OPS', default='',
                        help='time lifecycle operations: all, or a comma '
                             'list of %s (each pair goes together, e.g. '
                             'pause brings unpause); off when empty'
                             % ', '.join(OP_NAMES))
    parser.add_argument('--op-servers', type=int, default=5,
                        help='servers booted (at --concurrency) for '
                             '--operations, each running every operation')
    parser.add_argument('--op-resize-flavor', default='2',
                        help='flavorRef of the resize operation')
    parser.add_argument('--results', metavar='FILE',
                        help='append one JSON line per server (phase, id, '
                             'request id, wall-clock start, seconds) to '
                             'FILE, to match against the services\' logs')
    parser.add_argument('--keep', action='store_true',
                        help='do not delete the servers booted for the list '
                             'benchmark and the operations (nor, on Ctrl-C, '
                             'what was created)')
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.list_concurrency < 1:
        parser.error('concurrency must be at least 1')
    try:
        args.operations = parse_operations(args.operations)
    except ValueError as e:
        parser.error('--operations: %s' % e)
    if args.operations and args.op_servers < 1:
        parser.error('--op-servers must be at least 1 with --operations')
    if 'resize' in args.operations and args.op_resize_flavor == args.flavor:
        parser.error('--op-resize-flavor must differ from --flavor (a '
                     'resize changes the flavor)')
    return Bench(args).run()


if __name__ == '__main__':
    sys.exit(main())
