"""/os-aggregates and the zones aggregates make in /os-availability-zone
and /os-services.

One cloud with three computes (compute1-3) and no servers serves the
module; each test makes the aggregates it needs (unique names) and takes
its hosts out of them again, so the zones test sees only its own.  Bodies
are checked against Tempest's aggregates schemas (v2_1 up to 2.40, v2_41
from 2.41).  Servers in zones, and the aggregate filters, are in
test_aggregates_scheduling.py.
"""

import contextlib
import re
import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}
HOSTS = ('compute1', 'compute2', 'compute3')
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$')
KEYS = {'id', 'name', 'availability_zone', 'created_at', 'updated_at',
        'deleted_at', 'deleted', 'hosts', 'metadata'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET, computes=HOSTS).start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def admin(cloud):
    return cloud.api


def _unique(prefix='agg'):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _fault(resp, code, message=None):
    names = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
             409: 'conflictingRequest'}
    assert resp.status == code, resp
    assert list(resp.body) == [names[code]], resp.body
    assert resp.body[names[code]]['code'] == code
    if message is not None:
        assert resp.body[names[code]]['message'] == message, resp.body
    return resp.body[names[code]]['message']


def _schemas(version):
    return oracle.schemas(oracle.AGGREGATES, version)


def _create(admin, name=None, zone=None, version='2.1'):
    body = {'name': name or _unique()}
    if zone is not None:
        body['availability_zone'] = zone
    resp = admin.post('/v2.1/os-aggregates', {'aggregate': body},
                      version=version)
    return oracle.validate(_schemas(version).create_aggregate,
                           resp)['aggregate']


def _action(admin, aggregate_id, action, body, version='2.1'):
    return admin.post('/v2.1/os-aggregates/%s/action' % aggregate_id,
                      {action: body}, version=version)


def _add(admin, aggregate_id, host, version='2.1'):
    resp = _action(admin, aggregate_id, 'add_host', {'host': host},
                   version=version)
    return oracle.validate(_schemas(version).aggregate_add_remove_host,
                           resp)['aggregate']


def _remove(admin, aggregate_id, host):
    resp = _action(admin, aggregate_id, 'remove_host', {'host': host})
    return oracle.validate(_schemas('2.1').aggregate_add_remove_host,
                           resp)['aggregate']


def _delete(admin, aggregate_id):
    resp = admin.delete('/v2.1/os-aggregates/%s' % aggregate_id)
    assert resp.status in _schemas('2.1').delete_aggregate['status_code']
    assert resp.text == ''


@contextlib.contextmanager
def _zone(admin, zone, *hosts):
    """An aggregate making zone of hosts, taken apart afterwards."""
    agg = _create(admin, zone=zone)
    for host in hosts:
        _add(admin, agg['id'], host)
    try:
        yield agg
    finally:
        for host in hosts:
            _remove(admin, agg['id'], host)
        _delete(admin, agg['id'])


# -- CRUD ---------------------------------------------------------------------

def test_create_show_list_update_delete(admin):
    name = _unique()
    created = _create(admin, name, zone='az-crud')
    # Create's answer has neither hosts nor metadata, as upstream's.
    assert set(created) == KEYS - {'hosts', 'metadata'}
    assert created['name'] == name
    assert created['availability_zone'] == 'az-crud'
    assert isinstance(created['id'], int)
    assert TIME.match(created['created_at'])
    assert created['updated_at'] is None
    assert created['deleted'] is False and created['deleted_at'] is None
    path = '/v2.1/os-aggregates/%d' % created['id']

    shown = oracle.validate(_schemas('2.1').get_aggregate,
                            admin.get(path))['aggregate']
    assert set(shown) == KEYS
    assert shown['hosts'] == []
    assert shown['metadata'] == {'availability_zone': 'az-crud'}
    listed = oracle.validate(_schemas('2.1').list_aggregates,
                             admin.get('/v2.1/os-aggregates'))
    assert shown in listed['aggregates']

    resp = admin.put(path, {'aggregate': {'name': '  renamed-%s ' % name}})
    updated = oracle.validate(_schemas('2.1').update_aggregate,
                              resp)['aggregate']
    assert updated['name'] == 'renamed-%s' % name
    assert TIME.match(updated['updated_at'])
    resp = admin.put(path, {'aggregate': {'availability_zone': 'az-2'}})
    updated = oracle.validate(_schemas('2.1').update_aggregate,
                              resp)['aggregate']
    assert updated['availability_zone'] == 'az-2'
    assert updated['metadata'] == {'availability_zone': 'az-2'}

    _delete(admin, created['id'])
    _fault(admin.get(path), 404,
           'Aggregate %d could not be found.' % created['id'])
    assert created['id'] not in [a['id'] for a in admin.get(
        '/v2.1/os-aggregates').body['aggregates']]


def test_uuid_from_2_41(admin):
    agg = _create(admin, version='2.40')
    assert 'uuid' not in agg
    path = '/v2.1/os-aggregates/%d' % agg['id']
    for version in ('2.1', '2.40'):
        body = oracle.validate(_schemas(version).get_aggregate,
                               admin.get(path, version=version))
        assert 'uuid' not in body['aggregate']
    body = oracle.validate(_schemas('2.41').get_aggregate,
                           admin.get(path, version='2.41'))
    agg_uuid = body['aggregate']['uuid']
    assert str(uuid.UUID(agg_uuid)) == agg_uuid
    for version in ('2.41', 'latest'):
        listed = oracle.validate(
            _schemas('2.41').list_aggregates,
            admin.get('/v2.1/os-aggregates', version=version))
        assert {a['uuid'] for a in listed['aggregates']} >= {agg_uuid}
        resp = admin.put(path, {'aggregate': {'name': _unique()}},
                         version=version)
        assert oracle.validate(_schemas('2.41').update_aggregate, resp)[
            'aggregate']['uuid'] == agg_uuid
    created = _create(admin, version='2.41')
    assert 'uuid' in created and created['uuid'] != agg_uuid
    resp = _action(admin, agg['id'], 'set_metadata',
                   {'metadata': {'a': 'b'}}, version='2.41')
    oracle.validate(_schemas('2.41').aggregate_set_metadata, resp)
    _add(admin, agg['id'], 'compute1', version='2.41')
    _remove(admin, agg['id'], 'compute1')
    for done in (agg, created):
        _delete(admin, done['id'])


def test_names_are_unique(admin):
    name = _unique()
    first = _create(admin, name)
    resp = admin.post('/v2.1/os-aggregates', {'aggregate': {'name': name}})
    _fault(resp, 409, 'Aggregate %s already exists.' % name)
    other = _create(admin)
    resp = admin.put('/v2.1/os-aggregates/%d' % other['id'],
                     {'aggregate': {'name': name}})
    _fault(resp, 409, 'Aggregate %s already exists.' % name)
    # Its own name is no conflict.
    resp = admin.put('/v2.1/os-aggregates/%d' % first['id'],
                     {'aggregate': {'name': name}})
    assert resp.status == 200, resp
    for agg in (first, other):
        _delete(admin, agg['id'])


@pytest.mark.parametrize('body', [
    None, {}, {'aggregate': {}}, {'aggregate': {'name': ''}},
    {'aggregate': {'name': ' lead'}}, {'aggregate': {'name': 'x' * 256}},
    {'aggregate': {'name': 'a', 'availability_zone': 'a:b'}},
    {'aggregate': {'name': 'a', 'availability_zone': ''}},
    {'aggregate': {'name': 'a', 'other': 1}},
    {'aggregate': {'name': 'a'}, 'other': 1},
])
def test_create_refuses_bad_bodies(admin, body):
    _fault(admin.post('/v2.1/os-aggregates', body), 400)


def test_create_with_a_null_zone(admin):
    agg = _create(admin, zone=None)
    resp = admin.post('/v2.1/os-aggregates', {'aggregate': {
        'name': _unique(), 'availability_zone': None}})
    body = oracle.validate(_schemas('2.1').create_aggregate, resp)
    assert body['aggregate']['availability_zone'] is None
    for done in (agg, body['aggregate']):
        _delete(admin, done['id'])


def test_update_checks(admin):
    agg = _create(admin, zone='az-u')
    path = '/v2.1/os-aggregates/%d' % agg['id']
    for body in ({'aggregate': {}}, {'aggregate': {'hosts': []}},
                 {'aggregate': {'availability_zone': 'a:b'}}, {}):
        _fault(admin.put(path, body), 400)
    # A null zone passes the schema but no zone is refused, as upstream.
    message = _fault(admin.put(path, {'aggregate': {
        'availability_zone': None}}), 400)
    assert message == (
        'Cannot update aggregate %d. Reason: Aggregate %s does not support '
        'empty named availability zone.' % (agg['id'], agg['name']))
    _fault(admin.put('/v2.1/os-aggregates/999999',
                     {'aggregate': {'name': _unique()}}), 404)
    _delete(admin, agg['id'])


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_an_id_that_is_no_integer_is_400(admin, method):
    body = {'aggregate': {'name': _unique()}} if method == 'PUT' else None
    _fault(admin.request(method, '/v2.1/os-aggregates/abc', body=body), 400,
           'Invalid input received: id must be an integer')
    _fault(admin.request(method, '/v2.1/os-aggregates/%d' % 2 ** 70,
                         body=body), 404)


def test_delete_only_an_empty_aggregate(admin):
    agg = _create(admin)
    _add(admin, agg['id'], 'compute1')
    _fault(admin.delete('/v2.1/os-aggregates/%d' % agg['id']), 400,
           'Cannot remove host from aggregate %d. Reason: Host aggregate '
           'is not empty.' % agg['id'])
    _remove(admin, agg['id'], 'compute1')
    _delete(admin, agg['id'])
    _fault(admin.delete('/v2.1/os-aggregates/%d' % agg['id']), 404)


# -- actions ------------------------------------------------------------------

def test_add_and_remove_hosts(admin):
    agg = _create(admin)
    aid = agg['id']
    assert _add(admin, aid, 'compute1')['hosts'] == ['compute1']
    assert _add(admin, aid, 'compute2')['hosts'] == ['compute1', 'compute2']
    _fault(_action(admin, aid, 'add_host', {'host': 'compute1'}), 409,
           'Aggregate %d already has host compute1.' % aid)
    _fault(_action(admin, aid, 'add_host', {'host': 'nowhere'}), 404,
           'Compute host nowhere could not be found.')
    _fault(_action(admin, 999999, 'add_host', {'host': 'compute1'}), 404,
           'Aggregate 999999 could not be found.')
    assert _remove(admin, aid, 'compute1')['hosts'] == ['compute2']
    # Upstream says the same whatever it did not find.
    for agg_id, host in ((aid, 'compute1'), (aid, 'nowhere'),
                         (999999, 'compute2')):
        _fault(_action(admin, agg_id, 'remove_host', {'host': host}), 404,
               'Cannot remove host %s in aggregate %s' % (host, agg_id))
    shown = admin.get('/v2.1/os-aggregates/%d' % aid).body['aggregate']
    assert shown['hosts'] == ['compute2']
    _remove(admin, aid, 'compute2')
    _delete(admin, aid)


def test_a_host_is_in_one_zone_at_most(admin):
    with _zone(admin, 'az-a', 'compute1') as az_a:
        az_b = _create(admin, zone='az-b')
        message = _fault(_action(admin, az_b['id'], 'add_host',
                                 {'host': 'compute1'}), 409)
        assert message == (
            "Cannot add host to aggregate %d. Reason: One or more hosts "
            "already in availability zone(s) ['az-a']." % az_b['id'])
        # An aggregate with no zone, or with the same, takes it.
        plain = _create(admin)
        _add(admin, plain['id'], 'compute1')
        same = _create(admin, zone='az-a')
        _add(admin, same['id'], 'compute1')
        # plain may not get another zone: its host would be in two.
        for resp in (
                _action(admin, plain['id'], 'set_metadata',
                        {'metadata': {'availability_zone': 'az-b'}}),
                admin.put('/v2.1/os-aggregates/%d' % plain['id'],
                          {'aggregate': {'availability_zone': 'az-b'}})):
            assert "One or more hosts already in availability zone(s) " \
                "['az-a']" in _fault(resp, 400)
        for agg in (plain, same):
            _remove(admin, agg['id'], 'compute1')
            _delete(admin, agg['id'])
        _delete(admin, az_b['id'])
        assert az_a['availability_zone'] == 'az-a'


def test_set_metadata_merges_and_null_deletes(admin):
    agg = _create(admin, zone='az-m')
    aid = agg['id']

    def set_metadata(metadata):
        resp = _action(admin, aid, 'set_metadata', {'metadata': metadata})
        return oracle.validate(_schemas('2.1').aggregate_set_metadata,
                               resp)['aggregate']

    got = set_metadata({'ssd': 'true', 'filter_tenant_id': 'p1,p2'})
    assert got['metadata'] == {'availability_zone': 'az-m', 'ssd': 'true',
                               'filter_tenant_id': 'p1,p2'}
    assert TIME.match(got['updated_at'])
    got = set_metadata({'ssd': None, 'absent': None, 'gpu': 'yes'})
    assert got['metadata'] == {'availability_zone': 'az-m',
                               'filter_tenant_id': 'p1,p2', 'gpu': 'yes'}
    # The zone is metadata too: renamed (no host has instances) ...
    got = set_metadata({'availability_zone': 'az-m2'})
    assert got['availability_zone'] == 'az-m2'
    # ... but never removed, as upstream.
    assert 'does not support empty named availability zone' in _fault(
        _action(admin, aid, 'set_metadata',
                {'metadata': {'availability_zone': None}}), 400)
    for bad in ({}, {'metadata': {'k': 1}}, {'metadata': {'a/b': 'v'}},
                {'metadata': {'k': 'v' * 256}}, {'metadata': []},
                {'metadata': {}, 'x': 1}):
        _fault(_action(admin, aid, 'set_metadata', bad), 400)
    _fault(_action(admin, 999999, 'set_metadata', {'metadata': {}}), 404)
    _delete(admin, aid)


@pytest.mark.parametrize('body', [
    None, {}, {'add_host': {}}, {'add_host': {'host': ''}},
    {'add_host': {'host': 'bad host'}}, {'add_host': {'host': 'c1',
                                                      'x': 1}},
    {'remove_host': None}, {'no_such_action': {}},
    {'add_host': {'host': 'c1'}, 'remove_host': {'host': 'c1'}},
])
def test_actions_refuse_bad_bodies(admin, body):
    agg = _create(admin)
    _fault(admin.post('/v2.1/os-aggregates/%d/action' % agg['id'], body),
           400)
    _delete(admin, agg['id'])


def test_action_on_an_id_that_is_no_integer_is_400(admin):
    _fault(_action(admin, 'abc', 'add_host', {'host': 'compute1'}), 400)


# -- 2.81 image pre-caching -----------------------------------------------

def test_image_caching_is_refused_with_the_reason(admin):
    agg = _create(admin)
    path = '/v2.1/os-aggregates/%d/images' % agg['id']
    body = {'cache': [{'id': fixtures.IMAGE_ID}]}
    _fault(admin.post(path, body, version='2.80'), 404)
    message = _fault(admin.post(path, body, version='2.81'), 400)
    assert message.startswith('Image pre-caching is not supported here')
    # Checked as upstream checks it before that.
    for bad in ({}, {'cache': []}, {'cache': [{'id': 'not-a-uuid'}]},
                {'cache': [{'id': fixtures.IMAGE_ID, 'x': 1}]}):
        _fault(admin.post(path, bad, version='2.81'), 400)
    _fault(admin.post(path, {'cache': [{'id': fixtures.IMAGE_ID}] * 2},
                      version='2.81'), 400, 'Duplicate images in request')
    _fault(admin.post('/v2.1/os-aggregates/999999/images', body,
                      version='2.81'), 404)
    _delete(admin, agg['id'])


def test_a_non_admin_may_do_nothing(cloud, admin):
    agg = _create(admin)
    demo = cloud.api.as_user('demo:demo')
    path = '/v2.1/os-aggregates/%d' % agg['id']
    for method, url, body, rule in (
            ('GET', '/v2.1/os-aggregates', None, 'index'),
            ('POST', '/v2.1/os-aggregates',
             {'aggregate': {'name': _unique()}}, 'create'),
            ('GET', path, None, 'show'),
            ('PUT', path, {'aggregate': {'name': _unique()}}, 'update'),
            ('DELETE', path, None, 'delete'),
            ('POST', path + '/action', {'add_host': {'host': 'compute1'}},
             'add_host')):
        _fault(demo.request(method, url, body=body), 403,
               "Policy doesn't allow os_compute_api:os-aggregates:%s to be "
               "performed." % rule)
    _delete(admin, agg['id'])


# -- the zones they make ----------------------------------------------------

def _zones(api, detail=False):
    if detail:
        resp = api.get('/v2.1/os-availability-zone/detail')
        body = oracle.validate(
            oracle.AVAILABILITY_ZONES.list_availability_zone_list_detail,
            resp)
    else:
        resp = api.get('/v2.1/os-availability-zone')
        body = oracle.validate(
            oracle.AVAILABILITY_ZONES.list_availability_zone_list, resp)
    return {z['zoneName']: z for z in body['availabilityZoneInfo']}


def test_os_availability_zone_lists_the_aggregates_zones(cloud, admin):
    demo = cloud.api.as_user('demo:demo')
    assert set(_zones(demo)) == {'nova'}
    with _zone(admin, 'az-east', 'compute1', 'compute2'):
        # A zone without hosts is not listed; nor is a plain aggregate's.
        empty = _create(admin, zone='az-empty')
        plain = _create(admin)
        _add(admin, plain['id'], 'compute3')
        zones = _zones(demo)
        assert zones == {
            'az-east': {'zoneName': 'az-east',
                        'zoneState': {'available': True}, 'hosts': None},
            'nova': {'zoneName': 'nova', 'zoneState': {'available': True},
                     'hosts': None}}
        detail = _zones(admin, detail=True)
        assert set(detail) == {'az-east', 'nova', 'internal'}
        assert set(detail['az-east']['hosts']) == {'compute1', 'compute2'}
        assert list(detail['az-east']['hosts']['compute1']) == [
            'nova-compute']
        assert set(detail['nova']['hosts']) == {'compute3'}
        _remove(admin, plain['id'], 'compute3')
        for agg in (empty, plain):
            _delete(admin, agg['id'])
    assert set(_zones(demo)) == {'nova'}
    assert set(_zones(admin, detail=True)['nova']['hosts']) == set(HOSTS)


def test_os_services_show_the_zone_of_each_compute(cloud, admin):
    def zones():
        services = admin.get('/v2.1/os-services').body['services']
        return {s['host']: s['zone'] for s in services}

    with _zone(admin, 'az-svc', 'compute2'):
        got = zones()
        assert got['compute1'] == got['compute3'] == 'nova'
        assert got['compute2'] == 'az-svc'
        assert got['conductor-' + cloud.suffix] == 'internal'
        (service,) = admin.get('/v2.1/os-services?host=compute2',
                               version='2.53').body['services']
        resp = admin.put('/v2.1/os-services/%s' % service['id'],
                         {'status': 'enabled'}, version='2.53')
        assert resp.body['service']['zone'] == 'az-svc'
    assert set(zones()[h] for h in HOSTS) == {'nova'}
