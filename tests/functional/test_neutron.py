"""Servers on Neutron's ports ([network] backend = neutron) against the
fake Neutron of tests/fake_neutron.py: create with 'auto', a network or a
port; the API's 400/409s; delete; shelve and resize moving the bindings;
the spawn waiting for network-vif-plugged; security groups."""

import time

import pytest

from nova.db import instances as db_instances
from tests import fake_neutron
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
PROJECT = 'admin'  # the noauth2 token admin:admin's


@pytest.fixture(scope='module')
def neutron():
    fake = fake_neutron.FakeNeutron()
    # The admin project's only network: what 'auto' picks.
    fake.private = fake.add_network('private', project_id=PROJECT)
    return fake


@pytest.fixture(scope='module')
def cloud(neutron):
    cloud = fixtures.Cloud(neutron=neutron,
                           computes=('compute1', 'compute2'),
                           overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    cloud.neutron_plugs = True
    yield cloud.api.as_user('admin:admin', version='2.80')
    cloud.neutron_plugs = True
    for name in ('vif_plugging_timeout', 'vif_plugging_is_fatal'):
        cloud.conf.clear_override(name)


def _create(api, **extra):
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, **dict({'networks': 'auto'}, **extra))})
    assert resp.status == 202, resp
    return resp.body['server']['id']


def _boot(cloud, api, **extra):
    server_id = _create(api, **extra)
    return server_id, cloud.wait_for_server(server_id, 'ACTIVE', api=api)


def _delete(cloud, api, server_id):
    assert api.delete('/v2.1/servers/' + server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED', api=api)


def _ports(neutron, server_id):
    return [p for p in neutron.ports.values()
            if p['device_id'] == server_id]


def _act(api, server_id, body):
    return api.post('/v2.1/servers/%s/action' % server_id, body)


# -- create ---------------------------------------------------------------

def test_auto_gets_a_bound_port_on_the_only_network(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    (port,) = _ports(neutron, server_id)
    host = server['OS-EXT-SRV-ATTR:host']
    assert port['network_id'] == neutron.private['id']
    assert port['device_owner'] == 'compute:nova'
    assert port['binding:host_id'] == host
    assert port['project_id'] == PROJECT
    # Plugged on the host, it went ACTIVE and Neutron told nova.
    assert port['status'] == 'ACTIVE'
    assert (port['id'], 200) in cloud.neutron_events
    ip = port['fixed_ips'][0]['ip_address']
    assert server['addresses'] == {'private': [{
        'addr': ip, 'version': 4, 'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': port['mac_address']}]}
    (vif,) = db_instances.instance_get(server_id)['network_info']
    assert (vif['id'], vif['type'], vif['details'], vif['devname']) == (
        port['id'], 'ovs', fake_neutron.OVN_VIF_DETAILS,
        'tap' + port['id'][:11])
    assert vif['network']['bridge'] == 'br-int'
    # The driver plugged that VIF.
    assert cloud.compute(host).driver.plugged_vifs[server_id] == [vif]
    _delete(cloud, api, server_id)


def test_a_network_uuid_and_a_fixed_ip(cloud, api, neutron):
    network = neutron.add_network('second', project_id='demo',
                                  cidr='10.7.0.0/24')
    demo = api.as_user('demo:demo', version='2.80')
    server_id, server = _boot(cloud, demo, networks=[
        {'uuid': network['id'], 'fixed_ip': '10.7.0.42'}])
    (port,) = _ports(neutron, server_id)
    assert port['network_id'] == network['id']
    assert port['project_id'] == 'demo'
    assert server['addresses']['second'][0]['addr'] == '10.7.0.42'
    _delete(cloud, demo, server_id)
    assert _ports(neutron, server_id) == []


def test_a_users_port_is_bound_then_unbound_at_delete(cloud, api, neutron):
    port = neutron.add_port(neutron.private['id'], project_id=PROJECT,
                            name='mine')
    server_id, server = _boot(cloud, api, networks=[{'port': port['id']}])
    bound = neutron.ports[port['id']]
    assert bound['device_id'] == server_id
    assert bound['binding:host_id'] == server['OS-EXT-SRV-ATTR:host']
    assert server['addresses']['private'][0]['OS-EXT-IPS-MAC:mac_addr'] \
        == port['mac_address']
    (vif,) = db_instances.instance_get(server_id)['network_info']
    assert vif['preserve_on_delete'] is True
    # A port in use is a 409 for the next server.
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, networks=[{'port': port['id']}])})
    assert resp.status == 409, resp
    assert resp.body['conflictingRequest']['message'] == (
        'Port %s is still in use.' % port['id'])
    _delete(cloud, api, server_id)
    # Kept, unbound: the user's again.
    kept = neutron.ports[port['id']]
    assert (kept['device_id'], kept['device_owner'],
            kept['binding:host_id']) == ('', '', '')


def test_deleting_removes_the_ports_nova_made(cloud, api, neutron):
    server_id, _ = _boot(cloud, api)
    (port,) = _ports(neutron, server_id)
    _delete(cloud, api, server_id)
    assert port['id'] not in neutron.ports
    assert ('DELETE', '/v2.0/ports/' + port['id']) in [
        call[:2] for call in neutron.requests]


def test_what_neutron_does_not_know_is_a_400(cloud, api, neutron):
    missing = '0b4ff1c1-52f3-4c8e-8d1b-0f8f2f7a0c11'
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, networks=[{'uuid': missing}])})
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == (
        'Network %s could not be found.' % missing)
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, networks=[{'port': missing}])})
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == (
        'Port id %s could not be found.' % missing)
    assert _ports(neutron, missing) == []


def test_auto_with_two_networks_to_choose_from_is_a_409(cloud, api,
                                                        neutron):
    neutron.add_network('one', project_id='ambiguous', cidr='10.8.0.0/24')
    neutron.add_network('two', project_id='ambiguous', cidr='10.9.0.0/24')
    resp = api.as_user('ambiguous:ambiguous', version='2.80').post(
        '/v2.1/servers', {'server': dict(SERVER, networks='auto')})
    assert resp.status == 409, resp
    assert 'Multiple possible networks found' in \
        resp.body['conflictingRequest']['message']


# -- moves ------------------------------------------------------------------

def test_shelve_offload_and_unshelve_keep_the_port(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    (port,) = _ports(neutron, server_id)
    before = dict(port)
    assert _act(api, server_id, {'shelve': None}).status == 202
    cloud.wait_for_server(server_id, 'SHELVED_OFFLOADED', api=api)
    (kept,) = _ports(neutron, server_id)
    assert kept['id'] == before['id']
    assert kept['binding:host_id'] == ''
    for host in ('compute1', 'compute2'):
        assert server_id not in cloud.compute(host).driver.plugged_vifs
    assert _act(api, server_id, {'unshelve': None}).status == 202
    server = cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    (port,) = _ports(neutron, server_id)
    assert port['id'] == before['id']
    assert port['mac_address'] == before['mac_address']
    assert port['fixed_ips'] == before['fixed_ips']
    assert port['binding:host_id'] == server['OS-EXT-SRV-ATTR:host']
    assert port['status'] == 'ACTIVE'
    (vif,) = db_instances.instance_get(server_id)['network_info']
    assert vif['id'] == port['id'] and vif['type'] == 'ovs'
    _delete(cloud, api, server_id)
    assert port['id'] not in neutron.ports


def test_resize_moves_the_binding_and_a_revert_brings_it_back(cloud, api,
                                                              neutron):
    server_id, server = _boot(cloud, api)
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'compute1', 'compute2'} - {source}).pop()
    (port,) = _ports(neutron, server_id)
    assert _act(api, server_id, {'resize': {'flavorRef': '2'}}).status == \
        202
    shown = cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=api)
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert neutron.ports[port['id']]['binding:host_id'] == dest
    assert cloud.compute(dest).driver.plugged_vifs[server_id][0]['id'] == \
        port['id']
    assert _act(api, server_id, {'revertResize': None}).status == 202
    shown = cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    assert shown['OS-EXT-SRV-ATTR:host'] == source
    assert neutron.ports[port['id']]['binding:host_id'] == source
    # Resize again, and confirm: the port stays on the destination.
    assert _act(api, server_id, {'resize': {'flavorRef': '2'}}).status == \
        202
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=api)
    assert _act(api, server_id, {'confirmResize': None}).status == 204
    cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    (port,) = _ports(neutron, server_id)
    assert port['binding:host_id'] == dest
    _delete(cloud, api, server_id)


def test_live_migration_moves_the_binding_once_the_guest_arrived(
        cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    source = server['OS-EXT-SRV-ATTR:host']
    dest = ({'compute1', 'compute2'} - {source}).pop()
    (port,) = _ports(neutron, server_id)
    bindings = []
    source_driver = cloud.compute(source).driver
    migrate = source_driver.live_migration

    def watched(*args, **kwargs):
        # While the hypervisor copies, the port is still the source's.
        bindings.append(neutron.ports[port['id']]['binding:host_id'])
        return migrate(*args, **kwargs)

    source_driver.live_migration = watched
    try:
        assert _act(api, server_id, {'os-migrateLive': {
            'host': None, 'block_migration': 'auto'}}).status == 202
        shown = cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    finally:
        del source_driver.live_migration
    assert bindings == [source]
    assert shown['OS-EXT-SRV-ATTR:host'] == dest
    assert neutron.ports[port['id']]['binding:host_id'] == dest
    # The destination plugged the port before the guest came.
    assert cloud.compute(dest).driver.plugged_vifs[server_id][0]['id'] == \
        port['id']
    (vif,) = db_instances.instance_get(server_id)['network_info']
    assert vif['id'] == port['id']
    assert shown['addresses'] == server['addresses']
    _delete(cloud, api, server_id)


# -- waiting for network-vif-plugged ------------------------------------

def _status(api, server_id):
    server = api.get('/v2.1/servers/' + server_id).body['server']
    return server['status'], server.get('OS-EXT-STS:task_state')


def _send(api, server_id, port_id, status='completed'):
    return api.post('/v2.1/os-server-external-events', {'events': [
        {'name': 'network-vif-plugged', 'server_uuid': server_id,
         'tag': port_id, 'status': status}]})


def _wait_for_port(neutron, server_id, timeout=10):
    deadline = time.monotonic() + timeout
    while not _ports(neutron, server_id):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    return _ports(neutron, server_id)[0]


def test_the_spawn_waits_for_the_event_and_ignores_other_ports(cloud, api,
                                                               neutron):
    cloud.neutron_plugs = False  # Neutron is slow today
    server_id = _create(api)
    port = _wait_for_port(neutron, server_id)
    time.sleep(0.5)
    assert _status(api, server_id) == ('BUILD', 'spawning')
    # An event for a port the server does not have: accepted, ignored.
    resp = _send(api, server_id, 'a7d2a1d6-0000-4000-8000-000000000000')
    assert resp.status == 200, resp
    time.sleep(0.3)
    assert _status(api, server_id) == ('BUILD', 'spawning')
    # The port comes up: Neutron says so, the guest starts.
    neutron.plugged([port['id']], port['binding:host_id'])
    cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    _delete(cloud, api, server_id)


def test_no_event_in_time_is_an_error_when_fatal(cloud, api, neutron):
    cloud.conf.set_override('vif_plugging_timeout', 1)
    cloud.neutron_plugs = False
    server_id = _create(api)
    port = _wait_for_port(neutron, server_id)
    server = cloud.wait_for_server(server_id, 'ERROR', api=api)
    assert server['fault']['code'] == 500
    # Which port's event did not come.
    assert server['fault']['message'] == (
        'Build of instance %s aborted: Failed to allocate the network(s), '
        'not rescheduling: no network-vif-plugged event for port(s) %s '
        'within 1 s.' % (server_id, port['id']))
    # Not rescheduled to the other host; the port it made is gone.
    assert _ports(neutron, server_id) == []
    assert db_instances.instance_get(server_id)['network_info'] == []
    _delete(cloud, api, server_id)


def test_a_full_subnet_is_a_fault_that_says_so(cloud, api, neutron):
    # A /30: its gateway and one address, which the first server takes.
    tiny = neutron.add_network('tiny', project_id=PROJECT,
                               cidr='10.9.9.0/30')
    try:
        first, _ = _boot(cloud, api, networks=[{'uuid': tiny['id']}])
        server_id = _create(api, networks=[{'uuid': tiny['id']}])
        server = cloud.wait_for_server(server_id, 'ERROR', api=api)
        assert server['fault']['message'] == (
            'Build of instance %s aborted: Conflict: No more IP addresses '
            'available on network %s.' % (server_id, tiny['id']))
        assert _ports(neutron, server_id) == []
        _delete(cloud, api, server_id)
        _delete(cloud, api, first)
    finally:
        del neutron.networks[tiny['id']]


def test_neutron_down_during_the_build_is_a_fault_naming_it(cloud, api,
                                                            neutron):
    # Up for the API's checks, down when the compute makes the port.
    neutron.unreachable = lambda method, path: (
        method == 'POST' and path == '/v2.0/ports')
    try:
        server_id = _create(api)
        server = cloud.wait_for_server(server_id, 'ERROR', api=api)
    finally:
        neutron.unreachable = None
    assert server['fault']['message'] == (
        'Build of instance %s aborted: Failed to allocate the network(s), '
        'not rescheduling: the Networking service (Neutron) could not be '
        'reached or answered with an error.' % server_id)
    # Neither Neutron's address nor a traceback for the user.
    assert 'neutron.fake' not in server['fault']['message']
    assert _ports(neutron, server_id) == []
    _delete(cloud, api, server_id)


def test_no_event_in_time_is_fine_when_not_fatal(cloud, api, neutron):
    cloud.conf.set_override('vif_plugging_timeout', 1)
    cloud.conf.set_override('vif_plugging_is_fatal', False)
    cloud.neutron_plugs = False
    server_id, _ = _boot(cloud, api)
    (port,) = _ports(neutron, server_id)
    assert port['status'] == 'DOWN'
    _delete(cloud, api, server_id)


def test_a_failed_plug_is_an_error(cloud, api, neutron):
    cloud.neutron_plugs = False
    server_id = _create(api)
    port = _wait_for_port(neutron, server_id)
    deadline = time.monotonic() + 10
    while _status(api, server_id) != ('BUILD', 'spawning'):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert _send(api, server_id, port['id'], status='failed').status == 200
    server = cloud.wait_for_server(server_id, 'ERROR', api=api)
    assert server['fault']['message'].endswith(
        'Failed to allocate the network(s), not rescheduling: the '
        'Networking service reported that plugging port(s) %s failed.'
        % port['id'])
    _delete(cloud, api, server_id)


def test_a_delete_while_waiting_ends_the_build(cloud, api, neutron):
    cloud.neutron_plugs = False
    server_id = _create(api)
    port = _wait_for_port(neutron, server_id)
    start = time.monotonic()
    _delete(cloud, api, server_id)
    # Well before vif_plugging_timeout (300 s).
    assert time.monotonic() - start < 10
    assert port['id'] not in neutron.ports


# -- security groups ------------------------------------------------------

def test_security_groups_are_the_ports(cloud, api, neutron):
    web = neutron.add_security_group(PROJECT, 'web')
    server_id, server = _boot(cloud, api)
    assert server['security_groups'] == [{'name': 'default'}]
    assert _act(api, server_id,
                {'addSecurityGroup': {'name': 'web'}}).status == 202
    (port,) = _ports(neutron, server_id)
    assert web['id'] in port['security_groups']
    listed = api.get('/v2.1/servers/%s/os-security-groups' % server_id)
    assert sorted(g['name'] for g in listed.body['security_groups']) == [
        'default', 'web']
    assert _act(api, server_id,
                {'removeSecurityGroup': {'name': 'web'}}).status == 202
    assert web['id'] not in _ports(neutron, server_id)[0]['security_groups']
    resp = _act(api, server_id, {'addSecurityGroup': {'name': 'nope'}})
    assert resp.status == 404, resp
    _delete(cloud, api, server_id)


def test_a_server_created_in_a_group_has_its_port_in_it(cloud, api,
                                                        neutron):
    db = neutron.add_security_group(PROJECT, 'db')
    server_id, _ = _boot(cloud, api, security_groups=[{'name': 'db'}])
    (port,) = _ports(neutron, server_id)
    assert port['security_groups'] == [db['id']]
    _delete(cloud, api, server_id)
    resp = api.post('/v2.1/servers', {'server': dict(
        SERVER, networks='auto', security_groups=[{'name': 'nope'}])})
    assert resp.status == 400, resp


def test_network_changed_refreshes_the_addresses(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    (port,) = _ports(neutron, server_id)
    # Someone gave the port another address in Neutron.
    port['fixed_ips'][0]['ip_address'] = '10.1.0.250'
    assert api.post('/v2.1/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': server_id,
         'tag': port['id']}]}).status == 200
    deadline = time.monotonic() + 10
    while True:
        addresses = api.get('/v2.1/servers/' + server_id).body['server'][
            'addresses']
        if addresses['private'][0]['addr'] == '10.1.0.250':
            break
        assert time.monotonic() < deadline, addresses
        time.sleep(0.05)
    _delete(cloud, api, server_id)
