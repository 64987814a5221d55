"""The host side of guest networking on Linux: the flat network's
bridges, gateway address, dnsmasq and NAT; the taps and Open vSwitch ports
of Neutron's 'ovs' VIFs.

These are root's commands (ip, dnsmasq, dhcp_release, iptables,
ovs-vsctl), run by nova-compute as root, as nova-network's linux_net ran
them (through rootwrap there).  Each function makes sure of a state and
does nothing when the host is in it already: nova-compute calls them at
every start.
"""

import os
import signal

from oslo_concurrency import processutils
from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)


class HostNetworkError(exception.NovaException):
    msg_fmt = 'Host networking failed: %(reason)s'


def _run(*cmd, check_exit_code=True):
    try:
        return processutils.execute(*cmd, check_exit_code=check_exit_code)
    except (processutils.ProcessExecutionError, OSError) as e:
        raise HostNetworkError(reason='%s: %s' % (
            ' '.join(cmd), getattr(e, 'stderr', None) or e))


def device_exists(name):
    return os.path.exists('/sys/class/net/%s' % name)


def _master(name):
    link = '/sys/class/net/%s/master' % name
    return os.path.basename(os.readlink(link)) if os.path.islink(link) \
        else None


def ensure_bridge(bridge, interface=None):
    """The Linux bridge, up, forwarding at once (no STP, no delay: a new
    tap must not wait 15 s), with interface (another host's way in) as a
    port of it."""
    if not device_exists(bridge):
        LOG.info('Creating bridge %s', bridge)
        # Exit 2: another process made it meanwhile.
        _run('ip', 'link', 'add', bridge, 'type', 'bridge',
             check_exit_code=[0, 2])
        _run('ip', 'link', 'set', bridge, 'type', 'bridge', 'stp_state',
             '0', 'forward_delay', '0')
    _run('ip', 'link', 'set', bridge, 'up')
    if interface:
        if not device_exists(interface):
            raise HostNetworkError(reason='flat_interface %s does not exist'
                                   % interface)
        if _master(interface) != bridge:
            LOG.info('Adding %s to bridge %s', interface, bridge)
            _run('ip', 'link', 'set', interface, 'master', bridge)
        _run('ip', 'link', 'set', interface, 'up')


def ensure_address(device, address, prefixlen):
    """address/prefixlen on device (replace: no error when it is there)."""
    _run('ip', 'addr', 'replace', '%s/%d' % (address, prefixlen), 'dev',
         device)


def _nat_rule(cidr, comment):
    return ['POSTROUTING', '-s', cidr, '!', '-d', cidr, '-m', 'comment',
            '--comment', comment, '-j', 'MASQUERADE']


def ensure_nat(cidr, comment):
    """Masquerade what leaves cidr, and let the host forward it."""
    rule = _nat_rule(cidr, comment)
    _out, err = _run('iptables', '-w', '-t', 'nat', '-C', *rule,
                     check_exit_code=[0, 1])
    if err:
        LOG.info('Masquerading %s (iptables rule %s)', cidr, comment)
        _run('iptables', '-w', '-t', 'nat', '-A', *rule)
    with open('/proc/sys/net/ipv4/ip_forward', 'w') as f:
        f.write('1')


class Dnsmasq:
    """One dnsmasq serving DHCP on a bridge, with its files in directory.

    It answers only the MACs of its hosts file (a 'static' range): the
    fixed IPs the conductor gave out.  It runs as a daemon of its own and
    outlives nova-compute, so guests keep being answered across a restart;
    a restarted nova-compute finds it by its pid file.
    """

    def __init__(self, bridge, directory):
        self.bridge = bridge
        self.directory = directory
        self.hosts_path = os.path.join(directory, 'hosts')
        self.pid_path = os.path.join(directory, 'dnsmasq.pid')
        self.leases_path = os.path.join(directory, 'leases')
        self.log_path = os.path.join(directory, 'dnsmasq.log')

    def pid(self):
        """The pid of this bridge's running dnsmasq, or None."""
        try:
            with open(self.pid_path) as f:
                pid = int(f.read().strip())
            with open('/proc/%d/cmdline' % pid, 'rb') as f:
                cmdline = f.read().decode(errors='replace')
        except (OSError, ValueError):
            return None
        # A reused pid is another program, or another bridge's dnsmasq.
        if 'dnsmasq' not in cmdline or self.hosts_path not in cmdline:
            return None
        return pid

    def ensure_running(self, gateway, network, lease_time):
        """Start it unless it runs.  network: an ipaddress network."""
        if self.pid() is not None:
            return False
        os.makedirs(self.directory, exist_ok=True)
        if not os.path.exists(self.hosts_path):
            self._write_hosts('')
        LOG.info('Starting dnsmasq for %s on bridge %s (gateway %s)',
                 network, self.bridge, gateway)
        # --user=root: by default dnsmasq drops to 'nobody' right after
        # start and only then reads the hosts file (at start and at each
        # SIGHUP); under a directory nobody may not enter (a 0700
        # state_path) it would read nothing and answer no guest.
        _run('dnsmasq', '--conf-file=', '--user=root', '--port=0',
             '--bind-interfaces',
             '--interface=%s' % self.bridge, '--except-interface=lo',
             '--listen-address=%s' % gateway,
             '--dhcp-range=set:%s,%s,static,%s,%ds' % (
                 self.bridge, network.network_address, network.netmask,
                 lease_time),
             '--dhcp-option=tag:%s,option:router,%s' % (self.bridge,
                                                        gateway),
             '--dhcp-hostsfile=%s' % self.hosts_path,
             '--dhcp-leasefile=%s' % self.leases_path,
             '--dhcp-authoritative', '--pid-file=%s' % self.pid_path,
             '--log-dhcp', '--log-facility=%s' % self.log_path)
        return True

    def hosts(self):
        """{(mac, address)} of the hosts file."""
        try:
            with open(self.hosts_path) as f:
                text = f.read()
        except FileNotFoundError:
            return set()
        return {tuple(line.split(',')[:2]) for line in text.splitlines()
                if line.count(',') >= 1}

    def _write_hosts(self, text):
        tmp = self.hosts_path + '.new'
        with open(tmp, 'w') as f:
            f.write(text)
        os.replace(tmp, self.hosts_path)

    def update_hosts(self, entries):
        """Serve exactly entries ({(mac, address)}): rewrite the hosts
        file, have dnsmasq read it (SIGHUP), and release the leases of the
        addresses that went (dnsmasq keeps an active lease when its line
        goes, and would refuse the address to its next holder until the
        lease ran out).  Returns (added, removed)."""
        entries = set(entries)
        old = self.hosts()
        if old == entries:
            return set(), set()
        os.makedirs(self.directory, exist_ok=True)
        self._write_hosts(''.join('%s,%s\n' % entry
                                  for entry in sorted(entries)))
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGHUP)
            for mac, address in sorted(old - entries):
                # Exit 1: no such lease (the guest never asked).
                _run('dhcp_release', self.bridge, address, mac,
                     check_exit_code=False)
        return entries - old, old - entries


# -- Open vSwitch (Neutron's 'ovs' VIFs) ----------------------------------

def ensure_tap(dev, mtu=None):
    """A tap device named dev (a guest's NIC, opened by QEMU), up."""
    if not device_exists(dev):
        # Exit 1 ("Device or resource busy"): made meanwhile.
        _run('ip', 'tuntap', 'add', 'dev', dev, 'mode', 'tap',
             check_exit_code=[0, 1])
    if mtu:
        _run('ip', 'link', 'set', dev, 'mtu', str(mtu))
    _run('ip', 'link', 'set', dev, 'up')


def delete_device(dev):
    """Remove the network device dev; fine if there is none."""
    if device_exists(dev):
        # Exit 1: gone meanwhile.
        _run('ip', 'link', 'delete', dev, check_exit_code=[0, 1])


def _ovs_vsctl(args, db=None, check_exit_code=True):
    cmd = ['ovs-vsctl', '--timeout=120']
    if db:
        cmd.append('--db=%s' % db)
    return _run(*(cmd + list(args)), check_exit_code=check_exit_code)


def ensure_ovs_bridge(bridge, datapath_type=None, db=None):
    """The OVS bridge, made (with datapath_type) when it is missing: an
    existing one is left as it is."""
    # br-exists: exit 2 when there is no such bridge.
    try:
        _ovs_vsctl(['br-exists', bridge], db=db)
        return
    except HostNetworkError:
        pass
    LOG.info('Creating OVS bridge %s (datapath %s)', bridge,
             datapath_type or 'default')
    args = ['--', '--may-exist', 'add-br', bridge]
    if datapath_type:
        args += ['--', 'set', 'Bridge', bridge,
                 'datapath_type=%s' % datapath_type]
    _ovs_vsctl(args, db=db)


def ovs_add_port(bridge, dev, iface_id, mac, instance_uuid, db=None):
    """dev a port of bridge, with what OVN (ovn-controller) and Neutron's
    agents read to bind it to the logical port iface_id."""
    _ovs_vsctl(['--', '--may-exist', 'add-port', bridge, dev,
                '--', 'set', 'Interface', dev,
                'external_ids:iface-id=%s' % iface_id,
                'external_ids:iface-status=active',
                'external_ids:attached-mac=%s' % mac,
                'external_ids:vm-uuid=%s' % instance_uuid], db=db)


def ovs_del_port(dev, bridge=None, db=None):
    """dev no port of any (or of that) OVS bridge; fine if it is not."""
    args = ['--', '--if-exists', 'del-port']
    if bridge:
        args.append(bridge)
    _ovs_vsctl(args + [dev], db=db)
