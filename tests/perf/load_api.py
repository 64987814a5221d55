"""Many clients at once against a running nova-api: readers listing
servers, creators booting and deleting them.  Prints p50 / p95 / p99 per
request kind and every error by class (connection refused or reset,
timeout, HTTP 5xx, other 4xx), then checks that each server a creator got
a 202 for reached ACTIVE (or ERROR with a fault) and was deleted.

Not a pytest module: run it by hand against devstack/stack.sh's
deployment (tests/perf/README.rst)::

    python tests/perf/load_api.py [--readers 200] [--creators 50]
        [--duration 60] [--list-limit 1000] [--cloud devstack]

Each client is a thread with its own persistent HTTP connection (a new
one after an error).  The exit status is 1 when any request was refused,
reset or answered 5xx, or a created server was lost.
"""

import argparse
import collections
import http.client
import json
import threading
import time
import urllib.parse

import openstack

SETTLED = ('ACTIVE', 'ERROR')


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.times = collections.defaultdict(list)
        self.errors = collections.Counter()
        self.examples = {}

    def ok(self, kind, seconds):
        with self.lock:
            self.times[kind].append(seconds)

    def error(self, kind, what, detail=''):
        with self.lock:
            self.errors[(kind, what)] += 1
            self.examples.setdefault((kind, what), detail[:200])


class Client:
    """One persistent connection to nova-api."""

    def __init__(self, endpoint, token, timeout):
        self.url = urllib.parse.urlsplit(endpoint)
        self.token = token
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(
                self.url.hostname, self.url.port, timeout=self.timeout)
        headers = {'X-Auth-Token': self.token,
                   'OpenStack-API-Version': 'compute 2.1',
                   'Content-Type': 'application/json'}
        try:
            self.conn.request(method, self.url.path + path,
                              body=json.dumps(body) if body else None,
                              headers=headers)
            resp = self.conn.getresponse()
            data = resp.read()
        except Exception:
            self.conn.close()
            self.conn = None
            raise
        return resp.status, json.loads(data) if data else None


def _classify(error):
    if isinstance(error, ConnectionRefusedError):
        return 'refused'
    if isinstance(error, (ConnectionResetError, BrokenPipeError,
                          http.client.RemoteDisconnected)):
        return 'reset'
    if isinstance(error, TimeoutError):
        return 'timeout'
    return type(error).__name__


def _timed(recorder, client, kind, method, path, body=None):
    started = time.monotonic()
    try:
        status, parsed = client.request(method, path, body)
    except Exception as error:
        recorder.error(kind, _classify(error), repr(error))
        return None, None
    elapsed = time.monotonic() - started
    if status >= 500:
        recorder.error(kind, 'HTTP %d' % status, json.dumps(parsed))
    elif status >= 400:
        recorder.error(kind, 'HTTP %d' % status, json.dumps(parsed))
    else:
        recorder.ok(kind, elapsed)
    return status, parsed


def reader(args, endpoint, token, recorder, stop):
    client = Client(endpoint, token, args.timeout)
    path = '/servers/detail?limit=%d' % args.list_limit
    while not stop.is_set():
        _timed(recorder, client, 'GET /servers/detail', 'GET', path)


def creator(args, endpoint, token, recorder, stop, image, created):
    client = Client(endpoint, token, args.timeout)
    while not stop.is_set():
        status, body = _timed(recorder, client, 'POST /servers', 'POST',
                              '/servers', {'server': {
                                  'name': 'load', 'imageRef': image,
                                  'flavorRef': args.flavor}})
        if status != 202:
            time.sleep(0.5)
            continue
        server_id = body['server']['id']
        created.append(server_id)
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            status, body = _timed(recorder, client, 'GET /servers/{id}',
                                  'GET', '/servers/' + server_id)
            if status == 200 and body['server']['status'] in SETTLED:
                break
            time.sleep(0.5)
        _timed(recorder, client, 'DELETE /servers/{id}', 'DELETE',
               '/servers/' + server_id)


def _percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(fraction * len(values)))]


def report(recorder, wall):
    print('%-24s %7s %9s %9s %9s %9s' % ('request', 'count', 'p50 ms',
                                         'p95 ms', 'p99 ms', 'req/s'))
    for kind in sorted(recorder.times):
        values = recorder.times[kind]
        print('%-24s %7d %9.1f %9.1f %9.1f %9.1f' % (
            kind, len(values), 1000 * _percentile(values, 0.50),
            1000 * _percentile(values, 0.95),
            1000 * _percentile(values, 0.99), len(values) / wall))
    if recorder.errors:
        print('errors:')
        for (kind, what), count in sorted(recorder.errors.items()):
            print('  %-24s %-14s %6d  e.g. %s' % (
                kind, what, count, recorder.examples[(kind, what)]))
    else:
        print('errors: none')


def check_created(conn, created, timeout):
    """Every server a creator got a 202 for ends deleted."""
    deadline = time.monotonic() + timeout
    left = set(created)
    while left and time.monotonic() < deadline:
        for server_id in list(left):
            if conn.compute.find_server(server_id) is None:
                left.discard(server_id)
        time.sleep(1)
    return left


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--cloud', default='devstack')
    parser.add_argument('--readers', type=int, default=200)
    parser.add_argument('--creators', type=int, default=50)
    parser.add_argument('--duration', type=float, default=60)
    parser.add_argument('--list-limit', type=int, default=1000)
    parser.add_argument('--timeout', type=float, default=300,
                        help='seconds a request (or a boot) may take')
    parser.add_argument('--image', default='cirros-test')
    parser.add_argument('--flavor', default='1')
    args = parser.parse_args()

    conn = openstack.connect(cloud=args.cloud)
    endpoint = conn.compute.get_endpoint().rstrip('/')
    token = conn.auth_token
    image = conn.image.find_image(args.image, ignore_missing=False).id
    recorder = Recorder()
    stop = threading.Event()
    created = []
    threads = [threading.Thread(target=reader, daemon=True, args=(
        args, endpoint, token, recorder, stop))
        for _ in range(args.readers)]
    threads += [threading.Thread(target=creator, daemon=True, args=(
        args, endpoint, token, recorder, stop, image, created))
        for _ in range(args.creators)]
    print('%d readers (GET /servers/detail?limit=%d) and %d creators '
          'against %s for %ds' % (args.readers, args.list_limit,
                                  args.creators, endpoint, args.duration))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(args.duration)
    stop.set()
    for thread in threads:
        thread.join(args.timeout)
    wall = time.monotonic() - started
    report(recorder, wall)
    lost = check_created(conn, created, 120)
    print('servers created: %d; not deleted 120 s later: %d'
          % (len(created), len(lost)))
    bad = [k for k in recorder.errors
           if k[1] in ('refused', 'reset') or k[1].startswith('HTTP 5')]
    return 1 if bad or lost else 0


if __name__ == '__main__':
    raise SystemExit(main())
