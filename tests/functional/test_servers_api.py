"""/servers: create validation, listing and filters, isolation, update,
delete, and the bodies against tempest's schemas.

Contract: compute-api-facts.md sections 3.1 (create, delete, forceDelete),
5.1, 5.2, 7.1 and Appendices C and D.  One cloud serves the module; each
group of tests works in a project of its own so their server lists do not
interfere:

* ``val``: create validation (must stay empty)
* ``demo``: one ACTIVE server with a key pair, metadata and description
* ``listproj``: vm-1..vm-3 (one request, min/max_count 3) and 'other'
* ``admin``: one ACTIVE server other projects must not see
* ``del``: servers that are deleted
"""

import datetime
import hashlib
import re
import time
import urllib.parse
import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

# Heartbeats only at start (report_interval far beyond the module's run
# time, within service_down_time): periodic heartbeat writes racing the
# API's writes hit the shared-SQLite-connection bug shown by
# test_keypairs.test_concurrent_writes_by_different_users.
QUIET = {'report_interval': 50}

IMAGE = fixtures.IMAGE_ID
SERVER = {'name': 'vm1', 'imageRef': IMAGE, 'flavorRef': '1'}
SCHEMA_VERSIONS = ['2.1', '2.47', '2.75', '2.92']
BASIC_KEYS = {'id', 'name', 'links'}
DETAIL_KEYS_2_1 = {
    'id', 'name', 'status', 'tenant_id', 'user_id', 'metadata', 'hostId',
    'image', 'flavor', 'created', 'updated', 'addresses', 'accessIPv4',
    'accessIPv6', 'links', 'OS-DCF:diskConfig', 'progress', 'key_name',
    'config_drive', 'OS-EXT-AZ:availability_zone', 'OS-SRV-USG:launched_at',
    'OS-SRV-USG:terminated_at', 'OS-EXT-STS:task_state',
    'OS-EXT-STS:vm_state', 'OS-EXT-STS:power_state',
    'os-extended-volumes:volumes_attached', 'security_groups'}
ADMIN_KEYS_2_1 = {'OS-EXT-SRV-ATTR:host',
                  'OS-EXT-SRV-ATTR:hypervisor_hostname',
                  'OS-EXT-SRV-ATTR:instance_name'}


# -- helpers -----------------------------------------------------------------

def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _not_found(resp, server_id):
    _fault(resp, 404, 'itemNotFound',
           'Instance %s could not be found.' % server_id)


def _server(**values):
    server = dict(SERVER)
    server.update(values)
    return {k: v for k, v in server.items() if v is not None}


def _names(resp):
    assert resp.status == 200, resp
    return [s['name'] for s in resp.body['servers']]


def _ids(resp):
    assert resp.status == 200, resp
    return [s['id'] for s in resp.body['servers']]


def _wait_all(api, path, count, status, timeout=10):
    """Poll a server list until count servers show status, task None."""
    deadline = time.monotonic() + timeout
    while True:
        resp = api.get(path)
        servers = resp.body['servers'] if resp.status == 200 else []
        if len(servers) == count and all(
                s['status'] == status and s['OS-EXT-STS:task_state'] is None
                for s in servers):
            return servers
        if time.monotonic() > deadline:
            raise AssertionError('not %d servers %s: %r'
                                 % (count, status, resp))
        time.sleep(0.05)


def _utc_iso(delta_seconds=0):
    now = datetime.datetime.now(datetime.timezone.utc) + \
        datetime.timedelta(seconds=delta_seconds)
    return now.strftime('%Y-%m-%dT%H:%M:%SZ')


def _path_of(href):
    parts = urllib.parse.urlsplit(href)
    return parts.path + ('?' + parts.query if parts.query else '')


# -- the cloud and its servers -----------------------------------------------

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
def lister(cloud):
    return cloud.api.as_user('lister:listproj')


@pytest.fixture(scope='module')
def demo_server(cloud, demo):
    """demo's ACTIVE server: key pair, metadata, description, auto net."""
    resp = demo.post('/v2.1/os-keypairs', {'keypair': {'name': 'demo-key'}})
    assert resp.status == 200, resp
    create = demo.post('/v2.1/servers', {'server': _server(
        name='demo-vm', key_name='demo-key',
        metadata={'role': 'web', 'tier': '1'},
        description='the demo server', networks='auto')}, version='2.37')
    assert create.status == 202, create
    server_id = create.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    return {'id': server_id, 'create': create}


@pytest.fixture(scope='module')
def admin_server(cloud, admin):
    resp = admin.post('/v2.1/servers', {'server': _server(name='secret')})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    return server_id


@pytest.fixture(scope='module')
def listing(cloud, lister):
    """listproj: vm-1..vm-3 from one request and 'other', all ACTIVE."""
    before = _utc_iso(-2)
    # The flat network by its UUID, as `--nic net-id=` sends it.
    multi = lister.post('/v2.1/servers', {'server': _server(
        name='vm', min_count=3, max_count=3, return_reservation_id=True,
        networks=[{'uuid': cloud.conf.network.flat_network_id}])})
    assert multi.status == 202, multi
    other = lister.post('/v2.1/servers', {'server': _server(
        name='other', flavorRef='2', networks='none')}, version='2.37')
    assert other.status == 202, other
    servers = _wait_all(lister, '/v2.1/servers/detail', 4, 'ACTIVE')
    return {'before': before, 'multi': multi,
            'reservation_id': multi.body.get('reservation_id'),
            'by_name': {s['name']: s for s in servers}}


# -- create: validation ------------------------------------------------------

NEW_UUID = str(uuid.uuid4())
VALIDATION_CASES = [
    # id, version, server body changes, exact message or (substrings,)
    ('missing-name', None, {'name': None},
     ("'name' is a required property",)),
    ('missing-flavorRef', None, {'flavorRef': None},
     ("'flavorRef' is a required property",)),
    ('unknown-flavor', None, {'flavorRef': '999'},
     'Flavor 999 could not be found.'),
    ('queued-image', None, {'imageRef': fixtures.QUEUED_IMAGE_ID},
     'Image %s is not active.' % fixtures.QUEUED_IMAGE_ID),
    ('missing-imageRef', None, {'imageRef': None},
     'Missing imageRef attribute'),
    ('unknown-key_name', None, {'key_name': 'nokey'},
     'Invalid key_name provided.'),
    ('min-over-max', None, {'min_count': 3, 'max_count': 2},
     ('min_count',)),
    ('bad-availability_zone', None, {'availability_zone': 'nowhere'},
     'The requested availability zone is not available'),
    ('networks-required-2.37', '2.37', {},
     ("'networks' is a required property",)),
    # A schema violation names the field (section 7.1), also when the
    # field has alternative schemas (oneOf).
    ('networks-bad-string-2.37', '2.37', {'networks': 'all'},
     ('Invalid input for field/attribute', 'networks', 'all')),
    ('min_count-zero', None, {'min_count': 0},
     ('Invalid input for field/attribute', 'min_count')),
    ('unknown-network-2.1', None, {'networks': [{'uuid': 'nonet'}]},
     ('nonet',)),
    ('bdm-to-volume', '2.37', {
        'imageRef': None, 'networks': 'auto',
        'block_device_mapping_v2': [{
            'source_type': 'volume', 'destination_type': 'volume',
            'uuid': NEW_UUID, 'boot_index': 0}]},
     ('volume',)),
    ('description-before-2.19', '2.18', {'description': 'x'},
     ('description',)),
    ('hostname-for-several-2.90', '2.90', {
        'networks': 'auto', 'hostname': 'web', 'max_count': 2},
     'Unable to allocate a single hostname to multiple instances'),
]


@pytest.mark.parametrize('version,changes,message',
                         [c[1:] for c in VALIDATION_CASES],
                         ids=[c[0] for c in VALIDATION_CASES])
def test_create_validation(cloud, version, changes, message):
    val = cloud.api.as_user('val:val')
    resp = val.post('/v2.1/servers', {'server': _server(**changes)},
                    version=version)
    text = _fault(resp, 400, 'badRequest')
    if isinstance(message, tuple):
        for part in message:
            assert part in text, text
    else:
        assert text == message
    # Nothing was created.
    assert val.get('/v2.1/servers').body == {'servers': []}


def test_create_with_unknown_image_is_400(cloud):
    val = cloud.api.as_user('val:val')
    resp = val.post('/v2.1/servers',
                    {'server': _server(imageRef=NEW_UUID)})
    _fault(resp, 400, 'badRequest')
    assert val.get('/v2.1/servers').body == {'servers': []}


def test_create_accepts_none_and_auto_networks_at_2_37(demo_server,
                                                      listing, admin):
    # 'auto' (demo-vm): one fixed address on the flat network.
    server = admin.get('/v2.1/servers/%s' % demo_server['id']).body[
        'server']
    (address,) = server['addresses']['private']
    assert address['addr'].startswith('10.0.0.')
    assert address['version'] == 4
    assert address['OS-EXT-IPS:type'] == 'fixed'
    assert re.match(r'^([0-9a-f]{2}:){5}[0-9a-f]{2}$',
                    address['OS-EXT-IPS-MAC:mac_addr'])
    assert list(server['addresses']) == ['private']
    # 'none' (other): no address at all, and still ACTIVE.
    other = listing['by_name']['other']
    assert other['status'] == 'ACTIVE'
    assert other['addresses'] == {}
    # A 2.1 list of {'uuid': <the flat network>} (vm-1..3): one address
    # each.
    for name in ('vm-1', 'vm-2', 'vm-3'):
        (address,) = listing['by_name'][name]['addresses']['private']
        assert address['addr'].startswith('10.0.0.')


# -- create: what comes back -------------------------------------------------

def test_create_response_body_and_location(demo_server):
    resp = demo_server['create']
    server = resp.body['server']
    assert set(server) == {'id', 'links', 'OS-DCF:diskConfig',
                           'security_groups', 'adminPass'}
    assert server['OS-DCF:diskConfig'] == 'MANUAL'
    assert server['security_groups'] == [{'name': 'default'}]
    assert len(server['adminPass']) == 12
    assert server['links'] == [
        {'rel': 'self',
         'href': 'http://localhost/v2.1/servers/%s' % server['id']},
        {'rel': 'bookmark',
         'href': 'http://localhost/servers/%s' % server['id']}]
    assert resp.headers['Location'] == server['links'][0]['href']
    # tempest validates every create with the 2.1 schemas.
    oracle.validate(oracle.servers_client.schema.
                    create_server_with_admin_pass, resp)


def test_show_has_what_was_asked_for(demo_server, demo):
    resp = demo.get('/v2.1/servers/%s' % demo_server['id'], version='2.19')
    assert resp.status == 200, resp
    server = resp.body['server']
    assert server['id'] == demo_server['id']
    assert server['name'] == 'demo-vm'
    assert server['description'] == 'the demo server'
    assert server['metadata'] == {'role': 'web', 'tier': '1'}
    assert server['key_name'] == 'demo-key'
    assert server['status'] == 'ACTIVE'
    assert server['tenant_id'] == 'demo' and server['user_id'] == 'demo'
    assert server['hostId'] == hashlib.sha224(
        b'demo' + b'compute1').hexdigest()
    assert server['image']['id'] == IMAGE
    assert server['flavor']['id'] == '1'
    assert server['locked'] is False
    assert server['OS-EXT-STS:vm_state'] == 'active'
    assert server['OS-EXT-STS:power_state'] == 1
    assert server['OS-EXT-AZ:availability_zone'] == 'nova'
    assert server['progress'] == 0
    # Not an admin: no OS-EXT-SRV-ATTR fields, no host_status.
    assert not [k for k in server if k.startswith('OS-EXT-SRV-ATTR')]
    assert 'host_status' not in server
    # Exactly the 2.1 fields plus locked (2.9) and description (2.19).
    assert set(server) == DETAIL_KEYS_2_1 | {'locked', 'description'}


def test_description_is_not_shown_before_2_19(demo_server, demo):
    server = demo.get('/v2.1/servers/%s' % demo_server['id'],
                      version='2.18').body['server']
    assert 'description' not in server
    assert set(server) == DETAIL_KEYS_2_1 | {'locked'}


def test_return_reservation_id_and_multiple_create(listing, admin, lister):
    resp = listing['multi']
    assert resp.body == {'reservation_id': listing['reservation_id']}
    assert re.match(r'^r-[0-9a-z]{8}$', listing['reservation_id'])
    resp = lister.get('/v2.1/servers/detail?reservation_id=%s'
                      % listing['reservation_id'])
    assert sorted(_names(resp)) == ['vm-1', 'vm-2', 'vm-3']
    # Admins see the reservation id and the launch index (2.3+).
    resp = admin.get('/v2.1/servers/detail?all_tenants=1&reservation_id=%s'
                     '&sort_key=display_name&sort_dir=asc'
                     % listing['reservation_id'], version='2.3')
    servers = resp.body['servers']
    assert [s['name'] for s in servers] == ['vm-1', 'vm-2', 'vm-3']
    assert {s['OS-EXT-SRV-ATTR:reservation_id'] for s in servers} == {
        listing['reservation_id']}
    assert [s['OS-EXT-SRV-ATTR:launch_index'] for s in servers] == [0, 1, 2]
    assert len({s['id'] for s in servers}) == 3


def test_osc_style_body_with_image_to_local_bdm(cloud):
    """What `openstack server create --image --flavor` sends."""
    osc = cloud.api.as_user('osc:osc')
    resp = osc.post('/v2.1/servers', {'server': {
        'name': 'osc-vm', 'imageRef': IMAGE, 'flavorRef': '1',
        'min_count': 1, 'max_count': 1, 'networks': 'auto',
        'block_device_mapping_v2': [{
            'boot_index': 0, 'uuid': IMAGE, 'source_type': 'image',
            'destination_type': 'local', 'delete_on_termination': True}]}},
        version='2.92')
    assert resp.status == 202, resp
    server = cloud.wait_for_server(resp.body['server']['id'], 'ACTIVE')
    assert server['image']['id'] == IMAGE
    assert server['os-extended-volumes:volumes_attached'] == []
    assert server['addresses']['private']


# -- listing -----------------------------------------------------------------

def test_list_basic(listing, lister):
    resp = lister.get('/v2.1/servers')
    assert resp.status == 200, resp
    assert list(resp.body) == ['servers']
    servers = resp.body['servers']
    assert sorted(s['name'] for s in servers) == [
        'other', 'vm-1', 'vm-2', 'vm-3']
    for server in servers:
        assert set(server) == BASIC_KEYS
        assert server['links'] == [
            {'rel': 'self',
             'href': 'http://localhost/v2.1/servers/%s' % server['id']},
            {'rel': 'bookmark',
             'href': 'http://localhost/servers/%s' % server['id']}]
        assert server['id'] == listing['by_name'][server['name']]['id']


def test_list_default_order_is_newest_first(listing, lister):
    names = _names(lister.get('/v2.1/servers'))
    assert names[0] == 'other'


def test_list_detail(listing, lister):
    resp = lister.get('/v2.1/servers/detail')
    servers = resp.body['servers']
    assert len(servers) == 4
    for server in servers:
        assert set(server) == DETAIL_KEYS_2_1
        assert server['status'] == 'ACTIVE'
        assert server['tenant_id'] == 'listproj'
        assert server['user_id'] == 'lister'
    by_name = {s['name']: s for s in servers}
    assert by_name['other']['flavor']['id'] == '2'
    assert by_name['vm-2']['flavor']['id'] == '1'


def test_filter_name_is_a_regex(listing, lister):
    assert sorted(_names(lister.get('/v2.1/servers?name=^vm'))) == [
        'vm-1', 'vm-2', 'vm-3']
    assert _names(lister.get('/v2.1/servers?name=oth')) == ['other']
    assert _names(lister.get('/v2.1/servers?name=-2$')) == ['vm-2']
    assert _names(lister.get('/v2.1/servers?name=^nothing')) == []


def test_filter_status(listing, lister):
    assert len(_ids(lister.get('/v2.1/servers?status=ACTIVE'))) == 4
    assert len(_ids(lister.get('/v2.1/servers?status=active'))) == 4
    assert _ids(lister.get('/v2.1/servers?status=SHUTOFF')) == []
    assert len(_ids(lister.get(
        '/v2.1/servers?status=SHUTOFF&status=ACTIVE'))) == 4
    # An unknown status matches nothing before 2.38 and is a 400 after.
    assert _ids(lister.get('/v2.1/servers?status=BOGUS')) == []
    _fault(lister.get('/v2.1/servers?status=BOGUS', version='2.38'), 400,
           'badRequest')
    assert len(_ids(lister.get('/v2.1/servers?status=ACTIVE',
                               version='2.38'))) == 4


def test_filter_status_deleted_is_admin_only(listing, lister):
    _fault(lister.get('/v2.1/servers?status=DELETED'), 403, 'forbidden')


def test_filter_image(listing, lister):
    assert len(_ids(lister.get('/v2.1/servers?image=%s' % IMAGE))) == 4
    link = 'http://localhost/images/%s' % IMAGE
    assert len(_ids(lister.get('/v2.1/servers?image=%s'
                               % urllib.parse.quote(link, safe='')))) == 4
    assert _ids(lister.get('/v2.1/servers?image=%s' % NEW_UUID)) == []


def test_filter_flavor(listing, lister):
    assert _names(lister.get('/v2.1/servers?flavor=2')) == ['other']
    assert sorted(_names(lister.get('/v2.1/servers?flavor=1'))) == [
        'vm-1', 'vm-2', 'vm-3']
    assert _names(lister.get('/v2.1/servers?flavor=5')) == []


def test_filter_changes_since(listing, lister):
    resp = lister.get('/v2.1/servers?changes-since=%s'
                      % urllib.parse.quote(listing['before']))
    assert len(_ids(resp)) == 4
    resp = lister.get('/v2.1/servers?changes-since=%s'
                      % urllib.parse.quote(_utc_iso(3600)))
    assert _ids(resp) == []
    _fault(lister.get('/v2.1/servers?changes-since=yesterday'), 400,
           'badRequest')


def test_filter_ip_is_a_regex(listing, lister):
    vm1 = listing['by_name']['vm-1']['addresses']['private'][0]['addr']
    pattern = '^%s$' % re.escape(vm1)
    resp = lister.get('/v2.1/servers?ip=%s'
                      % urllib.parse.quote(pattern, safe=''))
    assert _names(resp) == ['vm-1']
    resp = lister.get('/v2.1/servers?ip=%s'
                      % urllib.parse.quote(r'^10\.0\.0\.', safe=''))
    # 'other' has no address.
    assert sorted(_names(resp)) == ['vm-1', 'vm-2', 'vm-3']


def test_filter_reservation_id(listing, lister):
    resp = lister.get('/v2.1/servers?reservation_id=%s'
                      % listing['reservation_id'])
    assert sorted(_names(resp)) == ['vm-1', 'vm-2', 'vm-3']
    assert _ids(lister.get('/v2.1/servers?reservation_id=r-00000000')) == []


def test_literal_deleted_false_is_accepted(listing, lister):
    """Some clients send deleted=False: the list is the ordinary one."""
    for path in ('/v2.1/servers?deleted=False',
                 '/v2.1/servers/detail?deleted=False'):
        assert sorted(_names(lister.get(path))) == [
            'other', 'vm-1', 'vm-2', 'vm-3']


def test_all_tenants(listing, demo_server, admin_server, admin, lister):
    # Without all_tenants even an admin sees only its own project's.
    own = _ids(admin.get('/v2.1/servers'))
    assert admin_server in own
    assert demo_server['id'] not in own
    assert not set(own) & {s['id'] for s in listing['by_name'].values()}
    every = _ids(admin.get('/v2.1/servers?all_tenants=1'))
    assert {admin_server, demo_server['id']} <= set(every)
    assert {s['id'] for s in listing['by_name'].values()} <= set(every)
    assert set(_ids(admin.get('/v2.1/servers/detail?all_tenants=True'))) \
        == set(every)
    # Narrowed to one project.
    resp = admin.get('/v2.1/servers?all_tenants=1&project_id=listproj')
    assert sorted(_names(resp)) == ['other', 'vm-1', 'vm-2', 'vm-3']
    # Non-admins may not.
    _fault(lister.get('/v2.1/servers?all_tenants=1'), 403, 'forbidden')
    _fault(lister.get('/v2.1/servers/detail?all_tenants=True'), 403,
           'forbidden')


def test_sort_by_display_name(listing, lister):
    resp = lister.get('/v2.1/servers?sort_key=display_name&sort_dir=asc')
    assert _names(resp) == ['other', 'vm-1', 'vm-2', 'vm-3']
    resp = lister.get('/v2.1/servers/detail?sort_key=display_name'
                      '&sort_dir=desc')
    assert _names(resp) == ['vm-3', 'vm-2', 'vm-1', 'other']


def test_limit_and_marker(listing, lister):
    by_name = listing['by_name']
    resp = lister.get('/v2.1/servers?limit=2&sort_key=display_name'
                      '&sort_dir=asc')
    assert _names(resp) == ['other', 'vm-1']
    (link,) = resp.body['servers_links']
    assert link['rel'] == 'next'
    parts = urllib.parse.urlsplit(link['href'])
    assert parts.scheme + '://' + parts.netloc + parts.path == \
        'http://localhost/v2.1/servers'
    query = urllib.parse.parse_qs(parts.query)
    assert query == {'limit': ['2'], 'sort_key': ['display_name'],
                     'sort_dir': ['asc'], 'marker': [by_name['vm-1']['id']]}
    # Follow the links to the end.
    resp = lister.get(_path_of(link['href']))
    assert _names(resp) == ['vm-2', 'vm-3']
    (link,) = resp.body['servers_links']
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(
        link['href']).query)['marker'] == [by_name['vm-3']['id']]
    resp = lister.get(_path_of(link['href']))
    assert resp.body == {'servers': []}
    # A page shorter than the limit has no next link.
    resp = lister.get('/v2.1/servers/detail?limit=10')
    assert len(resp.body['servers']) == 4
    assert 'servers_links' not in resp.body
    # The detail list pages the same way.
    resp = lister.get('/v2.1/servers/detail?limit=1&sort_key=display_name'
                      '&sort_dir=asc&marker=%s' % by_name['vm-1']['id'])
    assert _names(resp) == ['vm-2']
    assert 'marker=%s' % by_name['vm-2']['id'] in \
        resp.body['servers_links'][0]['href']
    assert resp.body['servers_links'][0]['href'].startswith(
        'http://localhost/v2.1/servers/detail?')


def test_unknown_marker_is_400(listing, lister):
    marker = str(uuid.uuid4())
    _fault(lister.get('/v2.1/servers?marker=%s' % marker), 400,
           'badRequest', 'marker [%s] not found' % marker)
    _fault(lister.get('/v2.1/servers/detail?limit=1&marker=%s' % marker),
           400, 'badRequest', 'marker [%s] not found' % marker)


def test_unknown_query_parameter(listing, lister):
    # Ignored before 2.75...
    assert len(_ids(lister.get('/v2.1/servers?foo=bar'))) == 4
    assert len(_ids(lister.get('/v2.1/servers/detail?foo=bar',
                               version='2.74'))) == 4
    # ...rejected from 2.75.
    _fault(lister.get('/v2.1/servers?foo=bar', version='2.75'), 400,
           'badRequest')
    _fault(lister.get('/v2.1/servers/detail?foo=bar', version='2.75'), 400,
           'badRequest')
    assert len(_ids(lister.get('/v2.1/servers?name=vm',
                               version='2.75'))) == 3


# -- project isolation -------------------------------------------------------

def test_demo_cannot_see_or_touch_admin_servers(admin_server, demo, admin):
    path = '/v2.1/servers/%s' % admin_server
    _not_found(demo.get(path), admin_server)
    _not_found(demo.delete(path), admin_server)
    _not_found(demo.put(path, {'server': {'name': 'mine'}}), admin_server)
    _not_found(demo.post(path + '/action', {'forceDelete': None}),
               admin_server)
    assert admin_server not in _ids(demo.get('/v2.1/servers'))
    assert admin_server not in _ids(demo.get('/v2.1/servers/detail'))
    # Untouched.
    server = admin.get(path).body['server']
    assert server['name'] == 'secret' and server['status'] == 'ACTIVE'


def test_another_member_cannot_see_demos_server(demo_server, cloud, demo):
    other = cloud.api.as_user('other:other')
    path = '/v2.1/servers/%s' % demo_server['id']
    _not_found(other.get(path), demo_server['id'])
    _not_found(other.delete(path), demo_server['id'])
    assert other.get('/v2.1/servers').body == {'servers': []}
    assert other.get('/v2.1/servers/detail').body == {'servers': []}
    # A project-id in the URL that is not the token's is refused.
    _fault(other.get('/v2.1/demo/servers'), 400, 'badRequest')
    assert demo.get(path).status == 200


def test_project_id_in_the_url(demo_server, demo):
    resp = demo.get('/v2.1/demo/servers/%s' % demo_server['id'])
    assert resp.status == 200, resp
    assert resp.body['server']['links'][0]['href'] == \
        'http://localhost/v2.1/demo/servers/%s' % demo_server['id']


# -- update ------------------------------------------------------------------

def test_update_name_and_description(demo_server, demo):
    path = '/v2.1/servers/%s' % demo_server['id']
    try:
        resp = demo.put(path, {'server': {'name': 'renamed',
                                          'description': 'new words'}},
                        version='2.19')
        assert resp.status == 200, resp
        assert resp.body['server']['name'] == 'renamed'
        assert resp.body['server']['description'] == 'new words'
        assert resp.body['server']['id'] == demo_server['id']
        oracle.validate(oracle.schemas(oracle.SERVERS, '2.19').update_server,
                        resp)
        shown = demo.get(path, version='2.19').body['server']
        assert shown['name'] == 'renamed'
        assert shown['description'] == 'new words'
        assert _names(demo.get('/v2.1/servers')) == ['renamed']
        # description needs 2.19; a null one clears it.
        _fault(demo.put(path, {'server': {'description': 'x'}}), 400,
               'badRequest')
        resp = demo.put(path, {'server': {'description': None}},
                        version='2.19')
        assert resp.status == 200 and \
            resp.body['server']['description'] is None
        # From 2.75 PUT answers with the full GET view.
        resp = demo.put(path, {'server': {'name': 'renamed'}},
                        version='2.75')
        assert resp.status == 200
        assert resp.body['server'] == demo.get(
            path, version='2.75').body['server']
        oracle.validate(oracle.schemas(oracle.SERVERS, '2.75').update_server,
                        resp)
        _fault(demo.put(path, {'server': {'name': ''}}), 400, 'badRequest')
    finally:
        demo.put(path, {'server': {'name': 'demo-vm',
                                   'description': 'the demo server'}},
                 version='2.19')
    assert demo.get(path, version='2.19').body['server']['description'] == \
        'the demo server'


# -- delete ------------------------------------------------------------------

def _set_computes(admin, status):
    services = admin.get('/v2.1/os-services?binary=nova-compute',
                         version='2.53').body['services']
    assert services
    for service in services:
        resp = admin.put('/v2.1/os-services/%s' % service['id'],
                         {'status': status}, version='2.53')
        assert resp.status == 200, resp
        assert resp.body['service']['status'] == status


def test_delete_of_a_server_that_was_never_scheduled(cloud, admin):
    deleter = cloud.api.as_user('del:del')
    _set_computes(admin, 'disabled')
    try:
        resp = deleter.post('/v2.1/servers',
                            {'server': _server(name='nowhere')})
        assert resp.status == 202, resp
        server_id = resp.body['server']['id']
        server = cloud.wait_for_server(server_id, 'ERROR')
    finally:
        _set_computes(admin, 'enabled')
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert server['hostId'] == ''
    assert server['addresses'] == {}
    assert 'progress' not in server
    assert server['fault']['code'] == 500
    assert server['fault']['message'].startswith('No valid host was found.')
    assert 'details' in server['fault']
    assert re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$',
                    server['fault']['created'])
    # The owner sees the fault without the traceback.
    owner_view = deleter.get('/v2.1/servers/%s' % server_id).body['server']
    assert owner_view['status'] == 'ERROR'
    assert set(owner_view['fault']) == {'code', 'created', 'message'}
    # Bodies of an ERROR server with a fault against tempest's schemas.
    for version in SCHEMA_VERSIONS:
        for api in (admin, deleter):
            oracle.validate(
                oracle.schemas(oracle.SERVERS, version).get_server,
                api.get('/v2.1/servers/%s' % server_id, version=version))
        oracle.validate(
            oracle.schemas(oracle.SERVERS, version).list_servers_detail,
            deleter.get('/v2.1/servers/detail', version=version))
    resp = deleter.delete('/v2.1/servers/%s' % server_id)
    assert resp.status == 204, resp
    assert resp.text == ''
    _not_found(deleter.get('/v2.1/servers/%s' % server_id), server_id)
    _not_found(deleter.delete('/v2.1/servers/%s' % server_id), server_id)
    assert server_id not in _ids(deleter.get('/v2.1/servers'))
    # Gone from the usage too.
    usage = deleter.get('/v2.1/limits').body['limits']['absolute']
    assert usage['totalInstancesUsed'] == 0


def test_delete_active_server(cloud):
    deleter = cloud.api.as_user('del:del')
    server_id = deleter.post('/v2.1/servers', {'server': _server(
        name='short-lived')}).body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    assert server_id in cloud.compute('compute1').driver.guests
    resp = deleter.delete('/v2.1/servers/%s' % server_id)
    assert resp.status == 204 and resp.text == ''
    cloud.wait_for_server(server_id, 'DELETED')
    assert server_id not in cloud.compute('compute1').driver.guests
    # Deleted servers show up (as DELETED) in a changes-since list.
    resp = cloud.api.get('/v2.1/servers/detail?all_tenants=1'
                         '&changes-since=%s' % urllib.parse.quote(
                             _utc_iso(-60)))
    deleted = [s for s in resp.body['servers'] if s['id'] == server_id]
    assert [s['status'] for s in deleted] == ['DELETED']


def test_force_delete(cloud):
    deleter = cloud.api.as_user('del:del')
    server_id = deleter.post('/v2.1/servers', {'server': _server(
        name='forced')}).body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    resp = deleter.post('/v2.1/servers/%s/action' % server_id,
                        {'forceDelete': None})
    assert resp.status == 202, resp
    assert resp.text == ''
    cloud.wait_for_server(server_id, 'DELETED')
    _not_found(deleter.get('/v2.1/servers/%s' % server_id), server_id)
    assert server_id not in cloud.compute('compute1').driver.guests
    _not_found(deleter.post('/v2.1/servers/%s/action' % server_id,
                            {'forceDelete': None}), server_id)


def test_unknown_action(demo_server, demo):
    path = '/v2.1/servers/%s/action' % demo_server['id']
    _fault(demo.post(path, {'foo': None}), 400, 'badRequest',
           'There is no such action: foo')
    _fault(demo.post(path, raw_body=b'not json'), 400, 'badRequest')
    _fault(demo.post(path, {'forceDelete': None, 'foo': None}), 400,
           'badRequest')
    assert demo.get('/v2.1/servers/%s' % demo_server['id']).body[
        'server']['status'] == 'ACTIVE'


def test_unknown_server(demo):
    server_id = str(uuid.uuid4())
    path = '/v2.1/servers/%s' % server_id
    _not_found(demo.get(path), server_id)
    _not_found(demo.put(path, {'server': {'name': 'x'}}), server_id)
    _not_found(demo.delete(path), server_id)
    _not_found(demo.post(path + '/action', {'forceDelete': None}),
               server_id)


# -- bodies against tempest's schemas ----------------------------------------

@pytest.mark.parametrize('version', SCHEMA_VERSIONS)
def test_show_matches_tempest(version, demo_server, admin, demo):
    schema = oracle.schemas(oracle.SERVERS, version).get_server
    path = '/v2.1/servers/%s' % demo_server['id']
    owner = oracle.validate(schema, demo.get(path, version=version))
    full = oracle.validate(schema, admin.get(path, version=version))
    admin_only = set(full['server']) - set(owner['server'])
    assert ADMIN_KEYS_2_1 <= admin_only
    if version == '2.1':
        assert admin_only == ADMIN_KEYS_2_1
    else:
        assert 'host_status' in admin_only
        assert full['server']['host_status'] == 'UP'
        assert full['server']['flavor'] == {
            'vcpus': 1, 'ram': 512, 'disk': 1, 'ephemeral': 0, 'swap': 0,
            'original_name': 'm1.tiny', 'extra_specs': {}}
    if version == '2.92':
        assert owner['server']['OS-EXT-SRV-ATTR:hostname'] == 'demo-vm'
        assert owner['server']['server_groups'] == []
        assert owner['server']['locked_reason'] is None


@pytest.mark.parametrize('version', SCHEMA_VERSIONS)
def test_lists_match_tempest(version, listing, admin, lister):
    schemas = oracle.schemas(oracle.SERVERS, version)
    for api, query in ((lister, ''), (admin, '?all_tenants=1')):
        body = oracle.validate(schemas.list_servers_detail, api.get(
            '/v2.1/servers/detail' + query, version=version))
        assert len(body['servers']) >= 4
        assert all('server_groups' not in s for s in body['servers'])
        oracle.validate(schemas.list_servers, api.get(
            '/v2.1/servers' + query, version=version))
    # Pages with a next link.
    body = oracle.validate(schemas.list_servers_detail, lister.get(
        '/v2.1/servers/detail?limit=2', version=version))
    assert body['servers_links']
    body = oracle.validate(schemas.list_servers, lister.get(
        '/v2.1/servers?limit=2', version=version))
    assert body['servers_links']
    oracle.validate(schemas.list_servers, lister.get(
        '/v2.1/servers?name=^nothing', version=version))
