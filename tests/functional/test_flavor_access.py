"""Private flavors and their access list: /flavors/{flavor_id}/os-flavor-
access and the addTenantAccess/removeTenantAccess actions; who sees a
private flavor in lists and shows, and who may boot or resize to it.
Bodies are checked against Tempest's response schema."""

import uuid

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import \
    flavors_access as tempest_schemas

from tests.functional import fixtures
from tests.functional import tempest_oracle

SCHEMA = tempest_schemas.add_remove_list_flavor_access
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    return cloud.api


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo')


@pytest.fixture
def other(cloud):
    return cloud.api.as_user('other:other')


def _create(api, is_public):
    flavor_id = 'fa-' + uuid.uuid4().hex[:8]
    resp = api.post('/v2.1/flavors', {'flavor': {
        'name': flavor_id, 'id': flavor_id, 'ram': 64, 'vcpus': 1,
        'disk': 1, 'os-flavor-access:is_public': is_public}})
    assert resp.status == 200, resp
    return flavor_id


@pytest.fixture
def private(api):
    flavor_id = _create(api, False)
    yield flavor_id
    api.delete('/v2.1/flavors/' + flavor_id)


@pytest.fixture
def public(api):
    flavor_id = _create(api, True)
    yield flavor_id
    api.delete('/v2.1/flavors/' + flavor_id)


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
            409: 'conflictingRequest'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _access(api, flavor_id):
    resp = api.get('/v2.1/flavors/%s/os-flavor-access' % flavor_id)
    return tempest_oracle.validate(SCHEMA, resp)['flavor_access']


def _action(client, flavor_id, action, tenant, version=None):
    return client.post('/v2.1/flavors/%s/action' % flavor_id,
                       {action: {'tenant': tenant}}, version=version)


def _add(client, flavor_id, tenant, version=None):
    return _action(client, flavor_id, 'addTenantAccess', tenant, version)


def _remove(client, flavor_id, tenant, version=None):
    return _action(client, flavor_id, 'removeTenantAccess', tenant, version)


def _visible(client, flavor_id):
    """Whether client sees the flavor in each list and its show."""
    seen = [flavor_id in {f['id'] for f in client.get(
        '/v2.1/flavors' + path).body['flavors']}
        for path in ('', '/detail')]
    status = client.get('/v2.1/flavors/' + flavor_id).status
    assert status in (200, 404)
    seen.append(status == 200)
    assert len(set(seen)) == 1, seen
    return seen[0]


# --- the access list and its actions ----------------------------------------

def test_add_list_remove(api, private):
    assert _access(api, private) == []
    resp = _add(api, private, 'demo')
    assert tempest_oracle.validate(SCHEMA, resp) == {'flavor_access': [
        {'flavor_id': private, 'tenant_id': 'demo'}]}
    resp = _add(api, private, 'other', version='2.7')
    assert tempest_oracle.validate(SCHEMA, resp)['flavor_access'] == [
        {'flavor_id': private, 'tenant_id': 'demo'},
        {'flavor_id': private, 'tenant_id': 'other'}]
    assert _access(api, private) == resp.body['flavor_access']

    _fault(_add(api, private, 'demo'), 409,
           'Flavor access already exists for flavor %s and project demo '
           'combination.' % private)

    resp = _remove(api, private, 'demo')
    assert tempest_oracle.validate(SCHEMA, resp) == {'flavor_access': [
        {'flavor_id': private, 'tenant_id': 'other'}]}
    _fault(_remove(api, private, 'demo'), 404,
           'Flavor access not found for %s / demo combination.' % private)
    assert _access(api, private) == [{'flavor_id': private,
                                      'tenant_id': 'other'}]


def test_a_flavor_created_private_lists_no_one(api, private):
    # Upstream does not give the creator's project access.
    assert _access(api, private) == []
    shown = api.get('/v2.1/flavors/' + private).body['flavor']
    assert shown['os-flavor-access:is_public'] is False


def test_a_public_flavor_has_no_access_list(api, public):
    _fault(api.get('/v2.1/flavors/%s/os-flavor-access' % public), 404,
           'Access list not available for public flavors.')
    _fault(api.get('/v2.1/flavors/1/os-flavor-access'), 404,
           'Access list not available for public flavors.')


def test_adding_to_a_public_flavor_is_409_from_2_7(api, public):
    _fault(_add(api, public, 'demo', version='2.7'), 409,
           'Can not add access to a public flavor.')
    # Before 2.7 upstream took it (a row that changes nothing).
    resp = _add(api, public, 'demo', version='2.6')
    assert tempest_oracle.validate(SCHEMA, resp) == {'flavor_access': [
        {'flavor_id': public, 'tenant_id': 'demo'}]}
    _fault(_add(api, public, 'demo', version='2.6'), 409)
    resp = _remove(api, public, 'demo', version='2.7')
    assert resp.status == 200 and resp.body == {'flavor_access': []}
    _fault(_remove(api, public, 'demo'), 404)


def test_unknown_flavor_is_404(api):
    message = 'Flavor nosuch could not be found.'
    _fault(api.get('/v2.1/flavors/nosuch/os-flavor-access'), 404, message)
    _fault(_add(api, 'nosuch', 'demo'), 404, message)
    _fault(_remove(api, 'nosuch', 'demo'), 404, message)


@pytest.mark.parametrize('body,message', [
    ({'addTenantAccess': {}}, None),
    ({'addTenantAccess': {'tenant': ''}}, None),
    ({'addTenantAccess': {'tenant': 'x' * 256}}, None),
    ({'addTenantAccess': {'tenant': 1}}, None),
    ({'addTenantAccess': {'tenant': 'demo', 'extra': 1}}, None),
    ({'addTenantAccess': None}, None),
    ({'removeTenantAccess': {}}, None),
    ({'removeTenantAccess': {'tenant': None}}, None),
    ({'addTenantAccess': {'tenant': 'demo'},
      'removeTenantAccess': {'tenant': 'demo'}}, None),
    ({'nosuch': {'tenant': 'demo'}}, 'There is no such action: nosuch'),
    ([], None),
    (None, None),
])
def test_bad_action_bodies(api, private, body, message):
    _fault(api.post('/v2.1/flavors/%s/action' % private, body), 400,
           message)
    assert _access(api, private) == []


def test_malformed_json_is_400(api, private):
    resp = api.post('/v2.1/flavors/%s/action' % private,
                    raw_body=b'{"addTenantAccess": ')
    assert _fault(resp, 400).startswith('Malformed request body')


def test_only_an_admin_lists_and_changes_access(api, demo, private):
    _add(api, private, 'demo')
    _fault(demo.get('/v2.1/flavors/%s/os-flavor-access' % private), 403,
           "Policy doesn't allow os_compute_api:os-flavor-access to be "
           "performed.")
    for action, rule in (('addTenantAccess', 'add_tenant_access'),
                         ('removeTenantAccess', 'remove_tenant_access')):
        _fault(_action(demo, private, action, 'demo'), 403,
               "Policy doesn't allow os_compute_api:os-flavor-access:%s to "
               "be performed." % rule)
    # Refused before the flavor is looked up.
    _fault(_add(demo, 'nosuch', 'demo'), 403)
    assert _access(api, private) == [{'flavor_id': private,
                                      'tenant_id': 'demo'}]


# --- what access means --------------------------------------------------------

def test_a_private_flavor_is_seen_by_the_projects_given_access(
        api, demo, other, private):
    assert not _visible(demo, private)
    assert not _visible(other, private)
    _fault(demo.get('/v2.1/flavors/' + private), 404,
           'Flavor %s could not be found.' % private)
    # Not even when a non-admin asks for private ones.
    for query in ('?is_public=false', '?is_public=None'):
        assert private not in {f['id'] for f in demo.get(
            '/v2.1/flavors/detail' + query).body['flavors']}

    assert _add(api, private, 'demo').status == 200
    assert _visible(demo, private)
    assert not _visible(other, private)
    assert _remove(api, private, 'demo').status == 200
    assert not _visible(demo, private)


def test_an_admin_lists_the_private_flavors_of_its_project(api, private):
    # An admin shows every flavor; its lists are the public ones and those
    # shared with its project, unless it asks for others (is_public).
    assert api.get('/v2.1/flavors/' + private).status == 200
    listed = {f['id'] for f in api.get('/v2.1/flavors').body['flavors']}
    assert private not in listed
    assert private in {f['id'] for f in api.get(
        '/v2.1/flavors?is_public=false').body['flavors']}
    assert _add(api, private, 'admin').status == 200
    listed = {f['id'] for f in api.get('/v2.1/flavors').body['flavors']}
    assert private in listed


def test_booting_with_a_private_flavor_needs_access(cloud, api, demo,
                                                    private):
    body = {'server': dict(SERVER, flavorRef=private)}
    _fault(demo.post('/v2.1/servers', body), 400,
           'Flavor %s could not be found.' % private)
    assert _add(api, private, 'demo').status == 200
    resp = demo.post('/v2.1/servers', body)
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    try:
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        shown = demo.get('/v2.1/servers/' + server_id).body['server']
        assert shown['flavor']['id'] == private
    finally:
        api.delete('/v2.1/servers/' + server_id)


def test_resizing_to_a_private_flavor_needs_access(cloud, api, demo,
                                                   private):
    resp = demo.post('/v2.1/servers', {'server': dict(SERVER,
                                                      flavorRef='1')})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    try:
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        resp = demo.post('/v2.1/servers/%s/action' % server_id,
                         {'resize': {'flavorRef': private}})
        _fault(resp, 400, 'Flavor %s could not be found.' % private)
    finally:
        api.delete('/v2.1/servers/' + server_id)


def test_deleting_a_flavor_drops_its_access_list(api):
    flavor_id = _create(api, False)
    assert _add(api, flavor_id, 'demo').status == 200
    assert api.delete('/v2.1/flavors/' + flavor_id).status == 202
    _fault(api.get('/v2.1/flavors/%s/os-flavor-access' % flavor_id), 404)
