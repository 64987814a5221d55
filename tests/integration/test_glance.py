"""Glance as stack.sh starts it, seen by the openstack client and by nova's
Image API client (nova.image.glance) from this process."""

import hashlib
import os
import uuid

from oslo_config import cfg
import pytest

import nova.conf
from nova import context
from nova import exception
from nova.image import glance

IMAGE_DATA = bytes(1024 * 1024)  # what stack.sh uploads: a blank raw disk

# Glance keeps its own SQLite database whatever nova's backend is, and the
# deployments of the other modules start it on every backend already: one
# deployment is enough here.
pytestmark = pytest.mark.parametrize('deployment', ['sqlite'],
                                     indirect=True, scope='module')


@pytest.fixture(scope='module')
def image_api(deployment):
    if deployment.env.get('NOVA_ENABLE_GLANCE', 'True') != 'True':
        pytest.skip('Glance is disabled (NOVA_ENABLE_GLANCE)')
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    conf.set_override('endpoint', deployment.glance_endpoint, 'glance')
    conf.set_override('timeout', 30.0, 'glance')
    return glance.API(conf)


def _context(deployment):
    # demo's Keystone token: Glance validates it.
    return context.RequestContext(
        user_id='demo', project_id='demo',
        auth_token=deployment.token('demo', 'demo'),
        global_request_id='req-' + str(uuid.uuid4()), overwrite=False)


def test_image_list_shows_the_test_image_active(deployment, image_api):
    images = deployment.openstack_json('image', 'list')
    name = deployment.image_name
    assert [(i['Name'], i['Status']) for i in images
            if i['Name'] == name] == [(name, 'active')]


def test_nova_shows_and_downloads_the_test_image(deployment, image_api,
                                                 tmp_path):
    ctx = _context(deployment)
    found = image_api.detail(ctx, name=deployment.image_name)
    assert len(found) == 1
    image = image_api.show(ctx, found[0]['id'])
    assert (image['status'], image['disk_format'], image['container_format'],
            image['size'], image['visibility']) == (
        'active', 'raw', 'bare', len(IMAGE_DATA), 'public')
    assert image['os_hash_value'] == hashlib.sha512(IMAGE_DATA).hexdigest()

    dest = tmp_path / 'image'
    image_api.download(ctx, image['id'], str(dest))
    assert dest.read_bytes() == IMAGE_DATA
    # Glance logs nova's request id with the requests it served.
    lines = [line for line in deployment.log('g-api').splitlines()
             if ctx.global_id in line]
    assert any('GET /v2/images/%s/file' % image['id'] in line
               for line in lines), lines


def test_nova_creates_uploads_updates_caches_and_deletes(deployment,
                                                         image_api,
                                                         tmp_path):
    ctx = _context(deployment)
    data = os.urandom(300 * 1024)
    image = image_api.create(ctx, {
        'name': 'it-snapshot-' + uuid.uuid4().hex[:6], 'disk_format': 'raw',
        'container_format': 'bare',
        'properties': {'instance_uuid': str(uuid.uuid4()), 'hw_cpus': 2}})
    assert image['status'] == 'queued'
    try:
        image = image_api.upload(
            ctx, image['id'],
            (data[i:i + 65536] for i in range(0, len(data), 65536)))
        assert (image['status'], image['size']) == ('active', len(data))

        image = image_api.update(ctx, image['id'],
                                 {'min_ram': 64, 'properties': {
                                     'hw_cpus': 4, 'extra': 'yes'}},
                                 remove=['instance_uuid'])
        assert image['min_ram'] == 64
        assert image['properties']['hw_cpus'] == '4'
        assert image['properties']['extra'] == 'yes'
        assert 'instance_uuid' not in image['properties']

        cache = tmp_path / 'cache'
        path = glance.fetch_to_cache(ctx, image['id'], str(cache),
                                     api=image_api)
        assert path == str(cache / image['id'])
        assert (cache / image['id']).read_bytes() == data
    finally:
        image_api.delete(ctx, image['id'])
    with pytest.raises(exception.ImageNotFound):
        image_api.show(ctx, image['id'])


def test_stack_again_keeps_glance_and_its_one_test_image(deployment,
                                                         image_api):
    pid = deployment.pid('g-api')
    result = deployment.stack()
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'glance-api is already running' in result.stdout
    assert deployment.pid('g-api') == pid
    assert len(image_api.detail(_context(deployment),
                                name=deployment.image_name)) == 1


def test_unstack_stops_glance(deployment, image_api):
    ctx = _context(deployment)  # while Keystone runs
    pid = deployment.pid('g-api')
    result = deployment.unstack()
    assert result.returncode == 0, result.stderr
    assert not os.path.exists('/proc/%d' % pid) or \
        open('/proc/%d/stat' % pid).read().split()[2] == 'Z'
    assert not os.path.exists(os.path.join(deployment.piddir, 'g-api.pid'))
    with pytest.raises(exception.GlanceConnectionFailed):
        image_api.num_retries = 0
        image_api.show(ctx, 'any')
