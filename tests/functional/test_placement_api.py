"""The Placement-compatible read API (nova/api/placement), in process.

The services run as in every functional test (fake transport, SQLite, the
fake driver); the Placement app is built beside the Compute API's and
reads through the same conductor.  Every route, its errors and what each
persona may read: upstream Placement's contract (placement/handlers,
placement/policies) as Horizon 27's openstack_dashboard/api/placement.py
and osc-placement call it.
"""

import json
import time
import uuid

import pytest
import webob

from nova.api.placement import deploy
from nova.api.placement import router
from tests.functional import fixtures

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
# Fixed: test ids must be the same in every xdist worker.
ELSEWHERE = '5b8e1e0a-7f3c-4d6e-9a51-2c4b8d7e6f01'
# m1.tiny
FLAVOR = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}
PROJECT = 'placement-project'
IDENTITIES = {
    'admin:admin': fixtures.identity(
        'admin', 'admin', ['admin', 'manager', 'member', 'reader']),
    'reader': fixtures.identity('reader', PROJECT, ['reader']),
    'member': fixtures.identity('member', PROJECT, ['reader', 'member']),
    'service': fixtures.identity('nova', 'service', ['service']),
}


class PlacementClient:

    def __init__(self, app, token='admin:admin', version=None):
        self.app = app
        self.token = token
        self.version = version

    def request(self, method, path, version=None, token=None, body=None,
                headers=None):
        req = webob.Request.blank(path, method=method)
        token = self.token if token is None else token
        if token:
            req.headers['X-Auth-Token'] = token
        version = version or self.version
        if version:
            req.headers['OpenStack-API-Version'] = 'placement %s' % version
        if body is not None:
            req.body = json.dumps(body).encode()
            req.content_type = 'application/json'
        req.headers.update(headers or {})
        return fixtures.Response(req.get_response(self.app))

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(identities=IDENTITIES,
                           computes=('compute1', 'compute2'),
                           overrides={'report_interval': 50}).start()
    cloud.placement = PlacementClient(deploy.build_app(
        cloud.conf, auth_middleware=fixtures.keystone_pipeline(IDENTITIES)))
    deadline = time.monotonic() + 10
    while len(cloud.api.get('/v2.1/os-hypervisors').body[
            'hypervisors']) < 2:
        assert time.monotonic() < deadline, 'computes did not report'
        time.sleep(0.05)
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def placement(cloud):
    return cloud.placement


def _error(resp, status, detail=None):
    assert resp.status == status, resp
    assert resp.headers['Content-Type'].startswith('application/json')
    [error] = resp.body['errors']
    assert error['status'] == status
    assert error['title']
    assert error['request_id'].startswith('req-')
    if detail is not None:
        assert detail in error['detail'], error
    return error


def _hypervisors(cloud):
    return {h['hypervisor_hostname']: h for h in cloud.api.get(
        '/v2.1/os-hypervisors/detail', version='2.53').body['hypervisors']}


def _providers(placement, **kwargs):
    resp = placement.get('/resource_providers', version='1.14', **kwargs)
    assert resp.status == 200, resp
    return {p['name']: p for p in resp.body['resource_providers']}


# The version document and microversions ------------------------------------

def test_root_is_the_version_document_without_a_token(placement):
    resp = placement.get('/', token='')
    assert resp.status == 200, resp
    assert resp.body == {'versions': [{
        'id': 'v1.0', 'min_version': '1.0', 'max_version': '1.14',
        'status': 'CURRENT', 'links': [{'rel': 'self', 'href': ''}]}]}
    assert resp.headers['OpenStack-API-Version'] == 'placement 1.0'
    assert 'OpenStack-API-Version' in resp.headers['Vary']
    assert resp.headers['x-openstack-request-id'].startswith('req-')


def test_a_version_above_the_maximum_is_406_naming_the_range(placement):
    # What osc-placement sends first; it retries with max_version.
    resp = placement.get('/', token='', version='1.29')
    error = _error(resp, 406, 'Unacceptable version header: 1.29')
    assert (error['min_version'], error['max_version']) == ('1.0', '1.14')
    resp = placement.get('/resource_providers', version='1.29')
    _error(resp, 406)


def test_a_malformed_version_is_400(placement):
    _error(placement.get('/resource_providers', version='1.x'), 400,
           'invalid version string: 1.x')


def test_latest_is_the_maximum(placement):
    resp = placement.get('/', version='latest')
    assert resp.headers['OpenStack-API-Version'] == 'placement 1.14'


# Authentication and the methods not served ------------------------------

def test_no_token_is_401_in_placements_shape(placement):
    resp = placement.get('/resource_providers', token='')
    _error(resp, 401)
    assert resp.headers['WWW-Authenticate'].startswith('Keystone')
    _error(placement.get('/resource_providers', token='bogus'), 401)


@pytest.mark.parametrize('method,path,allow', [
    ('POST', '/resource_providers', 'GET'),
    ('PUT', '/resource_providers/%s' % ELSEWHERE, 'GET'),
    ('DELETE', '/resource_providers/%s' % ELSEWHERE, 'GET'),
    ('PUT', '/resource_providers/%s/inventories' % ELSEWHERE, 'GET'),
    ('PUT', '/allocations/%s' % ELSEWHERE, 'GET'),
    ('DELETE', '/allocations/%s' % ELSEWHERE, 'GET'),
])
def test_writes_are_405_with_allow(placement, method, path, allow):
    resp = placement.request(method, path, body={})
    _error(resp, 405, 'only reads')
    assert resp.headers['Allow'] == allow


def test_unknown_path_is_404(placement):
    _error(placement.get('/resource_classes'), 404)


# Resource providers -------------------------------------------------------

def test_every_compute_node_is_a_root_provider(cloud, placement):
    hypervisors = _hypervisors(cloud)
    providers = _providers(placement)
    assert set(providers) == set(hypervisors)
    for name, provider in providers.items():
        assert provider['uuid'] == hypervisors[name]['id']
        assert provider['root_provider_uuid'] == provider['uuid']
        assert provider['parent_provider_uuid'] is None
        assert isinstance(provider['generation'], int)
        url = '/resource_providers/%s' % provider['uuid']
        assert {link['rel']: link['href'] for link in provider['links']} == {
            'self': url, 'inventories': url + '/inventories',
            'usages': url + '/usages', 'aggregates': url + '/aggregates',
            'traits': url + '/traits', 'allocations': url + '/allocations'}


def test_version_1_0_has_no_tree_and_fewer_links(placement):
    resp = placement.get('/resource_providers')
    provider = resp.body['resource_providers'][0]
    assert set(provider) == {'uuid', 'name', 'generation', 'links'}
    assert [link['rel'] for link in provider['links']] == [
        'self', 'inventories', 'usages']


def test_show_and_filters(cloud, placement):
    providers = _providers(placement)
    one = providers['compute1']
    resp = placement.get('/resource_providers/%s' % one['uuid'],
                         version='1.14')
    assert resp.status == 200
    assert resp.body == one
    assert list(_providers(placement, headers={}).keys()) == [
        'compute1', 'compute2']
    by_name = placement.get('/resource_providers?name=compute2',
                            version='1.14').body['resource_providers']
    assert [p['name'] for p in by_name] == ['compute2']
    by_uuid = placement.get('/resource_providers?uuid=%s' % one['uuid'],
                            version='1.14').body['resource_providers']
    assert [p['name'] for p in by_uuid] == ['compute1']
    in_tree = placement.get('/resource_providers?in_tree=%s' % one['uuid'],
                            version='1.14').body['resource_providers']
    assert [p['name'] for p in in_tree] == ['compute1']
    assert placement.get('/resource_providers?name=nowhere').body == {
        'resource_providers': []}


def test_unknown_provider_is_404(placement):
    missing = str(uuid.uuid4())
    for suffix in ('', '/inventories', '/inventories/VCPU', '/usages',
                   '/aggregates', '/traits', '/allocations'):
        _error(placement.get('/resource_providers/%s%s' % (missing, suffix),
                             version='1.14'), 404,
               'No resource provider with uuid %s found' % missing)


@pytest.mark.parametrize('query,version,detail', [
    ('uuid=not-a-uuid', '1.14', 'Invalid query string parameters'),
    ('bogus=1', '1.14', 'Invalid query string parameters'),
    # Added by later versions than asked for.
    ('member_of=%s' % ELSEWHERE, '1.2', 'Invalid query string'),
    ('resources=VCPU:1', '1.3', 'Invalid query string parameters'),
    ('in_tree=%s' % ELSEWHERE, '1.13', 'Invalid query string'),
    ('member_of=in:nope', '1.14', "Expected 'member_of' parameter"),
    ('resources=VCPU', '1.14', 'Badly formed resources parameter'),
    ('resources=WIDGET:1', '1.14', 'No such resource class WIDGET'),
    ('name=a&name=b', '1.14', 'more than once'),
])
def test_bad_filters_are_400(placement, query, version, detail):
    _error(placement.get('/resource_providers?' + query, version=version),
           400, detail)


def test_resources_filter_is_what_still_fits(placement):
    names = list(_providers(placement))
    fits = placement.get('/resource_providers?resources=VCPU:1,MEMORY_MB:512',
                         version='1.14').body['resource_providers']
    assert sorted(p['name'] for p in fits) == sorted(names)
    too_big = placement.get('/resource_providers?resources=VCPU:100000',
                            version='1.14').body['resource_providers']
    assert too_big == []
    unheld = placement.get('/resource_providers?resources=VGPU:1',
                           version='1.14').body['resource_providers']
    assert unheld == []


# Inventories -------------------------------------------------------------

def test_inventories_are_what_the_scheduler_claims_against(cloud, placement):
    hypervisor = _hypervisors(cloud)['compute1']
    provider = _providers(placement)['compute1']
    resp = placement.get('/resource_providers/%s/inventories'
                         % provider['uuid'])
    assert resp.status == 200
    conf = cloud.conf
    inventories = resp.body['inventories']
    assert set(inventories) == {'VCPU', 'MEMORY_MB', 'DISK_GB'}
    assert resp.body['resource_provider_generation'] == \
        provider['generation']
    vcpu = inventories['VCPU']
    assert vcpu['total'] == hypervisor['vcpus']
    assert vcpu['max_unit'] == hypervisor['vcpus']
    assert (vcpu['min_unit'], vcpu['step_size']) == (1, 1)
    assert inventories['MEMORY_MB']['total'] == hypervisor['memory_mb']
    assert inventories['DISK_GB']['total'] == hypervisor['local_gb']
    assert inventories['MEMORY_MB']['reserved'] == \
        conf.reserved_host_memory_mb
    assert vcpu['allocation_ratio'] == conf.cpu_allocation_ratio
    one = placement.get('/resource_providers/%s/inventories/MEMORY_MB'
                        % provider['uuid'])
    assert one.status == 200
    assert one.body == dict(inventories['MEMORY_MB'],
                            resource_provider_generation=provider[
                                'generation'])
    _error(placement.get('/resource_providers/%s/inventories/VGPU'
                         % provider['uuid']), 404,
           'No inventory of class VGPU for %s' % provider['uuid'])


# Usages and allocations, before and after a server -------------------------

@pytest.fixture(scope='module')
def server(cloud):
    before = _providers(cloud.placement)
    resp = cloud.api.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    server = cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE')
    yield dict(server, providers_before=before)
    cloud.api.delete('/v2.1/servers/%s' % server['id'])
    cloud.wait_for_server(server['id'], 'DELETED')


def _host_provider(placement, server):
    return _providers(placement)[server['OS-EXT-SRV-ATTR:hypervisor_hostname']]


def test_usages_and_generation_follow_a_server(placement, server):
    provider = _host_provider(placement, server)
    name = provider['name']
    assert provider['generation'] > \
        server['providers_before'][name]['generation']
    resp = placement.get('/resource_providers/%s/usages' % provider['uuid'])
    assert resp.status == 200
    assert resp.body == {'usages': FLAVOR,
                         'resource_provider_generation':
                             provider['generation']}
    idle = [p for n, p in _providers(placement).items() if n != name][0]
    assert placement.get('/resource_providers/%s/usages' % idle['uuid']
                         ).body['usages'] == {
        'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}


def test_provider_allocations(placement, server):
    provider = _host_provider(placement, server)
    resp = placement.get('/resource_providers/%s/allocations'
                         % provider['uuid'])
    assert resp.status == 200
    assert resp.body == {
        'allocations': {server['id']: {'resources': FLAVOR}},
        'resource_provider_generation': provider['generation']}


def test_consumer_allocations(placement, server):
    provider = _host_provider(placement, server)
    path = '/allocations/%s' % server['id']
    held = {provider['uuid']: {'generation': provider['generation'],
                               'resources': FLAVOR}}
    assert placement.get(path).body == {'allocations': held}
    assert placement.get(path, version='1.12').body == {
        'allocations': held, 'project_id': server['tenant_id'],
        'user_id': server['user_id']}
    nothing = placement.get('/allocations/%s' % uuid.uuid4(),
                            version='1.12')
    assert nothing.status == 200
    assert nothing.body == {'allocations': {}}


def test_total_usages_of_a_project(placement, server):
    resp = placement.get('/usages?project_id=%s' % server['tenant_id'],
                         version='1.9')
    assert resp.status == 200
    assert resp.body == {'usages': FLAVOR}
    resp = placement.get('/usages?project_id=%s&user_id=%s' % (
        server['tenant_id'], server['user_id']), version='1.9')
    assert resp.body == {'usages': FLAVOR}
    resp = placement.get('/usages?project_id=%s&user_id=someone-else' %
                         server['tenant_id'], version='1.9')
    assert resp.body == {'usages': {}}
    assert placement.get('/usages?project_id=empty',
                         version='1.9').body == {'usages': {}}
    _error(placement.get('/usages', version='1.9'), 400,
           "'project_id' is a required property")
    _error(placement.get('/usages?project_id=x', version='1.8'), 404)


# Aggregates and traits ---------------------------------------------------

def test_aggregates_are_the_hosts_aggregates(cloud, placement):
    provider = _providers(placement)['compute2']
    path = '/resource_providers/%s/aggregates' % provider['uuid']
    _error(placement.get(path, version='1.0'), 404)
    assert placement.get(path, version='1.1').body == {'aggregates': []}
    resp = cloud.api.post('/v2.1/os-aggregates',
                          {'aggregate': {'name': 'rack-2'}}, version='2.41')
    aggregate = resp.body['aggregate']
    try:
        resp = cloud.api.post(
            '/v2.1/os-aggregates/%s/action' % aggregate['id'],
            {'add_host': {'host': 'compute2'}})
        assert resp.status == 200, resp
        assert placement.get(path, version='1.14').body == {
            'aggregates': [aggregate['uuid']]}
        members = placement.get(
            '/resource_providers?member_of=in:%s,%s' % (
                aggregate['uuid'], uuid.uuid4()),
            version='1.3').body['resource_providers']
        assert [p['name'] for p in members] == ['compute2']
    finally:
        cloud.api.post('/v2.1/os-aggregates/%s/action' % aggregate['id'],
                       {'remove_host': {'host': 'compute2'}})
        cloud.api.delete('/v2.1/os-aggregates/%s' % aggregate['id'])


def test_traits_say_a_disabled_compute(cloud, placement):
    provider = _providers(placement)['compute2']
    path = '/resource_providers/%s/traits' % provider['uuid']
    _error(placement.get(path, version='1.5'), 404)
    resp = placement.get(path, version='1.6')
    assert resp.body == {'traits': ['COMPUTE_NODE'],
                         'resource_provider_generation':
                             provider['generation']}
    services = cloud.api.get('/v2.1/os-services?host=compute2',
                             version='2.53').body['services']
    service_id = services[0]['id']
    cloud.api.put('/v2.1/os-services/%s' % service_id,
                  {'status': 'disabled'}, version='2.53')
    try:
        assert placement.get(path, version='1.6').body['traits'] == [
            'COMPUTE_NODE', 'COMPUTE_STATUS_DISABLED']
    finally:
        cloud.api.put('/v2.1/os-services/%s' % service_id,
                      {'status': 'enabled'}, version='2.53')


# What Horizon 27 reads -----------------------------------------------------

def test_horizon_hypervisors_panel_calls(placement):
    """openstack_dashboard/api/placement.get_providers, at 1.6."""
    versions = placement.get('/', version='1.6')
    assert versions.status == 200
    providers = placement.get('/resource_providers', version='1.6')
    assert providers.status == 200
    for p in providers.body['resource_providers']:
        base = '/resource_providers/%s' % p['uuid']
        inventories = placement.get(base + '/inventories', version='1.6')
        usages = placement.get(base + '/usages', version='1.6')
        for suffix in ('/aggregates', '/traits'):
            assert placement.get(base + suffix, version='1.6').status == 200
        vcpus = inventories.body['inventories']['VCPU']
        assert int(vcpus['allocation_ratio'] * vcpus['total']) >= \
            usages.body['usages']['VCPU']


# Policy: upstream Placement's defaults -------------------------------------

PERSONA_ROUTES = [path for path, _methods, _since in router.ROUTES
                  if path not in ('', '/')]


@pytest.mark.parametrize('path', PERSONA_ROUTES)
def test_project_personas_are_refused_admin_and_service_read(
        placement, path):
    provider = _providers(placement)['compute1']
    concrete = path.format(uuid=provider['uuid'], resource_class='VCPU',
                           consumer_uuid=uuid.uuid4())
    if path == '/usages':
        concrete += '?project_id=admin'
    for token in ('reader', 'member'):
        _error(placement.get(concrete, token=token, version='1.14'), 403,
               'placement:')
    for token in ('admin:admin', 'service'):
        resp = placement.get(concrete, token=token, version='1.14')
        assert resp.status == 200, (token, resp)


def test_a_project_reader_reads_its_own_total_usages(placement):
    resp = placement.get('/usages?project_id=%s' % PROJECT, token='reader',
                         version='1.9')
    assert resp.status == 200, resp
    assert resp.body == {'usages': {}}
