"""/os-quota-class-sets/{quota_class}: show and update with upstream's
bodies per microversion (2.50: server groups in, the nova-network quotas
out; 2.57: the injected-file ones out), checked against Tempest's response
schemas; and the class 'default' as every project's defaults: what
os-quota-sets and /limits show a new project, what its builds and key
pairs are held to.

The class 'default' is the cloud's: the tests that change it have a cloud
of their own; the others share the module's and a class of their own.
"""

import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

# upstream's api-ref sample quota-classes-show-get-resp.json (2.1)
CLASS_2_1 = {
    'cores': 20, 'fixed_ips': -1, 'floating_ips': -1,
    'injected_file_content_bytes': 10240, 'injected_file_path_bytes': 255,
    'injected_files': 5, 'instances': 10, 'key_pairs': 100,
    'metadata_items': 128, 'ram': 51200, 'security_group_rules': -1,
    'security_groups': -1,
}
NETWORK = {'fixed_ips', 'floating_ips', 'security_groups',
           'security_group_rules'}
INJECTED = {'injected_files', 'injected_file_content_bytes',
            'injected_file_path_bytes'}
SERVER_GROUPS = {'server_groups': 10, 'server_group_members': 10}
CLASS_2_50 = dict({r: v for r, v in CLASS_2_1.items() if r not in NETWORK},
                  **SERVER_GROUPS)
CLASS_2_57 = {r: v for r, v in CLASS_2_50.items() if r not in INJECTED}
SHOWN = {'2.1': CLASS_2_1, '2.49': CLASS_2_1, '2.50': CLASS_2_50,
         '2.56': CLASS_2_50, '2.57': CLASS_2_57, '2.92': CLASS_2_57}
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def fresh_cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def gold():
    """A class of the test's own."""
    return 'gold-' + uuid.uuid4().hex[:8]


def _url(quota_class='default'):
    return '/v2.1/os-quota-class-sets/' + quota_class


def _schemas(version):
    return oracle.schemas(oracle.QUOTA_CLASSES, version)


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _new_project():
    return 'fresh-' + uuid.uuid4().hex[:8]


@pytest.mark.parametrize('version', sorted(SHOWN))
def test_bodies_per_microversion(api, gold, version):
    for quota_class in ('default', gold):
        resp = api.get(_url(quota_class), version=version)
        body = oracle.validate(_schemas(version).get_quota_class_set, resp)
        assert body == {'quota_class_set': dict(SHOWN[version],
                                                id=quota_class)}
    resp = api.put(_url(gold), {'quota_class_set': {'instances': 7}},
                   version=version)
    body = oracle.validate(_schemas(version).update_quota_class_set, resp)
    # An update's answer has no id, as upstream's.
    assert body == {'quota_class_set': dict(SHOWN[version], instances=7)}


@pytest.mark.parametrize('version,resource,accepted', [
    ('2.49', 'floating_ips', True),
    ('2.50', 'floating_ips', False),
    ('2.49', 'security_groups', True),
    ('2.50', 'fixed_ips', False),
    ('2.49', 'server_groups', True),
    ('2.50', 'server_group_members', True),
    ('2.56', 'injected_files', True),
    ('2.57', 'injected_files', False),
    ('2.57', 'injected_file_path_bytes', False),
    ('2.57', 'key_pairs', True),
])
def test_resources_accepted_per_microversion(api, gold, version, resource,
                                             accepted):
    resp = api.put(_url(gold), {'quota_class_set': {resource: 3}},
                   version=version)
    if not accepted:
        _fault(resp, 400)
        assert "'%s' was unexpected" % resource in resp.body[
            'badRequest']['message']
        return
    assert resp.status == 200, resp
    # The latest microversion showing it shows what was set.
    shown = '2.49' if resource in NETWORK else '2.56'
    assert api.get(_url(gold), version=shown).body['quota_class_set'][
        resource] == 3


@pytest.mark.parametrize('body', [
    {'quota_class_set': {'bogus': 1}},
    {'quota_class_set': {'instances': -2}},
    {'quota_class_set': {'instances': 'ten'}},
    {'quota_class_set': {'force': True}},
    {'quota_set': {'instances': 1}},
])
def test_bad_bodies_are_400(api, body):
    _fault(api.put(_url(), body), 400)
    assert api.get(_url()).body['quota_class_set']['instances'] == 10


def test_a_class_name_over_255_characters_is_400(api):
    _fault(api.put(_url('c' * 256), {'quota_class_set': {'cores': 1}}),
           400, 'quota_class_name has 256 characters, more than 255.')
    assert api.put(_url('c' * 254 + '2'), {'quota_class_set': {
        'cores': 1}}).status == 200


def test_only_the_admin(api):
    demo = api.as_user('demo:demo')
    _fault(demo.get(_url()), 403,
           "Policy doesn't allow os_compute_api:os-quota-class-sets:show to "
           "be performed.")
    _fault(demo.put(_url(), {'quota_class_set': {'instances': 50}}), 403,
           "Policy doesn't allow os_compute_api:os-quota-class-sets:update "
           "to be performed.")
    assert api.get(_url()).body['quota_class_set']['instances'] == 10


def test_the_default_class_is_every_projects_defaults(fresh_cloud, gold):
    cloud = fresh_cloud
    api = cloud.api
    resp = api.put(_url(), {'quota_class_set': {
        'instances': 2, 'cores': '40', 'key_pairs': 1,
        'metadata_items': 3}}, version='2.57')
    body = oracle.validate(_schemas('2.57').update_quota_class_set, resp)
    assert body['quota_class_set'] == dict(
        CLASS_2_57, instances=2, cores=40, key_pairs=1, metadata_items=3)
    project = _new_project()
    expected = dict(CLASS_2_1, server_groups=10, server_group_members=10,
                    instances=2, cores=40, key_pairs=1, metadata_items=3,
                    id=project)
    # What a new project shows, as its defaults and as its own.
    quota_sets = oracle.schemas(oracle.QUOTAS, '2.1')
    for suffix in ('', '/defaults'):
        resp = api.get('/v2.1/os-quota-sets/%s%s' % (project, suffix))
        body = oracle.validate(quota_sets.get_quota_set, resp)
        assert body == {'quota_set': expected}
    detail = api.get('/v2.1/os-quota-sets/%s/detail' % project).body[
        'quota_set']
    assert detail['instances'] == {'in_use': 0, 'limit': 2, 'reserved': 0}
    # /limits.
    demo = api.as_user('demo:' + project)
    absolute = demo.get('/v2.1/limits', version='2.57').body['limits'][
        'absolute']
    assert (absolute['maxTotalInstances'], absolute['maxTotalCores'],
            absolute['maxTotalKeypairs'], absolute['maxServerMeta'],
            absolute['maxTotalRAMSize']) == (2, 40, 1, 3, 51200)
    # Its builds: the third instance is refused.
    resp = demo.post('/v2.1/servers', {'server': dict(
        SERVER, min_count=2, max_count=2)})
    assert resp.status == 202, resp
    resp = demo.post('/v2.1/servers', {'server': SERVER})
    _fault(resp, 403, 'Quota exceeded for instances: Requested 1, but '
           'already used 2 of 2 instances')
    assert demo.get('/v2.1/limits').body['limits']['absolute'][
        'totalInstancesUsed'] == 2
    # Metadata and key pairs.
    _fault(api.as_user('other:' + _new_project()).post(
        '/v2.1/servers', {'server': dict(SERVER, metadata={
            'a': '1', 'b': '2', 'c': '3', 'd': '4'})}), 403,
        'Maximum number of metadata items exceeds 3')
    assert demo.post('/v2.1/os-keypairs', {'keypair': {
        'name': 'one'}}).status == 200
    _fault(demo.post('/v2.1/os-keypairs', {'keypair': {'name': 'two'}}),
           403, 'Quota exceeded, too many key pairs.')
    # A project's own limits win over the class's; back to the class's
    # once deleted.
    api.put('/v2.1/os-quota-sets/' + project, {'quota_set': {
        'instances': 3, 'key_pairs': 2}})
    for server_id in (s['id'] for s in demo.get('/v2.1/servers').body[
            'servers']):
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    assert demo.post('/v2.1/servers', {'server': SERVER}).status == 202
    assert demo.post('/v2.1/os-keypairs', {'keypair': {
        'name': 'two'}}).status == 200
    api.delete('/v2.1/os-quota-sets/' + project)
    assert api.get('/v2.1/os-quota-sets/' + project).body['quota_set'][
        'instances'] == 2
    # Another class limits nothing.
    api.put(_url(gold), {'quota_class_set': {'instances': 1}})
    assert api.get('/v2.1/os-quota-sets/%s/defaults' % _new_project()).body[
        'quota_set']['instances'] == 2


def test_the_config_gives_what_the_class_does_not_set():
    cloud = fixtures.Cloud(overrides={'report_interval': 50,
                                      'quota.instances': 4,
                                      'quota.ram': 1024}).start()
    try:
        api = cloud.api
        api.put(_url(), {'quota_class_set': {'instances': 1}})
        body = api.get(_url()).body['quota_class_set']
        assert (body['instances'], body['ram']) == (1, 1024)
        body = api.get('/v2.1/os-quota-sets/%s/defaults'
                       % _new_project()).body['quota_set']
        assert (body['instances'], body['ram']) == (1, 1024)
    finally:
        cloud.stop()
