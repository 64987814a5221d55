"""/os-hypervisors/{id}/uptime (before 2.88), /{pattern}/search and
/{pattern}/servers (before 2.53), checked against tempest's schemas.

One cloud of two computes, compute1 and compute2; one server on it.
"""

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET,
                           computes=('compute1', 'compute2')).start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def server(cloud):
    resp = cloud.api.post('/v2.1/servers', {'server': {
        'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
    assert resp.status == 202, resp
    return cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE')


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message


def _nodes(cloud, version='2.1'):
    return {n['hypervisor_hostname']: n for n in cloud.api.get(
        '/v2.1/os-hypervisors', version=version).body['hypervisors']}


@pytest.mark.parametrize('version', ['2.1', '2.28', '2.52', '2.53', '2.87'])
def test_uptime_until_2_87(cloud, version):
    node = _nodes(cloud, version)['compute1']
    resp = cloud.api.get('/v2.1/os-hypervisors/%s/uptime' % node['id'],
                         version=version)
    body = oracle.validate(oracle.schemas(
        oracle.HYPERVISORS, version).get_hypervisor_uptime, resp)
    compute = cloud.compute('compute1')
    assert body['hypervisor'] == {
        'id': node['id'], 'hypervisor_hostname': 'compute1',
        'state': 'up', 'status': 'enabled',
        'uptime': compute.driver.UPTIME}


def test_uptime_is_gone_at_2_88(cloud):
    node = _nodes(cloud, '2.88')['compute1']
    _fault(cloud.api.get('/v2.1/os-hypervisors/%s/uptime' % node['id'],
                         version='2.88'), 404, 'itemNotFound')


def test_uptime_of_an_unknown_or_malformed_hypervisor(cloud):
    _fault(cloud.api.get('/v2.1/os-hypervisors/999/uptime'), 404,
           'itemNotFound')
    _fault(cloud.api.get('/v2.1/os-hypervisors/abc/uptime'), 404,
           'itemNotFound')
    _fault(cloud.api.get('/v2.1/os-hypervisors/1/uptime', version='2.53'),
           400, 'badRequest')


def test_uptime_of_a_driver_without_it_is_501(cloud):
    node = _nodes(cloud)['compute2']
    driver = cloud.compute('compute2').driver
    original = driver.get_host_uptime

    def unsupported():
        raise NotImplementedError()
    driver.get_host_uptime = unsupported
    try:
        resp = cloud.api.get('/v2.1/os-hypervisors/%s/uptime' % node['id'])
    finally:
        driver.get_host_uptime = original
    _fault(resp, 501, 'notImplemented',
           'Virt driver does not implement uptime function.')


def test_uptime_of_a_down_compute_is_400(cloud):
    node = _nodes(cloud)['compute2']
    resp = cloud.api.put('/v2.1/os-services/force-down', {
        'host': 'compute2', 'binary': 'nova-compute', 'forced_down': True},
        version='2.11')
    assert resp.status == 200, resp
    try:
        _fault(cloud.api.get('/v2.1/os-hypervisors/%s/uptime' % node['id']),
               400, 'badRequest',
               'Compute service of compute2 is unavailable at this time.')
    finally:
        assert cloud.api.put('/v2.1/os-services/force-down', {
            'host': 'compute2', 'binary': 'nova-compute',
            'forced_down': False}, version='2.11').status == 200


@pytest.mark.parametrize('version', ['2.1', '2.33', '2.52'])
def test_search_until_2_52(cloud, version):
    resp = cloud.api.get('/v2.1/os-hypervisors/comp/search',
                         version=version)
    body = oracle.validate(oracle.schemas(
        oracle.HYPERVISORS, version).list_search_hypervisors, resp)
    assert sorted(h['hypervisor_hostname'] for h in body['hypervisors']) \
        == ['compute1', 'compute2']
    for hypervisor in body['hypervisors']:
        assert set(hypervisor) == {'id', 'hypervisor_hostname', 'state',
                                   'status'}
        assert isinstance(hypervisor['id'], int)
        assert 'servers' not in hypervisor
    resp = cloud.api.get('/v2.1/os-hypervisors/pute2/search',
                         version=version)
    assert [h['hypervisor_hostname'] for h in resp.body['hypervisors']] \
        == ['compute2']


def test_search_without_a_match_is_404(cloud):
    _fault(cloud.api.get('/v2.1/os-hypervisors/nomatch/search'), 404,
           'itemNotFound', "No hypervisor matching 'nomatch' could be found.")


def test_search_and_servers_are_gone_at_2_53(cloud):
    for suffix in ('search', 'servers'):
        _fault(cloud.api.get('/v2.1/os-hypervisors/comp/' + suffix,
                             version='2.53'), 404, 'itemNotFound')


@pytest.mark.parametrize('version', ['2.1', '2.52'])
def test_servers_until_2_52(cloud, server, version):
    resp = cloud.api.get('/v2.1/os-hypervisors/comp/servers',
                         version=version)
    body = oracle.validate(oracle.schemas(
        oracle.HYPERVISORS, version).get_hypervisors_servers, resp)
    by_name = {h['hypervisor_hostname']: h for h in body['hypervisors']}
    assert set(by_name) == {'compute1', 'compute2'}
    host = server['OS-EXT-SRV-ATTR:hypervisor_hostname']
    other = ({'compute1', 'compute2'} - {host}).pop()
    assert by_name[host]['servers'] == [{'name': 'vm1',
                                         'uuid': server['id']}]
    # As upstream: no key for a hypervisor without servers.
    assert 'servers' not in by_name[other]
    _fault(cloud.api.get('/v2.1/os-hypervisors/nomatch/servers'), 404,
           'itemNotFound')


@pytest.mark.parametrize('path', ['1/uptime', 'comp/search',
                                  'comp/servers'])
def test_non_admins_are_refused(cloud, path):
    rule = {'uptime': 'uptime', 'search': 'search',
            'servers': 'servers'}[path.split('/')[1]]
    resp = cloud.api.get('/v2.1/os-hypervisors/' + path, token='demo:demo')
    _fault(resp, 403, 'forbidden', "Policy doesn't allow "
           "os_compute_api:os-hypervisors:%s to be performed." % rule)
