"""/flavors: list, detail, show, filters, pagination, admin management.

Contract: compute-api-facts.md section 5.3 (and 7.1 for faults).
"""

import urllib.parse
import uuid

import pytest

from tests.functional import fixtures

DEFAULT_IDS = ['1', '2', '3', '4', '5']
DEFAULT_NAMES = ['m1.tiny', 'm1.small', 'm1.medium', 'm1.large',
                 'm1.xlarge']
DEFAULTS = {
    '1': ('m1.tiny', 512, 1, 1),
    '2': ('m1.small', 2048, 1, 20),
    '3': ('m1.medium', 4096, 2, 40),
    '4': ('m1.large', 8192, 4, 80),
    '5': ('m1.xlarge', 16384, 8, 160),
}
DETAIL_KEYS_2_1 = {'id', 'name', 'ram', 'vcpus', 'disk',
                   'OS-FLV-EXT-DATA:ephemeral', 'swap',
                   'os-flavor-access:is_public', 'rxtx_factor',
                   'OS-FLV-DISABLED:disabled', 'links'}


# Heartbeats only at start (report_interval far beyond the module's run
# time, within service_down_time so services stay 'up'): periodic heartbeat
# writes racing the API's writes hit the shared-SQLite-connection bug that
# test_keypairs.test_concurrent_writes_by_different_users shows.
QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


@pytest.fixture(autouse=True)
def _remove_created_flavors(cloud):
    """Each test starts from the five default flavors."""
    yield
    resp = cloud.api.get('/v2.1/flavors?is_public=None')
    assert resp.status == 200
    for flavor in resp.body['flavors']:
        if flavor['id'] not in DEFAULT_IDS:
            assert cloud.api.delete(
                '/v2.1/flavors/%s' % flavor['id']).status == 202


@pytest.fixture
def demo(api):
    return api.as_user('demo:demo')


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _create(api, version=None, **values):
    flavor = {'name': 'f-%s' % uuid.uuid4().hex[:8], 'ram': 256,
              'vcpus': 1, 'disk': 1}
    flavor.update(values)
    return api.post('/v2.1/flavors', body={'flavor': flavor},
                    version=version)


def _links(flavor_id):
    return [{'rel': 'self',
             'href': 'http://localhost/v2.1/flavors/%s' % flavor_id},
            {'rel': 'bookmark',
             'href': 'http://localhost/flavors/%s' % flavor_id}]


# --- list / detail / show ---------------------------------------------------

def test_list_default_flavors(api):
    resp = api.get('/v2.1/flavors')
    assert resp.status == 200
    assert list(resp.body) == ['flavors']
    flavors = resp.body['flavors']
    assert [f['id'] for f in flavors] == DEFAULT_IDS
    assert [f['name'] for f in flavors] == DEFAULT_NAMES
    for flavor in flavors:
        assert set(flavor) == {'id', 'name', 'links'}
        assert flavor['links'] == _links(flavor['id'])


def test_list_at_2_55_has_description(api):
    resp = api.get('/v2.1/flavors', version='2.55')
    assert resp.status == 200
    for flavor in resp.body['flavors']:
        assert set(flavor) == {'id', 'name', 'links', 'description'}
        assert flavor['description'] is None


def test_list_as_non_admin(demo):
    resp = demo.get('/v2.1/flavors')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS


def test_detail_at_2_1(api):
    resp = api.get('/v2.1/flavors/detail')
    assert resp.status == 200
    flavors = resp.body['flavors']
    assert [f['id'] for f in flavors] == DEFAULT_IDS
    for flavor in flavors:
        assert set(flavor) == DETAIL_KEYS_2_1
        name, ram, vcpus, disk = DEFAULTS[flavor['id']]
        assert flavor['name'] == name
        assert flavor['ram'] == ram
        assert flavor['vcpus'] == vcpus
        assert flavor['disk'] == disk
        assert flavor['OS-FLV-EXT-DATA:ephemeral'] == 0
        assert flavor['swap'] == ''
        assert flavor['os-flavor-access:is_public'] is True
        assert flavor['rxtx_factor'] == 1.0
        assert flavor['OS-FLV-DISABLED:disabled'] is False
        assert flavor['links'] == _links(flavor['id'])


def test_detail_at_2_55(api):
    resp = api.get('/v2.1/flavors/detail', version='2.55')
    assert resp.status == 200
    flavor = resp.body['flavors'][0]
    assert set(flavor) == DETAIL_KEYS_2_1 | {'description'}
    assert flavor['description'] is None
    assert flavor['swap'] == ''


def test_detail_at_2_61(api):
    resp = api.get('/v2.1/flavors/detail', version='2.61')
    assert resp.status == 200
    for flavor in resp.body['flavors']:
        assert set(flavor) == DETAIL_KEYS_2_1 | {'description',
                                                 'extra_specs'}
        assert flavor['extra_specs'] == {}
        assert flavor['swap'] == ''


def test_detail_at_2_75_swap_is_int(api):
    resp = api.get('/v2.1/flavors/detail', version='2.75')
    assert resp.status == 200
    for flavor in resp.body['flavors']:
        assert flavor['swap'] == 0
        assert isinstance(flavor['swap'], int)
        assert flavor['extra_specs'] == {}


def test_show(api):
    resp = api.get('/v2.1/flavors/3')
    assert resp.status == 200
    assert list(resp.body) == ['flavor']
    flavor = resp.body['flavor']
    assert set(flavor) == DETAIL_KEYS_2_1
    assert flavor['id'] == '3'
    assert flavor['name'] == 'm1.medium'
    assert flavor['ram'] == 4096
    assert flavor['vcpus'] == 2
    assert flavor['disk'] == 40
    assert flavor['swap'] == ''
    assert flavor['links'] == _links('3')


def test_show_per_microversion(api):
    flavor = api.get('/v2.1/flavors/1', version='2.54').body['flavor']
    assert 'description' not in flavor
    flavor = api.get('/v2.1/flavors/1', version='2.55').body['flavor']
    assert flavor['description'] is None
    assert 'extra_specs' not in flavor
    flavor = api.get('/v2.1/flavors/1', version='2.60').body['flavor']
    assert 'extra_specs' not in flavor
    flavor = api.get('/v2.1/flavors/1', version='2.61').body['flavor']
    assert flavor['extra_specs'] == {}
    assert flavor['swap'] == ''
    flavor = api.get('/v2.1/flavors/1', version='2.74').body['flavor']
    assert flavor['swap'] == ''
    flavor = api.get('/v2.1/flavors/1', version='2.75').body['flavor']
    assert flavor['swap'] == 0


def test_show_as_non_admin(demo):
    resp = demo.get('/v2.1/flavors/1')
    assert resp.status == 200
    assert resp.body['flavor']['name'] == 'm1.tiny'


def test_show_unknown_is_404(api):
    resp = api.get('/v2.1/flavors/nosuch')
    _fault(resp, 404, 'itemNotFound', 'Flavor nosuch could not be found.')
    resp = api.get('/v2.1/flavors/99')
    _fault(resp, 404, 'itemNotFound', 'Flavor 99 could not be found.')


# --- filters ----------------------------------------------------------------

def test_min_ram_filter(api):
    resp = api.get('/v2.1/flavors?minRam=4096')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['3', '4', '5']
    resp = api.get('/v2.1/flavors/detail?minRam=4097')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['4', '5']
    assert all(f['ram'] >= 4097 for f in resp.body['flavors'])


def test_min_disk_filter(api):
    resp = api.get('/v2.1/flavors?minDisk=80')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['4', '5']
    resp = api.get('/v2.1/flavors?minDisk=0')
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS


def test_min_ram_and_min_disk(api):
    resp = api.get('/v2.1/flavors/detail?minRam=2048&minDisk=40')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['3', '4', '5']
    resp = api.get('/v2.1/flavors?minRam=100000')
    assert resp.status == 200
    assert resp.body == {'flavors': []}


@pytest.mark.parametrize('query', ['minRam=abc', 'minRam=',
                                   'minDisk=1.5', 'minDisk=x'])
def test_invalid_min_filters_are_400(api, query):
    resp = api.get('/v2.1/flavors?' + query)
    msg = _fault(resp, 400, 'badRequest')
    name = query.split('=')[0]
    assert name in msg


def test_sort_dir_desc(api):
    resp = api.get('/v2.1/flavors?sort_dir=desc')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS[::-1]


def test_sort_key_memory(api):
    resp = api.get('/v2.1/flavors?sort_key=memory_mb&sort_dir=desc')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS[::-1]


def test_invalid_sort_is_400(api):
    _fault(api.get('/v2.1/flavors?sort_key=bogus'), 400, 'badRequest')
    _fault(api.get('/v2.1/flavors?sort_dir=up'), 400, 'badRequest')


# --- pagination -------------------------------------------------------------

def _next_href(body):
    links = body['flavors_links']
    assert len(links) == 1
    assert links[0]['rel'] == 'next'
    return links[0]['href']


def test_pagination_with_limit_and_marker(api):
    resp = api.get('/v2.1/flavors?limit=2')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['1', '2']
    href = _next_href(resp.body)
    parsed = urllib.parse.urlparse(href)
    assert parsed.path == '/v2.1/flavors'
    query = urllib.parse.parse_qs(parsed.query)
    assert query == {'limit': ['2'], 'marker': ['2']}

    resp = api.get(href.replace('http://localhost', ''))
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['3', '4']
    query = urllib.parse.parse_qs(
        urllib.parse.urlparse(_next_href(resp.body)).query)
    assert query['marker'] == ['4']

    resp = api.get('/v2.1/flavors?limit=2&marker=4')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['5']
    assert 'flavors_links' not in resp.body


def test_pagination_detail_keeps_other_params(api):
    resp = api.get('/v2.1/flavors/detail?limit=1&minRam=2048')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['2']
    href = _next_href(resp.body)
    parsed = urllib.parse.urlparse(href)
    assert parsed.path == '/v2.1/flavors/detail'
    query = urllib.parse.parse_qs(parsed.query)
    assert query == {'limit': ['1'], 'minRam': ['2048'], 'marker': ['2']}


def test_marker_only(api):
    resp = api.get('/v2.1/flavors?marker=3')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['4', '5']
    assert 'flavors_links' not in resp.body


def test_no_links_without_full_page(api):
    resp = api.get('/v2.1/flavors?limit=10')
    assert resp.status == 200
    assert len(resp.body['flavors']) == 5
    assert 'flavors_links' not in resp.body


def test_max_limit_caps_pages(cloud, api):
    """[api] max_limit caps every page, asked for or not."""
    cloud.conf.set_override('max_limit', 2, group='api')
    try:
        resp = api.get('/v2.1/flavors')
        assert resp.status == 200
        assert [f['id'] for f in resp.body['flavors']] == ['1', '2']
        href = _next_href(resp.body)
        assert urllib.parse.parse_qs(urllib.parse.urlparse(href).query) == {
            'marker': ['2']}
        resp = api.get('/v2.1/flavors/detail?limit=10&marker=2')
        assert resp.status == 200
        assert [f['id'] for f in resp.body['flavors']] == ['3', '4']
        query = urllib.parse.parse_qs(
            urllib.parse.urlparse(_next_href(resp.body)).query)
        assert query == {'limit': ['10'], 'marker': ['4']}
    finally:
        cloud.conf.clear_override('max_limit', group='api')


def test_unknown_marker_is_400(api):
    resp = api.get('/v2.1/flavors?marker=nosuch')
    _fault(resp, 400, 'badRequest', 'marker [nosuch] not found')


def test_invalid_limit_is_400(api):
    _fault(api.get('/v2.1/flavors?limit=abc'), 400, 'badRequest')
    _fault(api.get('/v2.1/flavors?limit=-1'), 400, 'badRequest')


# --- create -----------------------------------------------------------------

def test_create_flavor(api):
    resp = api.post('/v2.1/flavors', body={'flavor': {
        'name': 'custom', 'id': 'custom-id', 'ram': 1024, 'vcpus': 2,
        'disk': 10, 'OS-FLV-EXT-DATA:ephemeral': 5, 'swap': 512,
        'rxtx_factor': 2.0}})
    assert resp.status == 200, resp
    assert list(resp.body) == ['flavor']
    flavor = resp.body['flavor']
    assert flavor == {
        'id': 'custom-id', 'name': 'custom', 'ram': 1024, 'vcpus': 2,
        'disk': 10, 'OS-FLV-EXT-DATA:ephemeral': 5, 'swap': 512,
        'os-flavor-access:is_public': True, 'rxtx_factor': 2.0,
        'OS-FLV-DISABLED:disabled': False, 'links': _links('custom-id')}
    resp = api.get('/v2.1/flavors/custom-id')
    assert resp.status == 200
    assert resp.body['flavor'] == flavor
    ids = [f['id'] for f in api.get('/v2.1/flavors').body['flavors']]
    assert 'custom-id' in ids


def test_create_flavor_generates_uuid_id(api):
    resp = _create(api, name='noid')
    assert resp.status == 200, resp
    flavor = resp.body['flavor']
    assert str(uuid.UUID(flavor['id'])) == flavor['id']
    assert flavor['name'] == 'noid'
    assert flavor['swap'] == ''
    assert flavor['OS-FLV-EXT-DATA:ephemeral'] == 0
    assert flavor['rxtx_factor'] == 1.0
    assert api.get('/v2.1/flavors/%s' % flavor['id']).status == 200


def test_create_flavor_integer_id_and_string_numbers(api):
    resp = _create(api, id=42, ram='128', vcpus='2', disk='0')
    assert resp.status == 200, resp
    flavor = resp.body['flavor']
    assert flavor['id'] == '42'
    assert flavor['ram'] == 128
    assert flavor['vcpus'] == 2
    assert flavor['disk'] == 0


def test_create_flavor_at_2_55_with_description(api):
    resp = _create(api, version='2.55', description='for testing')
    assert resp.status == 200, resp
    flavor = resp.body['flavor']
    assert flavor['description'] == 'for testing'
    shown = api.get('/v2.1/flavors/%s' % flavor['id'], version='2.55')
    assert shown.body['flavor']['description'] == 'for testing'


def test_create_flavor_at_2_75_view(api):
    resp = _create(api, version='2.75')
    assert resp.status == 200, resp
    flavor = resp.body['flavor']
    assert flavor['swap'] == 0
    assert flavor['extra_specs'] == {}
    assert flavor['description'] is None


def test_description_rejected_before_2_55(api):
    resp = _create(api, description='nope')
    msg = _fault(resp, 400, 'badRequest')
    assert 'description' in msg


def test_create_duplicate_name_is_409(api):
    resp = _create(api, name='m1.tiny')
    _fault(resp, 409, 'conflictingRequest',
           'Flavor with name m1.tiny already exists.')


def test_create_duplicate_id_is_409(api):
    resp = _create(api, id='1')
    _fault(resp, 409, 'conflictingRequest',
           'Flavor with ID 1 already exists.')
    resp = _create(api, name='dup', id='dup-id')
    assert resp.status == 200
    resp = _create(api, name='dup2', id='dup-id')
    _fault(resp, 409, 'conflictingRequest',
           'Flavor with ID dup-id already exists.')


@pytest.mark.parametrize('flavor,field', [
    ({'name': 'x', 'vcpus': 1, 'disk': 1}, 'ram'),
    ({'name': 'x', 'ram': 64, 'vcpus': -1, 'disk': 1}, 'vcpus'),
    ({'name': 'x', 'ram': 0, 'vcpus': 1, 'disk': 1}, 'ram'),
    ({'name': 'x', 'ram': 64, 'vcpus': 1, 'disk': -5}, 'disk'),
    ({'name': 'x', 'ram': 64, 'vcpus': 1, 'disk': 1, 'bogus': 1}, 'bogus'),
    ({'name': '', 'ram': 64, 'vcpus': 1, 'disk': 1}, 'name'),
    ({'name': ' lead', 'ram': 64, 'vcpus': 1, 'disk': 1}, 'name'),
    ({'name': 'x', 'ram': 'lots', 'vcpus': 1, 'disk': 1}, 'ram'),
    ({'name': 'x', 'ram': 64, 'vcpus': 1, 'disk': 1,
      'os-flavor-access:is_public': 'maybe'}, 'is_public'),
])
def test_create_invalid_body_is_400(api, flavor, field):
    resp = api.post('/v2.1/flavors', body={'flavor': flavor})
    msg = _fault(resp, 400, 'badRequest')
    assert field in msg
    # Nothing was created.
    names = [f['name'] for f in api.get(
        '/v2.1/flavors?is_public=None').body['flavors']]
    assert names == DEFAULT_NAMES


def test_create_malformed_json_is_400(api):
    resp = api.post('/v2.1/flavors', raw_body=b'{"flavor": {"name": ')
    msg = _fault(resp, 400, 'badRequest')
    assert msg.startswith('Malformed request body')


def test_create_empty_body_is_400(api):
    resp = api.post('/v2.1/flavors', raw_body=b'')
    _fault(resp, 400, 'badRequest')
    resp = api.post('/v2.1/flavors', body={'notflavor': {}})
    msg = _fault(resp, 400, 'badRequest')
    assert 'flavor' in msg
    resp = api.post('/v2.1/flavors', raw_body=b'[1, 2]')
    _fault(resp, 400, 'badRequest')


def test_create_as_non_admin_is_403(demo, api):
    resp = _create(demo, name='mine')
    _fault(resp, 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-flavor-manage:create "
           "to be performed.")
    names = [f['name'] for f in api.get('/v2.1/flavors').body['flavors']]
    assert 'mine' not in names


# --- private flavors and is_public ------------------------------------------

def test_private_flavor_visibility(api, demo):
    resp = _create(api, name='secret', id='secret',
                   **{'os-flavor-access:is_public': False})
    assert resp.status == 200, resp
    assert resp.body['flavor']['os-flavor-access:is_public'] is False

    # Not listed by default, even for an admin.
    resp = api.get('/v2.1/flavors')
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS
    # is_public=None (literally) lists everything for admins.
    resp = api.get('/v2.1/flavors?is_public=None')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS + [
        'secret']
    resp = api.get('/v2.1/flavors/detail?is_public=none')
    assert 'secret' in [f['id'] for f in resp.body['flavors']]
    # is_public=false lists only private ones.
    resp = api.get('/v2.1/flavors/detail?is_public=false')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['secret']
    assert resp.body['flavors'][0]['os-flavor-access:is_public'] is False
    resp = api.get('/v2.1/flavors?is_public=true')
    assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS
    # Admins can show it.
    resp = api.get('/v2.1/flavors/secret')
    assert resp.status == 200
    assert resp.body['flavor']['name'] == 'secret'

    # A non-admin never sees it, whatever is_public says.
    for query in ('', '?is_public=None', '?is_public=false'):
        resp = demo.get('/v2.1/flavors' + query)
        assert resp.status == 200
        assert [f['id'] for f in resp.body['flavors']] == DEFAULT_IDS
        resp = demo.get('/v2.1/flavors/detail' + query)
        assert resp.status == 200
        assert 'secret' not in [f['id'] for f in resp.body['flavors']]
    resp = demo.get('/v2.1/flavors/secret')
    _fault(resp, 404, 'itemNotFound', 'Flavor secret could not be found.')


def test_private_flavor_via_string_is_public(api):
    resp = _create(api, **{'os-flavor-access:is_public': 'false'})
    assert resp.status == 200, resp
    assert resp.body['flavor']['os-flavor-access:is_public'] is False


def test_invalid_is_public_filter_is_400(api):
    resp = api.get('/v2.1/flavors?is_public=maybe')
    msg = _fault(resp, 400, 'badRequest')
    assert 'is_public' in msg


# --- update / delete --------------------------------------------------------

def test_update_description_at_2_55(api):
    flavor_id = _create(api, version='2.55').body['flavor']['id']
    resp = api.put('/v2.1/flavors/%s' % flavor_id, version='2.55',
                   body={'flavor': {'description': 'updated'}})
    assert resp.status == 200, resp
    assert resp.body['flavor']['id'] == flavor_id
    assert resp.body['flavor']['description'] == 'updated'
    assert 'extra_specs' not in resp.body['flavor']
    shown = api.get('/v2.1/flavors/%s' % flavor_id, version='2.55')
    assert shown.body['flavor']['description'] == 'updated'
    # Back to no description.
    resp = api.put('/v2.1/flavors/%s' % flavor_id, version='2.61',
                   body={'flavor': {'description': None}})
    assert resp.status == 200
    assert resp.body['flavor']['description'] is None
    assert resp.body['flavor']['extra_specs'] == {}


def test_update_at_2_1_is_404(api):
    resp = api.put('/v2.1/flavors/1',
                   body={'flavor': {'description': 'x'}})
    _fault(resp, 404, 'itemNotFound')
    resp = api.put('/v2.1/flavors/1', version='2.54',
                   body={'flavor': {'description': 'x'}})
    _fault(resp, 404, 'itemNotFound')
    shown = api.get('/v2.1/flavors/1', version='2.55')
    assert shown.body['flavor']['description'] is None


def test_update_invalid_body_is_400(api):
    resp = api.put('/v2.1/flavors/1', version='2.55',
                   body={'flavor': {'name': 'renamed'}})
    _fault(resp, 400, 'badRequest')
    resp = api.put('/v2.1/flavors/1', version='2.55', body={'flavor': {}})
    msg = _fault(resp, 400, 'badRequest')
    assert 'description' in msg


def test_update_unknown_is_404(api):
    resp = api.put('/v2.1/flavors/nosuch', version='2.55',
                   body={'flavor': {'description': 'x'}})
    _fault(resp, 404, 'itemNotFound', 'Flavor nosuch could not be found.')


def test_update_as_non_admin_is_403(demo):
    resp = demo.put('/v2.1/flavors/1', version='2.55',
                    body={'flavor': {'description': 'x'}})
    _fault(resp, 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-flavor-manage:update "
           "to be performed.")


def test_delete_flavor(api):
    flavor_id = _create(api, name='doomed').body['flavor']['id']
    resp = api.delete('/v2.1/flavors/%s' % flavor_id)
    assert resp.status == 202
    assert resp.text == ''
    resp = api.get('/v2.1/flavors/%s' % flavor_id)
    _fault(resp, 404, 'itemNotFound',
           'Flavor %s could not be found.' % flavor_id)
    names = [f['name'] for f in api.get(
        '/v2.1/flavors?is_public=None').body['flavors']]
    assert 'doomed' not in names
    # The name is free again.
    assert _create(api, name='doomed').status == 200


def test_delete_unknown_is_404(api):
    resp = api.delete('/v2.1/flavors/nosuch')
    _fault(resp, 404, 'itemNotFound', 'Flavor nosuch could not be found.')


def test_delete_as_non_admin_is_403(demo, api):
    resp = demo.delete('/v2.1/flavors/1')
    _fault(resp, 403, 'forbidden',
           "Policy doesn't allow os_compute_api:os-flavor-manage:delete "
           "to be performed.")
    assert api.get('/v2.1/flavors/1').status == 200


# --- the optional /{project_id} prefix --------------------------------------

def test_project_prefixed_paths(demo):
    resp = demo.get('/v2.1/demo/flavors/detail?minRam=8192')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == ['4', '5']
    resp = demo.get('/v2.1/demo/flavors?limit=1')
    assert resp.status == 200
    href = _next_href(resp.body)
    assert urllib.parse.urlparse(href).path == '/v2.1/demo/flavors'
    resp = demo.get('/v2.1/other/flavors/1')
    msg = _fault(resp, 400, 'badRequest')
    assert 'other' in msg


def test_links_keep_project_id_of_prefixed_request(demo):
    """Upstream's ViewBuilder puts the project id in self and bookmark
    links when the request URL has it (nova/api/openstack/common.py
    ViewBuilder._get_project_id), e.g. the older api-samples'
    ``/v2.1/<project>/flavors/1`` links.
    """
    resp = demo.get('/v2.1/demo/flavors/1')
    assert resp.status == 200
    assert resp.body['flavor']['links'] == [
        {'rel': 'self', 'href': 'http://localhost/v2.1/demo/flavors/1'},
        {'rel': 'bookmark', 'href': 'http://localhost/demo/flavors/1'}]


def test_extra_specs_of_a_flavor(api, demo):
    # `openstack flavor show` reads them.
    resp = api.get('/v2.1/flavors/1/os-extra_specs')
    assert resp.status == 200 and resp.body == {'extra_specs': {}}
    assert demo.get('/v2.1/flavors/1/os-extra_specs').status == 200
    assert api.get('/v2.1/flavors/nope/os-extra_specs').status == 404
