"""A resize to a bigger flavor, and the revert of a resize down, are held
to the cores and ram quotas, as upstream (Tempest's
test_resize_server_using_overlimit_ram and _vcpus): 403 naming what is
short, and the server stays as it was."""

import uuid

import pytest

from tests.functional import fixtures

# Same disk, so a resize either way is allowed.
FLAVORS = {'q.small': (1, 512), 'q.big': (2, 1536)}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'),
                           overrides={'report_interval': 50}).start()
    for name, (vcpus, ram) in FLAVORS.items():
        assert cloud.api.post('/v2.1/flavors', {'flavor': {
            'name': name, 'id': name, 'vcpus': vcpus, 'ram': ram,
            'disk': 1}}).status == 200
    yield cloud
    cloud.stop()


@pytest.fixture
def project(cloud):
    """A project of its own, its user and the quota setter."""
    project_id = 'p' + uuid.uuid4().hex[:8]
    user = cloud.api.as_user('u:' + project_id, version='2.79')

    def set_quota(**limits):
        resp = cloud.api.put('/v2.1/os-quota-sets/' + project_id,
                             {'quota_set': dict(limits, force=True)})
        assert resp.status == 200, resp
    return user, set_quota


def _boot(cloud, api, flavor):
    server_id = api.post('/v2.1/servers', {'server': {
        'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': flavor,
        'networks': 'none'}}).body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=api)
    return server_id


def _act(api, server_id, body):
    return api.post('/v2.1/servers/%s/action' % server_id, body)


def _assert_unchanged(cloud, api, server_id, flavor):
    shown = api.get('/v2.1/servers/' + server_id).body['server']
    assert shown['status'] == 'ACTIVE'
    assert shown['OS-EXT-STS:task_state'] is None
    assert shown['flavor']['original_name'] == flavor
    migrations = cloud.api.get('/v2.1/os-migrations?instance_uuid=' +
                               server_id, version='2.80').body['migrations']
    assert [m for m in migrations if m['instance_uuid'] == server_id] == []


def test_resize_over_the_ram_quota_is_403(cloud, project):
    user, set_quota = project
    set_quota(ram=1024)
    server_id = _boot(cloud, user, 'q.small')
    resp = _act(user, server_id, {'resize': {'flavorRef': 'q.big'}})
    assert resp.status == 403, resp
    assert resp.body['forbidden']['message'] == (
        'Quota exceeded for ram: Requested 1024, but already used 512 of '
        '1024 ram')
    _assert_unchanged(cloud, user, server_id, 'q.small')


def test_resize_over_the_cores_quota_is_403(cloud, project):
    user, set_quota = project
    set_quota(cores=1)
    server_id = _boot(cloud, user, 'q.small')
    resp = _act(user, server_id, {'resize': {'flavorRef': 'q.big'}})
    assert resp.status == 403, resp
    assert resp.body['forbidden']['message'] == (
        'Quota exceeded for cores: Requested 1, but already used 1 of 1 '
        'cores')
    _assert_unchanged(cloud, user, server_id, 'q.small')


def test_resize_within_the_quota_passes(cloud, project):
    user, set_quota = project
    set_quota(cores=2, ram=1536)
    server_id = _boot(cloud, user, 'q.small')
    assert _act(user, server_id, {'resize': {'flavorRef': 'q.big'}}
                ).status == 202
    shown = cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=user)
    assert shown['flavor']['original_name'] == 'q.big'
    usage = user.get('/v2.1/limits').body['limits']['absolute']
    assert (usage['totalCoresUsed'], usage['totalRAMUsed']) == (2, 1536)
    assert _act(user, server_id, {'confirmResize': None}).status == 204
    cloud.wait_for_server(server_id, 'ACTIVE', api=user)


def test_resize_down_needs_no_headroom_but_its_revert_does(cloud, project):
    user, set_quota = project
    server_id = _boot(cloud, user, 'q.big')
    # Over the quota already: a resize down is still allowed.
    set_quota(cores=1, ram=512)
    assert _act(user, server_id, {'resize': {'flavorRef': 'q.small'}}
                ).status == 202
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=user)
    # Its revert would grow the server back beyond the quota.
    resp = _act(user, server_id, {'revertResize': None})
    assert resp.status == 403, resp
    assert resp.body['forbidden']['message'] == (
        'Quota exceeded for cores, ram: Requested 1, 1024, but already used '
        '1, 512 of 1, 512 cores, ram')
    shown = user.get('/v2.1/servers/' + server_id).body['server']
    assert (shown['status'], shown['flavor']['original_name']) == (
        'VERIFY_RESIZE', 'q.small')
    set_quota(cores=2, ram=1536)
    assert _act(user, server_id, {'revertResize': None}).status == 202
    shown = cloud.wait_for_server(server_id, 'ACTIVE', api=user)
    assert shown['flavor']['original_name'] == 'q.big'


def test_a_cold_migration_is_not_held_to_the_quota(cloud, project):
    user, set_quota = project
    server_id = _boot(cloud, user, 'q.small')
    set_quota(cores=0, ram=0, instances=0)
    assert _act(cloud.api, server_id, {'migrate': None}).status == 202
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE', api=user)
