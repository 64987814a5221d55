"""A real guest under QEMU through the API and the unmodified client.

stack.sh runs the libvirt driver with two compute hosts: the main libvirtd
(qemu:///system) and a second one in namespaces of its own.  The guest is
tiny-linux: a Debian kernel and a busybox initramfs booted directly
(kernel_id / ramdisk_id) with a qcow2 disk on which it counts its boots;
it prints ``tiny-linux: ready`` once up and powers off on the ACPI power
button.  Guests boot in 10-30 s under TCG, so the test waits for the ready
line only before operations that need the guest to answer ACPI.
"""

import ipaddress
import os
import re
import signal
import subprocess
import time

import libvirt
import sqlalchemy as sa
import pytest

from tests.integration import conftest
from tests.integration import consoles


READY = 'tiny-linux: ready'
BOOT_TIMEOUT = 240


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-libvirt')
    database = conftest.Database('sqlite', tmp_path)
    deploy = conftest.Deployment(tmp_path, database, virt_driver='libvirt')
    result = deploy.stack()
    try:
        assert result.returncode == 0, (
            'stack.sh failed:\n%s\n%s' % (result.stdout[-3000:],
                                          result.stderr[-3000:]))
        assert 'libvirt' in result.stdout, result.stdout[-2000:]
        # Only images that boot: no 1 MiB of zeros named like CirrOS.
        images = [image['Name'] for image in deploy.openstack_json(
            'image', 'list')]
        assert 'tiny-linux' in images and 'cirros-test' not in images, \
            images
        for name, ram, disk in (('lv.tiny', 256, 1), ('lv.small', 320, 2)):
            deploy.openstack('flavor', 'create', '--ram', str(ram),
                             '--disk', str(disk), '--vcpus', '1', name,
                             cloud='devstack-admin')
        yield deploy
    finally:
        deploy.unstack()
        deploy.delete_vhost()


_ids = {}


def _id(cloud, name):
    # Looked up once with the client, in the user's own project.
    if name not in _ids:
        _ids[name] = cloud.openstack_json('server', 'show', name)['id']
    return _ids[name]


def _show(cloud, name='vm1'):
    """As the admin sees it (host attributes), by id, over REST."""
    return cloud.server(_id(cloud, name))


def _wait(cloud, status, timeout=BOOT_TIMEOUT, name='vm1'):
    deadline = time.monotonic() + timeout
    shown = None
    while time.monotonic() < deadline:
        shown = _show(cloud, name)
        if shown['status'] == status and \
                shown.get('OS-EXT-STS:task_state') is None:
            return shown
        if shown['status'] == 'ERROR':
            pytest.fail('%s went to ERROR: %s' % (name, shown.get('fault')))
        time.sleep(1)
    pytest.fail('%s did not reach %s in %ss: %s' % (
        name, status, timeout, shown and shown['status']))


def _uri(cloud, host):
    """The libvirt URI of a compute host, from its config file."""
    conf_dir = cloud.env['NOVA_CONF_DIR']
    path = os.path.join(conf_dir, 'nova.conf')
    if host != cloud.host:
        path = os.path.join(conf_dir, 'nova-cpu-%s.conf'
                            % host.rsplit('-', 1)[1])
    with open(path) as f:
        found = re.search(r'^connection_uri\s*=\s*(\S+)', f.read(), re.M)
    return found.group(1) if found else 'qemu:///system'


def _instances_path(cloud, host):
    """Where a host's instance files really are: every host's
    instances_path is data/nova/instances, an extra host's a mount of its
    own directory in its namespace (devstack/hosts.sh)."""
    if host == cloud.host:
        return os.path.join(str(cloud.tmp), 'data', 'nova', 'instances')
    return os.path.join(cloud.env['NOVA_LIBVIRT_HOSTS_DIR'], host,
                        'instances')


def _domain_name(cloud, host, server_id):
    conn = libvirt.open(_uri(cloud, host))
    try:
        return conn.lookupByUUIDString(server_id).name()
    finally:
        conn.close()


def _domain_state(cloud, host, server_id):
    conn = libvirt.open(_uri(cloud, host))
    try:
        dom = conn.lookupByUUIDString(server_id)
        return dom.state()[0]
    except libvirt.libvirtError as e:
        if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise
    finally:
        conn.close()


def _console(cloud, name='vm1'):
    return cloud.console_output(_id(cloud, name))


def _wait_console(cloud, pattern, timeout=BOOT_TIMEOUT, name='vm1'):
    """Until the console log (its last 100 KB, as the API gives it) shows
    pattern followed by the ready line; the text from pattern on."""
    deadline = time.monotonic() + timeout
    output = ''
    while time.monotonic() < deadline:
        output = _console(cloud, name)
        found = list(re.finditer(pattern, output))
        if found and READY in output[found[-1].start():]:
            return output[found[-1].start():]
        time.sleep(2)
    pytest.fail('%r then %r did not appear in the console log in %ss; its '
                'end:\n%s' % (pattern, READY, timeout, output[-3000:]))


def _wait_boot(cloud, count, name='vm1'):
    """Until the guest booted its disk for the count-th time: it keeps the
    counter on the disk, so it tells which disk booted."""
    return _wait_console(cloud, r'tiny-linux: boot %d\b' % count,
                         name=name)


def _address(shown):
    (entries,) = shown['addresses'].values()
    return entries[0]['addr']


def _assert_reachable(cloud, booted, address):
    """The guest's console (booted: from its last boot on) shows the lease
    of the address the API gives, from the flat network's DHCP host, and
    the host reaches the guest there."""
    lease = re.search(r'tiny-linux: lease eth0 ip=(\S+) router=(\S+)',
                      booted)
    assert lease, booted[-3000:]
    gateway = str(next(ipaddress.ip_network(cloud.fixed_range).hosts()))
    assert lease.groups() == (address, gateway), booted[-3000:]
    for _ in range(10):
        ping = subprocess.run(
            ['busybox', 'ping', '-c', '1', '-W', '2', address],
            capture_output=True, text=True)
        if ping.returncode == 0:
            return
    pytest.fail('no answer to ping %s: %s' % (address, ping.stdout))


def _act(cloud, *command, as_cloud='devstack'):
    cloud.openstack('server', *command, cloud=as_cloud)


def test_a_real_guest_through_every_operation(cloud):
    cloud.openstack('server', 'create', '--image', 'tiny-linux', '--flavor',
                    'lv.tiny', '--wait', 'vm1')
    shown = _show(cloud)
    server_id, host = shown['id'], shown['OS-EXT-SRV-ATTR:host']
    assert shown['status'] == 'ACTIVE'
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    # Named by this deployment's template, as the API says.
    assert shown['OS-EXT-SRV-ATTR:instance_name'] == \
        _domain_name(cloud, host, server_id)
    assert shown['OS-EXT-SRV-ATTR:instance_name'].startswith(
        cloud.host + '-')
    address = _address(shown)
    _assert_reachable(cloud, _wait_boot(cloud, 1), address)
    assert 'Linux version' in _console(cloud)  # the kernel's boot lines

    # No reboot: the guest keeps running (or its memory is saved).
    _act(cloud, 'pause', 'vm1')
    _wait(cloud, 'PAUSED')
    assert _domain_state(cloud, host, server_id) == libvirt.VIR_DOMAIN_PAUSED
    _act(cloud, 'unpause', 'vm1')
    _wait(cloud, 'ACTIVE')
    _act(cloud, 'suspend', 'vm1')
    _wait(cloud, 'SUSPENDED')
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_SHUTOFF
    _act(cloud, 'resume', 'vm1')
    _wait(cloud, 'ACTIVE')
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert 'tiny-linux: boot 2' not in _console(cloud)  # restored

    cloud.openstack('server', 'image', 'create', '--name', 'vm1-snap',
                    '--wait', 'vm1')
    snapshot = cloud.openstack_json('image', 'show', 'vm1-snap')
    assert snapshot['status'] == 'active'
    assert snapshot['disk_format'] == 'qcow2'
    assert 'kernel_id' in str(snapshot['properties'])
    _wait(cloud, 'ACTIVE')

    # A clean shutdown through ACPI, then boots.
    _act(cloud, 'stop', 'vm1')
    _wait(cloud, 'SHUTOFF', timeout=60)
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_SHUTOFF
    assert 'tiny-linux: ACPI power button' in _console(cloud)
    _act(cloud, 'start', 'vm1')
    _wait(cloud, 'ACTIVE')
    _wait_boot(cloud, 2)
    _act(cloud, 'reboot', 'vm1')
    _wait(cloud, 'ACTIVE')
    _wait_boot(cloud, 3)
    _act(cloud, 'reboot', '--hard', 'vm1')
    _wait(cloud, 'ACTIVE')
    _wait_boot(cloud, 4)

    # Rescue boots the image afresh with the instance's disk second.
    _act(cloud, 'rescue', 'vm1')
    _wait(cloud, 'RESCUE')
    rescued = _wait_console(cloud, 'tiny-linux: rescue mode')
    assert 'vdb boots=4' in rescued
    _act(cloud, 'unrescue', 'vm1')
    _wait(cloud, 'ACTIVE')
    _wait_boot(cloud, 5)

    # The snapshot boots the same way (it kept kernel_id and ramdisk_id),
    # from its own disk: it was taken after the first boot.
    _act(cloud, 'rebuild', '--image', 'vm1-snap', 'vm1')
    _wait(cloud, 'ACTIVE')
    _wait_boot(cloud, 2)

    # Resize to the other host, then revert: back where it was, on the
    # disk as it was (what the guest wrote meanwhile is gone).
    _act(cloud, 'resize', '--flavor', 'lv.small', 'vm1')
    shown = _wait(cloud, 'VERIFY_RESIZE')
    other = shown['OS-EXT-SRV-ATTR:host']
    assert other != host and 'lv.small' in str(shown['flavor'])
    assert _domain_state(cloud, other, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert _domain_state(cloud, host, server_id) is None
    resized = _wait_boot(cloud, 3)
    assert 'mem_kb=' in _console(cloud)
    assert re.search(r'disk vda sectors=%d\b' % (2 * 1024 ** 3 // 512),
                     _console(cloud)), resized
    _act(cloud, 'resize', 'revert', 'vm1')
    shown = _wait(cloud, 'ACTIVE')
    assert shown['OS-EXT-SRV-ATTR:host'] == host
    assert _domain_state(cloud, other, server_id) is None
    _wait_boot(cloud, 3)

    # Cold migration, confirmed: the disk moves to the other host.  Only
    # the project's manager or an admin may migrate (upstream's policy);
    # its owner confirms.
    _act(cloud, 'migrate', server_id, as_cloud='devstack-admin')
    shown = _wait(cloud, 'VERIFY_RESIZE')
    assert shown['OS-EXT-SRV-ATTR:host'] == other
    # The other host's bridge is joined to this one's: same network,
    # same address, the same DHCP server.
    assert _address(shown) == address
    _assert_reachable(cloud, _wait_boot(cloud, 4), address)
    _act(cloud, 'resize', 'confirm', 'vm1')
    _wait(cloud, 'ACTIVE')
    assert _domain_state(cloud, host, server_id) is None
    assert not os.path.exists(os.path.join(
        _instances_path(cloud, host), server_id + '_resize'))

    # Shelve snapshots the disk and frees the host; unshelve boots it.
    _act(cloud, 'shelve', 'vm1')
    _wait(cloud, 'SHELVED_OFFLOADED', timeout=90)
    assert _domain_state(cloud, other, server_id) is None
    _act(cloud, 'unshelve', 'vm1')
    shown = _wait(cloud, 'ACTIVE')
    host = shown['OS-EXT-SRV-ATTR:host']
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    # It asks for its address again (upstream keeps the port).
    assert _address(shown) == address
    _assert_reachable(cloud, _wait_boot(cloud, 5), address)

    # Every step is in the compute logs under its request id.
    events = cloud.openstack_json('server', 'event', 'list', server_id,
                                  cloud='devstack-admin')
    assert {'create', 'pause', 'suspend', 'stop', 'reboot', 'rescue',
            'rebuild', 'resize', 'revertResize', 'migrate',
            'confirmResize', 'shelve', 'unshelve'} <= \
        {e['Action'] for e in events}
    compute_logs = cloud.log('n-cpu') + cloud.log('n-cpu-2')
    assert 'virt_type = %s' % cloud.env['NOVA_LIBVIRT_TYPE'] in compute_logs
    create = [e for e in events if e['Action'] == 'create'][0]
    assert create['Request ID'] in compute_logs

    cloud.openstack('server', 'delete', '--wait', 'vm1')
    # Its address is no longer served.
    hosts = os.path.join(str(cloud.tmp), 'data', 'nova', 'networks',
                         cloud.flat_bridge, 'hosts')
    deadline = time.monotonic() + 30
    while address in open(hosts).read():
        assert time.monotonic() < deadline, open(hosts).read()
        time.sleep(0.5)
    for compute in (cloud.host, cloud.host + '-2'):
        assert _domain_state(cloud, compute, server_id) is None
        path = _instances_path(cloud, compute)
        leftovers = [name for name in os.listdir(path)
                     if name.startswith(server_id)] \
            if os.path.isdir(path) else []
        assert leftovers == [], (compute, leftovers)


def _files_of(cloud, host, server_id):
    path = _instances_path(cloud, host)
    return sorted(name for name in os.listdir(path)
                  if name.startswith(server_id)) \
        if os.path.isdir(path) else []


def _allocations(cloud):
    """{consumer: [(host, vcpus, memory_mb, disk_gb)]} from the database."""
    engine = sa.create_engine(cloud.env['NOVA_DB_CONNECTION'])
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                'SELECT a.consumer_uuid, n.host, a.vcpus, a.memory_mb, '
                'a.disk_gb FROM allocations a JOIN compute_nodes n '
                'ON a.compute_node_id = n.id')).fetchall()
    finally:
        engine.dispose()
    found = {}
    for consumer, *rest in rows:
        found.setdefault(consumer, []).append(tuple(rest))
    return found


def _ssh_copies(cloud, server_id):
    """The compute logs' lines of verified disk copies of the server."""
    return [line for line in (cloud.log('n-cpu') + cloud.log('n-cpu-2'))
            .splitlines() if 'Copied ' in line and server_id in line]


def test_moves_copy_the_disk_over_ssh_between_hosts_of_their_own(cloud):
    """The hosts share no instances_path: resize + revert and cold
    migration + confirm copy the disk over ssh (the guest's boot counter,
    kept on its disk, goes with it), and leave no file on the host the
    guest left, nor an allocation but the instance's."""
    # Each host answers ssh on its own address with its own files.
    ssh_config = os.path.join(str(cloud.tmp), 'data', 'nova', 'ssh',
                              'ssh_config')
    for n in (1, 2):
        addr = str(ipaddress.ip_network(
            cloud.env['NOVA_HOSTS_RANGE']).network_address + n)
        probe = subprocess.run(
            ['ssh', '-F', ssh_config, addr, 'hostname'],
            capture_output=True, text=True, timeout=30)
        assert probe.returncode == 0, probe.stderr
        assert probe.stdout.strip() == (
            os.uname().nodename if n == 1 else cloud.host + '-2')

    cloud.openstack('server', 'create', '--image', 'tiny-linux', '--flavor',
                    'lv.tiny', 'vm2')
    shown = _wait(cloud, 'ACTIVE', name='vm2')
    server_id, host = shown['id'], shown['OS-EXT-SRV-ATTR:host']
    other = ({cloud.host, cloud.host + '-2'} - {host}).pop()
    _wait_boot(cloud, 1, name='vm2')
    tiny = (1, 256, 1)

    # Resize to the other host, then revert.
    _act(cloud, 'resize', '--flavor', 'lv.small', 'vm2')
    shown = _wait(cloud, 'VERIFY_RESIZE', name='vm2')
    assert shown['OS-EXT-SRV-ATTR:host'] == other
    assert _domain_state(cloud, other, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert _files_of(cloud, other, server_id) == [server_id]
    assert _files_of(cloud, host, server_id) == [server_id + '_resize']
    assert len(_ssh_copies(cloud, server_id)) == 1
    _wait_boot(cloud, 2, name='vm2')
    _act(cloud, 'resize', 'revert', 'vm2')
    shown = _wait(cloud, 'ACTIVE', name='vm2')
    assert shown['OS-EXT-SRV-ATTR:host'] == host
    assert _domain_state(cloud, host, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert _files_of(cloud, other, server_id) == []
    assert _files_of(cloud, host, server_id) == [server_id]
    assert _allocations(cloud).get(server_id) == [(host,) + tiny]
    # The revert brought back the disk as it was before the resize.
    _wait_boot(cloud, 2, name='vm2')

    # Cold migration, confirmed: the disk (two boots on it) moves.
    _act(cloud, 'migrate', server_id, as_cloud='devstack-admin')
    shown = _wait(cloud, 'VERIFY_RESIZE', name='vm2')
    assert shown['OS-EXT-SRV-ATTR:host'] == other
    assert len(_ssh_copies(cloud, server_id)) == 2
    _wait_boot(cloud, 3, name='vm2')
    _act(cloud, 'resize', 'confirm', 'vm2')
    shown = _wait(cloud, 'ACTIVE', name='vm2')
    assert _domain_state(cloud, other, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert _domain_state(cloud, host, server_id) is None
    assert _files_of(cloud, host, server_id) == []
    assert _files_of(cloud, other, server_id) == [server_id]
    allocations = _allocations(cloud)
    assert allocations.get(server_id) == [(other,) + tiny]
    # No migration holds anything any more.
    assert set(allocations) <= {server_id} | {
        s['ID'] for s in cloud.openstack_json(
            'server', 'list', '--all-projects', cloud='devstack-admin')}

    cloud.openstack('server', 'delete', '--wait', 'vm2')
    assert _files_of(cloud, other, server_id) == []


def _ticks(console):
    """The guest's ticks (it prints one every 30 s once ready) in a
    console log: [(count, uptime)]."""
    return [(int(n), float(up)) for n, up in re.findall(
        r'tiny-linux: tick (\d+) uptime=([\d.]+)', console)]


def _live_migrate(cloud, server_id, source, dest, migrations_before):
    """openstack server migrate --live-migration from source, then the
    guest is on dest alone, running, its disk and allocation with it."""
    cloud.openstack('--os-compute-api-version', '2.30', 'server', 'migrate',
                    '--live-migration', '--wait', server_id,
                    cloud='devstack-admin')
    shown = _wait(cloud, 'ACTIVE', name='vm3')
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert _domain_state(cloud, dest, server_id) == \
        libvirt.VIR_DOMAIN_RUNNING
    assert _domain_state(cloud, source, server_id) is None
    assert _files_of(cloud, source, server_id) == []
    assert _files_of(cloud, dest, server_id) == [server_id]
    assert _allocations(cloud).get(server_id) == [(dest, 1, 256, 1)]
    migrations = [m for m in cloud.openstack_json(
        '--os-compute-api-version', '2.23', 'server', 'migration', 'list',
        cloud='devstack-admin') if m['Server UUID'] == server_id]
    (migration,) = [m for m in migrations
                    if m['Id'] not in migrations_before]
    assert (migration['Type'], migration['Status'],
            migration['Source Compute'], migration['Dest Compute']) == (
        'live-migration', 'completed', source, dest), migration
    migrations_before.add(migration['Id'])

    # The destination's console log (its own file) goes on with the
    # guest's ticks (one every 30 s), and no boot: the same guest, still
    # running.
    deadline = time.monotonic() + 75
    console = ''
    while time.monotonic() < deadline and not _ticks(console):
        time.sleep(3)
        console = _console(cloud, 'vm3')
    assert _ticks(console), console[-3000:]
    assert 'tiny-linux: kernel' not in console, console[-3000:]
    assert 'tiny-linux: boot' not in console, console[-3000:]
    # Its network moved with it: the flat network reaches it there.
    for _ in range(10):
        ping = subprocess.run(
            ['busybox', 'ping', '-c', '1', '-W', '2', _address(shown)],
            capture_output=True, text=True)
        if ping.returncode == 0:
            break
    assert ping.returncode == 0, ping.stdout
    # Its VNC console answers through the proxy here too: each host's
    # guests listen on its own address, and the move changed it.
    assert consoles.rfb_banner(consoles.console_url(cloud, shown)) in (
        b'RFB 003.008\n', b'RFB 003.003\n')


def test_live_migration_moves_a_running_guest_and_its_disk(cloud):
    """openstack server migrate --live-migration, there and back (from the
    main libvirtd to the extra host's and from it), block migration chosen
    by the API (2.25+ auto: the hosts share no instances_path): the guest
    goes on running on the other host without a reboot, its disk and
    network with it, and nothing of it stays on the host it left."""
    started = time.monotonic()
    cloud.openstack('server', 'create', '--image', 'tiny-linux', '--flavor',
                    'lv.tiny', 'vm3')
    shown = _wait(cloud, 'ACTIVE', name='vm3')
    server_id, host = shown['id'], shown['OS-EXT-SRV-ATTR:host']
    other = ({cloud.host, cloud.host + '-2'} - {host}).pop()
    _wait_boot(cloud, 1, name='vm3')
    seen = set()
    _live_migrate(cloud, server_id, host, other, seen)
    _live_migrate(cloud, server_id, other, host, seen)

    cloud.openstack('server', 'delete', '--wait', 'vm3')
    assert _files_of(cloud, host, server_id) == []
    print('live migration test: %.0fs' % (time.monotonic() - started))


def test_evacuate_rebuilds_a_dead_hosts_guest_elsewhere(cloud):
    """The host of a running guest dies (its nova-compute killed, the
    guest's QEMU with it); forced down, the guest is evacuated: rebuilt
    on the other host from its image (a new disk: it boots for the first
    time) with its id and address.  When the dead host's nova-compute
    starts again it deletes the stale guest instead of starting it, and
    the allocation is the destination's alone."""
    cloud.openstack('server', 'create', '--image', 'tiny-linux', '--flavor',
                    'lv.tiny', 'vm4')
    shown = _wait(cloud, 'ACTIVE', name='vm4')
    server_id, dead = shown['id'], shown['OS-EXT-SRV-ATTR:host']
    address = _address(shown)
    other = ({cloud.host, cloud.host + '-2'} - {dead}).pop()
    _wait_boot(cloud, 1, name='vm4')
    short = 'n-cpu' if dead == cloud.host else 'n-cpu-2'

    # The host fails: its nova-compute and the guest's QEMU die (the
    # domain stays defined, as after a power cut).
    os.kill(cloud.pid(short), signal.SIGKILL)
    conn = libvirt.open(_uri(cloud, dead))
    try:
        conn.lookupByUUIDString(server_id).destroy()
    finally:
        conn.close()
    admin = ('--os-compute-api-version', '2.11')
    cloud.openstack(*admin, 'compute', 'service', 'set', '--down', dead,
                    'nova-compute', cloud='devstack-admin')
    try:
        cloud.openstack('--os-compute-api-version', '2.29', 'server',
                        'evacuate', server_id,
                        cloud='devstack-admin')
        shown = _wait(cloud, 'ACTIVE', name='vm4')
        assert shown['OS-EXT-SRV-ATTR:host'] == other
        assert shown['id'] == server_id and _address(shown) == address
        assert _domain_state(cloud, other, server_id) == \
            libvirt.VIR_DOMAIN_RUNNING
        assert _files_of(cloud, other, server_id) == [server_id]
        # Rebuilt from the image: a fresh disk, booted once, with the
        # server's address.
        _assert_reachable(cloud, _wait_boot(cloud, 1, name='vm4'), address)
        migrations = [m for m in cloud.openstack_json(
            '--os-compute-api-version', '2.23', 'server', 'migration',
            'list', cloud='devstack-admin')
            if m['Server UUID'] == server_id]
        assert [(m['Type'], m['Source Compute'], m['Dest Compute'])
                for m in migrations] == [('evacuation', dead, other)], \
            migrations

        # The dead host comes back (stack.sh starts what is not running,
        # and waits for every compute to report up: the operator lifts
        # the forced down first): its stale guest and files go, and its
        # allocation with them.
        cloud.openstack(*admin, 'compute', 'service', 'set', '--up', dead,
                        'nova-compute', cloud='devstack-admin')
        result = cloud.stack()
        assert result.returncode == 0, result.stdout[-3000:]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and (
                _domain_state(cloud, dead, server_id) is not None or
                _files_of(cloud, dead, server_id) or
                len(_allocations(cloud).get(server_id, [])) != 1):
            time.sleep(2)
        assert _domain_state(cloud, dead, server_id) is None
        assert _files_of(cloud, dead, server_id) == []
        assert _allocations(cloud).get(server_id) == [(other, 1, 256, 1)]
        assert _domain_state(cloud, other, server_id) == \
            libvirt.VIR_DOMAIN_RUNNING
    finally:
        cloud.openstack(*admin, 'compute', 'service', 'set', '--up', dead,
                        'nova-compute', cloud='devstack-admin')
    cloud.openstack('server', 'delete', '--wait', 'vm4')
    assert _files_of(cloud, other, server_id) == []
    assert _allocations(cloud).get(server_id) is None
