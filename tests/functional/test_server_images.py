"""createImage (snapshot to the Image API) and rebuild."""

import time

import pytest

from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}
OTHER_IMAGE = '76fa36fc-c930-4bf3-8c8a-ea2a2420deb6'
KERNEL_IMAGE = '1c2b3d4e-0000-4bf3-8c8a-ea2a2420dea1'


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    cloud.images.images[OTHER_IMAGE] = dict(
        cloud.images.images[fixtures.IMAGE_ID], id=OTHER_IMAGE,
        name='other')
    # A disk that boots with a kernel and ramdisk of its own (AKI/ARI).
    cloud.images.images[KERNEL_IMAGE] = dict(
        cloud.images.images[fixtures.IMAGE_ID], id=KERNEL_IMAGE,
        name='tiny-linux', properties={'kernel_id': 'k-1',
                                       'ramdisk_id': 'r-1',
                                       'os_command_line': 'console=ttyS0'})
    yield cloud
    cloud.stop()


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo', version='2.75')


@pytest.fixture
def server(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': SERVER}).body[
        'server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _act(api, server_id, body, **kwargs):
    return api.post('/v2.1/servers/%s/action' % server_id, body, **kwargs)


def _events(api, server_id, request_id):
    action = api.get('/v2.1/servers/%s/os-instance-actions/%s' % (
        server_id, request_id)).body['instanceAction']
    return [(e['event'], e['result']) for e in action['events']]


def test_create_image_uploads_a_snapshot(cloud, demo, server):
    resp = _act(demo, server, {'createImage': {
        'name': 'snap1', 'metadata': {'purpose': 'backup'}}})
    assert resp.status == 202
    image_id = resp.body['image_id']
    cloud.wait_for_server(server, 'ACTIVE', api=demo)
    image = cloud.images.images[image_id]
    assert image['status'] == 'active'
    assert image['data'] == b'fake disk of ' + server.encode()
    assert image['name'] == 'snap1'
    assert image['properties']['instance_uuid'] == server
    assert image['properties']['purpose'] == 'backup'
    assert image['properties']['image_type'] == 'snapshot'
    assert _events(demo, server, resp.headers['x-openstack-request-id']) \
        == [('compute_snapshot_instance', 'Success')]


def test_create_image_metadata_may_name_the_image_type(cloud, demo,
                                                       server):
    # As upstream (and Tempest's test_create_delete_image): the caller's
    # metadata comes after the properties nova sets.
    resp = _act(demo, server, {'createImage': {
        'name': 'typed', 'metadata': {'image_type': 'test'}}})
    assert resp.status == 202, resp
    cloud.wait_for_server(server, 'ACTIVE', api=demo)
    image = cloud.images.images[resp.body['image_id']]
    assert image['properties']['image_type'] == 'test'
    assert image['properties']['instance_uuid'] == server


def test_create_image_before_2_45_answers_with_a_location(cloud, demo,
                                                          server):
    resp = _act(demo, server, {'createImage': {'name': 'snap2'}},
                version='2.44')
    assert resp.status == 202 and resp.text == ''
    image_id = resp.headers['Location'].rsplit('/', 1)[-1]
    assert resp.headers['Location'].endswith('/v2/images/' + image_id)
    cloud.wait_for_server(server, 'ACTIVE', api=demo)
    assert cloud.images.images[image_id]['status'] == 'active'


def test_failed_snapshot_deletes_the_image(cloud, demo, server):
    driver = cloud.compute('compute1').driver
    driver.fail_operations = {'snapshot'}
    try:
        resp = _act(demo, server, {'createImage': {'name': 'doomed'}})
        image_id = resp.body['image_id']
        cloud.wait_for_server(server, 'ACTIVE', api=demo)
        assert image_id not in cloud.images.images
        assert _events(demo, server,
                       resp.headers['x-openstack-request-id']) == [
            ('compute_snapshot_instance', 'Error')]
    finally:
        driver.fail_operations = set()


def test_create_image_bad_body(cloud, demo, server):
    assert _act(demo, server, {'createImage': {}}).status == 400
    assert _act(demo, server, {'createImage': {
        'name': 'x', 'bogus': 1}}).status == 400


def test_rebuild_keeps_the_address_and_changes_the_image(cloud, demo,
                                                         server):
    before = demo.get('/v2.1/servers/' + server).body['server']
    resp = _act(demo, server, {'rebuild': {
        'imageRef': OTHER_IMAGE, 'name': 'rebuilt',
        'metadata': {'v': '2'}}})
    assert resp.status == 202, resp
    body = resp.body['server']
    assert len(body['adminPass']) == 12 and body['name'] == 'rebuilt'
    assert resp.headers['Location'].endswith('/servers/' + server)
    after = cloud.wait_for_server(server, 'ACTIVE', api=demo)
    assert after['image']['id'] == OTHER_IMAGE
    assert after['addresses'] == before['addresses']
    assert after['metadata'] == {'v': '2'}
    assert _events(demo, server, resp.headers['x-openstack-request-id']) \
        == [('compute_rebuild_instance', 'Success')]


def test_snapshots_of_a_kernel_booted_server_boot_the_same_way(cloud, demo):
    server_id = demo.post('/v2.1/servers', {'server': dict(
        SERVER, imageRef=KERNEL_IMAGE)}).body['server']['id']
    try:
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        resp = _act(demo, server_id, {'createImage': {'name': 'snap-k'}})
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        snapshot = cloud.images.images[resp.body['image_id']]
        assert {k: snapshot['properties'].get(k) for k in (
            'kernel_id', 'ramdisk_id', 'os_command_line')} == {
            'kernel_id': 'k-1', 'ramdisk_id': 'r-1',
            'os_command_line': 'console=ttyS0'}
        assert snapshot['properties']['base_image_ref'] == KERNEL_IMAGE
    finally:
        cloud.api.delete('/v2.1/servers/' + server_id)


def test_rebuild_takes_the_kernel_of_the_new_image(cloud, demo, server):
    assert _act(demo, server, {'rebuild': {
        'imageRef': KERNEL_IMAGE}}).status == 202
    cloud.wait_for_server(server, 'ACTIVE', api=demo)
    shown = cloud.api.get('/v2.1/servers/' + server,
                          version='2.3').body['server']
    assert shown['OS-EXT-SRV-ATTR:kernel_id'] == 'k-1'
    assert shown['OS-EXT-SRV-ATTR:ramdisk_id'] == 'r-1'


def test_rebuild_of_a_stopped_server_leaves_it_stopped(cloud, demo, server):
    _act(demo, server, {'os-stop': None})
    cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    assert _act(demo, server, {'rebuild': {
        'imageRef': OTHER_IMAGE}}).status == 202
    shown = cloud.wait_for_server(server, 'SHUTOFF', api=demo)
    assert shown['OS-EXT-STS:power_state'] == 4


def test_rebuild_refusals(cloud, demo, server):
    resp = _act(demo, server, {'rebuild': {
        'imageRef': fixtures.QUEUED_IMAGE_ID}})
    assert resp.status == 400 and 'is not active' in resp.text
    assert _act(demo, server, {'rebuild': {}}).status == 400
    _act(demo, server, {'pause': None})
    cloud.wait_for_server(server, 'PAUSED', api=demo)
    resp = _act(demo, server, {'rebuild': {'imageRef': OTHER_IMAGE}})
    assert resp.status == 409
    assert "Cannot 'rebuild' instance" in resp.text


def test_shelve_offloads_and_unshelve_comes_back(cloud, demo, server):
    before = demo.get('/v2.1/servers/' + server).body['server']
    assert _act(demo, server, {'shelve': None}).status == 202
    shelved = cloud.wait_for_server(server, 'SHELVED_OFFLOADED', api=demo)
    assert shelved['addresses'] == {}
    admin_view = cloud.api.get('/v2.1/servers/' + server).body['server']
    assert admin_view['OS-EXT-SRV-ATTR:host'] is None
    assert server not in cloud.compute('compute1').driver.guests
    shelve_images = [i for i in cloud.images.images.values()
                     if i['name'] == '%s-shelved' % before['name']]
    assert [i['status'] for i in shelve_images] == ['active']
    # Offloading freed the host's resources.
    node = cloud.api.get('/v2.1/os-hypervisors/detail').body[
        'hypervisors'][0]
    assert (node['running_vms'], node['memory_mb_used']) == (0, 0)

    resp = _act(demo, server, {'unshelve': None})
    assert resp.status == 202
    back = cloud.wait_for_server(server, 'ACTIVE', api=demo)
    # The address it had, as upstream (whose port stays while offloaded;
    # the MAC address is a new one here).
    assert [a['addr'] for a in back['addresses']['private']] == [
        a['addr'] for a in before['addresses']['private']]
    assert shelve_images[0]['id'] not in cloud.images.images
    assert cloud.compute('compute1').driver.guests[server] == 1
    events = _events(demo, server, resp.headers['x-openstack-request-id'])
    assert ('compute_unshelve_instance', 'Success') in events


def _shelve_and_unshelve(cloud, api, server_id):
    assert _act(api, server_id, {'shelve': None}).status == 202
    cloud.wait_for_server(server_id, 'SHELVED_OFFLOADED', api=api)
    assert _act(api, server_id, {'unshelve': None}).status == 202
    return cloud.wait_for_server(server_id, 'ACTIVE', api=api)


def test_unshelve_keeps_no_network_and_a_taken_address_becomes_another(
        cloud, demo):
    none = demo.post('/v2.1/servers', {'server': dict(
        SERVER, name='no-net', networks='none')}, version='2.37').body[
        'server']['id']
    cloud.wait_for_server(none, 'ACTIVE', api=demo)
    assert _shelve_and_unshelve(cloud, demo, none)['addresses'] == {}

    first = demo.post('/v2.1/servers', {'server': dict(
        SERVER, name='first')}).body['server']['id']
    (address,) = cloud.wait_for_server(first, 'ACTIVE', api=demo)[
        'addresses']['private']
    assert _act(demo, first, {'shelve': None}).status == 202
    cloud.wait_for_server(first, 'SHELVED_OFFLOADED', api=demo)
    # Another server takes the address while the first is offloaded.
    taker = demo.post('/v2.1/servers', {'server': dict(
        SERVER, name='taker', networks=[{
            'uuid': cloud.conf.network.flat_network_id,
            'fixed_ip': address['addr']}])}, version='2.37').body[
        'server']['id']
    cloud.wait_for_server(taker, 'ACTIVE', api=demo)
    assert _act(demo, first, {'unshelve': None}).status == 202
    back = cloud.wait_for_server(first, 'ACTIVE', api=demo)
    (new,) = back['addresses']['private']
    assert new['addr'] != address['addr']


def test_shelve_refusals(cloud, demo, server):
    resp = _act(demo, server, {'unshelve': None})
    assert resp.status == 409
    assert "Cannot 'unshelve' instance" in resp.text
    resp = _act(demo, server, {'shelveOffload': None})
    assert resp.status == 403


def test_shelved_instances_are_offloaded_after_shelved_offload_time(
        cloud, demo, server):
    from nova.compute import shelve
    from nova import context as nova_context
    compute = cloud.compute('compute1')
    compute.conf.set_override('shelved_offload_time', 3600)
    try:
        assert _act(demo, server, {'shelve': None}).status == 202
        shelved = cloud.wait_for_server(server, 'SHELVED', api=demo)
        assert shelved['OS-EXT-STS:task_state'] is None
        assert server in compute.driver.guests  # still on its host
        # Not yet an hour.
        assert shelve.offload_expired(
            compute, nova_context.get_admin_context) == 0
        compute.conf.set_override('shelved_offload_time', 1)
        time.sleep(1.1)
        # A failed offload leaves it shelved, not stuck in a task.
        compute.driver.fail_operations.add('destroy')
        try:
            assert shelve.offload_expired(
                compute, nova_context.get_admin_context) == 0
        finally:
            compute.driver.fail_operations.discard('destroy')
        again = cloud.wait_for_server(server, 'SHELVED', api=demo)
        assert again['OS-EXT-STS:task_state'] is None
        assert shelve.offload_expired(
            compute, nova_context.get_admin_context) == 1
    finally:
        compute.conf.clear_override('shelved_offload_time')
    offloaded = cloud.wait_for_server(server, 'SHELVED_OFFLOADED', api=demo)
    assert offloaded['addresses'] == {}
    assert server not in compute.driver.guests
    actions = cloud.api.get('/v2.1/servers/%s/os-instance-actions'
                            % server).body['instanceActions']
    offloads = [a for a in actions if a['action'] == 'shelveOffload']
    assert sorted(_events(cloud.api, server, a['request_id'])[0][1]
                  for a in offloads) == ['Error', 'Success']
