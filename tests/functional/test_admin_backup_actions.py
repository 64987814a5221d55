"""os-resetState, createBackup, trigger_crash_dump, injectNetworkInfo,
the security group actions and GET os-security-groups; createImage's 409
while a snapshot is under way; accessIPv6's canonical form.

Contract: compute-api-facts.md section 3.1 (os-resetState, createBackup,
trigger_crash_dump), upstream's admin_actions.py, create_backup.py,
security_groups.py and the Instance object's IPv6 field.
"""

import time

import pytest

from nova.db import instances as db_instances
from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo')


@pytest.fixture
def server(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _act(api, server_id, body, **kwargs):
    return api.post('/v2.1/servers/%s/action' % server_id, body, **kwargs)


def _fault(resp, code, message=None):
    kind = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
            409: 'conflictingRequest'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [kind], resp
    if message is not None:
        assert resp.body[kind]['message'] == message, resp


def _action(api, server_id, resp, version='2.51'):
    request_id = resp.headers['x-openstack-request-id']
    return api.get('/v2.1/servers/%s/os-instance-actions/%s'
                   % (server_id, request_id),
                   version=version).body['instanceAction']


def _wait_action_events(api, server_id, resp, count=1, timeout=10):
    """The action of resp once count events finished (events seen by an
    admin: a project's users see them from 2.51)."""
    deadline = time.monotonic() + timeout
    while True:
        action = _action(api, server_id, resp, version='2.51')
        events = [e for e in action.get('events', [])
                  if e['finish_time'] is not None]
        if len(events) >= count:
            return action
        assert time.monotonic() < deadline, action
        time.sleep(0.05)


# os-resetState --------------------------------------------------------------

def test_reset_state_to_error_and_back(cloud, demo, server):
    resp = _act(cloud.api, server, {'os-resetState': {'state': 'error'}})
    assert resp.status == 202, resp
    assert resp.text == ''
    shown = demo.get('/v2.1/servers/' + server).body['server']
    assert shown['status'] == 'ERROR'
    assert shown['OS-EXT-STS:vm_state'] == 'error'
    action = _action(cloud.api, server, resp)
    assert action['action'] == 'resetState'
    # Out of a stuck task too: task_state cleared, vm_state active.
    db_instances.instance_update(server, {'task_state': 'image_uploading'})
    resp = _act(cloud.api, server, {'os-resetState': {'state': 'active'}})
    assert resp.status == 202, resp
    shown = cloud.api.get('/v2.1/servers/' + server).body['server']
    assert shown['status'] == 'ACTIVE'
    assert shown['OS-EXT-STS:task_state'] is None
    assert shown['OS-EXT-STS:vm_state'] == 'active'


def test_reset_state_is_the_admins(cloud, demo, server):
    _fault(_act(demo, server, {'os-resetState': {'state': 'error'}}), 403,
           "Policy doesn't allow os_compute_api:os-admin-actions:"
           "reset_state to be performed.")
    assert demo.get('/v2.1/servers/' + server).body['server'][
        'status'] == 'ACTIVE'


@pytest.mark.parametrize('body', [
    {'state': 'deleted'}, {'state': 'ACTIVE'}, {}, None,
    {'state': 'active', 'extra': 1}])
def test_reset_state_bad_bodies(cloud, server, body):
    _fault(_act(cloud.api, server, {'os-resetState': body}), 400)


def test_reset_state_of_no_server(cloud):
    _fault(_act(cloud.api, 'a9a4d5c3-7a60-4a2d-9a0d-6f7a6a0b1c2d',
                {'os-resetState': {'state': 'active'}}), 404)


# createBackup ----------------------------------------------------------------

def _backups(cloud, server_id, backup_type):
    return sorted(
        (image for image in cloud.images.images.values()
         if image['properties'].get('image_type') == 'backup'
         and image['properties'].get('instance_uuid') == server_id
         and image['properties'].get('backup_type') == backup_type),
        key=lambda image: image['created_at'])


def _backup(cloud, api, server_id, rotation, backup_type='daily',
            version=None, status='ACTIVE'):
    resp = _act(api, server_id, {'createBackup': {
        'name': 'bk', 'backup_type': backup_type, 'rotation': rotation}},
        version=version)
    assert resp.status == 202, resp
    _wait_action_events(api, server_id, resp)
    cloud.wait_for_server(server_id, status, api=api)
    return resp


def test_backups_rotate_out_the_oldest(cloud, demo, server):
    weekly = _backup(cloud, demo, server, 5, backup_type='weekly')
    made = []
    for _ in range(3):
        resp = _backup(cloud, demo, server, 2)
        # Before 2.45: a Location of the compute API's images.
        location = resp.headers['Location']
        assert location.startswith('http://localhost/v2.1/images/')
        made.append(location.rsplit('/', 1)[1])
    kept = _backups(cloud, server, 'daily')
    assert [image['id'] for image in kept] == made[1:]
    for image in kept:
        assert image['status'] == 'active'
        assert image['name'] == 'bk'
    # Another type's are not this rotation's.
    assert [image['id'] for image in _backups(cloud, server, 'weekly')] \
        == [weekly.headers['Location'].rsplit('/', 1)[1]]
    action = _action(demo, server, resp)
    assert action['action'] == 'createBackup'
    assert [(e['event'], e['result']) for e in action['events']] == [
        ('compute_backup_instance', 'Success')]


def test_backup_2_45_answers_the_image_id(cloud, demo, server):
    resp = _backup(cloud, demo, server, '1', version='2.45')
    assert 'Location' not in resp.headers
    (image,) = _backups(cloud, server, 'daily')
    assert resp.body == {'image_id': image['id']}
    assert image['properties']['user_id'] == 'demo'
    assert image['properties']['base_image_ref'] == fixtures.IMAGE_ID


def test_backup_2_44_answers_a_location_and_no_body(cloud, demo, server):
    resp = _backup(cloud, demo, server, 1, version='2.44')
    assert resp.text == ''
    (image,) = _backups(cloud, server, 'daily')
    assert resp.headers['Location'].endswith('/images/' + image['id'])


def test_rotation_zero_keeps_no_backup(cloud, demo, server):
    _backup(cloud, demo, server, 3)
    resp = _backup(cloud, demo, server, 0)
    assert 'Location' not in resp.headers
    assert _backups(cloud, server, 'daily') == []


@pytest.mark.parametrize('body', [
    {'name': 'bk', 'backup_type': 'daily', 'rotation': -1},
    {'name': 'bk', 'backup_type': 'daily', 'rotation': 'x'},
    {'name': 'bk', 'backup_type': 'daily'},
    {'name': 'bk', 'rotation': 1},
    {'backup_type': 'daily', 'rotation': 1},
    {'name': ' bk', 'backup_type': 'daily', 'rotation': 1},
    {'name': 'bk', 'backup_type': 'daily', 'rotation': 1, 'extra': 1},
    None])
def test_backup_bad_bodies(cloud, demo, server, body):
    before = len(cloud.images.images)
    _fault(_act(demo, server, {'createBackup': body}), 400)
    assert len(cloud.images.images) == before


def test_backup_409s_and_leaves_no_image(cloud, demo, server):
    before = set(cloud.images.images)
    assert _act(demo, server, {'rescue': None}).status == 200
    cloud.wait_for_server(server, 'RESCUE', api=demo)
    _fault(_act(demo, server, {'createBackup': {
        'name': 'bk', 'backup_type': 'daily', 'rotation': 1}}), 409,
        "Cannot 'createBackup' instance %s while it is in vm_state "
        "rescued" % server)
    assert set(cloud.images.images) == before


def test_backup_of_a_stopped_server(cloud, demo, server):
    assert _act(demo, server, {'os-stop': None}).status == 202
    cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    _backup(cloud, demo, server, 1, status='SHUTOFF')
    assert len(_backups(cloud, server, 'daily')) == 1


def test_backup_or_snapshot_while_one_uploads_is_409(cloud, demo, server):
    db_instances.instance_update(server, {'task_state': 'image_uploading'})
    try:
        for body, method in (
                ({'createImage': {'name': 'snap'}}, 'createImage'),
                ({'createBackup': {'name': 'bk', 'backup_type': 'daily',
                                   'rotation': 1}}, 'createBackup')):
            _fault(_act(demo, server, body), 409,
                   "Cannot '%s' instance %s while it is in task_state "
                   "image_uploading" % (method, server))
        db_instances.instance_update(server,
                                     {'task_state': 'image_snapshot'})
        _fault(_act(demo, server, {'createImage': {'name': 'snap'}}), 409)
    finally:
        db_instances.instance_update(server, {'task_state': None})


def test_backup_of_another_projects_server_is_404(cloud, server):
    other = cloud.api.as_user('other:other')
    _fault(_act(other, server, {'createBackup': {
        'name': 'bk', 'backup_type': 'daily', 'rotation': 1}}), 404)


def test_failed_backup_deletes_its_image(cloud, demo, server):
    driver = cloud.compute('compute1').driver
    driver.fail_operations.add('snapshot')
    try:
        resp = _act(demo, server, {'createBackup': {
            'name': 'bk', 'backup_type': 'daily', 'rotation': 1}},
            version='2.45')
        assert resp.status == 202
        action = _wait_action_events(demo, server, resp)
    finally:
        driver.fail_operations.discard('snapshot')
    assert action['events'][0]['result'] == 'Error'
    cloud.wait_for_server(server, 'ACTIVE', api=demo)
    assert resp.body['image_id'] not in cloud.images.images


# trigger_crash_dump ----------------------------------------------------------

def test_crash_dump_is_2_17(cloud, demo, server):
    _fault(_act(demo, server, {'trigger_crash_dump': None},
                version='2.16'), 400,
           'There is no such action: trigger_crash_dump')
    driver = cloud.compute('compute1').driver
    resp = _act(demo, server, {'trigger_crash_dump': None}, version='2.17')
    assert resp.status == 202, resp
    assert resp.text == ''
    action = _wait_action_events(demo, server, resp)
    assert action['action'] == 'trigger_crash_dump'
    assert [(e['event'], e['result']) for e in action['events']] == [
        ('compute_trigger_crash_dump', 'Success')]
    assert driver.crash_dumps.count(server) == 1
    shown = demo.get('/v2.1/servers/' + server).body['server']
    assert shown['status'] == 'ACTIVE'


def test_crash_dump_body_must_be_null(cloud, demo, server):
    _fault(_act(demo, server, {'trigger_crash_dump': {}}, version='2.17'),
           400)


def test_crash_dump_of_a_stopped_server_is_409(cloud, demo, server):
    assert _act(demo, server, {'os-stop': None}).status == 202
    cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    _fault(_act(demo, server, {'trigger_crash_dump': None},
                version='2.17'), 409,
           "Cannot 'trigger_crash_dump' instance %s while it is in "
           "vm_state stopped" % server)


def test_crash_dump_of_a_paused_server(cloud, demo, server):
    assert _act(demo, server, {'pause': None}).status == 202
    cloud.wait_for_server(server, 'PAUSED', api=demo)
    resp = _act(demo, server, {'trigger_crash_dump': None}, version='2.17')
    assert resp.status == 202
    _wait_action_events(demo, server, resp)
    assert server in cloud.compute('compute1').driver.crash_dumps


def test_crash_dump_of_a_locked_server_is_409(cloud, demo, server):
    assert _act(demo, server, {'lock': None}).status == 202
    try:
        _fault(_act(demo, server, {'trigger_crash_dump': None},
                    version='2.17'), 409)
    finally:
        _act(demo, server, {'unlock': None})


def test_crash_dump_of_another_projects_server_is_404(cloud, server):
    resp = _act(cloud.api.as_user('other:other'), server,
                {'trigger_crash_dump': None}, version='2.17')
    _fault(resp, 404)
    assert server not in cloud.compute('compute1').driver.crash_dumps


# injectNetworkInfo -----------------------------------------------------------

def test_inject_network_info_plugs_the_vifs_again(cloud, demo, server):
    driver = cloud.compute('compute1').driver
    vifs = driver.plugged_vifs[server]
    assert vifs
    driver.unplug_vifs({'uuid': server}, None)
    resp = _act(cloud.api, server, {'injectNetworkInfo': None})
    assert resp.status == 202, resp
    deadline = time.monotonic() + 10
    while server not in driver.plugged_vifs:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert driver.plugged_vifs[server] == vifs
    _fault(_act(demo, server, {'injectNetworkInfo': None}), 403,
           "Policy doesn't allow os_compute_api:os-admin-actions:"
           "inject_network_info to be performed.")


# Security groups --------------------------------------------------------------

def _groups(api, server_id):
    resp = api.get('/v2.1/servers/%s/os-security-groups' % server_id)
    assert resp.status == 200, resp
    return resp.body['security_groups']


def test_a_server_is_in_the_default_group(cloud, demo, server):
    (group,) = _groups(demo, server)
    assert group['name'] == 'default'
    assert group['tenant_id'] == 'demo'
    assert group['rules'] == []
    assert set(group) == {'id', 'name', 'description', 'tenant_id',
                          'rules'}
    assert demo.get('/v2.1/servers/' + server).body['server'][
        'security_groups'] == [{'name': 'default'}]


def test_remove_and_add_the_default_group(cloud, demo, server):
    path = '/v2.1/servers/%s/action' % server
    resp = demo.post(path, {'removeSecurityGroup': {'name': 'default'}})
    assert resp.status == 202 and resp.text == ''
    assert _groups(demo, server) == []
    assert 'security_groups' not in demo.get(
        '/v2.1/servers/' + server).body['server']
    _fault(demo.post(path, {'removeSecurityGroup': {'name': 'default'}}),
           400, 'Security group default not associated with the instance '
           '%s' % server)
    assert demo.post(path, {'addSecurityGroup': {'name': 'default'}}
                     ).status == 202
    # Again: already in it, still fine, still once.
    assert demo.post(path, {'addSecurityGroup': {'name': 'default'}}
                     ).status == 202
    assert [g['name'] for g in _groups(demo, server)] == ['default']


def test_unknown_security_group_is_404(cloud, demo, server):
    for action in ('addSecurityGroup', 'removeSecurityGroup'):
        _fault(_act(demo, server, {action: {'name': 'nope'}}), 404,
               'Security group nope is not found for project demo')
    assert [g['name'] for g in _groups(demo, server)] == ['default']


@pytest.mark.parametrize('value,message', [
    (None, 'Missing parameter dict'),
    ({}, 'Security group not specified'),
    ({'name': ''}, 'Security group name cannot be empty'),
    ({'name': '  '}, 'Security group name cannot be empty'),
])
def test_security_group_action_bad_bodies(cloud, demo, server, value,
                                          message):
    for action in ('addSecurityGroup', 'removeSecurityGroup'):
        _fault(_act(demo, server, {action: value}), 400, message)


def test_security_groups_of_others(cloud, server):
    other = cloud.api.as_user('other:other')
    _fault(other.get('/v2.1/servers/%s/os-security-groups' % server), 404)
    _fault(_act(other, server, {'removeSecurityGroup': {'name': 'default'}}),
           404)


def test_the_projects_groups_through_the_deprecated_proxy(cloud, demo,
                                                         server):
    # What the openstack client reads to find a group by name when there
    # is no network service.
    from tempest.lib.api_schema.response.compute.v2_1 import \
        security_groups as schemas
    from tests.functional import tempest_oracle as oracle
    body = oracle.validate(schemas.list_security_groups,
                           demo.get('/v2.1/os-security-groups'))
    (group,) = body['security_groups']
    assert group == _groups(demo, server)[0]
    shown = oracle.validate(schemas.get_security_group, demo.get(
        '/v2.1/os-security-groups/' + group['id']))
    assert shown['security_group'] == group
    # Another project has a default group of its own.
    other = cloud.api.as_user('other:other').get(
        '/v2.1/os-security-groups').body['security_groups']
    assert other[0]['tenant_id'] == 'other' and other[0]['id'] != \
        group['id']
    _fault(cloud.api.as_user('other:other').get(
        '/v2.1/os-security-groups/' + group['id']), 404)
    _fault(demo.get('/v2.1/os-security-groups/nope'), 404)
    # Gone from 2.36, as upstream's proxy.
    _fault(demo.get('/v2.1/os-security-groups', version='2.36'), 404)


def test_create_with_an_unknown_security_group_is_400(cloud, demo):
    before = len(demo.get('/v2.1/servers').body['servers'])
    resp = demo.post('/v2.1/servers', {'server': dict(
        SERVER, security_groups=[{'name': 'default'}, {'name': 'nope'}])})
    _fault(resp, 400, 'Security group nope not found.')
    assert len(demo.get('/v2.1/servers').body['servers']) == before


# accessIPv6 -------------------------------------------------------------------

def test_access_ipv6_is_stored_canonical(cloud, demo):
    resp = demo.post('/v2.1/servers', {'server': dict(
        SERVER, accessIPv6='2001:0DB8:0000:0000::0001')})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    try:
        shown = demo.get('/v2.1/servers/' + server_id).body['server']
        assert shown['accessIPv6'] == '2001:db8::1'
        resp = demo.put('/v2.1/servers/' + server_id,
                        {'server': {'accessIPv6': '::ffff:1'}})
        assert resp.status == 200, resp
        # netaddr's text of an IPv4-compatible address, as upstream shows.
        assert resp.body['server']['accessIPv6'] == '::255.255.0.1'
        assert demo.get('/v2.1/servers/' + server_id).body['server'][
            'accessIPv6'] == '::255.255.0.1'
    finally:
        cloud.api.delete('/v2.1/servers/' + server_id)
