#!/usr/bin/env python3
"""Boot real guests (libvirt driver) and time what a user waits for.

For each of --count servers, one after the other (or --concurrency at a
time), from just before ``POST /servers``:

* domain running: libvirt reports the domain RUNNING (polled on every
  --libvirt-uri, so it works whichever host the scheduler picks);
* ACTIVE: ``GET /servers/{id}`` shows ACTIVE with task_state null;
* DHCP lease: the console log (``os-getConsoleOutput``) shows
  --lease-line (the tiny-linux guest prints its lease from the flat
  network's dnsmasq or Neutron's OVN before it is ready);
* ready: the console log shows --ready-line;
* the control plane's share: the time to domain running less what the
  hypervisor itself took (the compute log's ``Guest ... started in X s``
  line: overlay, definition and QEMU start), absolute and as a fraction of
  the time to ready.  Needs --compute-logs; without them only the first
  three are printed.

Each operation's own end-to-end time is measured by bench_servers.py
--operations against the same deployment (see tests/perf/README.rst).
Not collected by pytest.  Needs libvirt-python for the domain state.
"""

import argparse
import glob
import re
import sys
import threading
import time
import uuid

sys.path.insert(0, __file__.rsplit('/', 1)[0])

import bench_servers  # noqa: E402  (the HTTP client and statistics)

SPAWN_LINE = re.compile(
    r'\[instance: ([0-9a-f-]{36})\] Guest \S+ started in ([0-9.]+) s')


def _domain_running(conns, server_id):
    import libvirt
    for conn in conns:
        try:
            dom = conn.lookupByUUIDString(server_id)
        except libvirt.libvirtError:
            continue
        if dom.state()[0] == libvirt.VIR_DOMAIN_RUNNING:
            return True
    return False


def _spawn_times(patterns):
    found = {}
    for pattern in patterns:
        for path in glob.glob(pattern):
            with open(path, errors='replace') as f:
                for match in SPAWN_LINE.finditer(f.read()):
                    found[match.group(1)] = float(match.group(2))
    return found


def boot_one(args, client, conns, name):
    result = {'name': name}
    start = time.monotonic()
    body = {'server': {'name': name, 'imageRef': args.image_id,
                       'flavorRef': args.flavor, 'networks': 'auto'}}
    server = client.json('POST', '/servers', body, expect=(202,))['server']
    result['id'] = server['id']
    deadline = start + args.timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        if 'running' not in result and conns and \
                _domain_running(conns, server['id']):
            result['running'] = now - start
        if 'active' not in result:
            shown = client.json('GET', '/servers/' + server['id'])['server']
            if shown['status'] == 'ERROR':
                result['error'] = (shown.get('fault') or {}).get('message')
                return result
            if shown['status'] == 'ACTIVE' and \
                    shown.get('OS-EXT-STS:task_state') is None:
                result['active'] = now - start
        elif 'ready' not in result:
            output = client.json(
                'POST', '/servers/%s/action' % server['id'],
                {'os-getConsoleOutput': {'length': 200}})['output']
            if 'lease' not in result and args.lease_line in output:
                result['lease'] = now - start
            if args.ready_line in output:
                result['ready'] = now - start
                return result
        time.sleep(args.poll_interval)
    result['error'] = 'timed out after %ss' % args.timeout
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--endpoint', default='http://127.0.0.1:8774/v2.1')
    parser.add_argument('--token', default='admin:admin')
    parser.add_argument('--image-id', required=True,
                        help='a bootable image, e.g. tiny-linux\'s id')
    parser.add_argument('--flavor', default='1', help='flavorRef')
    parser.add_argument('--count', type=int, default=3)
    parser.add_argument('--concurrency', type=int, default=1)
    parser.add_argument('--ready-line', default='tiny-linux: ready')
    parser.add_argument('--lease-line', default='tiny-linux: lease eth0 ip=')
    parser.add_argument('--libvirt-uri', action='append', default=[],
                        help='each compute host\'s libvirt (repeat)')
    parser.add_argument('--compute-logs', action='append', default=[],
                        help='glob of n-cpu*.log files (repeat)')
    parser.add_argument('--poll-interval', type=float, default=0.05)
    parser.add_argument('--timeout', type=int, default=300)
    parser.add_argument('--keep', action='store_true')
    args = parser.parse_args(argv)

    conns = []
    if args.libvirt_uri:
        import libvirt
        # A lookup on the host the guest is not on is expected to fail.
        libvirt.registerErrorHandler(lambda *_: None, None)
        conns = [libvirt.openReadOnly(uri) for uri in args.libvirt_uri]
    headers = {'X-Auth-Token': args.token,
               'OpenStack-API-Version': 'compute 2.92',
               'Content-Type': 'application/json'}
    names = ['bench-guest-%s' % uuid.uuid4().hex[:8]
             for _ in range(args.count)]
    results, lock = [], threading.Lock()

    def worker():
        client = bench_servers.Client(args.endpoint, headers)
        while True:
            with lock:
                if not names:
                    return
                name = names.pop()
            result = boot_one(args, client, conns, name)
            with lock:
                results.append(result)

    print('bench_guest: %d guest(s) of image %s, flavor %s, concurrency %d, '
          'at %s' % (args.count, args.image_id, args.flavor,
                     args.concurrency, time.strftime('%Y-%m-%d %H:%M:%S')))
    print('load average before: %s' % open('/proc/loadavg').read().strip())
    threads = [threading.Thread(target=worker)
               for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    spawn = _spawn_times(args.compute_logs)
    rows = [('accept -> domain running', 'running'),
            ('accept -> ACTIVE', 'active'),
            ('accept -> guest\'s DHCP lease', 'lease'),
            ('accept -> guest ready line', 'ready')]
    print('%-34s %8s %8s %8s' % ('measure (s)', 'p50', 'p95', 'max'))
    for label, key in rows:
        values = sorted(r[key] for r in results if key in r)
        if values:
            print('%-34s %8.2f %8.2f %8.2f' % (
                label, bench_servers.percentile(values, 0.5),
                bench_servers.percentile(values, 0.95), values[-1]))
    shares = []
    for r in results:
        if 'running' in r and 'ready' in r and r['id'] in spawn:
            control = r['running'] - spawn[r['id']]
            shares.append((control, control / r['ready'], spawn[r['id']]))
    if shares:
        shares.sort()
        control, fraction, hypervisor = shares[len(shares) // 2]
        print('control plane (median): %.3f s of the %.2f s to ready '
              '(%.1f%%); the hypervisor\'s spawn took %.3f s; the rest is '
              'the guest booting' % (
                  control, control / fraction, 100 * fraction, hypervisor))
    for r in results:
        if 'error' in r:
            print('ERROR %s (%s): %s' % (r['name'], r.get('id'),
                                         r['error']))
    if not args.keep:
        client = bench_servers.Client(args.endpoint, headers)
        for r in results:
            if 'id' in r:
                client.request('DELETE', '/servers/' + r['id'])
    return 1 if any('error' in r for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
