"""/servers/{server_id}/metadata: list, merge, replace, one item's show,
set and delete; the schema's limits, the quota, the states and the lock
that refuse a change, and another project's server."""

import threading

import pytest

from nova.db import instances as db_instances
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'metadata': {'a': '1', 'b': '2'}}
QUOTA = 5


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50,
                                      'quota.metadata_items': QUOTA}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo')


def _boot(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    return server_id


@pytest.fixture
def server(cloud, demo):
    """A server of the test's own."""
    server_id = _boot(cloud, demo)
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


@pytest.fixture(scope='module')
def steady(cloud):
    """A server the requests refused leave as it is, shared."""
    server_id = _boot(cloud, cloud.api.as_user('demo:demo'))
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _url(server_id, key=None):
    url = '/v2.1/servers/%s/metadata' % server_id
    return url if key is None else '%s/%s' % (url, key)


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
            409: 'conflictingRequest'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _metadata(demo, server_id):
    return demo.get('/v2.1/servers/' + server_id).body['server']['metadata']


def test_list_shows_what_create_set(demo, server):
    resp = demo.get(_url(server))
    assert resp.status == 200
    assert resp.body == {'metadata': {'a': '1', 'b': '2'}}


def test_post_merges_as_openstack_server_set_property(demo, server):
    # openstack server set --property b=two --property c=3
    resp = demo.post(_url(server), {'metadata': {'b': 'two', 'c': '3'}})
    assert resp.status == 200, resp
    assert resp.body == {'metadata': {'a': '1', 'b': 'two', 'c': '3'}}
    assert _metadata(demo, server) == {'a': '1', 'b': 'two', 'c': '3'}
    # openstack server unset --property c: one DELETE per key
    assert demo.delete(_url(server, 'c')).status == 204
    assert _metadata(demo, server) == {'a': '1', 'b': 'two'}


def test_put_replaces_all(demo, server):
    resp = demo.put(_url(server), {'metadata': {'c': '3'}})
    assert resp.status == 200, resp
    assert resp.body == {'metadata': {'c': '3'}}
    assert _metadata(demo, server) == {'c': '3'}
    resp = demo.put(_url(server), {'metadata': {}})
    assert resp.status == 200 and resp.body == {'metadata': {}}
    assert _metadata(demo, server) == {}


def test_one_item(demo, server):
    resp = demo.get(_url(server, 'a'))
    assert resp.status == 200 and resp.body == {'meta': {'a': '1'}}
    _fault(demo.get(_url(server, 'z')), 404, 'Metadata item was not found')
    resp = demo.put(_url(server, 'z'), {'meta': {'z': 'zed'}})
    assert resp.status == 200 and resp.body == {'meta': {'z': 'zed'}}
    resp = demo.put(_url(server, 'a'), {'meta': {'a': 'one'}})
    assert resp.status == 200 and resp.body == {'meta': {'a': 'one'}}
    assert _metadata(demo, server) == {'a': 'one', 'b': '2', 'z': 'zed'}
    assert demo.delete(_url(server, 'z')).status == 204
    _fault(demo.delete(_url(server, 'z')), 404,
           'Metadata item was not found')
    assert demo.get(_url(server)).body == {'metadata': {'a': 'one',
                                                        'b': '2'}}


def test_keys_with_the_characters_upstream_allows(demo, server):
    key = 'Key-1_:. x'
    resp = demo.put(_url(server, 'Key-1_:.%20x'), {'meta': {key: ''}})
    assert resp.status == 200 and resp.body == {'meta': {key: ''}}
    assert demo.get(_url(server, 'Key-1_:.%20x')).body == {'meta': {key: ''}}
    assert demo.delete(_url(server, 'Key-1_:.%20x')).status == 204


@pytest.mark.parametrize('body', [
    {'meta': {'b': '2'}},                   # not the URL's key
    {'meta': {'a': '1', 'b': '2'}},         # more than one
    {'meta': {}},                           # none
    {'metadata': {'a': '1'}},
    {'meta': {'a': 1}},
    {'meta': {'a': None}},
    {'meta': {'a': 'x' * 256}},
    None,
])
def test_put_item_bad_bodies(demo, steady, body):
    resp = demo.put(_url(steady, 'a'), body)
    message = _fault(resp, 400)
    if body == {'meta': {'b': '2'}}:
        assert message == 'Request body and URI mismatch'
    assert _metadata(demo, steady) == {'a': '1', 'b': '2'}


@pytest.mark.parametrize('metadata', [
    {'k' * 256: 'v'},
    {'': 'v'},
    {'a/b': 'v'},
    {'ä': 'v'},
    {'k': 'v' * 256},
    {'k': 1},
    {'k': ['v']},
    ['k', 'v'],
    None,
])
@pytest.mark.parametrize('method', ['post', 'put'])
def test_bad_metadata_is_400(demo, steady, method, metadata):
    resp = getattr(demo, method)(_url(steady), {'metadata': metadata})
    _fault(resp, 400)
    assert _metadata(demo, steady) == {'a': '1', 'b': '2'}


def test_bodies_that_are_not_json_objects(demo, steady):
    for raw in (b'', b'not json', b'[]', b'{"metadata": {"a": "1"}, "x": 1}'):
        resp = demo.request('POST', _url(steady), raw_body=raw)
        _fault(resp, 400)


def test_values_up_to_255_and_empty_are_fine(demo, server):
    resp = demo.post(_url(server), {'metadata': {'k' * 255: 'v' * 255,
                                                 'e': ''}})
    assert resp.status == 200, resp
    assert resp.body['metadata']['k' * 255] == 'v' * 255


def test_quota_counts_the_merged_result(demo, server):
    message = 'Maximum number of metadata items exceeds %d' % QUOTA
    # 2 + 3 new is the quota; overwriting counts nothing new.
    resp = demo.post(_url(server), {'metadata': {'c': '3', 'd': '4',
                                                 'e': '5', 'a': 'x'}})
    assert resp.status == 200, resp
    _fault(demo.post(_url(server), {'metadata': {'f': '6'}}), 403, message)
    _fault(demo.put(_url(server, 'f'), {'meta': {'f': '6'}}), 403, message)
    assert demo.put(_url(server, 'a'), {'meta': {'a': 'y'}}).status == 200
    _fault(demo.put(_url(server), {'metadata': {
        str(n): 'v' for n in range(QUOTA + 1)}}), 403, message)
    assert demo.put(_url(server), {'metadata': {
        str(n): 'v' for n in range(QUOTA)}}).status == 200
    assert len(_metadata(demo, server)) == QUOTA


def test_server_create_checks_the_same_quota(demo):
    resp = demo.post('/v2.1/servers', {'server': dict(
        SERVER, metadata={str(n): 'v' for n in range(QUOTA + 1)})})
    _fault(resp, 403, 'Maximum number of metadata items exceeds %d' % QUOTA)


@pytest.mark.parametrize('values,attr,state', [
    ({'vm_state': 'building'}, 'vm_state', 'building'),
    ({'vm_state': 'error'}, 'vm_state', 'error'),
    ({'vm_state': 'rescued'}, 'vm_state', 'rescued'),
    ({'vm_state': 'shelved_offloaded'}, 'vm_state', 'shelved_offloaded'),
    ({'task_state': 'rebooting'}, 'task_state', 'rebooting'),
])
def test_changes_refused_in_states_upstream_refuses(demo, server, values,
                                                    attr, state):
    db_instances.instance_update(server, values)
    for method, url, body, name in (
            ('POST', _url(server), {'metadata': {'c': '3'}},
             'update metadata'),
            ('PUT', _url(server), {'metadata': {'c': '3'}},
             'update metadata'),
            ('PUT', _url(server, 'c'), {'meta': {'c': '3'}},
             'update metadata'),
            ('DELETE', _url(server, 'a'), None, 'delete metadata')):
        resp = demo.request(method, url, body=body)
        _fault(resp, 409, "Cannot '%s' instance %s while it is in %s %s"
               % (name, server, attr, state))
    # Reads are fine.
    assert demo.get(_url(server)).body == {'metadata': {'a': '1', 'b': '2'}}
    assert demo.get(_url(server, 'a')).status == 200
    db_instances.instance_update(server, {'vm_state': 'active',
                                          'task_state': None})


def test_changes_allowed_while_stopped(cloud, demo, server):
    assert demo.post('/v2.1/servers/%s/action' % server,
                     {'os-stop': None}).status == 202
    cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    assert demo.post(_url(server), {'metadata': {'c': '3'}}).status == 200
    assert demo.delete(_url(server, 'c')).status == 204


def test_a_locked_server_refuses_its_owner_not_an_admin(cloud, demo,
                                                        server):
    assert demo.post('/v2.1/servers/%s/action' % server,
                     {'lock': None}).status == 202
    locked = 'Instance %s is locked' % server
    _fault(demo.post(_url(server), {'metadata': {'c': '3'}}), 409, locked)
    _fault(demo.put(_url(server), {'metadata': {}}), 409, locked)
    _fault(demo.put(_url(server, 'c'), {'meta': {'c': '3'}}), 409, locked)
    _fault(demo.delete(_url(server, 'a')), 409, locked)
    assert demo.get(_url(server)).status == 200
    assert cloud.api.post(_url(server), {'metadata': {'c': '3'}}).status \
        == 200
    assert cloud.api.delete(_url(server, 'a')).status == 204
    assert _metadata(demo, server) == {'b': '2', 'c': '3'}


def test_another_projects_server_is_not_found(cloud, demo, steady):
    server = steady
    other = cloud.api.as_user('other:other')
    for method, url, body in (
            ('GET', _url(server), None),
            ('POST', _url(server), {'metadata': {'c': '3'}}),
            ('PUT', _url(server), {'metadata': {'c': '3'}}),
            ('GET', _url(server, 'a'), None),
            ('PUT', _url(server, 'a'), {'meta': {'a': 'x'}}),
            ('DELETE', _url(server, 'a'), None)):
        resp = other.request(method, url, body=body)
        _fault(resp, 404, 'Instance %s could not be found.' % server)
    assert _metadata(demo, server) == {'a': '1', 'b': '2'}
    # An admin reaches it.
    assert cloud.api.get(_url(server)).body == {'metadata': {'a': '1',
                                                             'b': '2'}}


def test_unknown_server_is_not_found(demo):
    _fault(demo.get(_url('00000000-0000-0000-0000-000000000000')), 404)
    _fault(demo.post(_url('nope'), {'metadata': {'a': '1'}}), 404)


def test_updated_changes_with_an_update_not_a_delete(demo, server):
    before = db_instances.instance_get(server)['updated_at']
    assert demo.post(_url(server), {'metadata': {'c': '3'}}).status == 200
    updated = db_instances.instance_get(server)['updated_at']
    assert updated > before
    assert demo.delete(_url(server, 'c')).status == 204
    assert db_instances.instance_get(server)['updated_at'] == updated


def test_methods_not_allowed(demo, steady):
    assert demo.delete(_url(steady)).status == 405
    assert demo.post(_url(steady, 'a'), {'meta': {'a': '1'}}).status == 405


def test_racing_merges_all_land(cloud, demo, server):
    start = threading.Barrier(8)
    statuses = []

    def merge(n):
        start.wait()
        statuses.append(demo.post(_url(server), {
            'metadata': {'k%d' % n: str(n)}}).status)

    cloud.conf.set_override('metadata_items', 20, group='quota')
    try:
        threads = [threading.Thread(target=merge, args=(n,))
                   for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        cloud.conf.set_override('metadata_items', QUOTA, group='quota')
    assert statuses == [200] * 8
    expected = {'a': '1', 'b': '2'}
    expected.update({'k%d' % n: str(n) for n in range(8)})
    assert _metadata(demo, server) == expected
