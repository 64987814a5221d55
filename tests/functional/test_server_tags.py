"""/servers/{server_id}/tags (2.26): list, replace, delete all, one tag's
check, add and delete; the limits, the vm_states that refuse a change,
another project's server, the routes below 2.26, and the server list's
tag filters."""

import threading
import urllib.parse

import pytest

from nova.db import instances as db_instances
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}
VERSION = '2.26'


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo', version=VERSION)


def _boot(cloud, demo, tags=('a', 'b')):
    server_id = demo.post('/v2.1/servers', {'server': dict(
        SERVER, tags=list(tags))}, version='2.52').body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    return server_id


@pytest.fixture
def server(cloud, demo):
    """A server of the test's own, tagged a and b."""
    server_id = _boot(cloud, demo)
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


@pytest.fixture(scope='module')
def steady(cloud):
    """A server tagged a and b that the refused requests leave as it is."""
    server_id = _boot(cloud, cloud.api.as_user('demo:demo', VERSION))
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _url(server_id, tag=None):
    url = '/v2.1/servers/%s/tags' % server_id
    return url if tag is None else '%s/%s' % (url, urllib.parse.quote(tag))


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 404: 'itemNotFound',
            409: 'conflictingRequest'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _tags(demo, server_id):
    return demo.get('/v2.1/servers/' + server_id).body['server']['tags']


def test_list_and_check(demo, steady):
    resp = demo.get(_url(steady))
    assert resp.status == 200 and resp.body == {'tags': ['a', 'b']}
    resp = demo.get(_url(steady, 'a'))
    assert resp.status == 204 and resp.text == ''
    _fault(demo.get(_url(steady, 'z')), 404,
           "Server %s has no tag 'z'" % steady)


def test_add_is_201_with_location_then_204(cloud, demo, server):
    resp = demo.put(_url(server, 'c'))
    assert resp.status == 201 and resp.text == ''
    assert resp.headers['Location'] == \
        'http://localhost/v2.1/servers/%s/tags/c' % server
    resp = demo.put(_url(server, 'c'))
    assert resp.status == 204
    assert 'Location' not in resp.headers
    assert _tags(demo, server) == ['a', 'b', 'c']
    # As openstacksdk and novaclient send it, and a JSON null.
    assert demo.request('PUT', _url(server, 'd'), raw_body=b'null').status \
        == 201
    assert demo.get(_url(server)).body == {'tags': ['a', 'b', 'c', 'd']}


def test_tags_with_any_character_but_slash_and_comma(demo, server):
    for tag in ('café', 'with space', 'x' * 60, 'a.b;c?d'):
        resp = demo.put(_url(server, tag))
        assert resp.status == 201, (tag, resp)
        assert resp.headers['Location'].endswith(
            '/tags/' + urllib.parse.quote(tag))
        assert demo.get(_url(server, tag)).status == 204, tag
    assert _tags(demo, server) == ['a', 'b', 'café', 'with space',
                                   'x' * 60, 'a.b;c?d']
    assert demo.delete(_url(server, 'café')).status == 204
    assert 'café' not in _tags(demo, server)


@pytest.mark.parametrize('tag', ['a,b', 'x' * 61])
def test_add_invalid_tag_is_400(demo, steady, tag):
    message = _fault(demo.put(_url(steady, tag)), 400)
    assert message.startswith("Tag '%s' is invalid." % tag)
    assert _tags(demo, steady) == ['a', 'b']


@pytest.mark.parametrize('raw', [b'{}', b'{"tag": "c"}', b'[]', b'"c"',
                                 b'not json'])
def test_add_takes_no_body(demo, steady, raw):
    _fault(demo.request('PUT', _url(steady, 'c'), raw_body=raw), 400)
    assert _tags(demo, steady) == ['a', 'b']


def test_fifty_tags_at_most(cloud, demo):
    server = _boot(cloud, demo, tags=['t%d' % n for n in range(49)])
    assert demo.put(_url(server, 'last')).status == 201
    message = 'The number of tags exceeded the per-server limit 50'
    _fault(demo.put(_url(server, 'one-more')), 400, message)
    # Upstream counts before it looks for the tag.
    _fault(demo.put(_url(server, 'last')), 400, message)
    assert len(_tags(demo, server)) == 50
    resp = demo.put(_url(server), {'tags': ['t%d' % n for n in range(51)]})
    _fault(resp, 400)
    assert demo.put(_url(server), {'tags': ['t%d' % n for n in range(50)]}
                    ).status == 200


def test_replace_all_and_delete_all(demo, server):
    resp = demo.put(_url(server), {'tags': ['x', 'y', 'x']})
    assert resp.status == 200 and resp.body == {'tags': ['x', 'y']}
    assert _tags(demo, server) == ['x', 'y']
    resp = demo.delete(_url(server))
    assert resp.status == 204 and resp.text == ''
    assert demo.get(_url(server)).body == {'tags': []}
    assert demo.put(_url(server), {'tags': []}).body == {'tags': []}


@pytest.mark.parametrize('body', [
    {'tags': ['a,b']}, {'tags': ['a/b']}, {'tags': ['']},
    {'tags': ['x' * 61]}, {'tags': [1]}, {'tags': 'a'}, {'tags': None},
    {}, {'tags': [], 'more': 1}, None,
])
def test_replace_all_bad_bodies(demo, steady, body):
    _fault(demo.put(_url(steady), body), 400)
    assert _tags(demo, steady) == ['a', 'b']


def test_delete_one(demo, server):
    assert demo.delete(_url(server, 'a')).status == 204
    assert _tags(demo, server) == ['b']
    _fault(demo.delete(_url(server, 'a')), 404,
           "Instance %s has no tag 'a'" % server)


@pytest.mark.parametrize('vm_state', ['building', 'error', 'rescued',
                                      'resized', 'shelved_offloaded'])
def test_changes_refused_outside_upstreams_vm_states(demo, server,
                                                     vm_state):
    db_instances.instance_update(server, {'vm_state': vm_state})
    for method, url, body, name in (
            ('PUT', _url(server), {'tags': ['c']}, 'update tags'),
            ('DELETE', _url(server), None, 'delete tags'),
            ('PUT', _url(server, 'c'), None, 'update tag'),
            ('DELETE', _url(server, 'a'), None, 'delete tag'),
            # The state is checked before the tag is looked for.
            ('DELETE', _url(server, 'z'), None, 'delete tag')):
        resp = demo.request(method, url, body=body)
        _fault(resp, 409, "Cannot '%s' instance %s while it is in "
               "vm_state %s" % (name, server, vm_state))
    assert demo.get(_url(server)).body == {'tags': ['a', 'b']}
    assert demo.get(_url(server, 'a')).status == 204
    db_instances.instance_update(server, {'vm_state': 'active'})


@pytest.mark.parametrize('action,status', [
    ('os-stop', 'SHUTOFF'), ('pause', 'PAUSED'), ('suspend', 'SUSPENDED')])
def test_changes_allowed_while(cloud, demo, server, action, status):
    assert demo.post('/v2.1/servers/%s/action' % server,
                     {action: None}).status == 202
    cloud.wait_for_server(server, status, api=demo)
    assert demo.put(_url(server, 'c')).status == 201
    assert demo.delete(_url(server, 'a')).status == 204
    assert demo.put(_url(server), {'tags': ['z']}).status == 200


def test_a_task_or_a_lock_is_no_obstacle(demo, server):
    # Upstream's tags check the vm_state only.
    assert demo.post('/v2.1/servers/%s/action' % server,
                     {'lock': None}).status == 202
    db_instances.instance_update(server, {'task_state': 'rebooting'})
    assert demo.put(_url(server, 'c')).status == 201
    assert demo.delete(_url(server, 'c')).status == 204


def test_another_projects_server_is_not_found(cloud, demo, steady):
    other = cloud.api.as_user('other:other', VERSION)
    for method, url, body in (
            ('GET', _url(steady), None),
            ('PUT', _url(steady), {'tags': ['x']}),
            ('DELETE', _url(steady), None),
            ('GET', _url(steady, 'a'), None),
            ('PUT', _url(steady, 'x'), None),
            ('DELETE', _url(steady, 'a'), None)):
        resp = other.request(method, url, body=body)
        _fault(resp, 404, 'Instance %s could not be found.' % steady)
    assert _tags(demo, steady) == ['a', 'b']
    assert cloud.api.get(_url(steady), version=VERSION).body == {
        'tags': ['a', 'b']}


@pytest.mark.parametrize('version', ['2.1', '2.25'])
def test_no_tags_below_2_26(demo, steady, version):
    for method, url, body in (
            ('GET', _url(steady), None),
            ('PUT', _url(steady), {'tags': ['x']}),
            ('DELETE', _url(steady), None),
            ('GET', _url(steady, 'a'), None),
            ('PUT', _url(steady, 'x'), None),
            ('DELETE', _url(steady, 'a'), None)):
        resp = demo.request(method, url, body=body, version=version)
        _fault(resp, 404, 'API version %s is not supported on this '
               'method.' % version)
    assert _tags(demo, steady) == ['a', 'b']
    shown = demo.get('/v2.1/servers/' + steady, version=version)
    assert 'tags' not in shown.body['server']


def test_changes_leave_updated(demo, server):
    before = db_instances.instance_get(server)['updated_at']
    assert demo.put(_url(server, 'c')).status == 201
    assert demo.put(_url(server), {'tags': ['z']}).status == 200
    assert demo.delete(_url(server)).status == 204
    assert db_instances.instance_get(server)['updated_at'] == before


def test_racing_adds_all_land(demo, server):
    start = threading.Barrier(8)
    statuses = []

    def add(n):
        start.wait()
        statuses.append(demo.put(_url(server, 't%d' % n)).status)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert statuses == [201] * 8
    assert sorted(_tags(demo, server)) == sorted(
        ['a', 'b'] + ['t%d' % n for n in range(8)])


# The server list's filters (2.26)

@pytest.fixture(scope='module')
def tagged(cloud):
    """Servers of project 'filters' by the tags they have."""
    api = cloud.api.as_user('lister:filters', VERSION)
    servers = {}
    for name, tags in (('none', []), ('a', ['a']), ('b', ['b']),
                       ('ab', ['a', 'b']), ('abc', ['a', 'b', 'c'])):
        servers[name] = _boot(cloud, api, tags)
    yield api, servers
    for server_id in servers.values():
        cloud.api.delete('/v2.1/servers/' + server_id)


@pytest.mark.parametrize('query,expected', [
    ('tags=a', {'a', 'ab', 'abc'}),
    ('tags=a,b', {'ab', 'abc'}),
    ('tags-any=a,c', {'a', 'ab', 'abc'}),
    ('not-tags=a,b', {'none', 'a', 'b'}),
    ('not-tags-any=a,c', {'none', 'b'}),
    ('tags=a&not-tags-any=c', {'a', 'ab'}),
    ('tags=z', set()),
])
@pytest.mark.parametrize('path', ['/v2.1/servers', '/v2.1/servers/detail'])
def test_list_filters(tagged, path, query, expected):
    api, servers = tagged
    names = {v: k for k, v in servers.items()}
    for version in (VERSION, '2.75', 'latest'):
        resp = api.get('%s?%s' % (path, query), version=version)
        assert resp.status == 200, resp
        assert {names[s['id']] for s in resp.body['servers']} == expected


def test_list_filters_are_ignored_below_2_26(tagged):
    api, servers = tagged
    resp = api.get('/v2.1/servers?tags=a', version='2.25')
    assert {s['id'] for s in resp.body['servers']} == set(servers.values())


def test_list_filters_with_limit_and_marker(tagged):
    api, servers = tagged
    seen = []
    url = '/v2.1/servers?tags=a&limit=2'
    while url:
        body = api.get(url).body
        seen += [s['id'] for s in body['servers']]
        links = body.get('servers_links')
        url = links[0]['href'].replace('http://localhost', '') \
            if links else None
    assert sorted(seen) == sorted(servers[n] for n in ('a', 'ab', 'abc'))
