"""/servers/{id}/os-interface: attach and detach Neutron ports (upstream's
attach_interfaces API) against the fake Neutron of tests/fake_neutron.py;
with the flat network every route is a 501."""

import time

import pytest

from tests import fake_neutron
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}
MISSING = '0b4ff1c1-52f3-4c8e-8d1b-0f8f2f7a0c11'
KEYS = {'net_id', 'port_id', 'mac_addr', 'port_state', 'fixed_ips'}


def _path(server_id, port_id=None):
    path = '/v2.1/servers/%s/os-interface' % server_id
    return path + '/' + port_id if port_id else path


def _boot(cloud, api):
    resp = api.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    return server_id, cloud.wait_for_server(server_id, 'ACTIVE', api=api)


def _delete(cloud, api, server_id):
    assert api.delete('/v2.1/servers/' + server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED', api=api)


def _act(api, server_id, body):
    return api.post('/v2.1/servers/%s/action' % server_id, body)


def _attach(api, server_id, version=None, **attachment):
    return api.post(_path(server_id), {'interfaceAttachment': attachment},
                    version=version)


def _ports(neutron, server_id):
    return [p for p in neutron.ports.values() if p['device_id'] == server_id]


def _wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, 'timed out'
        time.sleep(0.05)


def _event(api, server_id, action, event):
    """The result of action's event, once it finished."""
    path = '/v2.1/servers/%s/os-instance-actions' % server_id
    found = {}

    def finished():
        for item in api.get(path).body['instanceActions']:
            if item['action'] != action:
                continue
            shown = api.get(path + '/' + item['request_id']).body[
                'instanceAction']
            for e in shown['events']:
                if e['event'] == event and e['finish_time']:
                    found['result'] = e['result']
        return 'result' in found
    _wait(finished)
    return found['result']


def _error(resp, status, name):
    assert resp.status == status, resp
    assert list(resp.body) == [name], resp.body
    return resp.body[name]['message']


# -- the flat network: first, before the module's Neutron cloud starts ----

def test_the_flat_network_answers_501_on_each_route():
    flat = fixtures.Cloud(overrides={'report_interval': 50}).start()
    try:
        api = flat.api.as_user('admin:admin', version='2.80')
        resp = api.post('/v2.1/servers', {'server': dict(
            SERVER, networks='auto')})
        assert resp.status == 202, resp
        server_id = resp.body['server']['id']
        flat.wait_for_server(server_id, 'ACTIVE', api=api)
        for resp in (api.get(_path(server_id)),
                     api.get(_path(server_id, MISSING)),
                     _attach(api, server_id),
                     api.delete(_path(server_id, MISSING))):
            message = _error(resp, 501, 'notImplemented')
            assert resp.body['notImplemented']['code'] == 501
            assert 'Neutron' in message
        assert api.get(_path(MISSING)).status == 404
    finally:
        flat.stop()


# -- Neutron ----------------------------------------------------------------

@pytest.fixture(scope='module')
def neutron():
    fake = fake_neutron.FakeNeutron()
    # The admin project's only network ('auto', and an empty attach).
    fake.private = fake.add_network('private', project_id='admin')
    fake.second = fake.add_network('second', project_id='other',
                                   cidr='10.7.0.0/24')
    fake.demo = fake.add_network('demo-net', project_id='demo',
                                 cidr='10.9.0.0/24')
    return fake


@pytest.fixture(scope='module')
def cloud(neutron):
    cloud = fixtures.Cloud(neutron=neutron,
                           overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    yield cloud.api.as_user('admin:admin', version='2.80')
    cloud.compute('compute1').driver.fail_operations.discard(
        'attach_interface')


def test_attach_on_a_network_then_detach(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    host = server['OS-EXT-SRV-ATTR:host']
    driver = cloud.compute(host).driver
    (first,) = _ports(neutron, server_id)
    listed = api.get(_path(server_id))
    assert listed.status == 200, listed
    assert listed.body == {'interfaceAttachments': [{
        'net_id': neutron.private['id'], 'port_id': first['id'],
        'mac_addr': first['mac_address'], 'port_state': first['status'],
        'fixed_ips': [{'subnet_id': ip['subnet_id'],
                       'ip_address': ip['ip_address']}
                      for ip in first['fixed_ips']], 'tag': None}]}

    resp = _attach(api, server_id, net_id=neutron.second['id'])
    assert resp.status == 200, resp
    attachment = resp.body['interfaceAttachment']
    assert set(attachment) == KEYS | {'tag'}
    port = neutron.ports[attachment['port_id']]
    assert attachment['net_id'] == neutron.second['id']
    assert attachment['mac_addr'] == port['mac_address']
    assert attachment['port_state'] == port['status']
    (ip,) = attachment['fixed_ips']
    assert ip == {'subnet_id': neutron.second['subnets'][0],
                  'ip_address': port['fixed_ips'][0]['ip_address']}
    assert (port['device_id'], port['device_owner'],
            port['binding:host_id']) == (server_id, 'compute:nova', host)
    assert [v['id'] for v in driver.plugged_vifs[server_id]] == [
        first['id'], port['id']]
    addresses = api.get('/v2.1/servers/' + server_id).body['server'][
        'addresses']
    assert addresses['second'][0]['addr'] == ip['ip_address']
    assert addresses['second'][0]['OS-EXT-IPS-MAC:mac_addr'] == \
        port['mac_address']
    shown = api.get(_path(server_id, port['id']))
    assert shown.status == 200, shown
    assert shown.body == {'interfaceAttachment': attachment}
    assert [a['port_id'] for a in api.get(_path(server_id)).body[
        'interfaceAttachments']] == [first['id'], port['id']]
    assert _event(api, server_id, 'attach_interface',
                  'compute_attach_interface') == 'Success'

    resp = api.delete(_path(server_id, port['id']))
    assert resp.status == 202, resp
    # A cast: done once its event finished.
    assert _event(api, server_id, 'detach_interface',
                  'compute_detach_interface') == 'Success'
    assert port['id'] not in neutron.ports
    assert [v['id'] for v in driver.plugged_vifs[server_id]] == [first['id']]
    addresses = api.get('/v2.1/servers/' + server_id).body['server'][
        'addresses']
    assert list(addresses) == ['private']
    assert _error(api.get(_path(server_id, port['id'])), 404, 'itemNotFound')
    assert _error(api.delete(_path(server_id, port['id'])), 404,
                  'itemNotFound')
    _delete(cloud, api, server_id)


def test_a_users_port_is_attached_and_given_back(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    mine = neutron.add_port(neutron.private['id'], project_id='admin',
                            name='mine')
    resp = _attach(api, server_id, port_id=mine['id'])
    assert resp.status == 200, resp
    assert resp.body['interfaceAttachment']['port_id'] == mine['id']
    assert resp.body['interfaceAttachment']['mac_addr'] == \
        mine['mac_address']
    bound = neutron.ports[mine['id']]
    assert (bound['device_id'], bound['binding:host_id']) == (
        server_id, server['OS-EXT-SRV-ATTR:host'])
    # Another server may not take it, nor show it.
    other_id, _ = _boot(cloud, api)
    _error(api.get(_path(other_id, mine['id'])), 404, 'itemNotFound')
    assert 'in use' in _error(_attach(api, other_id, port_id=mine['id']),
                              409, 'conflictingRequest')
    assert api.delete(_path(server_id, mine['id'])).status == 202
    assert _event(api, server_id, 'detach_interface',
                  'compute_detach_interface') == 'Success'
    kept = neutron.ports[mine['id']]
    assert (kept['device_id'], kept['device_owner'],
            kept['binding:host_id']) == ('', '', '')
    assert len(_ports(neutron, server_id)) == 1
    # Free again: the other server takes it.
    assert _attach(api, other_id, port_id=mine['id']).status == 200
    _delete(cloud, api, server_id)
    _delete(cloud, api, other_id)
    assert neutron.ports[mine['id']]['device_id'] == ''


def test_a_fixed_ip_and_the_requests_refused(cloud, api, neutron):
    server_id, _ = _boot(cloud, api)
    second = neutron.second['id']
    resp = _attach(api, server_id, net_id=second,
                   fixed_ips=[{'ip_address': '10.7.0.42'}])
    assert resp.status == 200, resp
    assert resp.body['interfaceAttachment']['fixed_ips'][0][
        'ip_address'] == '10.7.0.42'
    assert '10.7.0.42' in _error(
        _attach(api, server_id, net_id=second,
                fixed_ips=[{'ip_address': '10.7.0.42'}]),
        409, 'conflictingRequest')
    assert 'Must input network_id' in _error(
        _attach(api, server_id, fixed_ips=[{'ip_address': '10.7.0.43'}]),
        400, 'badRequest')
    assert 'Must not input both' in _error(
        _attach(api, server_id, net_id=second, port_id=MISSING),
        400, 'badRequest')
    _error(_attach(api, server_id, net_id='not-a-uuid'), 400, 'badRequest')
    _error(_attach(api, server_id, net_id=second,
                   fixed_ips=[{'ip_address': 'nope'}]), 400, 'badRequest')
    _error(_attach(api, server_id, net_id=MISSING), 404, 'itemNotFound')
    _error(_attach(api, server_id, port_id=MISSING), 404, 'itemNotFound')
    _error(api.get(_path(server_id, MISSING)), 404, 'itemNotFound')
    _error(api.delete(_path(server_id, MISSING)), 404, 'itemNotFound')
    _error(_attach(api, MISSING, net_id=second), 404, 'itemNotFound')
    # None of the refusals left a port behind.
    assert len(_ports(neutron, server_id)) == 2
    _delete(cloud, api, server_id)
    assert _ports(neutron, server_id) == []


def test_an_empty_request_takes_the_only_network(cloud, api, neutron):
    server_id, _ = _boot(cloud, api)
    resp = api.post(_path(server_id), {'interfaceAttachment': {}})
    assert resp.status == 200, resp
    assert resp.body['interfaceAttachment']['net_id'] == \
        neutron.private['id']
    assert len(_ports(neutron, server_id)) == 2
    # A project with no network: nothing to pick (its server has none).
    other = cloud.api.as_user('nobody:nobody', version='2.80')
    other_id = other.post('/v2.1/servers', {'server': dict(
        SERVER, networks='none')}).body['server']['id']
    cloud.wait_for_server(other_id, 'ACTIVE', api=other)
    assert other.get(_path(other_id)).body == {'interfaceAttachments': []}
    assert 'nobody' in _error(
        other.post(_path(other_id), {'interfaceAttachment': {}}), 400,
        'badRequest')
    _delete(cloud, other, other_id)
    _delete(cloud, api, server_id)


def test_the_tag_is_taken_from_2_49_and_shown_from_2_70(cloud, api,
                                                        neutron):
    server_id, _ = _boot(cloud, api)
    second = neutron.second['id']
    _error(_attach(api, server_id, version='2.48', net_id=second,
                   tag='nic2'), 400, 'badRequest')
    resp = _attach(api, server_id, version='2.49', net_id=second,
                   tag='nic2')
    assert resp.status == 200, resp
    assert set(resp.body['interfaceAttachment']) == KEYS
    port_id = resp.body['interfaceAttachment']['port_id']
    assert [a.get('tag') for a in api.get(_path(server_id)).body[
        'interfaceAttachments']] == [None, 'nic2']
    old = api.get(_path(server_id), version='2.69').body
    assert all(set(a) == KEYS for a in old['interfaceAttachments'])
    shown = api.get(_path(server_id, port_id), version='2.70')
    assert shown.body['interfaceAttachment']['tag'] == 'nic2'
    resp = _attach(api, server_id, version='2.70', net_id=second,
                   tag='nic3')
    assert resp.body['interfaceAttachment']['tag'] == 'nic3'
    # Only nova keeps the tags: Neutron's network-changed, which makes
    # the compute read the ports again, keeps them.
    neutron.ports[port_id]['fixed_ips'][0]['ip_address'] = '10.7.0.250'
    assert api.post('/v2.1/os-server-external-events', {'events': [
        {'name': 'network-changed', 'server_uuid': server_id,
         'tag': port_id}]}).status == 200
    _wait(lambda: '10.7.0.250' in str(api.get(
        '/v2.1/servers/' + server_id).body['server']['addresses']))
    assert [a.get('tag') for a in api.get(_path(server_id)).body[
        'interfaceAttachments']] == [None, 'nic2', 'nic3']
    _delete(cloud, api, server_id)


def test_a_stopped_server_takes_one_a_suspended_one_does_not(cloud, api,
                                                             neutron):
    server_id, _ = _boot(cloud, api)
    assert _act(api, server_id, {'os-stop': None}).status == 202
    cloud.wait_for_server(server_id, 'SHUTOFF', api=api)
    resp = _attach(api, server_id, net_id=neutron.second['id'])
    assert resp.status == 200, resp
    assert len(_ports(neutron, server_id)) == 2
    assert _act(api, server_id, {'os-start': None}).status == 202
    cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    assert _act(api, server_id, {'suspend': None}).status == 202
    cloud.wait_for_server(server_id, 'SUSPENDED', api=api)
    assert 'suspended' in _error(
        _attach(api, server_id, net_id=neutron.second['id']), 409,
        'conflictingRequest')
    port_id = _ports(neutron, server_id)[0]['id']
    _error(api.delete(_path(server_id, port_id)), 409, 'conflictingRequest')
    assert len(_ports(neutron, server_id)) == 2
    _delete(cloud, api, server_id)


def test_a_locked_server_refuses_its_non_admin_owner(cloud, api, neutron):
    demo = cloud.api.as_user('demo:demo', version='2.80')
    server_id, _ = _boot(cloud, demo)
    assert _act(api, server_id, {'lock': None}).status == 202
    assert 'locked' in _error(_attach(demo, server_id), 409,
                              'conflictingRequest')
    assert len(_ports(neutron, server_id)) == 1
    assert _act(api, server_id, {'unlock': None}).status == 202
    resp = _attach(demo, server_id)
    assert resp.status == 200, resp
    assert resp.body['interfaceAttachment']['net_id'] == neutron.demo['id']
    _delete(cloud, demo, server_id)


def test_a_failed_attach_is_a_409_and_leaks_no_port(cloud, api, neutron):
    server_id, server = _boot(cloud, api)
    driver = cloud.compute(server['OS-EXT-SRV-ATTR:host']).driver
    driver.fail_operations.add('attach_interface')
    before = set(neutron.ports)
    message = _error(_attach(api, server_id, net_id=neutron.second['id']),
                     409, 'conflictingRequest')
    assert 'attach_interface failed on purpose' in message
    assert set(neutron.ports) == before
    assert len(_ports(neutron, server_id)) == 1
    assert len(driver.plugged_vifs[server_id]) == 1
    assert _event(api, server_id, 'attach_interface',
                  'compute_attach_interface') == 'Error'
    driver.fail_operations.discard('attach_interface')
    assert [a['net_id'] for a in api.get(_path(server_id)).body[
        'interfaceAttachments']] == [neutron.private['id']]
    _delete(cloud, api, server_id)
