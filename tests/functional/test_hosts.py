"""/os-hosts (deprecated; 404 from 2.43), checked against tempest's
schemas.  Two computes; a server of project demo on one of them."""

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import hosts as schemas

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
    demo = cloud.api.as_user('demo:demo')
    resp = demo.post('/v2.1/servers', {'server': {
        'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
    assert resp.status == 202, resp
    cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE', api=demo)
    # The admin's view, with the host.
    return cloud.api.get('/v2.1/servers/' + resp.body['server']['id']).body[
        'server']


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message


def test_list(cloud):
    body = oracle.validate(schemas.list_hosts,
                           cloud.api.get('/v2.1/os-hosts'))
    by_host = {h['host_name']: h for h in body['hosts']}
    assert by_host['compute1'] == {'host_name': 'compute1',
                                   'service': 'compute', 'zone': 'nova'}
    conductor = [h for h in body['hosts'] if h['service'] == 'conductor']
    assert conductor and conductor[0]['zone'] == 'internal'


def test_list_by_zone(cloud):
    body = cloud.api.get('/v2.1/os-hosts?zone=nova').body
    assert sorted(h['host_name'] for h in body['hosts']) == [
        'compute1', 'compute2']
    assert cloud.api.get('/v2.1/os-hosts?zone=elsewhere').body == {
        'hosts': []}


def test_show_gives_totals_usage_and_per_project(cloud, server):
    host = server['OS-EXT-SRV-ATTR:host']
    body = oracle.validate(schemas.get_host_detail,
                           cloud.api.get('/v2.1/os-hosts/' + host))
    resources = [r['resource'] for r in body['host']]
    assert [r['project'] for r in resources] == [
        '(total)', '(used_now)', '(used_max)', server['tenant_id']]
    compute = cloud.compute(host).driver
    assert resources[0] == {'host': host, 'project': '(total)',
                            'cpu': compute.vcpus,
                            'memory_mb': compute.memory_mb,
                            'disk_gb': compute.local_gb}
    # m1.tiny: 1 vCPU, 512 MB, 1 GB
    for resource in resources[2:]:
        assert (resource['cpu'], resource['memory_mb'],
                resource['disk_gb']) == (1, 512, 1)
    for resource in resources:
        assert resource['host'] == host


def test_show_of_an_unknown_host_is_404(cloud):
    _fault(cloud.api.get('/v2.1/os-hosts/nohost'), 404, 'itemNotFound',
           'Compute host nohost could not be found.')


def test_update_disables_and_enables_the_compute_service(cloud):
    resp = cloud.api.put('/v2.1/os-hosts/compute2', {'status': 'Disable'})
    body = oracle.validate(schemas.update_host, resp)
    assert body == {'host': 'compute2', 'status': 'disabled'}
    (service,) = cloud.api.get(
        '/v2.1/os-services?host=compute2').body['services']
    assert service['status'] == 'disabled'
    # A disabled service's host leaves the list.
    hosts = cloud.api.get('/v2.1/os-hosts').body['hosts']
    assert 'compute2' not in {h['host_name'] for h in hosts}
    resp = cloud.api.put('/v2.1/os-hosts/compute2', {'status': 'enable'})
    assert oracle.validate(schemas.update_host, resp) == {
        'host': 'compute2', 'status': 'enabled'}
    (service,) = cloud.api.get(
        '/v2.1/os-services?host=compute2').body['services']
    assert service['status'] == 'enabled'


@pytest.mark.parametrize('body', [
    {}, {'status': 'on'}, {'status': 'enable', 'other': 1},
    {'maintenance_mode': 'sometimes'}])
def test_update_bodies_refused(cloud, body):
    _fault(cloud.api.put('/v2.1/os-hosts/compute2', body), 400,
           'badRequest')


def test_update_of_an_unknown_host_is_404(cloud):
    _fault(cloud.api.put('/v2.1/os-hosts/nohost', {'status': 'enable'}),
           404, 'itemNotFound', 'Host nohost could not be found.')


def test_maintenance_mode_is_not_implemented_and_changes_nothing(cloud):
    _fault(cloud.api.put('/v2.1/os-hosts/compute2', {
        'status': 'disable', 'maintenance_mode': 'enable'}), 501,
        'notImplemented')
    (service,) = cloud.api.get(
        '/v2.1/os-services?host=compute2').body['services']
    assert service['status'] == 'enabled'


@pytest.mark.parametrize('action', ['startup', 'shutdown', 'reboot'])
def test_power_actions(cloud, action):
    _fault(cloud.api.get('/v2.1/os-hosts/compute1/' + action), 501,
           'notImplemented', 'The requested functionality is not '
           'supported.')
    _fault(cloud.api.get('/v2.1/os-hosts/nohost/' + action), 404,
           'itemNotFound')


@pytest.mark.parametrize('method,path,body', [
    ('GET', '/os-hosts', None), ('GET', '/os-hosts/compute1', None),
    ('PUT', '/os-hosts/compute1', {'status': 'enable'}),
    ('GET', '/os-hosts/compute1/startup', None),
    ('GET', '/os-hosts/compute1/shutdown', None),
    ('GET', '/os-hosts/compute1/reboot', None)])
def test_gone_from_2_43(cloud, method, path, body):
    resp = cloud.api.request(method, '/v2.1' + path, body=body,
                             version='2.43')
    _fault(resp, 404, 'itemNotFound')
    resp = cloud.api.request(method, '/v2.1' + path, body=body,
                             version='2.42')
    assert resp.status != 404, resp


def test_non_admins_are_refused(cloud):
    demo = cloud.api.as_user('demo:demo')
    _fault(demo.get('/v2.1/os-hosts'), 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-hosts:list to be "
           "performed.")
    _fault(demo.put('/v2.1/os-hosts/compute1', {'status': 'disable'}), 403,
           'forbidden')
