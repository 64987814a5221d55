"""/os-hypervisors, /os-availability-zone and /limits.

Contract: compute-api-facts.md sections 5.9, 5.10, 5.11 and Appendix E.
One cloud (a single compute, compute1) serves the module; demo boots one
m1.tiny (1 vCPU, 512 MB, 1 GB disk) once the figures before it have been
read.
"""

import re
import time
import urllib.parse
import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

# See test_flavors.QUIET.
QUIET = {'report_interval': 50}

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
LIST_KEYS = {'id', 'hypervisor_hostname', 'state', 'status'}
RESOURCE_KEYS = {'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                 'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                 'free_disk_gb', 'current_workload', 'running_vms',
                 'disk_available_least', 'cpu_info'}
DETAIL_KEYS = LIST_KEYS | {'hypervisor_type', 'hypervisor_version',
                           'host_ip', 'service'}
STATISTICS_KEYS = {'count', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                   'memory_mb_used', 'local_gb_used', 'free_ram_mb',
                   'free_disk_gb', 'current_workload', 'running_vms',
                   'disk_available_least'}
LIMITS_2_57 = {
    'maxServerMeta': 128, 'maxTotalCores': 20, 'maxTotalInstances': 10,
    'maxTotalKeypairs': 100, 'maxTotalRAMSize': 51200,
    'maxServerGroups': 10, 'maxServerGroupMembers': 10,
    'totalCoresUsed': 0, 'totalInstancesUsed': 0, 'totalRAMUsed': 0,
    'totalServerGroupsUsed': 0}
NETWORK_LIMITS = {'maxSecurityGroups', 'maxSecurityGroupRules',
                  'maxTotalFloatingIps', 'totalSecurityGroupsUsed',
                  'totalFloatingIpsUsed'}
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$')


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _is_uuid(value):
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError, AttributeError):
        return False


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def admin(cloud):
    return cloud.api


@pytest.fixture(scope='module')
def demo(cloud):
    return cloud.api.as_user('demo:demo')


@pytest.fixture(scope='module')
def before(admin, demo):
    """What the API says before demo's server exists."""
    (node,) = admin.get('/v2.1/os-hypervisors/detail').body['hypervisors']
    stats = admin.get('/v2.1/os-hypervisors/statistics').body[
        'hypervisor_statistics']
    limits = demo.get('/v2.1/limits').body['limits']['absolute']
    return {'node': node, 'stats': stats, 'limits': limits}


@pytest.fixture(scope='module')
def server(cloud, demo, before):
    resp = demo.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    return server_id


@pytest.fixture(scope='module')
def compute_service(admin):
    (service,) = admin.get('/v2.1/os-services?binary=nova-compute',
                           version='2.53').body['services']
    return service


def _set_compute(admin, service, status):
    resp = admin.put('/v2.1/os-services/%s' % service['id'],
                     {'status': status}, version='2.53')
    assert resp.status == 200, resp


# -- hypervisors -------------------------------------------------------------

def test_list_2_1(admin):
    resp = admin.get('/v2.1/os-hypervisors')
    body = oracle.validate(oracle.schemas(oracle.HYPERVISORS, '2.1')
                           .list_search_hypervisors, resp)
    (node,) = body['hypervisors']
    assert set(node) == LIST_KEYS
    assert isinstance(node['id'], int)
    assert node['hypervisor_hostname'] == 'compute1'
    assert node['state'] == 'up' and node['status'] == 'enabled'
    assert 'hypervisors_links' not in body


def test_detail_2_1(admin, before):
    resp = admin.get('/v2.1/os-hypervisors/detail')
    body = oracle.validate(oracle.schemas(oracle.HYPERVISORS, '2.1')
                           .list_hypervisors_detail, resp)
    (node,) = body['hypervisors']
    assert set(node) == DETAIL_KEYS | RESOURCE_KEYS
    assert node['hypervisor_hostname'] == 'compute1'
    assert node['hypervisor_type'] == 'fake'
    assert node['hypervisor_version'] == 1000
    assert node['host_ip'] == '127.0.0.1'
    assert isinstance(node['service']['id'], int)
    assert node['service']['host'] == 'compute1'
    assert node['service']['disabled_reason'] is None
    # cpu_info is a JSON string before 2.28.
    assert isinstance(node['cpu_info'], str)
    assert node['vcpus'] > 0 and node['memory_mb'] > 0
    # Nothing runs yet.
    assert before['node']['running_vms'] == 0
    assert before['node']['vcpus_used'] == 0
    assert before['node']['memory_mb_used'] == 0
    assert before['node']['local_gb_used'] == 0
    assert before['node']['free_ram_mb'] == before['node']['memory_mb']


def test_usage_reflects_a_booted_server(admin, before, server):
    (node,) = admin.get('/v2.1/os-hypervisors/detail').body['hypervisors']
    assert node['running_vms'] == 1
    assert node['vcpus_used'] == 1
    assert node['memory_mb_used'] == 512
    assert node['local_gb_used'] == 1
    assert node['vcpus'] == before['node']['vcpus']
    assert node['free_ram_mb'] == node['memory_mb'] - 512
    assert node['free_disk_gb'] == node['local_gb'] - 1
    shown = admin.get('/v2.1/os-hypervisors/%s' % node['id']).body[
        'hypervisor']
    assert shown == node


def test_show_2_1(admin, server):
    (node,) = admin.get('/v2.1/os-hypervisors').body['hypervisors']
    resp = admin.get('/v2.1/os-hypervisors/%s' % node['id'])
    body = oracle.validate(oracle.schemas(oracle.HYPERVISORS, '2.1')
                           .get_hypervisor, resp)
    assert set(body['hypervisor']) == DETAIL_KEYS | RESOURCE_KEYS
    assert body['hypervisor']['id'] == node['id']
    _fault(admin.get('/v2.1/os-hypervisors/9999'), 404, 'itemNotFound',
           'Hypervisor 9999 could not be found.')
    _fault(admin.get('/v2.1/os-hypervisors/abc'), 404, 'itemNotFound')


def test_statistics(admin, before, server):
    assert before['stats']['count'] == 1
    assert before['stats']['running_vms'] == 0
    for version in ('2.1', '2.87'):
        resp = admin.get('/v2.1/os-hypervisors/statistics', version=version)
        body = oracle.validate(oracle.schemas(oracle.HYPERVISORS, version)
                               .get_hypervisor_statistics, resp)
        stats = body['hypervisor_statistics']
        assert set(stats) == STATISTICS_KEYS
        assert stats['count'] == 1
        assert stats['running_vms'] == 1
        assert stats['vcpus_used'] == 1
        assert stats['memory_mb_used'] == 512
        assert stats['local_gb_used'] == 1
        assert stats['vcpus'] == before['stats']['vcpus']
        assert stats['free_ram_mb'] == stats['memory_mb'] - 512
    # Removed at 2.88.
    _fault(admin.get('/v2.1/os-hypervisors/statistics', version='2.88'),
           404, 'itemNotFound')


def test_cpu_info_is_an_object_from_2_28(admin):
    schemas = oracle.schemas(oracle.HYPERVISORS, '2.28')
    body = oracle.validate(schemas.list_hypervisors_detail, admin.get(
        '/v2.1/os-hypervisors/detail', version='2.28'))
    (node,) = body['hypervisors']
    assert isinstance(node['cpu_info'], dict)
    body = oracle.validate(schemas.get_hypervisor, admin.get(
        '/v2.1/os-hypervisors/%s' % node['id'], version='2.28'))
    assert body['hypervisor']['cpu_info'] == node['cpu_info']
    oracle.validate(schemas.list_search_hypervisors, admin.get(
        '/v2.1/os-hypervisors', version='2.28'))


def test_paging_from_2_33(admin):
    schemas = oracle.schemas(oracle.HYPERVISORS, '2.33')
    for path, schema in (('/v2.1/os-hypervisors',
                          schemas.list_search_hypervisors),
                         ('/v2.1/os-hypervisors/detail',
                          schemas.list_hypervisors_detail)):
        body = oracle.validate(schema, admin.get(path + '?limit=1',
                                                 version='2.33'))
        (node,) = body['hypervisors']
        (link,) = body['hypervisors_links']
        assert link['rel'] == 'next'
        parts = urllib.parse.urlsplit(link['href'])
        assert parts.path == path
        assert urllib.parse.parse_qs(parts.query) == {
            'limit': ['1'], 'marker': [str(node['id'])]}
        body = oracle.validate(schema, admin.get(
            '%s?%s' % (parts.path, parts.query), version='2.33'))
        assert body == {'hypervisors': []}
        _fault(admin.get(path + '?marker=9999', version='2.33'), 400,
               'badRequest')


def test_uuids_and_with_servers_from_2_53(admin, server, compute_service):
    schemas = oracle.schemas(oracle.HYPERVISORS, '2.53')
    body = oracle.validate(schemas.list_search_hypervisors, admin.get(
        '/v2.1/os-hypervisors', version='2.53'))
    (node,) = body['hypervisors']
    assert _is_uuid(node['id'])
    assert 'servers' not in node
    body = oracle.validate(schemas.list_search_hypervisors, admin.get(
        '/v2.1/os-hypervisors?with_servers=true', version='2.53'))
    assert body['hypervisors'][0]['servers'] == [
        {'name': 'vm1', 'uuid': server}]
    body = oracle.validate(schemas.list_hypervisors_detail, admin.get(
        '/v2.1/os-hypervisors/detail?with_servers=1', version='2.53'))
    (detail,) = body['hypervisors']
    assert detail['id'] == node['id']
    assert detail['servers'] == [{'name': 'vm1', 'uuid': server}]
    assert detail['service']['id'] == compute_service['id']
    body = oracle.validate(schemas.get_hypervisor, admin.get(
        '/v2.1/os-hypervisors/%s?with_servers=true' % node['id'],
        version='2.53'))
    assert body['hypervisor']['servers'] == [{'name': 'vm1',
                                              'uuid': server}]
    body = oracle.validate(schemas.get_hypervisor, admin.get(
        '/v2.1/os-hypervisors/%s' % node['id'], version='2.53'))
    assert 'servers' not in body['hypervisor']
    # A search by hostname pattern.
    body = oracle.validate(schemas.list_search_hypervisors, admin.get(
        '/v2.1/os-hypervisors?hypervisor_hostname_pattern=comp',
        version='2.53'))
    assert [n['hypervisor_hostname'] for n in body['hypervisors']] == [
        'compute1']
    _fault(admin.get('/v2.1/os-hypervisors?hypervisor_hostname_pattern=zz',
                     version='2.53'), 404, 'itemNotFound')
    # Ids are uuids now.
    unknown = str(uuid.uuid4())
    _fault(admin.get('/v2.1/os-hypervisors/%s' % unknown, version='2.53'),
           404, 'itemNotFound', 'Hypervisor %s could not be found.'
           % unknown)
    _fault(admin.get('/v2.1/os-hypervisors/1', version='2.53'), 400,
           'badRequest')


def test_no_resource_figures_from_2_88(admin, server):
    detail_schema, show_schema = oracle.hypervisor_schemas_2_88()
    body = oracle.validate(detail_schema, admin.get(
        '/v2.1/os-hypervisors/detail', version='2.88'))
    (node,) = body['hypervisors']
    assert set(node) == DETAIL_KEYS | {'uptime'}
    assert not RESOURCE_KEYS & set(node)
    body = oracle.validate(show_schema, admin.get(
        '/v2.1/os-hypervisors/%s?with_servers=true' % node['id'],
        version='2.88'))
    assert set(body['hypervisor']) == DETAIL_KEYS | {'uptime', 'servers'}
    assert body['hypervisor']['servers'] == [{'name': 'vm1',
                                              'uuid': server}]
    oracle.validate(oracle.schemas(oracle.HYPERVISORS, '2.88')
                    .list_search_hypervisors,
                    admin.get('/v2.1/os-hypervisors', version='2.88'))


def test_disabled_compute_shows_disabled(admin, compute_service):
    _set_compute(admin, compute_service, 'disabled')
    try:
        (node,) = admin.get('/v2.1/os-hypervisors/detail',
                            version='2.53').body['hypervisors']
        zones = admin.get('/v2.1/os-availability-zone').body
        detail = admin.get('/v2.1/os-availability-zone/detail').body
    finally:
        _set_compute(admin, compute_service, 'enabled')
    assert node['status'] == 'disabled' and node['state'] == 'up'
    # A zone whose hosts are all disabled is listed as not available.
    assert zones == {'availabilityZoneInfo': [
        {'zoneName': 'nova', 'zoneState': {'available': False},
         'hosts': None}]}
    nova, = [z for z in detail['availabilityZoneInfo']
             if z['zoneName'] == 'nova']
    assert nova['hosts']['compute1']['nova-compute']['active'] is False
    (node,) = admin.get('/v2.1/os-hypervisors').body['hypervisors']
    assert node['status'] == 'enabled'


@pytest.mark.parametrize('path', [
    '/v2.1/os-hypervisors', '/v2.1/os-hypervisors/detail',
    '/v2.1/os-hypervisors/statistics', '/v2.1/os-hypervisors/1'])
def test_hypervisors_are_admin_only(path, demo):
    message = _fault(demo.get(path), 403, 'forbidden')
    assert message.startswith(
        "Policy doesn't allow os_compute_api:os-hypervisors:"), message
    _fault(demo.get(path, version='2.53'), 403, 'forbidden')


# -- availability zones ------------------------------------------------------

def test_zone_list(demo, admin):
    for api in (demo, admin):
        resp = api.get('/v2.1/os-availability-zone')
        body = oracle.validate(
            oracle.AVAILABILITY_ZONES.list_availability_zone_list, resp)
        assert body == {'availabilityZoneInfo': [
            {'zoneName': 'nova', 'zoneState': {'available': True},
             'hosts': None}]}


def test_zone_detail(cloud, admin, demo):
    resp = admin.get('/v2.1/os-availability-zone/detail')
    body = oracle.validate(
        oracle.AVAILABILITY_ZONES.list_availability_zone_list_detail, resp)
    zones = {z['zoneName']: z for z in body['availabilityZoneInfo']}
    assert set(zones) == {'internal', 'nova'}
    internal = zones['internal']
    assert internal['zoneState'] == {'available': True}
    conductor = 'conductor-' + cloud.suffix
    scheduler = 'scheduler-' + cloud.suffix
    assert set(internal['hosts']) == {conductor, scheduler}
    assert list(internal['hosts'][conductor]) == ['nova-conductor']
    assert list(internal['hosts'][scheduler]) == ['nova-scheduler']
    nova = zones['nova']
    assert nova['zoneState'] == {'available': True}
    assert list(nova['hosts']) == ['compute1']
    entry = nova['hosts']['compute1']['nova-compute']
    assert entry['available'] is True and entry['active'] is True
    assert TIME.match(entry['updated_at']), entry
    for host in internal['hosts'].values():
        for service in host.values():
            assert service['available'] is True
            assert service['active'] is True
    # Not for non-admins.
    _fault(demo.get('/v2.1/os-availability-zone/detail'), 403, 'forbidden')


# -- limits ------------------------------------------------------------------

def test_default_limits_2_1(cloud):
    fresh = cloud.api.as_user('fresh:fresh')
    resp = fresh.get('/v2.1/limits')
    body = oracle.validate(oracle.schemas(oracle.LIMITS, '2.1').get_limit,
                           resp)
    assert body['limits']['rate'] == []
    # The nova-network limits are -1 as upstream's since those quotas
    # went (its api-ref sample limit-get-resp.json): nothing limits them.
    assert body['limits']['absolute'] == dict(
        LIMITS_2_57, maxImageMeta=128, maxPersonality=5,
        maxPersonalitySize=10240, maxSecurityGroups=-1,
        maxSecurityGroupRules=-1, maxTotalFloatingIps=-1,
        totalSecurityGroupsUsed=0, totalFloatingIpsUsed=0)


@pytest.mark.parametrize('version,gone', [
    ('2.35', set()),
    ('2.36', NETWORK_LIMITS),
    ('2.39', NETWORK_LIMITS | {'maxImageMeta'}),
    ('2.57', NETWORK_LIMITS | {'maxImageMeta', 'maxPersonality',
                               'maxPersonalitySize'}),
    ('2.92', NETWORK_LIMITS | {'maxImageMeta', 'maxPersonality',
                               'maxPersonalitySize'}),
])
def test_limit_fields_per_microversion(version, gone, cloud):
    fresh = cloud.api.as_user('fresh:fresh')
    resp = fresh.get('/v2.1/limits', version=version)
    body = oracle.validate(oracle.schemas(oracle.LIMITS, version).get_limit,
                           resp)
    all_2_1 = set(LIMITS_2_57) | NETWORK_LIMITS | {
        'maxImageMeta', 'maxPersonality', 'maxPersonalitySize'}
    assert set(body['limits']['absolute']) == all_2_1 - gone
    if version in ('2.57', '2.92'):
        assert body['limits']['absolute'] == LIMITS_2_57


def test_usage_after_booting_one_tiny(demo, before, server):
    assert before['limits']['totalInstancesUsed'] == 0
    assert before['limits']['totalCoresUsed'] == 0
    assert before['limits']['totalRAMUsed'] == 0
    absolute = demo.get('/v2.1/limits', version='2.57').body['limits'][
        'absolute']
    assert absolute == dict(LIMITS_2_57, totalInstancesUsed=1,
                            totalCoresUsed=1, totalRAMUsed=512)
    # The own project named explicitly is fine.
    resp = demo.get('/v2.1/limits?tenant_id=demo', version='2.57')
    assert resp.status == 200
    assert resp.body['limits']['absolute'] == absolute


def test_admin_reads_another_projects_usage(admin, server):
    own = admin.get('/v2.1/limits').body['limits']['absolute']
    assert own['totalInstancesUsed'] == 0
    resp = admin.get('/v2.1/limits?tenant_id=demo')
    body = oracle.validate(oracle.schemas(oracle.LIMITS, '2.1').get_limit,
                           resp)
    absolute = body['limits']['absolute']
    assert absolute['totalInstancesUsed'] == 1
    assert absolute['totalCoresUsed'] == 1
    assert absolute['totalRAMUsed'] == 512
    assert absolute['maxTotalInstances'] == 10


def test_non_admin_cannot_read_another_projects_limits(demo, server):
    _fault(demo.get('/v2.1/limits?tenant_id=admin'), 403, 'forbidden')
    _fault(demo.get('/v2.1/limits?tenant_id=other', version='2.57'), 403,
           'forbidden')


def test_the_inventory_is_reported_again_every_interval():
    cloud = fixtures.Cloud(overrides={'update_resources_interval': 1})
    cloud.start()
    try:
        admin = cloud.api
        (node,) = admin.get('/v2.1/os-hypervisors/detail').body[
            'hypervisors']
        # The host changed (say, memory added): the next report shows it.
        cloud.compute('compute1').driver.memory_mb = node['memory_mb'] * 2
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            (node_now,) = admin.get('/v2.1/os-hypervisors/detail').body[
                'hypervisors']
            if node_now['memory_mb'] != node['memory_mb']:
                break
            time.sleep(0.2)
        assert node_now['memory_mb'] == node['memory_mb'] * 2
    finally:
        cloud.stop()
