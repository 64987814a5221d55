"""/servers/{id}/os-instance-actions: list and show, per microversion.

Contract: compute-api-facts.md sections 3.5, 5.5, 7.2 and Appendix D.  One
cloud (a single compute) serves the module; demo owns three servers:

* ``live``: created, ACTIVE
* ``gone``: created, ACTIVE, deleted
* ``failed``: its spawn failed, ERROR
"""

import hashlib
import re
import time
import urllib.parse
import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

# See test_flavors.QUIET.
QUIET = {'report_interval': 50}

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
SCHEDULE_EVENT = 'conductor_schedule_and_build_instances'
BUILD_EVENT = 'compute__do_build_and_run_instance'
TERMINATE_EVENT = 'compute_terminate_instance'
ACTION_KEYS = {'action', 'instance_uuid', 'request_id', 'user_id',
               'project_id', 'start_time', 'message'}
EVENT_KEYS = {'event', 'start_time', 'finish_time', 'result'}
TIME = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$')
# Where tempest's servers_client changes the instance-action schemas, and
# 2.21 (deleted servers).
VERSIONS = ['2.1', '2.21', '2.51', '2.58', '2.62', '2.84']


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _actions_path(server_id, request_id=None):
    path = '/v2.1/servers/%s/os-instance-actions' % server_id
    return path + '/' + request_id if request_id else path


def _host_id(project_id, host):
    return hashlib.sha224((project_id + host).encode()).hexdigest()


def _wait_events(api, server_id, request_id, names, timeout=10):
    """The action once every named event has finished (admin view)."""
    deadline = time.monotonic() + timeout
    while True:
        resp = api.get(_actions_path(server_id, request_id), version='2.21')
        if resp.status == 200:
            action = resp.body['instanceAction']
            finished = {e['event'] for e in action['events']
                        if e['finish_time']}
            if set(names) <= finished:
                return action
        if time.monotonic() > deadline:
            raise AssertionError('events %s of %s not finished: %r'
                                 % (names, request_id, resp))
        time.sleep(0.05)


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


def _boot(cloud, demo, name):
    resp = demo.post('/v2.1/servers', {'server': dict(SERVER, name=name)})
    assert resp.status == 202, resp
    return resp.body['server']['id'], resp.headers['x-openstack-request-id']


@pytest.fixture(scope='module')
def live(cloud, admin, demo):
    server_id, create_id = _boot(cloud, demo, 'live')
    cloud.wait_for_server(server_id, 'ACTIVE')
    _wait_events(admin, server_id, create_id, [SCHEDULE_EVENT, BUILD_EVENT])
    return {'id': server_id, 'create': create_id}


@pytest.fixture(scope='module')
def gone(cloud, admin, demo):
    server_id, create_id = _boot(cloud, demo, 'gone')
    cloud.wait_for_server(server_id, 'ACTIVE')
    resp = demo.delete('/v2.1/servers/%s' % server_id)
    assert resp.status == 204, resp
    delete_id = resp.headers['x-openstack-request-id']
    cloud.wait_for_server(server_id, 'DELETED')
    _wait_events(admin, server_id, delete_id, [TERMINATE_EVENT])
    return {'id': server_id, 'create': create_id, 'delete': delete_id}


@pytest.fixture(scope='module')
def failed(cloud, admin, demo):
    driver = cloud.compute('compute1').driver
    driver.fail_operations = {'spawn'}
    try:
        server_id, create_id = _boot(cloud, demo, 'failed')
        server = cloud.wait_for_server(server_id, 'ERROR')
    finally:
        driver.fail_operations = set()
    _wait_events(admin, server_id, create_id, [SCHEDULE_EVENT, BUILD_EVENT])
    return {'id': server_id, 'create': create_id, 'server': server}


# -- list --------------------------------------------------------------------

def test_list_after_create(live, demo):
    resp = demo.get(_actions_path(live['id']))
    assert resp.status == 200, resp
    assert resp.body == {'instanceActions': [{
        'action': 'create', 'instance_uuid': live['id'],
        'request_id': live['create'], 'user_id': 'demo',
        'project_id': 'demo',
        'start_time': resp.body['instanceActions'][0]['start_time'],
        'message': None}]}
    assert TIME.match(resp.body['instanceActions'][0]['start_time'])
    assert live['create'].startswith('req-')


def test_list_after_delete_newest_first(gone, admin, demo):
    for api in (admin, demo):
        resp = api.get(_actions_path(gone['id']), version='2.21')
        assert resp.status == 200, resp
        actions = resp.body['instanceActions']
        assert [a['action'] for a in actions] == ['delete', 'create']
        assert [a['request_id'] for a in actions] == [gone['delete'],
                                                      gone['create']]
        assert actions[0]['start_time'] >= actions[1]['start_time']
        assert all(set(a) == ACTION_KEYS for a in actions)
        assert all(a['message'] is None for a in actions)


def test_deleted_server_actions_need_2_21(gone, admin, demo):
    message = 'Instance %s could not be found.' % gone['id']
    for api in (admin, demo):
        for version in ('2.1', '2.20'):
            _fault(api.get(_actions_path(gone['id']), version=version), 404,
                   'itemNotFound', message)
            _fault(api.get(_actions_path(gone['id'], gone['create']),
                           version=version), 404, 'itemNotFound', message)


def test_show_delete_action_of_a_deleted_server(gone, admin):
    resp = admin.get(_actions_path(gone['id'], gone['delete']),
                     version='2.62')
    assert resp.status == 200, resp
    action = resp.body['instanceAction']
    assert action['action'] == 'delete'
    assert action['request_id'] == gone['delete']
    (event,) = action['events']
    assert event['event'] == TERMINATE_EVENT
    assert event['result'] == 'Success'
    assert event['host'] == 'compute1'
    assert event['hostId'] == _host_id('demo', 'compute1')


# -- show --------------------------------------------------------------------

def test_show_create_action_as_admin(live, admin):
    resp = admin.get(_actions_path(live['id'], live['create']))
    assert resp.status == 200, resp
    action = resp.body['instanceAction']
    assert set(action) == ACTION_KEYS | {'events'}
    assert action['action'] == 'create'
    assert action['instance_uuid'] == live['id']
    assert action['request_id'] == live['create']
    assert action['user_id'] == 'demo' and action['project_id'] == 'demo'
    assert action['message'] is None
    events = {e['event']: e for e in action['events']}
    assert set(events) == {SCHEDULE_EVENT, BUILD_EVENT}
    for event in events.values():
        # Admins see the traceback (null on success); no host before 2.62.
        assert set(event) == EVENT_KEYS | {'traceback'}
        assert event['result'] == 'Success'
        assert event['traceback'] is None
        assert TIME.match(event['start_time'])
        assert TIME.match(event['finish_time'])
        assert event['start_time'] <= event['finish_time']
        assert event['start_time'] >= action['start_time']
    assert events[SCHEDULE_EVENT]['finish_time'] <= \
        events[BUILD_EVENT]['start_time']


def test_show_host_and_host_id_at_2_62(live, admin):
    action = admin.get(_actions_path(live['id'], live['create']),
                       version='2.62').body['instanceAction']
    events = {e['event']: e for e in action['events']}
    build = events[BUILD_EVENT]
    assert set(build) == EVENT_KEYS | {'traceback', 'host', 'hostId'}
    assert build['host'] == 'compute1'
    assert build['hostId'] == _host_id('demo', 'compute1')
    schedule = events[SCHEDULE_EVENT]
    assert schedule['host']
    assert schedule['hostId'] == _host_id('demo', schedule['host'])
    # 2.58 added updated_at to the action.
    assert TIME.match(action['updated_at'])
    assert action['updated_at'] >= action['start_time']


def test_conductor_event_names_the_conductor_host(live, admin):
    """An event's host is the host of the service that recorded it."""
    conductor, = [s['host'] for s in admin.get(
        '/v2.1/os-services?binary=nova-conductor').body['services']]
    action = admin.get(_actions_path(live['id'], live['create']),
                       version='2.62').body['instanceAction']
    events = {e['event']: e for e in action['events']}
    assert events[SCHEDULE_EVENT]['host'] == conductor


def test_admin_sees_details_at_2_84(live, admin):
    action = admin.get(_actions_path(live['id'], live['create']),
                       version='2.84').body['instanceAction']
    for event in action['events']:
        assert set(event) == EVENT_KEYS | {'traceback', 'host', 'hostId',
                                           'details'}
        assert event['details'] is None


@pytest.mark.parametrize('version,keys', [
    ('2.1', None), ('2.50', None),
    ('2.51', EVENT_KEYS),
    ('2.62', EVENT_KEYS | {'hostId'}),
    ('2.84', EVENT_KEYS | {'hostId'}),
], ids=['2.1', '2.50', '2.51', '2.62', '2.84'])
def test_owner_sees_events_from_2_51_without_traceback_or_host(
        version, keys, live, demo):
    resp = demo.get(_actions_path(live['id'], live['create']),
                    version=version)
    assert resp.status == 200, resp
    action = resp.body['instanceAction']
    assert action['request_id'] == live['create']
    if keys is None:
        assert 'events' not in action
        return
    assert {e['event'] for e in action['events']} == {SCHEDULE_EVENT,
                                                      BUILD_EVENT}
    for event in action['events']:
        assert set(event) == keys
        assert event['result'] == 'Success'
    if 'hostId' in keys:
        build, = [e for e in action['events'] if e['event'] == BUILD_EVENT]
        assert build['hostId'] == _host_id('demo', 'compute1')


def test_unknown_request_id_is_404(live, demo):
    request_id = 'req-%s' % uuid.uuid4()
    _fault(demo.get(_actions_path(live['id'], request_id)), 404,
           'itemNotFound', 'Action %s on instance %s not found'
           % (request_id, live['id']))


def test_unknown_server_is_404(demo):
    server_id = str(uuid.uuid4())
    message = 'Instance %s could not be found.' % server_id
    _fault(demo.get(_actions_path(server_id)), 404, 'itemNotFound',
           message)
    _fault(demo.get(_actions_path(server_id), version='2.21'), 404,
           'itemNotFound', message)


def test_another_projects_server_is_404(live, gone, cloud):
    other = cloud.api.as_user('other:other')
    for server, version in ((live, '2.1'), (live, '2.92'), (gone, '2.21')):
        message = 'Instance %s could not be found.' % server['id']
        _fault(other.get(_actions_path(server['id']), version=version),
               404, 'itemNotFound', message)
        _fault(other.get(_actions_path(server['id'], server['create']),
                         version=version), 404, 'itemNotFound', message)


# -- 2.58: updated_at and paging ---------------------------------------------

def test_updated_at_and_paging_at_2_58(gone, admin):
    resp = admin.get(_actions_path(gone['id']), version='2.58')
    assert resp.status == 200, resp
    actions = resp.body['instanceActions']
    assert [a['request_id'] for a in actions] == [gone['delete'],
                                                  gone['create']]
    for action in actions:
        assert set(action) == ACTION_KEYS | {'updated_at'}
        assert TIME.match(action['updated_at'])
    resp = admin.get(_actions_path(gone['id']) + '?limit=1', version='2.58')
    assert [a['request_id'] for a in resp.body['instanceActions']] == [
        gone['delete']]
    (link,) = resp.body['links']
    assert link['rel'] == 'next'
    parts = urllib.parse.urlsplit(link['href'])
    assert parts.path == _actions_path(gone['id'])
    assert urllib.parse.parse_qs(parts.query) == {
        'limit': ['1'], 'marker': [gone['delete']]}
    resp = admin.get('%s?%s' % (parts.path, parts.query), version='2.58')
    assert [a['request_id'] for a in resp.body['instanceActions']] == [
        gone['create']]
    resp = admin.get(_actions_path(gone['id']) + '?marker=%s'
                     % gone['create'], version='2.58')
    assert resp.body['instanceActions'] == []
    assert 'links' not in resp.body
    # Before 2.58 limit is not a parameter: everything, no links.
    resp = admin.get(_actions_path(gone['id']) + '?limit=1', version='2.57')
    assert len(resp.body['instanceActions']) == 2
    assert 'links' not in resp.body
    assert 'updated_at' not in resp.body['instanceActions'][0]


def test_unknown_marker_is_400_at_2_58(gone, admin):
    marker = 'req-%s' % uuid.uuid4()
    _fault(admin.get(_actions_path(gone['id']) + '?marker=%s' % marker,
                     version='2.58'), 400, 'badRequest',
           'marker [%s] not found' % marker)


def test_changes_since_at_2_58(gone, admin):
    resp = admin.get(_actions_path(gone['id']) +
                     '?changes-since=2099-01-01T00:00:00Z', version='2.58')
    assert resp.status == 200 and resp.body['instanceActions'] == []
    resp = admin.get(_actions_path(gone['id']) +
                     '?changes-since=2000-01-01T00:00:00Z', version='2.58')
    assert len(resp.body['instanceActions']) == 2


# -- a failed build ----------------------------------------------------------

def test_failed_build_leaves_a_fault(failed, cloud, live, admin, demo):
    server = admin.get('/v2.1/servers/%s' % failed['id']).body['server']
    assert server['status'] == 'ERROR'
    assert server['OS-EXT-STS:vm_state'] == 'error'
    assert server['OS-EXT-STS:task_state'] is None
    fault = server['fault']
    assert fault['code'] == 500
    # One compute: the build is aborted there, or handed back to the
    # conductor, which has no other host to retry on (section 7.2).
    assert fault['message'].startswith((
        'Build of instance %s aborted: ' % failed['id'],
        'Exceeded maximum number of retries. ')), fault
    assert failed['id'] in fault['message']
    assert failed['id'] in fault['details']
    owner = demo.get('/v2.1/servers/%s' % failed['id']).body['server']
    assert set(owner['fault']) == {'code', 'created', 'message'}
    assert owner['fault']['message'] == fault['message']
    # Nothing is left on the host: no guest, no claim, no address.
    assert failed['id'] not in cloud.compute('compute1').driver.guests
    (node,) = admin.get('/v2.1/os-hypervisors/detail').body['hypervisors']
    assert node['running_vms'] == 1  # 'live' only; 'failed' is on no node
    assert server['addresses'] == {}


def test_fault_details_of_a_500_are_a_traceback(failed, admin):
    """Section 7.2: details holds the full traceback when code is 500."""
    fault = admin.get('/v2.1/servers/%s' % failed['id']).body['server'][
        'fault']
    assert fault['details'].startswith('Traceback (most recent call last)'), \
        fault['details']


def test_failed_build_action_is_error(failed, admin, demo):
    actions = demo.get(_actions_path(failed['id'])).body['instanceActions']
    assert [(a['action'], a['message']) for a in actions] == [
        ('create', 'Error')]
    assert actions[0]['request_id'] == failed['create']
    action = admin.get(_actions_path(failed['id'], failed['create']),
                       version='2.84').body['instanceAction']
    assert action['message'] == 'Error'
    events = {e['event']: e for e in action['events']}
    assert events[SCHEDULE_EVENT]['result'] == 'Success'
    build = events[BUILD_EVENT]
    assert build['result'] == 'Error'
    assert build['finish_time'] is not None
    assert 'Traceback' in build['traceback']
    assert 'spawn' in build['details']
    assert build['host'] == 'compute1'
    # The owner sees that it failed, not why.
    owner = demo.get(_actions_path(failed['id'], failed['create']),
                     version='2.84').body['instanceAction']
    build, = [e for e in owner['events'] if e['event'] == BUILD_EVENT]
    assert build['result'] == 'Error'
    assert set(build) == EVENT_KEYS | {'hostId'}


# -- bodies against tempest's schemas ----------------------------------------

@pytest.mark.parametrize('version', VERSIONS)
def test_bodies_match_tempest(version, live, gone, failed, admin, demo):
    schemas = oracle.schemas(oracle.SERVERS, version)
    servers = [live, failed]
    minor = int(version.split('.')[1])
    if minor >= 21:
        servers.append(gone)
    for server in servers:
        request_ids = [server['create']] + (
            [server['delete']] if 'delete' in server else [])
        for api in (admin, demo):
            body = oracle.validate(schemas.list_instance_actions, api.get(
                _actions_path(server['id']), version=version))
            assert len(body['instanceActions']) == len(request_ids)
            for request_id in request_ids:
                body = oracle.validate(
                    schemas.show_instance_action,
                    api.get(_actions_path(server['id'], request_id),
                            version=version))
                assert ('events' in body['instanceAction']) == (
                    api is admin or minor >= 51)
    if minor >= 58:
        body = oracle.validate(schemas.list_instance_actions, admin.get(
            _actions_path(gone['id']) + '?limit=1', version=version))
        assert body['links']
