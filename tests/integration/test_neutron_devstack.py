"""devstack with NOVA_NETWORK_BACKEND=neutron (devstack/neutron.sh):
Open vSwitch on the userspace datapath, OVN and Neutron's ML2/OVN API
behind Keystone, checked with the unmodified openstack client, and real
libvirt guests on Neutron's shared network getting their addresses from
OVN's DHCP and pinging each other through OVN.

The deployment's ovs-vswitchd runs in the machine's network namespace,
where libvirtd and QEMU open the taps nova-compute plugs (the userspace
datapath's ovs-netdev tap is one per namespace: one such deployment at a
time on a machine).  Its Open vSwitch and OVN sockets are under its
temporary directory, its bridge and ports are its own.
"""

import configparser
import ipaddress
import os
import re
import subprocess
import time
import uuid

import pytest

from tests.integration import conftest


def _neutron_venv(tmp_path):
    # Built once and reused, like Glance's and Keystone's.
    return (os.environ.get('NOVA_TEST_NEUTRON_VENV')
            or os.path.join(conftest.cache_dir(), 'neutron-venv'))


# On stack.sh's default database alone: nova's own SQL meets every backend
# in test_bringup, and Neutron's schema on MySQL or PostgreSQL is
# Neutron's; three deployments of OVN and Neutron cost CI five minutes.
@pytest.fixture(scope='module', params=['sqlite'])
def deployment(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-neutron-' + request.param)
    database = conftest.Database(request.param, tmp_path)
    deploy = conftest.Deployment(tmp_path, database, virt_driver='libvirt',
                                 env={'NOVA_COMPUTES': '1',
                                      'NOVA_NETWORK_BACKEND': 'neutron'})
    taken = {deploy.port, deploy.glance_port, deploy.keystone_port}
    deploy.neutron_port = conftest._free_port()
    while deploy.neutron_port in taken:
        deploy.neutron_port = conftest._free_port()
    # Its own bridge and range, named after its host.
    hexa = deploy.host[3:]
    deploy.env.update(
        NEUTRON_PORT=str(deploy.neutron_port),
        NEUTRON_VENV=_neutron_venv(tmp_path),
        NEUTRON_CONF_DIR=os.path.join(tmp_path, 'etc', 'neutron'),
        NEUTRON_OVS_DIR=os.path.join(tmp_path, 'ovs'),
        NEUTRON_OVN_DIR=os.path.join(tmp_path, 'ovn'),
        NEUTRON_OVS_BRIDGE='qb' + hexa,
        NEUTRON_OVS_NETNS='',
        NEUTRON_FIXED_RANGE='10.%d.%d.0/24' % (1 + int(hexa[4:6], 16) % 254,
                                               int(hexa[6:8], 16)))
    # Neutron's install on top of Keystone's and Glance's: more than the
    # 300 s Deployment.stack() allows on a fresh machine.
    result = subprocess.run(['bash', conftest.STACK], env=deploy.env,
                            capture_output=True, text=True, timeout=1200)
    deploy.stack_output = result.stdout + result.stderr
    try:
        assert result.returncode == 0, (
            'stack.sh failed:\n%s\n%s' % (result.stdout[-3000:],
                                          result.stderr[-3000:]))
        deploy.openstack('flavor', 'create', '--ram', '256', '--disk', '1',
                         '--vcpus', '1', 'nt.tiny', cloud='devstack-admin')
        yield deploy
    finally:
        deploy.unstack()
        deploy.delete_vhost()
        database.drop()


def _admin(deployment, *args):
    return deployment.openstack_json(*args, cloud='devstack-admin')


def _processes_of(deployment):
    """(pid, command line) of every process whose command line names the
    deployment's directory: its services, Open vSwitch and OVN."""
    found = []
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                cmdline = f.read().replace(b'\0', b' ').decode()
        except OSError:
            continue
        if str(deployment.tmp) in cmdline:
            found.append((int(pid), cmdline))
    return found


def test_summary_and_nova_conf(deployment):
    env = deployment.env
    assert ('network:  neutron (ML2/OVN) at http://127.0.0.1:%d; shared '
            'network private, %s; bridge %s'
            % (deployment.neutron_port, env['NEUTRON_FIXED_RANGE'],
               env['NEUTRON_OVS_BRIDGE'])) in deployment.stack_output
    conf = configparser.ConfigParser(interpolation=None, strict=False)
    conf.read(os.path.join(env['NOVA_CONF_DIR'], 'nova.conf'))
    assert conf['network']['backend'] == 'neutron'
    assert conf['network']['ovsdb_connection'] == (
        'unix:%s/db.sock' % env['NEUTRON_OVS_DIR'])
    # The libvirt driver waits for Neutron's network-vif-plugged.
    assert 'vif_plugging_timeout' not in conf['DEFAULT']
    assert conf['neutron']['auth_type'] == 'password'
    assert conf['neutron']['username'] == 'nova'
    assert conf['neutron']['project_name'] == 'service'
    assert conf['neutron']['auth_url'] == deployment.auth_url
    assert conf['neutron']['region_name'] == 'RegionOne'
    assert conf['neutron']['ovs_bridge'] == env['NEUTRON_OVS_BRIDGE']


def test_catalog_has_network(deployment):
    catalog = _admin(deployment, 'catalog', 'list')
    network = [s for s in catalog if s['Type'] == 'network']
    assert len(network) == 1, catalog
    urls = {e['interface']: e['url'] for e in network[0]['Endpoints']}
    assert urls == dict.fromkeys(
        ('public', 'internal', 'admin'),
        'http://127.0.0.1:%d' % deployment.neutron_port)
    users = {u['Name'] for u in _admin(deployment, 'user', 'list')}
    assert 'neutron' in users


def test_shared_network_and_subnet(deployment):
    # A member of demo sees the admin's shared network.
    networks = deployment.openstack_json('network', 'list')
    private = [n for n in networks if n['Name'] == 'private']
    assert len(private) == 1, networks
    subnets = deployment.openstack_json('subnet', 'list')
    mine = [s for s in subnets if s['Network'] == private[0]['ID']]
    assert [s['Subnet'] for s in mine] == [
        deployment.env['NEUTRON_FIXED_RANGE']]
    shown = deployment.openstack_json('network', 'show', 'private')
    assert shown['shared'] is True
    assert shown['status'] == 'ACTIVE'
    # ML2/OVN reports this deployment's chassis.
    agents = _admin(deployment, 'network', 'agent', 'list')
    assert any(a['Host'] == deployment.host for a in agents), agents


def test_port_bound_to_the_host(deployment):
    bridge = deployment.env['NEUTRON_OVS_BRIDGE']
    port = _admin(deployment, 'port', 'create', '--network', 'private',
                  '--host', deployment.host, 'it-port')
    try:
        assert port['binding_host_id'] == deployment.host
        assert port['binding_vif_type'] == 'ovs', port
        details = port['binding_vif_details']
        assert details['datapath_type'] == 'netdev', details
        assert details['bridge_name'] == bridge, details
        assert port['fixed_ips'][0]['ip_address'].startswith(
            deployment.env['NEUTRON_FIXED_RANGE'].rsplit('.', 1)[0] + '.')
        # OVN has the logical switch port.
        switches = subprocess.run(
            ['ovn-nbctl', '--db=unix:%s/ovnnb_db.sock'
             % deployment.env['NEUTRON_OVN_DIR'], '--bare', '--columns=name',
             'list', 'Logical_Switch_Port'],
            capture_output=True, text=True, check=True).stdout.split()
        assert port['id'] in switches, switches
    finally:
        deployment.openstack('port', 'delete', port['id'],
                             cloud='devstack-admin')
    ports = _admin(deployment, 'port', 'list', '--network', 'private')
    assert port['id'] not in [p['ID'] for p in ports]


def _wait_for(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail('timed out after %ss waiting for %s' % (timeout, what))


def test_plugged_port_goes_active_and_nova_hears_of_it(deployment):
    """What nova-compute will do, done by hand: a port bound to the host,
    an interface on the bridge whose iface-id is the port (an OVS internal
    port here; nova plugs the guest's tap), the chassis claims it, Neutron
    marks it ACTIVE and tells nova-api network-vif-plugged as the nova
    user.  nova-api knows no such server (404): no server boots here."""
    env = deployment.env
    server = str(uuid.uuid4())
    port = _admin(deployment, 'port', 'create', '--network', 'private',
                  '--host', deployment.host, '--device-owner', 'compute:nova',
                  '--device', server, 'it-plugged')
    tap = 'tap' + port['id'][:11]
    vsctl = ['ovs-vsctl', '--timeout=30',
             '--db=unix:%s/db.sock' % env['NEUTRON_OVS_DIR']]
    ovs_env = dict(os.environ, OVS_RUNDIR=env['NEUTRON_OVS_DIR'])
    try:
        subprocess.run(vsctl + [
            'add-port', env['NEUTRON_OVS_BRIDGE'], tap, '--', 'set',
            'Interface', tap, 'type=internal',
            'external_ids:iface-id=%s' % port['id'],
            'external_ids:attached-mac=%s' % port['mac_address'],
            'external_ids:iface-status=active',
            'external_ids:vm-uuid=%s' % server],
            check=True, capture_output=True, env=ovs_env)
        _wait_for('the port to go ACTIVE', lambda: _admin(
            deployment, 'port', 'show', port['id'])['status'] == 'ACTIVE',
            60)
        # Neutron sends its events in batches, every 2 s.
        _wait_for('Neutron to send network-vif-plugged', lambda: any(
            'Sending events' in line and server in line
            and 'network-vif-plugged' in line
            for line in deployment.log('q-svc').splitlines()), 30)
        posts = _wait_for('nova-api to get the event', lambda: [
            line for line in deployment.log('n-api').splitlines()
            if '"POST /v2.1/os-server-external-events" status:' in line],
            30)
        # Its [nova] user got through Keystone and nova's policy.
        assert 'status: 401' not in posts[-1], posts
        assert 'status: 403' not in posts[-1], posts
    finally:
        subprocess.run(vsctl + ['--if-exists', 'del-port', tap],
                       capture_output=True, env=ovs_env)
        deployment.openstack('port', 'delete', port['id'],
                             cloud='devstack-admin')


def _console_line(deployment, server_id, pattern, timeout=240):
    """The first match of pattern on the server's console."""
    return _wait_for('%r on the console of %s' % (pattern, server_id),
                     lambda: re.search(pattern, deployment.console_output(
                         server_id)), timeout)


def _boot(deployment, name, image='tiny-linux'):
    """A guest on the shared network, created with the client as demo:
    (server, its address, seconds from the request to its lease)."""
    started = time.monotonic()
    server = deployment.openstack_json(
        'server', 'create', '--image', image, '--flavor', 'nt.tiny',
        '--network', 'private', '--wait', name)
    shown = deployment.server(server['id'])
    assert shown['status'] == 'ACTIVE', shown
    ((network, entries),) = shown['addresses'].items()
    assert network == 'private', shown['addresses']
    address = entries[0]['addr']
    lease = _console_line(deployment, server['id'],
                          r'tiny-linux: lease eth0 ip=(\S+) router=(\S+)')
    leased = time.monotonic() - started
    # OVN's DHCP gives the Neutron port's address and the subnet's gateway.
    gateway = str(next(ipaddress.ip_network(
        deployment.env['NEUTRON_FIXED_RANGE']).hosts()))
    assert lease.groups() == (address, gateway), lease.group(0)
    return shown, address, leased


def _ports_of(deployment, server_id):
    return _admin(deployment, 'port', 'list', '--device-id', server_id,
                  '--long')


def test_guests_get_ovn_leases_and_ping_each_other(deployment):
    """Two real guests on Neutron's shared network, as a user would make
    them: each gets its port's address from OVN's DHCP, and the second
    (booted with tiny_ping= on its kernel command line) pings the first
    through OVN, inside the demo project's default security group.
    Deleting them deletes the ports nova made."""
    first, first_address, first_lease = _boot(deployment, 'nvm1')
    (port,) = _ports_of(deployment, first['id'])
    assert port['Status'] == 'ACTIVE', port
    shown = _admin(deployment, 'port', 'show', port['ID'])
    assert shown['binding_host_id'] == deployment.host, shown
    assert shown['device_owner'] == 'compute:nova', shown
    assert shown['binding_vif_type'] == 'ovs', shown
    # nova plugged the guest's tap into this deployment's bridge.
    vsctl = ['ovs-vsctl', '--timeout=30',
             '--db=unix:%s/db.sock' % deployment.env['NEUTRON_OVS_DIR']]
    ports = subprocess.run(
        vsctl + ['list-ports', deployment.env['NEUTRON_OVS_BRIDGE']],
        capture_output=True, text=True, check=True).stdout.split()
    assert 'tap' + port['ID'][:11] in ports, ports
    # Nova waited for Neutron's network-vif-plugged before it went on.
    assert any('network-vif-plugged' in line and first['id'] in line
               for line in deployment.log('n-cpu').splitlines())

    # The same guest, told to ping the first one.
    image = deployment.openstack_json('image', 'show', 'tiny-linux')
    properties = image['properties']
    disk = os.path.join(deployment.env['NOVA_IMAGE_CACHE_DIR'],
                        'disk.qcow2')
    deployment.openstack(
        'image', 'create', '--disk-format', 'qcow2', '--container-format',
        'bare', '--file', disk,
        '--property', 'kernel_id=%s' % properties['kernel_id'],
        '--property', 'ramdisk_id=%s' % properties['ramdisk_id'],
        '--property', 'os_command_line=%s tiny_ping=%s' % (
            properties['os_command_line'], first_address), 'tiny-ping')
    second, second_address, second_lease = _boot(deployment, 'nvm2',
                                                  image='tiny-ping')
    assert second_address != first_address
    pinged = _console_line(
        deployment, second['id'],
        r'tiny-linux: ping %s (ok|failed) after \d+ tries'
        % re.escape(first_address), timeout=120)
    assert pinged.group(1) == 'ok', pinged.group(0)
    print('request to lease: %.1f s, %.1f s' % (first_lease, second_lease))

    port_ids = [p['ID'] for server in (first, second)
                for p in _ports_of(deployment, server['id'])]
    assert len(port_ids) == 2, port_ids
    deployment.openstack('server', 'delete', '--wait', 'nvm1', 'nvm2')
    left = {p['ID'] for p in _admin(deployment, 'port', 'list')}
    assert not left & set(port_ids), left
    ports = subprocess.run(
        vsctl + ['list-ports', deployment.env['NEUTRON_OVS_BRIDGE']],
        capture_output=True, text=True, check=True).stdout.split()
    assert not [p for p in ports if p.startswith('tap')], ports


def _guest_macs(server_id, flags=0):
    """The MACs of the libvirt domain's NICs (flags: its persistent
    definition with VIR_DOMAIN_XML_INACTIVE)."""
    import libvirt
    conn = libvirt.open('qemu:///system')
    try:
        xml = conn.lookupByUUIDString(server_id).XMLDesc(flags)
    finally:
        conn.close()
    return re.findall(r"<mac address='([0-9a-f:]+)'/>", xml)


def test_an_interface_attached_and_detached(deployment):
    """openstack server add network / remove port on a running guest:
    nova makes a port on the network, binds it and plugs it into the guest
    (live and in its definition); removing it takes the NIC out again and
    deletes the port."""
    import libvirt
    server, address, _lease = _boot(deployment, 'nvm3')
    (first,) = _ports_of(deployment, server['id'])
    deployment.openstack('server', 'add', 'network', 'nvm3', 'private')
    ports = _ports_of(deployment, server['id'])
    assert len(ports) == 2, ports
    (added,) = [p for p in ports if p['ID'] != first['ID']]
    shown = _admin(deployment, 'port', 'show', added['ID'])
    assert shown['binding_host_id'] == deployment.host, shown
    assert shown['device_owner'] == 'compute:nova', shown
    mac = shown['mac_address']
    assert mac in _guest_macs(server['id'])
    assert mac in _guest_macs(server['id'], libvirt.VIR_DOMAIN_XML_INACTIVE)
    _wait_for('the new port to go ACTIVE', lambda: _admin(
        deployment, 'port', 'show', added['ID'])['status'] == 'ACTIVE', 60)
    (entries,) = deployment.server(server['id'])['addresses'].values()
    assert sorted(e['addr'] for e in entries) == sorted(
        [address, shown['fixed_ips'][0]['ip_address']]), entries
    interfaces = deployment.openstack_json(
        'port', 'list', '--server', 'nvm3')
    assert {p['ID'] for p in interfaces} == {first['ID'], added['ID']}

    deployment.openstack('server', 'remove', 'port', 'nvm3', added['ID'])
    _wait_for('the port to go', lambda: added['ID'] not in {
        p['ID'] for p in _admin(deployment, 'port', 'list')}, 60)
    _wait_for('the address to go', lambda: len(list(deployment.server(
        server['id'])['addresses'].values())[0]) == 1, 30)
    assert mac not in _guest_macs(server['id'],
                                  libvirt.VIR_DOMAIN_XML_INACTIVE)
    assert first['MAC Address'] in _guest_macs(server['id'])
    actions = [a['Action'] for a in deployment.openstack_json(
        'server', 'event', 'list', 'nvm3')]
    assert 'attach_interface' in actions and 'detach_interface' in actions
    deployment.openstack('server', 'delete', '--wait', 'nvm3')


def test_unstack_leaves_nothing(deployment):
    assert _processes_of(deployment)
    result = deployment.unstack()
    assert result.returncode == 0, result.stdout + result.stderr
    left = _processes_of(deployment)
    assert not left, left
    links = subprocess.run(['ip', '-o', 'link', 'show'], capture_output=True,
                           text=True).stdout
    assert deployment.env['NEUTRON_OVS_BRIDGE'] not in links
    # The userspace datapath's tap went with its ovs-vswitchd.
    assert ' ovs-netdev:' not in links
