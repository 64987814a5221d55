"""/os-server-external-events: the per-event codes (200 on a host, 404 for
no such server, 422 for a server with no host), 200/207/404 for the
whole, the names each microversion knows, a power-update reaching the
server's compute, and that only an admin (or a service) may send them.
Bodies are checked against Tempest's schema."""

import uuid

import pytest

from nova.compute import states
from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

from tempest.lib.api_schema.response.compute.v2_1 import \
    server_external_events as tempest_schema

URL = '/v2.1/os-server-external-events'
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def server(cloud):
    resp = cloud.api.post('/v2.1/servers', {'server': SERVER})
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _send(cloud, events, version='2.1', api=None):
    return (api or cloud.api).post(URL, {'events': events}, version=version)


def test_an_event_for_a_server_on_a_host_is_accepted(cloud, server):
    resp = _send(cloud, [{'name': 'network-changed', 'server_uuid': server},
                         {'name': 'network-vif-plugged', 'tag': 'port-1',
                          'status': 'in-progress', 'server_uuid': server}])
    body = oracle.validate(tempest_schema.create, resp)
    assert body['events'] == [
        {'name': 'network-changed', 'server_uuid': server,
         'status': 'completed', 'code': 200},
        {'name': 'network-vif-plugged', 'server_uuid': server,
         'tag': 'port-1', 'status': 'in-progress', 'code': 200}]


def test_unknown_and_hostless_servers_fail_their_events(cloud, server):
    missing = str(uuid.uuid4())
    # A shelved offloaded server is on no host.
    resp = cloud.api.post('/v2.1/servers', {'server': SERVER})
    hostless = resp.body['server']['id']
    cloud.wait_for_server(hostless, 'ACTIVE')
    assert cloud.api.post('/v2.1/servers/%s/action' % hostless,
                          {'shelve': None}).status == 202
    cloud.wait_for_server(hostless, 'SHELVED_OFFLOADED')
    resp = _send(cloud, [
        {'name': 'network-changed', 'server_uuid': server},
        {'name': 'network-changed', 'server_uuid': missing},
        {'name': 'network-vif-deleted', 'server_uuid': hostless}])
    assert resp.status == 207, resp
    assert [(e['server_uuid'], e['code'], e['status'])
            for e in resp.body['events']] == [
        (server, 200, 'completed'), (missing, 404, 'failed'),
        (hostless, 422, 'failed')]
    # None accepted: a 404 for the whole.
    resp = _send(cloud, [{'name': 'network-changed', 'server_uuid': missing},
                         {'name': 'network-changed',
                          'server_uuid': hostless}])
    assert resp.status == 404, resp
    assert resp.body['itemNotFound']['message'] == \
        'No instances found for any event'
    cloud.api.delete('/v2.1/servers/' + hostless)


def test_bad_bodies_are_400s(cloud, server):
    for events in ([], [{'name': 'network-changed'}],
                   [{'name': 'no-such-event', 'server_uuid': server}],
                   [{'name': 'network-changed', 'server_uuid': 'x'}],
                   [{'name': 'network-changed', 'server_uuid': server,
                     'status': 'done'}],
                   [{'name': 'network-changed', 'server_uuid': server,
                     'tag': 'x' * 256}],
                   [{'name': 'network-changed', 'server_uuid': server,
                     'extra': 1}]):
        resp = _send(cloud, events)
        assert resp.status == 400, (events, resp)
        assert list(resp.body) == ['badRequest']


def test_the_names_follow_the_microversion(cloud, server):
    for name, since in (('volume-extended', '2.51'),
                        ('power-update', '2.76'),
                        ('accelerator-request-bound', '2.82')):
        event = {'name': name, 'server_uuid': server, 'tag': 'POWER_ON'}
        before = '2.%d' % (int(since.split('.')[1]) - 1)
        assert _send(cloud, [event], version=before).status == 400, name
        assert _send(cloud, [event], version=since).status == 200, name
    # power-update names the power state it went to.
    resp = _send(cloud, [{'name': 'power-update', 'server_uuid': server,
                          'tag': 'SLEEP'}], version='2.76')
    assert resp.status == 400, resp
    assert 'POWER_ON, POWER_OFF' in resp.body['badRequest']['message']


def test_a_power_update_makes_the_compute_look_again(cloud):
    resp = cloud.api.post('/v2.1/servers', {'server': SERVER})
    server = resp.body['server']['id']
    cloud.wait_for_server(server, 'ACTIVE')
    # The guest went off behind nova's back (as Ironic reports it).
    driver = cloud.compute('compute1').driver
    with driver._lock:
        driver.guests[server] = states.power.SHUTDOWN
    resp = _send(cloud, [{'name': 'power-update', 'server_uuid': server,
                          'tag': 'POWER_OFF'}], version='2.76')
    assert resp.status == 200, resp
    shown = cloud.wait_for_server(server, 'SHUTOFF')
    assert shown['OS-EXT-STS:power_state'] == states.power.SHUTDOWN
    cloud.api.delete('/v2.1/servers/' + server)


def test_only_an_admin_or_a_service_sends_events(cloud, server):
    resp = _send(cloud, [{'name': 'network-changed', 'server_uuid': server}],
                 api=cloud.api.as_user('demo:demo'))
    assert resp.status == 403, resp
    assert 'os-server-external-events:create' in \
        resp.body['forbidden']['message']
