"""/os-server-groups and the group scheduler hint: the bodies of each
microversion (checked against Tempest's schemas through its client's own
schema table), the errors, the quotas, and the policies placing servers
on hosts (two and three fake computes)."""

import pytest
from tempest.lib.services.compute import server_groups_client

from nova.db import instances as db_instances
from tests.functional import fixtures
from tests.functional import tempest_oracle

URL = '/v2.1/os-server-groups'
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture
def cloud():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2', 'compute3'),
                           overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


def _schema(version, name):
    return getattr(tempest_oracle.schemas(
        server_groups_client.ServerGroupsClient, version), name)


def _create(api, version='2.1', **group):
    group.setdefault('name', 'sg')
    if version >= '2.64':
        group.setdefault('policy', 'anti-affinity')
    else:
        group.setdefault('policies', ['anti-affinity'])
    resp = api.post(URL, {'server_group': group}, version=version)
    tempest_oracle.validate(_schema(version, 'create_show_server_group'),
                            resp)
    return resp.body['server_group']


def _boot(cloud, group_id, count=1, version=None):
    resp = cloud.api.post('/v2.1/servers', {
        'server': dict(SERVER, min_count=count, max_count=count),
        'os:scheduler_hints': {'group': group_id}}, version=version)
    assert resp.status == 202, resp
    return resp


def _hosts(cloud, group_id):
    """{server id: host} of the group's members, once all are ACTIVE."""
    members = cloud.api.get('%s/%s' % (URL, group_id)).body[
        'server_group']['members']
    return {uuid: cloud.wait_for_server(uuid, 'ACTIVE')[
        'OS-EXT-SRV-ATTR:host'] for uuid in members}


@pytest.mark.parametrize('version', ['2.1', '2.13', '2.15', '2.64', '2.92'])
def test_create_show_list_delete(cloud, version):
    api = cloud.api
    group = _create(api, version)
    assert group['name'] == 'sg' and group['members'] == []
    if version >= '2.64':
        assert group['policy'] == 'anti-affinity' and group['rules'] == {}
        assert 'policies' not in group and 'metadata' not in group
    else:
        assert group['policies'] == ['anti-affinity']
        assert group['metadata'] == {}
    assert ('project_id' in group) == (version >= '2.13')
    resp = api.get('%s/%s' % (URL, group['id']), version=version)
    assert tempest_oracle.validate(
        _schema(version, 'create_show_server_group'),
        resp)['server_group'] == group
    resp = api.get(URL, version=version)
    listed = tempest_oracle.validate(_schema(version, 'list_server_groups'),
                                     resp)['server_groups']
    assert [g['id'] for g in listed] == [group['id']]
    resp = api.delete('%s/%s' % (URL, group['id']), version=version)
    assert resp.status in _schema(version, 'delete_server_group')[
        'status_code'] and not resp.text
    assert api.get('%s/%s' % (URL, group['id'])).status == 404
    assert api.delete('%s/%s' % (URL, group['id'])).status == 404


def test_policies_and_rules_by_microversion(cloud):
    api = cloud.api

    def refused(body, version):
        resp = api.post(URL, {'server_group': body}, version=version)
        assert resp.status == 400, resp
        return resp.body['badRequest']['message']
    # Soft policies from 2.15.
    refused({'name': 'g', 'policies': ['soft-affinity']}, '2.14')
    assert _create(api, '2.15', policies=['soft-affinity'])['policies'] == \
        ['soft-affinity']
    # One policy, named once.
    refused({'name': 'g', 'policies': ['affinity', 'anti-affinity']}, '2.1')
    refused({'name': 'g', 'policies': []}, '2.1')
    refused({'name': 'g', 'policies': ['spread']}, '2.1')
    # 2.64: policy and rules instead of policies.
    refused({'name': 'g', 'policies': ['affinity']}, '2.64')
    refused({'name': 'g', 'policy': 'affinity'}, '2.63')
    assert 'Only anti-affinity policy supports rules' in refused(
        {'name': 'g', 'policy': 'affinity',
         'rules': {'max_server_per_host': 2}}, '2.64')
    refused({'name': 'g', 'policy': 'anti-affinity',
             'rules': {'max_server_per_host': 0}}, '2.64')
    refused({'name': 'g', 'policy': 'anti-affinity',
             'rules': {'other': 1}}, '2.64')
    group = _create(api, '2.64', rules={'max_server_per_host': 2})
    assert group['rules'] == {'max_server_per_host': 2}
    refused({'name': ' g', 'policy': 'affinity'}, '2.64')


def test_anti_affinity_puts_each_server_on_its_own_host(cloud):
    group = _create(cloud.api)
    _boot(cloud, group['id'], count=3)
    hosts = _hosts(cloud, group['id'])
    assert len(hosts) == 3 and len(set(hosts.values())) == 3
    # A fourth has nowhere to go: the fault says which filter.
    resp = _boot(cloud, group['id'])
    server = cloud.wait_for_server(resp.body['server']['id'], 'ERROR')
    assert 'ServerGroupAntiAffinityFilter removed 3' in \
        server['fault']['message']


def test_max_server_per_host_lets_that_many_share_a_host(cloud):
    group = _create(cloud.api, '2.64', rules={'max_server_per_host': 2})
    _boot(cloud, group['id'], count=6)
    hosts = list(_hosts(cloud, group['id']).values())
    assert sorted(hosts.count(h) for h in set(hosts)) == [2, 2, 2]


def test_affinity_keeps_the_servers_together(cloud):
    group = _create(cloud.api, policies=['affinity'])
    _boot(cloud, group['id'], count=2)
    first = set(_hosts(cloud, group['id']).values())
    _boot(cloud, group['id'])
    hosts = _hosts(cloud, group['id'])
    assert len(hosts) == 3 and set(hosts.values()) == first


def test_soft_anti_affinity_spreads_without_refusing(cloud):
    group = _create(cloud.api, '2.15', policies=['soft-anti-affinity'])
    _boot(cloud, group['id'], count=4)
    hosts = list(_hosts(cloud, group['id']).values())
    # Four servers on three hosts: spread, and none refused.
    assert len(hosts) == 4 and len(set(hosts)) == 3


def test_members_leave_with_their_servers_and_show_at_2_71(cloud):
    api = cloud.api
    group = _create(api)
    server_id = _boot(cloud, group['id']).body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    resp = api.get('/v2.1/servers/%s' % server_id, version='2.71')
    assert resp.body['server']['server_groups'] == [group['id']]
    assert 'server_groups' not in api.get(
        '/v2.1/servers/%s' % server_id, version='2.70').body['server']
    resp = api.put('/v2.1/servers/%s' % server_id,
                   {'server': {'name': 'renamed'}}, version='2.71')
    assert resp.body['server']['server_groups'] == [group['id']]
    assert api.delete('/v2.1/servers/%s' % server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED')
    assert api.get('%s/%s' % (URL, group['id'])).body[
        'server_group']['members'] == []


def test_deleting_a_group_keeps_its_servers(cloud):
    api = cloud.api
    group = _create(api, policies=['affinity'])
    server_id = _boot(cloud, group['id']).body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert api.delete('%s/%s' % (URL, group['id'])).status == 204
    assert db_instances.instance_get(server_id)['vm_state'] == 'active'
    assert api.get('/v2.1/servers/%s' % server_id, version='2.71').body[
        'server']['server_groups'] == []


def test_a_hint_naming_no_group_of_the_project_is_a_400(cloud):
    resp = cloud.api.post('/v2.1/servers', {
        'server': SERVER, 'os:scheduler_hints': {
            'group': '00000000-0000-4000-8000-000000000000'}})
    assert resp.status == 400, resp
    assert 'could not be found' in resp.body['badRequest']['message']


def test_quotas_of_groups_and_members(cloud):
    cloud.conf.set_override('server_groups', 1, group='quota')
    cloud.conf.set_override('server_group_members', 2, group='quota')
    try:
        group = _create(cloud.api, policies=['soft-affinity'],
                        version='2.15')
        resp = cloud.api.post(URL, {'server_group': {
            'name': 'two', 'policies': ['affinity']}})
        assert resp.status == 403, resp
        assert 'too many server groups' in resp.body['forbidden']['message']
        _boot(cloud, group['id'], count=2)
        resp = cloud.api.post('/v2.1/servers', {
            'server': SERVER, 'os:scheduler_hints': {'group': group['id']}})
        assert resp.status == 403, resp
        assert 'too many servers in group' in \
            resp.body['forbidden']['message']
    finally:
        cloud.conf.clear_override('server_groups', group='quota')
        cloud.conf.clear_override('server_group_members', group='quota')


def test_list_all_projects_is_for_admins_and_pages(cloud):
    ids = [_create(cloud.api, name='g%d' % n)['id'] for n in range(3)]
    other = cloud.api.as_user('someone:other-project')
    mine = _create(other, name='theirs')['id']
    assert [g['id'] for g in other.get(URL).body['server_groups']] == [mine]
    # all_projects from a non-admin: their own, no error (as upstream).
    assert [g['id'] for g in other.get(
        URL + '?all_projects=True').body['server_groups']] == [mine]
    everyone = cloud.api.get(URL + '?all_projects=True').body[
        'server_groups']
    assert [g['id'] for g in everyone] == ids + [mine]
    page = cloud.api.get(URL + '?all_projects=True&limit=2&offset=1').body[
        'server_groups']
    assert [g['id'] for g in page] == ids[1:3]
    # Another project's group is the policy's 403, as upstream.
    assert other.get('%s/%s' % (URL, ids[0])).status == 403


def test_quota_detail_counts_the_projects_groups(cloud):
    _create(cloud.api, name='one')
    _create(cloud.api, name='two')
    resp = cloud.api.get('/v2.1/os-quota-sets/admin/detail')
    assert resp.status == 200, resp
    assert resp.body['quota_set']['server_groups']['in_use'] == 2
