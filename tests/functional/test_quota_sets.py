"""/os-quota-sets/{tenant_id}: show, detail, defaults, update (force,
per user) and delete, with upstream's bodies per microversion (2.36 drops
the nova-network quotas, 2.57 the injected-file ones, 2.75 refuses unknown
query parameters), checked against Tempest's response schemas; and the
builds, /limits and key pairs that the limits set here hold.

Each test works in a project of its own (quotas outlive the test); the
cloud is the module's.
"""

import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

# upstream's api-ref samples (os-quota-sets/*.json) with [quota] defaults
DEFAULTS = {
    'cores': 20, 'fixed_ips': -1, 'floating_ips': -1,
    'injected_file_content_bytes': 10240, 'injected_file_path_bytes': 255,
    'injected_files': 5, 'instances': 10, 'key_pairs': 100,
    'metadata_items': 128, 'ram': 51200, 'security_group_rules': -1,
    'security_groups': -1, 'server_groups': 10, 'server_group_members': 10,
}
NETWORK = {'fixed_ips', 'floating_ips', 'security_groups',
           'security_group_rules'}
INJECTED = {'injected_files', 'injected_file_content_bytes',
            'injected_file_path_bytes'}
# The resources each microversion shows.
SHOWN = {'2.1': set(DEFAULTS), '2.35': set(DEFAULTS),
         '2.36': set(DEFAULTS) - NETWORK, '2.56': set(DEFAULTS) - NETWORK,
         '2.57': set(DEFAULTS) - NETWORK - INJECTED,
         '2.92': set(DEFAULTS) - NETWORK - INJECTED}
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    return cloud.api


@pytest.fixture
def project():
    """A project of the test's own."""
    return 'quota-' + uuid.uuid4().hex[:8]


def _url(project, suffix='', user_id=None):
    url = '/v2.1/os-quota-sets/%s%s' % (project, suffix)
    return url if user_id is None else url + '?user_id=' + user_id


def _schemas(version):
    return oracle.schemas(oracle.QUOTAS, version)


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _boot(cloud, client, count=1, **overrides):
    resp = client.post('/v2.1/servers', {'server': dict(
        SERVER, min_count=count, **overrides)})
    assert resp.status == 202, resp
    if count == 1:
        cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE',
                              api=client)
    return resp


# -- show, defaults, detail ---------------------------------------------------

def test_a_new_project_has_the_defaults(api, project):
    resp = api.get(_url(project))
    body = oracle.validate(_schemas('2.1').get_quota_set, resp)
    assert body == {'quota_set': dict(DEFAULTS, id=project)}
    resp = api.get(_url(project, '/defaults'))
    body = oracle.validate(_schemas('2.1').get_quota_set, resp)
    assert body == {'quota_set': dict(DEFAULTS, id=project)}


@pytest.mark.parametrize('version', sorted(SHOWN))
def test_bodies_per_microversion(api, project, version):
    schemas = _schemas(version)
    expected = {r: DEFAULTS[r] for r in SHOWN[version]}
    for suffix in ('', '/defaults'):
        body = oracle.validate(schemas.get_quota_set, api.get(
            _url(project, suffix), version=version))
        assert body == {'quota_set': dict(expected, id=project)}
    body = oracle.validate(schemas.get_quota_set_details, api.get(
        _url(project, '/detail'), version=version))
    assert body == {'quota_set': dict(
        {r: {'in_use': 0, 'limit': v, 'reserved': 0}
         for r, v in expected.items()}, id=project)}
    resp = api.put(_url(project), {'quota_set': {'instances': 7}},
                   version=version)
    body = oracle.validate(schemas.update_quota_set, resp)
    # An update's answer has no id, as upstream's.
    assert body == {'quota_set': dict(expected, instances=7)}


def test_detail_counts_what_the_project_and_each_user_use(cloud, api,
                                                          project):
    alice = api.as_user('alice:' + project)
    bob = api.as_user('bob:' + project)
    _boot(cloud, alice)
    _boot(cloud, alice)
    _boot(cloud, bob, flavorRef='2')     # m1.small: 1 vCPU, 2048 MB
    body = oracle.validate(_schemas('2.57').get_quota_set_details, api.get(
        _url(project, '/detail'), version='2.57'))['quota_set']
    assert body['instances'] == {'in_use': 3, 'limit': 10, 'reserved': 0}
    assert body['cores'] == {'in_use': 3, 'limit': 20, 'reserved': 0}
    assert body['ram'] == {'in_use': 3072, 'limit': 51200, 'reserved': 0}
    # Upstream counts no key pairs or server groups here.
    assert body['key_pairs']['in_use'] == 0
    body = oracle.validate(_schemas('2.57').get_quota_set_details, api.get(
        _url(project, '/detail', user_id='bob'), version='2.57'))[
        'quota_set']
    assert (body['instances']['in_use'], body['ram']['in_use']) == (1, 2048)
    # A project's reader reads its own project's.
    resp = api.as_user('carol:' + project).get(_url(project, '/detail'))
    assert resp.status == 200
    assert resp.body['quota_set']['instances']['in_use'] == 3


# -- update ------------------------------------------------------------------

def test_update_sets_what_it_is_given_and_show_reads_it(api, project):
    resp = api.put(_url(project), {'quota_set': {
        'instances': 45, 'cores': '30', 'ram': -1, 'metadata_items': 0}})
    body = oracle.validate(_schemas('2.1').update_quota_set, resp)
    assert body['quota_set'] == dict(DEFAULTS, instances=45, cores=30,
                                     ram=-1, metadata_items=0)
    assert api.get(_url(project)).body['quota_set'] == dict(
        body['quota_set'], id=project)
    # Another project keeps the defaults.
    assert api.get(_url(project + '-other')).body['quota_set'][
        'instances'] == 10


@pytest.mark.parametrize('body', [
    {'quota_set': {'bogus': 1}},
    {'quota_set': {'instances': 1, 'networks': 1}},
    {'quota_set': {'instances': -2}},
    {'quota_set': {'instances': '-5'}},
    {'quota_set': {'instances': 'ten'}},
    {'quota_set': {'instances': 1.5}},
    {'quota_set': {'instances': None}},
    {'quota_set': {'instances': 2 ** 31}},
    {'quota_set': {'instances': str(2 ** 31)}},
    {'quota_set': {'force': 'maybe'}},
    {'quota_set': 5},
    {'instances': 5},
    {},
])
def test_bad_bodies_are_400(api, project, body):
    _fault(api.put(_url(project), body), 400)
    assert api.get(_url(project)).body['quota_set']['instances'] == 10


def test_unknown_resource_names_itself(api, project):
    message = _fault(api.put(_url(project), {'quota_set': {'bogus': 1}}),
                     400)
    assert message == ("Invalid input for field/attribute quota_set. "
                       "Value: {'bogus': 1}. Additional properties are not "
                       "allowed ('bogus' was unexpected)")


@pytest.mark.parametrize('version,resource,accepted', [
    ('2.35', 'floating_ips', True),
    ('2.36', 'floating_ips', False),
    ('2.35', 'security_group_rules', True),
    ('2.36', 'fixed_ips', False),
    ('2.56', 'injected_files', True),
    ('2.57', 'injected_files', False),
    ('2.56', 'injected_file_path_bytes', True),
    ('2.57', 'injected_file_content_bytes', False),
    ('2.92', 'server_groups', True),
])
def test_resources_accepted_per_microversion(api, project, version,
                                             resource, accepted):
    resp = api.put(_url(project), {'quota_set': {resource: 3}},
                   version=version)
    if not accepted:
        _fault(resp, 400)
        assert "'%s' was unexpected" % resource in resp.body[
            'badRequest']['message']
        return
    assert resp.status == 200, resp
    assert resp.body['quota_set'][resource] == 3
    # Shown where the microversion shows it (2.1 shows everything).
    assert api.get(_url(project)).body['quota_set'][resource] == 3


def test_a_limit_below_usage_is_400_unless_forced(cloud, api, project):
    demo = api.as_user('demo:' + project)
    _boot(cloud, demo)
    _boot(cloud, demo)
    _fault(api.put(_url(project), {'quota_set': {'instances': 1}}), 400,
           'Quota limit 1 for instances must be greater than or equal to '
           'already used and reserved 2.')
    _fault(api.put(_url(project), {'quota_set': {'cores': 1,
                                                 'ram': 1024}}), 400,
           'Quota limit 1 for cores must be greater than or equal to '
           'already used and reserved 2.')
    # Nothing of a refused update was set.
    assert api.get(_url(project)).body['quota_set']['ram'] == 51200
    # Exactly the usage, or no limit, is fine.
    assert api.put(_url(project), {'quota_set': {
        'instances': 2}}).status == 200
    assert api.put(_url(project), {'quota_set': {
        'instances': -1}}).status == 200
    for force in (True, 'True', 'true', '1'):
        resp = api.put(_url(project), {'quota_set': {
            'force': force, 'instances': 1}})
        assert resp.status == 200, resp
        assert resp.body['quota_set']['instances'] == 1
        assert 'force' not in resp.body['quota_set']
    # force false checks as without it.
    _fault(api.put(_url(project), {'quota_set': {
        'force': 'false', 'instances': 0}}), 400)
    # Over the quota now: the next build is refused.
    resp = demo.post('/v2.1/servers', {'server': SERVER})
    _fault(resp, 403, 'Quota exceeded for instances: Requested 1, but '
           'already used 2 of 1 instances')


# -- per user ----------------------------------------------------------------

def test_per_user_limits(cloud, api, project):
    alice = api.as_user('alice:' + project)
    bob = api.as_user('bob:' + project)
    api.put(_url(project), {'quota_set': {'instances': 5}})
    resp = api.put(_url(project, user_id='alice'),
                   {'quota_set': {'instances': 2, 'key_pairs': 1}},
                   version='2.57')
    body = oracle.validate(_schemas('2.57').update_quota_set, resp)
    assert body['quota_set']['instances'] == 2
    body = oracle.validate(_schemas('2.57').get_quota_set, api.get(
        _url(project, user_id='alice'), version='2.57'))
    assert body['quota_set'] == dict(
        {r: DEFAULTS[r] for r in SHOWN['2.57']}, id=project, instances=2,
        key_pairs=1)
    # The project and its other users keep the project's.
    assert api.get(_url(project)).body['quota_set']['instances'] == 5
    assert api.get(_url(project, user_id='bob')).body['quota_set'][
        'instances'] == 5
    # A user's limit may not take more than the project's leaves.
    _fault(api.put(_url(project, user_id='bob'),
                   {'quota_set': {'instances': 4}}), 400,
           'Quota limit 4 for instances must be less than or equal to 3.')
    # Builds hold alice to hers, bob to the project's.
    _boot(cloud, alice)
    _boot(cloud, alice)
    _fault(alice.post('/v2.1/servers', {'server': SERVER}), 403,
           'Quota exceeded for instances: Requested 1, but already used 2 '
           'of 2 instances')
    _boot(cloud, bob)
    # Her key pairs too.
    assert alice.post('/v2.1/os-keypairs', {'keypair': {
        'name': 'one'}}).status == 200
    _fault(alice.post('/v2.1/os-keypairs', {'keypair': {'name': 'two'}}),
           403, 'Quota exceeded, too many key pairs.')
    assert bob.post('/v2.1/os-keypairs', {'keypair': {
        'name': 'one'}}).status == 200
    # Below what she uses: 400; forced: fine.
    _fault(api.put(_url(project, user_id='alice'),
                   {'quota_set': {'instances': 1}}), 400,
           'Quota limit 1 for instances must be greater than or equal to '
           'already used and reserved 2.')
    assert api.put(_url(project, user_id='alice'), {'quota_set': {
        'instances': 1, 'force': True}}).status == 200
    # DELETE ?user_id= gives her the project's again; the project's own
    # stay.
    resp = api.delete(_url(project, user_id='alice'))
    assert resp.status == 202 and resp.text == ''
    assert api.get(_url(project, user_id='alice')).body['quota_set'][
        'instances'] == 5
    _boot(cloud, alice)
    assert api.get(_url(project)).body['quota_set']['instances'] == 5


# -- delete ------------------------------------------------------------------

def test_delete_goes_back_to_the_defaults(api, project):
    api.put(_url(project), {'quota_set': {'instances': 3, 'ram': 1}})
    api.put(_url(project, user_id='u'), {'quota_set': {'instances': 2}})
    resp = api.delete(_url(project))
    assert resp.status == 202, resp
    assert resp.text == ''
    assert api.get(_url(project)).body['quota_set'] == dict(DEFAULTS,
                                                            id=project)
    assert api.get(_url(project, user_id='u')).body['quota_set'][
        'instances'] == 10
    # Deleting what is not there is as fine.
    assert api.delete(_url(project)).status == 202


# -- query parameters ----------------------------------------------------------

@pytest.mark.parametrize('version,status', [('2.74', 200), ('2.75', 400)])
def test_unknown_query_parameters_are_refused_from_2_75(api, project,
                                                        version, status):
    for method, suffix in (('GET', ''), ('GET', '/detail'),
                           ('DELETE', '')):
        resp = api.request(method, _url(project, suffix) + '?foo=bar',
                           version=version)
        expected = 202 if method == 'DELETE' and status == 200 else status
        assert resp.status == expected, (method, suffix, resp)
    resp = api.put(_url(project) + '?foo=bar',
                   {'quota_set': {'instances': 3}}, version=version)
    assert resp.status == status, resp
    # user_id is known to both.
    resp = api.get(_url(project, user_id='u'), version=version)
    assert resp.status == 200


# -- what the limits hold --------------------------------------------------------

def test_limits_show_the_projects_own_limits(api, project):
    api.put(_url(project), {'quota_set': {
        'instances': 3, 'cores': 4, 'ram': 4096, 'metadata_items': 7,
        'key_pairs': 8, 'server_groups': 9, 'server_group_members': 11,
        'floating_ips': 12, 'security_groups': 13,
        'security_group_rules': 14, 'injected_files': 15,
        'injected_file_content_bytes': 16}})
    resp = api.as_user('demo:' + project).get('/v2.1/limits')
    body = oracle.validate(oracle.schemas(oracle.LIMITS, '2.1').get_limit,
                           resp)
    absolute = body['limits']['absolute']
    assert {k: v for k, v in absolute.items() if k.startswith('max')} == {
        'maxTotalInstances': 3, 'maxTotalCores': 4, 'maxTotalRAMSize': 4096,
        'maxServerMeta': 7, 'maxImageMeta': 7, 'maxTotalKeypairs': 8,
        'maxServerGroups': 9, 'maxServerGroupMembers': 11,
        'maxTotalFloatingIps': 12, 'maxSecurityGroups': 13,
        'maxSecurityGroupRules': 14, 'maxPersonality': 15,
        'maxPersonalitySize': 16}


def test_a_projects_metadata_items_limit_holds_builds_and_rebuilds(
        cloud, api, project):
    demo = api.as_user('demo:' + project)
    api.put(_url(project), {'quota_set': {'metadata_items': 1}})
    _fault(demo.post('/v2.1/servers', {'server': dict(
        SERVER, metadata={'a': '1', 'b': '2'})}), 403,
        'Maximum number of metadata items exceeds 1')
    server_id = _boot(cloud, demo, metadata={'a': '1'}).body['server']['id']
    _fault(demo.post('/v2.1/servers/%s/action' % server_id, {'rebuild': {
        'imageRef': fixtures.IMAGE_ID, 'metadata': {'a': '1', 'b': '2'}}}),
        403, 'Maximum number of metadata items exceeds 1')
    _fault(demo.post('/v2.1/servers/%s/metadata' % server_id,
                     {'metadata': {'b': '2'}}), 403,
           'Maximum number of metadata items exceeds 1')


# -- policy --------------------------------------------------------------------

def test_a_project_reads_its_own_and_not_anothers(api, project):
    demo = api.as_user('demo:' + project)
    assert demo.get(_url(project)).status == 200
    assert demo.get(_url(project, '/defaults')).status == 200
    _fault(demo.get(_url(project + '-other')), 403,
           "Policy doesn't allow os_compute_api:os-quota-sets:show to be "
           "performed.")
    _fault(demo.get(_url(project + '-other', '/detail')), 403)
    # Anyone reads the defaults.
    assert demo.get(_url(project + '-other', '/defaults')).status == 200
    _fault(demo.put(_url(project), {'quota_set': {'instances': 50}}), 403,
           "Policy doesn't allow os_compute_api:os-quota-sets:update to be "
           "performed.")
    _fault(demo.delete(_url(project)), 403)
    assert api.get(_url(project)).body['quota_set']['instances'] == 10
