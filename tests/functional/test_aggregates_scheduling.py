"""Servers and host aggregates: zones, the aggregate filters, moves.

One cloud, three computes of the same size, both aggregate filters
enabled besides the default ones, and three aggregates made before any
server (a host with instances may not change zone):

    az1       availability_zone=az1           compute1
    ssd       ssd=true                        compute2
    reserved  filter_tenant_id=tenant-a       compute3

so the default zone 'nova' is compute2 and compute3, and compute3 takes
only tenant-a's servers.  The RAM weigher spreads: among hosts that pass,
the emptiest wins.
"""

import pytest

from nova.conf import scheduler as scheduler_conf
from nova.db import flavors as db_flavors
from nova.db import models
from nova.db import session as db_session
from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

FILTERS = scheduler_conf.DEFAULT_FILTERS + [
    'AggregateInstanceExtraSpecsFilter', 'AggregateMultiTenancyIsolation']
OVERRIDES = {'report_interval': 50, 'scheduler.enabled_filters': FILTERS,
             'quota.instances': -1, 'quota.cores': -1, 'quota.ram': -1}
HOSTS = ('compute1', 'compute2', 'compute3')
ZONE_OF = {'compute1': 'az1', 'compute2': 'nova', 'compute3': 'nova'}
AZ = 'OS-EXT-AZ:availability_zone'
HOST = 'OS-EXT-SRV-ATTR:host'


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=OVERRIDES, computes=HOSTS).start()
    yield cloud
    cloud.stop()


def _aggregate(admin, name, zone=None, metadata=None, hosts=()):
    body = {'name': name}
    if zone:
        body['availability_zone'] = zone
    resp = admin.post('/v2.1/os-aggregates', {'aggregate': body})
    assert resp.status == 200, resp
    aggregate_id = resp.body['aggregate']['id']
    if metadata:
        resp = admin.post('/v2.1/os-aggregates/%d/action' % aggregate_id,
                          {'set_metadata': {'metadata': metadata}})
        assert resp.status == 200, resp
    for host in hosts:
        resp = admin.post('/v2.1/os-aggregates/%d/action' % aggregate_id,
                          {'add_host': {'host': host}})
        assert resp.status == 200, resp
    return aggregate_id


def _flavor(flavorid, extra_specs):
    flavor = db_flavors.flavor_create({
        'flavorid': flavorid, 'name': flavorid, 'memory_mb': 64,
        'vcpus': 1, 'root_gb': 0})
    with db_session.writer() as session:
        for key, value in extra_specs.items():
            session.add(models.FlavorExtraSpec(flavor_id=flavor['id'],
                                               key=key, value=value))
    return flavorid


@pytest.fixture(scope='module')
def aggregates(cloud):
    admin = cloud.api
    return {
        'az1': _aggregate(admin, 'az1', zone='az1', hosts=['compute1']),
        'ssd': _aggregate(admin, 'ssd', metadata={'ssd': 'true'},
                          hosts=['compute2']),
        'reserved': _aggregate(admin, 'reserved',
                               metadata={'filter_tenant_id': 'tenant-a'},
                               hosts=['compute3']),
        'flavors': {
            'ssd': _flavor('ssd', {'aggregate_instance_extra_specs:ssd':
                                   'true'}),
            'gpu': _flavor('gpu', {'gpu': 'true'}),
        },
    }


def _boot(cloud, api=None, status='ACTIVE', **fields):
    api = api or cloud.api
    body = dict({'name': 'vm', 'imageRef': fixtures.IMAGE_ID,
                 'flavorRef': '1'}, **fields)
    resp = api.post('/v2.1/servers', {'server': body})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, status, api=api)
    return _show(cloud, server_id)


def _show(cloud, server_id):
    """The admin's view (with the host), checked against Tempest's."""
    resp = cloud.api.get('/v2.1/servers/%s' % server_id)
    return oracle.validate(oracle.schemas(oracle.SERVERS, '2.1').get_server,
                           resp)['server']


def _where(server):
    return server[HOST], server[AZ]


def test_a_server_asking_for_a_zone_lands_on_its_hosts(cloud, aggregates):
    server = _boot(cloud, availability_zone='az1')
    assert _where(server) == ('compute1', 'az1')
    # The list shows the same zone.
    listed = {s['id']: s for s in cloud.api.get(
        '/v2.1/servers/detail').body['servers']}
    assert listed[server['id']][AZ] == 'az1'
    # The owner sees it too (a non-admin view).
    server = _boot(cloud, availability_zone='nova')
    assert _where(server) == ('compute2', 'nova')


def test_a_server_asking_for_no_zone_shows_its_hosts(cloud, aggregates):
    for _ in range(4):
        server = _boot(cloud)
        host, zone = _where(server)
        # compute3 is reserved for tenant-a.
        assert host in ('compute1', 'compute2')
        assert zone == ZONE_OF[host]


def test_an_unknown_or_empty_zone_is_refused(cloud, aggregates):
    empty = _aggregate(cloud.api, 'empty-zone', zone='az-empty')
    for zone in ('no-such-zone', 'az-empty', 'internal-nope'):
        resp = cloud.api.post('/v2.1/servers', {'server': {
            'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
            'availability_zone': zone}})
        assert resp.status == 400, resp
        assert resp.body['badRequest']['message'] == (
            'The requested availability zone is not available')
    assert cloud.api.delete('/v2.1/os-aggregates/%d' % empty).status == 200


def test_zone_and_host(cloud, aggregates):
    server = _boot(cloud, availability_zone='az1:compute1')
    assert _where(server) == ('compute1', 'az1')
    server = _boot(cloud, availability_zone='nova:compute2')
    assert _where(server) == ('compute2', 'nova')
    # The host must be in the zone (the scheduler's filters run on a
    # forced host here).
    server = _boot(cloud, status='ERROR', availability_zone='az1:compute2')
    assert 'AvailabilityZoneFilter removed 1' in server['fault']['message']


def test_a_reserved_host_takes_only_its_projects_servers(cloud, aggregates):
    tenant_a = cloud.api.as_user('user-a:tenant-a')
    demo = cloud.api.as_user('demo:demo')
    # tenant-a's servers may go to compute3 (spreading, the second goes
    # there if the first did not) ...
    servers = [_boot(cloud, api=tenant_a, availability_zone='nova')
               for _ in range(2)]
    assert 'compute3' in {s[HOST] for s in servers}
    for server in servers:
        seen = tenant_a.get('/v2.1/servers/%s' % server['id']).body[
            'server']
        assert seen[AZ] == 'nova'
    # ... nobody else's.
    for _ in range(2):
        server = _boot(cloud, api=demo, availability_zone='nova')
        assert _where(server) == ('compute2', 'nova')
    # Not even the admin's (project admin), on the host asked for.
    server = _boot(cloud, status='ERROR', availability_zone='nova:compute3')
    assert 'AggregateMultiTenancyIsolation removed 1 (reserved for other ' \
        'projects by an aggregate)' in server['fault']['message']


def test_a_flavor_asking_for_aggregate_metadata(cloud, aggregates):
    flavors = aggregates['flavors']
    for _ in range(2):
        server = _boot(cloud, flavorRef=flavors['ssd'])
        assert _where(server) == ('compute2', 'nova')
    server = _boot(cloud, status='ERROR', flavorRef=flavors['ssd'],
                   availability_zone='az1')
    assert 'AggregateInstanceExtraSpecsFilter removed 1' in server[
        'fault']['message']
    # Unscoped extra specs are matched too, as upstream: no aggregate
    # says gpu.
    server = _boot(cloud, status='ERROR', flavorRef=flavors['gpu'])
    message = server['fault']['message']
    assert message.startswith('No valid host was found. There are not '
                              'enough hosts available.')
    assert 'AggregateInstanceExtraSpecsFilter removed' in message


def _act(cloud, server_id, body, version='2.1'):
    resp = cloud.api.post('/v2.1/servers/%s/action' % server_id, body,
                          version=version)
    assert resp.status in (202, 204), resp


def test_the_zone_moves_with_a_migration_and_back(cloud, aggregates):
    # On compute1 (az1) without asking for a zone (2.74's host): free to
    # move to another zone.
    resp = cloud.api.post('/v2.1/servers', {'server': {
        'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
        'host': 'compute1', 'networks': 'auto'}}, version='2.74')
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert _where(_show(cloud, server_id)) == ('compute1', 'az1')
    _act(cloud, server_id, {'migrate': {'host': 'compute2'}}, '2.56')
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE')
    assert _where(_show(cloud, server_id)) == ('compute2', 'nova')
    _act(cloud, server_id, {'revertResize': None})
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert _where(_show(cloud, server_id)) == ('compute1', 'az1')
    # Confirmed, it stays in the destination's zone.
    _act(cloud, server_id, {'migrate': {'host': 'compute2'}}, '2.56')
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE')
    _act(cloud, server_id, {'confirmResize': None})
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert _where(_show(cloud, server_id)) == ('compute2', 'nova')


def test_a_server_that_asked_for_a_zone_stays_in_it(cloud, aggregates):
    server = _boot(cloud, availability_zone='az1')
    assert _where(server) == ('compute1', 'az1')
    # Its only host is its zone's: a migration finds none elsewhere ...
    _act(cloud, server['id'], {'migrate': {'host': 'compute2'}}, '2.56')
    cloud.wait_for_server(server['id'], 'ACTIVE')
    assert _where(_show(cloud, server['id'])) == ('compute1', 'az1')
    events = cloud.api.get('/v2.1/servers/%s/os-instance-actions'
                           % server['id']).body['instanceActions']
    assert events[0]['action'] == 'migrate'
    # ... offloaded it has no host, hence no zone; unshelved, it is back
    # in the zone it asked for.
    _act(cloud, server['id'], {'shelve': None})
    cloud.wait_for_server(server['id'], 'SHELVED_OFFLOADED')
    assert _where(_show(cloud, server['id'])) == (None, '')
    _act(cloud, server['id'], {'unshelve': None})
    cloud.wait_for_server(server['id'], 'ACTIVE')
    assert _where(_show(cloud, server['id'])) == ('compute1', 'az1')
    # 2.77: unshelved into another zone, it is held to that one.
    _act(cloud, server['id'], {'shelve': None})
    cloud.wait_for_server(server['id'], 'SHELVED_OFFLOADED')
    _act(cloud, server['id'], {'unshelve': {'availability_zone': 'nova'}},
         '2.77')
    cloud.wait_for_server(server['id'], 'ACTIVE')
    assert _where(_show(cloud, server['id'])) == ('compute2', 'nova')
    _act(cloud, server['id'], {'migrate': {'host': 'compute1'}}, '2.56')
    cloud.wait_for_server(server['id'], 'ACTIVE')
    assert _where(_show(cloud, server['id']))[0] == 'compute2'


def test_the_zone_of_a_host_with_servers_does_not_change(cloud, aggregates):
    admin = cloud.api
    assert _where(_boot(cloud, availability_zone='az1'))[0] == 'compute1'
    assert _where(_boot(cloud, availability_zone='nova:compute2'))[0] == \
        'compute2'

    def action(aggregate_id, body):
        return admin.post('/v2.1/os-aggregates/%d/action' % aggregate_id,
                          body)

    resp = action(aggregates['az1'], {'remove_host': {'host': 'compute1'}})
    assert resp.status == 409, resp
    assert "availability zone of the host would change from 'az1' to " \
        "'None'" in resp.body['conflictingRequest']['message']
    other = _aggregate(admin, 'az2', zone='az2')
    resp = action(other, {'add_host': {'host': 'compute2'}})
    assert resp.status == 409, resp
    assert "would change from 'None' to 'az2'" in resp.body[
        'conflictingRequest']['message']
    for resp in (
            action(aggregates['ssd'], {'set_metadata': {'metadata': {
                'availability_zone': 'az2'}}}),
            admin.put('/v2.1/os-aggregates/%d' % aggregates['az1'],
                      {'aggregate': {'availability_zone': 'az9'}})):
        assert resp.status == 400, resp
        assert 'One or more hosts contain instances in this zone' in \
            resp.body['badRequest']['message']
    # What changes no zone is fine.
    assert action(aggregates['ssd'], {'set_metadata': {'metadata': {
        'note': 'busy'}}}).status == 200
    assert admin.delete('/v2.1/os-aggregates/%d' % other).status == 200


def test_unshelve_to_a_host_from_2_91(cloud, aggregates):
    server = _boot(cloud, availability_zone='az1')
    server_id = server['id']
    path = '/v2.1/servers/%s/action' % server_id

    def unshelve(body, api=None, version='2.91'):
        return (api or cloud.api).post(path, {'unshelve': body},
                                       version=version)

    # Only for a shelved offloaded server: 409 on an active one.
    assert unshelve({'host': 'compute2'}).status == 409
    _act(cloud, server_id, {'shelve': None})
    cloud.wait_for_server(server_id, 'SHELVED_OFFLOADED')
    # host is new in 2.91, and an admin's.
    assert unshelve({'host': 'compute2'}, version='2.90').status == 400
    owner = cloud.api.as_user('demo:%s' % server['tenant_id'])
    resp = unshelve({'host': 'compute2'}, api=owner)
    assert resp.status == 403, resp
    assert 'unshelve_to_host' in resp.body['forbidden']['message']
    resp = unshelve({'host': 'nowhere'})
    assert resp.status == 400, resp
    assert 'Compute host nowhere could not be found' in \
        resp.body['badRequest']['message']
    for bad in ({'host': ''}, {'host': 1}, {'host': None}):
        assert unshelve(bad).status == 400, bad
    # A host outside the zone named beside it.
    resp = unshelve({'host': 'compute2', 'availability_zone': 'az1'})
    assert resp.status == 409, resp
    assert 'not in the availability zone "az1"' in \
        resp.body['conflictingRequest']['message']
    # The server asked for az1 at create: it is held there.
    resp = unshelve({'host': 'compute2'})
    assert resp.status == 409, resp
    assert 'not in the availability zone "az1"' in \
        resp.body['conflictingRequest']['message']
    # ... and lands there once a null zone unpins it.
    assert unshelve({'host': 'compute2',
                     'availability_zone': None}).status == 202
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert _where(_show(cloud, server_id)) == ('compute2', 'nova')
    # Unpinned, it may now migrate out of az1's reach, e.g. back to
    # compute1.
    _act(cloud, server_id, {'migrate': {'host': 'compute1'}}, '2.56')
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE')
    assert _where(_show(cloud, server_id)) == ('compute1', 'az1')
