"""Malformed paths, queries and headers on every route: a 4xx with Nova's
JSON fault, never a 5xx.

Each route of nova.api.router.ROUTES gets, for each method, its path values
replaced with bad ones (very long, bytes that are not UTF-8, NUL); each GET
route gets bad query strings; every route a bad microversion header.
"""

import json

import pytest

from nova.api import router
from tests.functional import fixtures

BAD_VALUES = ('x' * 4096, '%ff', '%ff%fe', 'a%00b', '%00', '%c3%28',
              '%e2%82', '..', '%25ff', '%20')
BAD_QUERIES = (
    'limit=-1', 'limit=abc', 'limit=99999999999999999999999', 'limit=1.5',
    'limit=%ff', 'marker=%ff', 'marker=x%00y', 'marker=' + 'm' * 4096,
    'changes-since=garbage', 'changes-since=%ff',
    'changes-since=2024-13-45T99:99:99Z', 'changes-before=garbage',
    'limit=1&limit=2', 'marker=a&marker=b', 'sort_key=%ff', 'sort_dir=up',
    'sort_key=id&sort_key=%00', 'all_tenants=%ff', 'all_tenants=maybe',
    'name=(', 'name=%ff', 'ip=[', 'ip6=%ff', 'status=%ff', 'host=%00',
    'flavor=%ff', 'image=%ff', 'tags=%ff', 'tags-any=a,,b', 'deleted=maybe',
    'start=garbage', 'end=garbage', 'start=%ff', 'detailed=maybe',
    'with_servers=maybe', 'hypervisor_hostname_pattern=%ff',
    'user_id=%ff', 'reserved=%ff', 'minDisk=abc', 'minRam=-5',
    'is_public=maybe', 'instance_uuid=%ff', 'migration_type=%ff',
    'source_compute=%00', 'locked=maybe', '%ff=1', 'a=%zz', '=&=&&',
    'availability_zone=%ff', 'binary=%ff', 'type=%ff', 'offset=-3',
    'offset=abc')
BAD_VERSIONS = (
    ('OpenStack-API-Version', 'compute garbage'),
    ('OpenStack-API-Version', 'compute 2.'),
    ('OpenStack-API-Version', 'compute 2.1000000000000000000000'),
    ('OpenStack-API-Version', 'compute 99.0'),
    ('OpenStack-API-Version', 'compute \xff'),
    ('OpenStack-API-Version', 'compute'),
    ('OpenStack-API-Version', 'compute 2.1, compute 2.2'),
    ('X-OpenStack-Nova-API-Version', 'abc'),
    ('X-OpenStack-Nova-API-Version', '2.-1'),
    ('X-OpenStack-Nova-API-Version', '\xff'),
    ('X-OpenStack-Nova-API-Version', '1.1'),
)
BAD_HEADERS = (
    ('Content-Type', 'application/json; charset=\xff'),
    ('Content-Type', '\x00'),
    ('X-OpenStack-Request-ID', '\xff' * 300),
    ('Accept', '\xff'),
    ('Accept-Language', '\xff;q=abc'),
)


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud().start()
    yield cloud
    cloud.stop()


@pytest.fixture(scope='module')
def server_id(cloud):
    server = cloud.api.post('/v2.1/servers', {'server': {
        'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}}
        ).body['server']
    cloud.wait_for_server(server['id'], 'ACTIVE')
    return server['id']


def _check(response, what):
    if '/os-interface' in what and response.status == 501:
        # The flat network's documented answer to every os-interface
        # call, whatever the input (tests/functional/test_interfaces.py).
        assert 'notImplemented' in json.loads(response.text), response
        return
    assert response.status < 500, '%s: %r' % (what, response)
    if response.status >= 400:
        body = json.loads(response.text)
        (name, fault), = body.items()
        assert fault['code'] == response.status, (what, body)
        assert fault['message'], (what, body)


def _routes():
    for path, methods in router.ROUTES:
        for method in sorted(methods):
            yield path, method


def _fill(path, value):
    """path with each {name} replaced by value."""
    return '/'.join(value if part.startswith('{') else part
                    for part in path.split('/'))


def _request(api, method, path, **kwargs):
    body = {} if method in ('POST', 'PUT') else None
    return api.request(method, '/v2.1' + path, body=body, **kwargs)


@pytest.mark.parametrize('path,method', [
    (p, m) for p, m in _routes() if '{' in p])
def test_bad_path_values(cloud, server_id, path, method):
    for value in BAD_VALUES:
        filled = _fill(path, value)
        _check(_request(cloud.api, method, filled), '%s %s' % (method,
                                                               filled))
        # Only the last value bad: the ones before it name real things.
        if path.startswith('/servers/{server_id}/') and \
                path.count('{') > 1:
            filled = '/servers/%s/%s' % (server_id, _fill(
                path.split('/', 3)[3], value))
            _check(_request(cloud.api, method, filled), '%s %s' % (
                method, filled))


def _query_path(path, server_id):
    """path with real values where it names a server, a project or a
    flavor, so that the query is what is judged."""
    return path.replace('{server_id}', server_id).replace(
        '{tenant_id}', 'admin').replace('{flavor_id}', '1')


@pytest.mark.parametrize('path', [
    p for p, methods in router.ROUTES if 'GET' in methods])
def test_bad_query_strings(cloud, server_id, path):
    path = _query_path(path, server_id)
    # The newest version's schemas, and the first's (unknown parameters
    # ignored, values read by the handlers).
    for version, queries in (('latest', BAD_QUERIES),
                             ('2.1', BAD_QUERIES[:16])):
        for query in queries:
            response = _request(cloud.api, 'GET', path + '?' + query,
                                version=version)
            _check(response, 'GET %s?%s (%s)' % (path, query, version))


@pytest.mark.parametrize('path,method', list(_routes()))
def test_bad_headers(cloud, server_id, path, method):
    path = _query_path(path, server_id)
    for header, value in BAD_VERSIONS:
        response = _request(cloud.api, method, path,
                            headers={header: value})
        _check(response, '%s %s with %s: %r' % (method, path, header,
                                                  value))
    for header, value in BAD_HEADERS:
        if method == 'DELETE':
            continue  # not twice: the first may have done it
        response = _request(cloud.api, method, path,
                            headers={header: value})
        _check(response, '%s %s with %s: %r' % (method, path, header,
                                                  value))


def test_a_bad_version_header_is_a_400_naming_it(cloud):
    response = cloud.api.get('/v2.1/servers', headers={
        'OpenStack-API-Version': 'compute garbage'})
    assert response.status == 400
    assert 'garbage' in response.text
    response = cloud.api.get('/v2.1/servers', headers={
        'X-OpenStack-Nova-API-Version': '99.0'})
    assert response.status == 406


def test_bad_queries_of_the_server_list_are_400(cloud):
    for query in ('limit=-1', 'limit=abc', 'changes-since=garbage',
                  'marker=%ff', 'name=%00'):
        response = cloud.api.get('/v2.1/servers?' + query)
        assert response.status == 400, (query, response)


def test_a_path_that_is_not_utf8_is_a_400(cloud):
    response = cloud.api.get('/v2.1/servers/%ff')
    assert response.status == 400
    assert 'not valid UTF-8' in response.text
    response = cloud.api.get('/v2.1/servers/a%00b')
    assert response.status == 400
    assert 'control character' in response.text
