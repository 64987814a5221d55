"""nova.network.linux_net against the real Linux tools: the flat network's
host side works, with no mocks.

A bridge of its own with the gateway on it, one dnsmasq serving a static
range, and "guests" that are network namespaces with a veth pair, one end
(with the guest's MAC) in the namespace and the other a port of the bridge;
busybox udhcpc in the namespace asks for a lease.  This proves that

* ensure_bridge and ensure_address make the bridge and the gateway and do
  nothing the second time;
* the dnsmasq that Dnsmasq.ensure_running starts hands out exactly the
  hosts file's address and the gateway as router, and answers no MAC that
  is not in the file;
* update_hosts reaches the running dnsmasq (SIGHUP): a MAC it adds gets
  its address, and the lease of an address it removes is gone from
  dnsmasq's leases file (dhcp_release);
* pid() finds the dnsmasq, ensure_running starts none while it runs and
  starts one again once it was killed;
* ensure_nat adds its MASQUERADE rule once however often it is called.

Everything has names of its own per run (bridge, namespaces, a random /24
in 10.200-254.x.0, a temporary directory, the iptables comment) and is
removed at teardown, even after a failure.  Root, dnsmasq, dhcp_release and
busybox (udhcpc) are needed: without them the test is skipped, or fails
when NOVA_TEST_REQUIRE_ALL_BACKENDS=1 (as in CI), as tests/integration's
database backends do.  It takes about 6 s, 5 of them the unknown guest's
udhcpc giving up.
"""

import ipaddress
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from nova.network import linux_net


LEASE_TIME = 3600
BOUND_SCRIPT = """#!/bin/sh
# udhcpc calls this on each state change; print the lease once bound.
if [ "$1" = bound ]; then
    echo "lease ip=$ip router=$router subnet=$subnet"
fi
"""
LEASE = re.compile(r'^lease ip=(\S*) router=(\S*) subnet=(\S*)$', re.M)


def _prerequisites():
    problems = []
    if os.geteuid() != 0:
        problems.append('not running as root')
    for tool in ('ip', 'iptables', 'dnsmasq', 'dhcp_release', 'busybox'):
        if not shutil.which(tool):
            problems.append('%s is not installed' % tool)
    if shutil.which('busybox'):
        applets = subprocess.run(['busybox', '--list'], capture_output=True,
                                 text=True).stdout.split()
        if 'udhcpc' not in applets:
            problems.append('busybox has no udhcpc (install busybox-static)')
    if problems:
        message = 'flat DHCP test needs: ' + '; '.join(problems)
        if os.environ.get('NOVA_TEST_REQUIRE_ALL_BACKENDS') == '1':
            pytest.fail(message)
        pytest.skip(message)


def _sh(*cmd, check=True):
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if check:
        assert result.returncode == 0, '%s: %s' % (' '.join(cmd),
                                                   result.stderr)
    return result


def _free_network():
    """A random 10.2xx.x.0/24 that no address or route here overlaps."""
    used = []
    for cmd in (['ip', '-j', '-4', 'route', 'show', 'table', 'all'],
                ['ip', '-j', '-4', 'addr']):
        for item in json.loads(_sh(*cmd).stdout or '[]'):
            prefixes = [item.get('dst')] + [
                '%s/%s' % (a['local'], a['prefixlen'])
                for a in item.get('addr_info', [])]
            for prefix in prefixes:
                if prefix and prefix[0].isdigit():
                    used.append(ipaddress.ip_network(prefix, strict=False))
    for _ in range(50):
        network = ipaddress.ip_network('10.%d.%d.0/24' % (
            random.randint(200, 254), random.randint(0, 255)))
        if not any(network.overlaps(u) for u in used
                   if u.prefixlen > 0):
            return network
    pytest.fail('no free 10.2xx.x.0/24 on this host')


def _random_mac():
    return 'fa:16:3e:%02x:%02x:%02x' % tuple(random.randbytes(3))


def _wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def _pid_alive(pid):
    """True for a running process (not a zombie)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


class Host:
    """This run's names, and the removal of all it made."""

    def __init__(self):
        tag = '%06x' % random.getrandbits(24)
        self.bridge = 'ntd' + tag                 # 9 chars of 15
        self.comment = 'nova-flat-' + self.bridge
        self.tmp = tempfile.mkdtemp(prefix='ntd-%s-' % tag)
        self.network = _free_network()
        self.cidr = str(self.network)
        addresses = [str(a) for a in self.network.hosts()]
        self.gateway, self.ip1, self.ip2 = addresses[0], addresses[9], \
            addresses[10]
        self.dnsmasq = linux_net.Dnsmasq(self.bridge, self.tmp)
        self.script = os.path.join(self.tmp, 'udhcpc-bound.sh')
        with open(self.script, 'w') as f:
            f.write(BOUND_SCRIPT)
        os.chmod(self.script, 0o755)
        with open('/proc/sys/net/ipv4/ip_forward') as f:
            self.ip_forward = f.read().strip()
        self.guests = []

    def start_dnsmasq(self):
        return self.dnsmasq.ensure_running(self.gateway, self.network,
                                           LEASE_TIME)

    def leases(self):
        try:
            with open(self.dnsmasq.leases_path) as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def log(self):
        try:
            with open(self.dnsmasq.log_path) as f:
                return f.read()[-3000:]
        except OSError as e:
            return '(no dnsmasq log: %s)' % e

    def nat_rules(self):
        """The POSTROUTING rules (as iptables -S lines) with our comment."""
        out = _sh('iptables', '-w', '-t', 'nat', '-S', 'POSTROUTING').stdout
        rules = []
        for line in out.splitlines():
            args = shlex.split(line)
            if ('--comment' in args
                    and args[args.index('--comment') + 1] == self.comment):
                rules.append(line)
        return rules

    def _our_dnsmasqs(self):
        """Every dnsmasq started on our hosts file (pid file or not)."""
        pids = []
        for entry in os.listdir('/proc'):
            if not entry.isdigit():
                continue
            try:
                with open('/proc/%s/cmdline' % entry, 'rb') as f:
                    args = f.read().decode(errors='replace').split('\0')
            except OSError:
                continue
            if (os.path.basename(args[0]) == 'dnsmasq'
                    and '--dhcp-hostsfile=%s' % self.dnsmasq.hosts_path
                    in args):
                pids.append(int(entry))
        return pids

    def clean_up(self):
        errors = []

        def step(what, fn, *args):
            try:
                fn(*args)
            except Exception as e:  # noqa: keep on cleaning up
                errors.append('%s: %s' % (what, e))

        def kill_dnsmasqs():
            pids = self._our_dnsmasqs()
            for pid in pids:
                os.kill(pid, signal.SIGTERM)
            if not _wait_for(lambda: not any(map(_pid_alive, pids))):
                for pid in pids:
                    if _pid_alive(pid):
                        os.kill(pid, signal.SIGKILL)

        def remove_nat_rules():
            for line in self.nat_rules():
                args = shlex.split(line)
                assert args[0] == '-A', line
                _sh('iptables', '-w', '-t', 'nat', '-D', *args[1:])

        def restore_ip_forward():
            with open('/proc/sys/net/ipv4/ip_forward', 'w') as f:
                f.write(self.ip_forward)

        step('dnsmasq', kill_dnsmasqs)
        for guest in self.guests:
            step('netns %s' % guest.netns, guest.delete)
        if linux_net.device_exists(self.bridge):
            step('bridge', _sh, 'ip', 'link', 'del', self.bridge)
        step('iptables', remove_nat_rules)
        step('ip_forward', restore_ip_forward)
        step('tmp dir', shutil.rmtree, self.tmp)
        assert not errors, 'clean-up failed: %s' % '; '.join(errors)


class Guest:
    """A network namespace on the bridge through a veth pair."""

    def __init__(self, host, name, mac):
        self.host = host
        self.mac = mac
        self.netns = '%s-%s' % (host.bridge, name)
        self.dev = host.bridge + 'g' + name[-1]     # in the namespace
        self.port = host.bridge + 'p' + name[-1]    # on the bridge
        host.guests.append(self)                    # removed at teardown
        _sh('ip', 'netns', 'add', self.netns)
        _sh('ip', 'link', 'add', self.port, 'type', 'veth', 'peer', 'name',
            self.dev)
        _sh('ip', 'link', 'set', self.dev, 'netns', self.netns)
        _sh('ip', '-n', self.netns, 'link', 'set', self.dev, 'address', mac,
            'up')
        _sh('ip', 'link', 'set', self.port, 'master', host.bridge, 'up')

    def dhcp(self):
        """udhcpc's (ip, router, subnet), or None when it got no lease;
        and its output."""
        result = _sh('ip', 'netns', 'exec', self.netns,
                     'busybox', 'udhcpc', '-i', self.dev, '-n', '-q',
                     '-t', '5', '-T', '1', '-s', self.host.script,
                     check=False)
        output = result.stdout + result.stderr
        match = LEASE.search(result.stdout)
        assert bool(match) == (result.returncode == 0), output
        return (match.groups() if match else None), output

    def delete(self):
        # The pair first: a deleted namespace takes its veth end (and the
        # pair) only some time later, in the kernel's own time.
        if linux_net.device_exists(self.port):
            _sh('ip', 'link', 'del', self.port)
        if os.path.exists('/run/netns/' + self.netns):
            _sh('ip', 'netns', 'del', self.netns)


@pytest.fixture
def host():
    _prerequisites()
    host = Host()
    try:
        yield host
    finally:
        host.clean_up()


def test_dnsmasq_serves_exactly_the_hosts_file(host):
    dnsmasq = host.dnsmasq
    for _ in range(2):
        linux_net.ensure_bridge(host.bridge)
        linux_net.ensure_address(host.bridge, host.gateway, 24)
    addresses = _sh('ip', '-o', '-4', 'addr', 'show', 'dev',
                    host.bridge).stdout
    assert addresses.count(' inet ') == 1, addresses
    assert ' inet %s/24 ' % host.gateway in addresses, addresses

    mac1, mac2 = _random_mac(), _random_mac()
    assert dnsmasq.update_hosts({(mac1, host.ip1)}) == (
        {(mac1, host.ip1)}, set())
    assert host.start_dnsmasq() is True
    pid = dnsmasq.pid()
    assert pid is not None
    assert host.start_dnsmasq() is False     # already running
    assert dnsmasq.pid() == pid

    guest1 = Guest(host, 'g1', mac1)
    lease, output = guest1.dhcp()
    assert lease == (host.ip1, host.gateway, '255.255.255.0'), (
        output, host.log())
    assert _wait_for(lambda: host.ip1 in host.leases()), host.leases()

    # A MAC that is not in the hosts file gets nothing from a static range.
    guest2 = Guest(host, 'g2', mac2)
    lease, output = guest2.dhcp()
    assert lease is None, output

    # ip1 goes, mac2 comes: dnsmasq rereads the file, ip1's lease goes.
    assert dnsmasq.update_hosts({(mac2, host.ip2)}) == (
        {(mac2, host.ip2)}, {(mac1, host.ip1)})
    lease, output = guest2.dhcp()
    assert lease == (host.ip2, host.gateway, '255.255.255.0'), (
        output, host.log())
    assert _wait_for(lambda: host.ip1 not in host.leases()), (
        host.leases(), host.log())
    assert host.ip2 in host.leases()

    # Killed, it is found gone and started again, with the same hosts.
    os.kill(pid, signal.SIGTERM)
    assert _wait_for(lambda: dnsmasq.pid() is None), host.log()
    assert host.start_dnsmasq() is True
    assert dnsmasq.pid() is not None
    lease, output = guest2.dhcp()
    assert lease == (host.ip2, host.gateway, '255.255.255.0'), (
        output, host.log())


def test_nat_rule_is_added_once(host):
    for _ in range(2):
        linux_net.ensure_nat(host.cidr, host.comment)
    rules = host.nat_rules()
    assert rules == ['-A POSTROUTING -s %s ! -d %s -m comment --comment %s '
                     '-j MASQUERADE' % (host.cidr, host.cidr, host.comment)]
    with open('/proc/sys/net/ipv4/ip_forward') as f:
        assert f.read().strip() == '1'
