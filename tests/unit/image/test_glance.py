import datetime
import hashlib
import json
import os
import socket
import threading

from oslo_config import cfg
import pytest

import nova.conf
from nova.conf import opts as conf_opts
from nova import context
from nova import exception
from nova.image import glance
from tests.unit.image import fakes

REQUEST_ID = 'req-0e1d7a9a-3a1c-4a55-9a37-2f1d0c5e7b11'
DATA = os.urandom(200 * 1024)


@pytest.fixture
def fake():
    fake = fakes.FakeImageAPI().start()
    yield fake
    fake.stop()


def _conf(endpoint, **overrides):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    conf.set_override('endpoint', endpoint, 'glance')
    for name, value in overrides.items():
        conf.set_override(name, value, 'glance')
    return conf


@pytest.fixture
def api(fake):
    api = glance.API(_conf(fake.endpoint))
    api.retry_delay = 0.01
    return api


@pytest.fixture
def ctx():
    return context.RequestContext(user_id='demo', project_id='demo',
                                  auth_token='demo:demo',
                                  global_request_id=REQUEST_ID,
                                  overwrite=False)


def test_options_are_registered_and_listed():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    assert conf.glance.endpoint == 'http://127.0.0.1:9292'
    assert conf.glance.num_retries == 3
    assert conf.glance.insecure is False
    assert conf.glance.timeout == 60.0
    assert conf.glance.cafile is None
    groups = dict(conf_opts.list_opts())
    # with keystoneauth's session and auth options (test_glance_auth)
    assert {o.name for o in groups['glance']} >= {
        'endpoint', 'timeout', 'num_retries', 'insecure', 'cafile',
        'api_image_cache_seconds', 'auth_type'}


def test_show_returns_core_attributes_and_properties(fake, api, ctx):
    image = fake.add_image(DATA, name='cirros', disk_format='qcow2',
                           container_format='bare', visibility='public',
                           min_disk=1, hw_disk_bus='virtio',
                           os_distro='cirros')
    shown = api.show(ctx, image['id'])
    assert shown['id'] == image['id']
    assert (shown['name'], shown['status'], shown['disk_format'],
            shown['container_format'], shown['size'], shown['min_disk'],
            shown['min_ram']) == ('cirros', 'active', 'qcow2', 'bare',
                                  len(DATA), 1, 0)
    assert shown['visibility'] == 'public' and shown['is_public'] is True
    assert shown['properties'] == {'hw_disk_bus': 'virtio',
                                   'os_distro': 'cirros'}
    assert shown['created_at'] == datetime.datetime(2026, 11, 22, 4, 5, 6)
    assert shown['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert 'self' not in shown and 'file' not in shown['properties']


def test_show_missing_image_raises_image_not_found(api, ctx):
    with pytest.raises(exception.ImageNotFound) as err:
        api.show(ctx, 'b4b1d1c3-0000-4000-8000-000000000000')
    assert err.value.code == 404
    assert 'b4b1d1c3-0000-4000-8000-000000000000' in err.value.format_message()


def test_request_id_and_token_are_sent(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    api.show(ctx, image['id'])
    headers = fake.requests[-1].headers
    assert headers['X-OpenStack-Request-ID'] == REQUEST_ID
    assert headers['X-Auth-Token'] == 'demo:demo'


def test_without_global_id_the_request_id_is_sent_and_no_token(fake, api):
    ctx = context.RequestContext(user_id='u', project_id='p')
    fake.add_image(DATA, id='4a4e1c68-4b2d-4d5f-9fd5-0a7c1b8b3c11')
    api.show(ctx, '4a4e1c68-4b2d-4d5f-9fd5-0a7c1b8b3c11')
    headers = fake.requests[-1].headers
    assert headers['X-OpenStack-Request-ID'] == ctx.request_id
    assert 'X-Auth-Token' not in headers


def test_detail_by_name(fake, api, ctx):
    for _ in range(3):
        fake.add_image(DATA, name='wanted')
    fake.add_image(DATA, name='other')
    found = api.detail(ctx, name='wanted')
    assert len(found) == 3 and {i['name'] for i in found} == {'wanted'}
    assert fake.requests[-1].query == {'name': 'wanted', 'limit': '100'}
    assert api.detail(ctx, name='nothing') == []


def test_detail_limit_caps_the_list(fake, api, ctx):
    for _ in range(5):
        fake.add_image(DATA, name='img')
    assert len(api.detail(ctx, status='active')) == 5
    fake.requests.clear()
    assert len(api.detail(ctx, limit=3)) == 3
    assert [r.query['limit'] for r in fake.requests] == ['3']


def test_detail_follows_next_links(fake, api, ctx):
    for _ in range(5):
        fake.add_image(DATA, name='img')
    calls = []
    real = api._request

    def small_pages(context, method, path, **kwargs):
        if path == '/images':
            kwargs['params'] = dict(kwargs['params'], limit=2)
            calls.append(kwargs['params'].get('marker'))
        return real(context, method, path, **kwargs)

    api._request = small_pages
    images = api.detail(ctx)
    assert len({i['id'] for i in images}) == 5
    assert len(calls) == 3 and calls[0] is None


def test_download_writes_the_data_and_checks_it(fake, api, ctx, tmp_path):
    image = fake.add_image(DATA, name='x')
    dest = tmp_path / 'image'
    meta = api.download(ctx, image['id'], str(dest))
    assert dest.read_bytes() == DATA
    assert meta['id'] == image['id']
    file_request = fake.requests_for('GET', '/file')[-1]
    assert file_request.headers['X-OpenStack-Request-ID'] == REQUEST_ID


def test_download_checksum_mismatch_is_detected(fake, api, ctx, tmp_path):
    image = fake.add_image(DATA, name='x')
    fake.corrupt.add(image['id'])
    dest = tmp_path / 'image'
    with pytest.raises(exception.ImageChecksumMismatch) as err:
        api.download(ctx, image['id'], str(dest))
    assert 'sha512' in err.value.format_message()
    assert not dest.exists()


def test_download_md5_checksum_when_no_multihash(fake, api, ctx, tmp_path):
    image = fake.add_image(DATA, name='x')
    image.update(os_hash_algo=None, os_hash_value=None)
    fake.corrupt.add(image['id'])
    with pytest.raises(exception.ImageChecksumMismatch) as err:
        api.download(ctx, image['id'], str(tmp_path / 'image'))
    assert 'md5' in err.value.format_message()


def test_download_of_queued_image_is_refused(fake, api, ctx, tmp_path):
    image = fake.add_image(name='empty')
    with pytest.raises(exception.ImageNotActive):
        api.download(ctx, image['id'], str(tmp_path / 'image'))
    assert fake.requests_for('GET', '/file') == []
    assert exception.ImageNotActive.code == 400


def test_download_missing_image(api, ctx, tmp_path):
    with pytest.raises(exception.ImageNotFound):
        api.download(ctx, 'nope', str(tmp_path / 'image'))
    assert not (tmp_path / 'image').exists()


def test_create_upload_update_delete(fake, api, ctx, tmp_path):
    image = api.create(ctx, {'name': 'snap', 'disk_format': 'raw',
                             'container_format': 'bare', 'status': 'active',
                             'size': 5, 'properties': {
                                 'instance_uuid': 'abc', 'hw_cpus': 2,
                                 'secure': True, 'skip': None}})
    assert image['status'] == 'queued'
    body = fake.requests_for('POST')[-1].body
    assert b'"status"' not in body and b'"size"' not in body
    assert fake.images[image['id']]['hw_cpus'] == '2'
    assert image['properties'] == {'instance_uuid': 'abc', 'hw_cpus': '2',
                                   'secure': 'true'}

    path = tmp_path / 'disk'
    path.write_bytes(DATA)
    image = api.upload(ctx, image['id'], str(path))
    assert image['status'] == 'active' and image['size'] == len(DATA)
    assert fake.data[image['id']] == DATA

    image = api.update(ctx, image['id'],
                       {'name': 'snap2', 'min_ram': 64, 'size': 1,
                        'properties': {'hw_cpus': '4', 'extra': 'y'}},
                       remove=['secure', 'not-there'])
    assert (image['name'], image['min_ram'], image['size']) == (
        'snap2', 64, len(DATA))
    assert image['properties'] == {'instance_uuid': 'abc', 'hw_cpus': '4',
                                   'extra': 'y'}
    ops = fake.requests_for('PATCH')[-1].body
    assert b'"op": "add", "path": "/extra"' in ops
    assert b'"op": "replace", "path": "/hw_cpus"' in ops

    api.delete(ctx, image['id'])
    assert image['id'] not in fake.images
    with pytest.raises(exception.ImageNotFound):
        api.delete(ctx, image['id'])


def test_upload_from_an_iterator_is_sent_chunked(fake, api, ctx):
    image = api.create(ctx, {'name': 'stream', 'disk_format': 'raw',
                             'container_format': 'bare'})

    def chunks():
        for i in range(0, len(DATA), 4096):
            yield DATA[i:i + 4096]

    image = api.upload(ctx, image['id'], chunks())
    assert image['status'] == 'active'
    assert fake.data[image['id']] == DATA
    put = fake.requests_for('PUT')[-1]
    assert put.headers.get('Transfer-Encoding') == 'chunked'


def test_create_with_data_uploads_it(fake, api, ctx):
    image = api.create(ctx, {'name': 'direct', 'disk_format': 'raw',
                             'container_format': 'bare'}, data=DATA)
    assert image['status'] == 'active'
    assert fake.data[image['id']] == DATA


def test_reads_are_retried_on_503(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    fake.fail = [503, 503]
    assert api.show(ctx, image['id'])['id'] == image['id']
    assert len(fake.requests_for('GET')) == 3


def test_transient_errors_are_retried_and_logged(fake, api, ctx, caplog):
    image = fake.add_image(DATA, name='x')
    fake.fail = [500, 502, 504]
    assert api.show(ctx, image['id'])['id'] == image['id']
    assert len(fake.requests_for('GET')) == 4
    retries = [r.getMessage() for r in caplog.records
               if 'retrying' in r.getMessage()]
    assert len(retries) == 3
    assert 'answered 500 (failed on purpose); retrying, attempt 2 of 4' \
        in retries[0]


def test_retries_wait_longer_each_time(fake, api, ctx, monkeypatch):
    slept = []
    monkeypatch.setattr(glance.time, 'sleep', slept.append)
    api.retry_delay = 0.5
    image = fake.add_image(DATA, name='x')
    fake.fail = [503] * 3
    api.show(ctx, image['id'])
    assert slept == [0.5, 1.0, 2.0]


def test_after_the_last_retry_the_error_is_raised(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    fake.fail = [500] * 4
    with pytest.raises(exception.GlanceConnectionFailed) as err:
        api.show(ctx, image['id'])
    assert 'HTTP 500' in err.value.format_message()
    assert len(fake.requests_for('GET')) == 4


def test_not_implemented_is_not_retried(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    fake.fail = [501]
    with pytest.raises(exception.GlanceConnectionFailed):
        api.show(ctx, image['id'])
    assert len(fake.requests_for('GET')) == 1


def test_an_upload_of_a_file_is_sent_again_whole(fake, api, ctx, tmp_path):
    # A snapshot must not fail on one transient 500 (Glance on SQLite:
    # "database is locked").
    image = api.create(ctx, {'name': 'snap', 'disk_format': 'raw',
                             'container_format': 'bare'})
    path = tmp_path / 'disk'
    path.write_bytes(DATA)
    fake.fail = [500, 503]
    assert api.upload(ctx, image['id'], str(path))['status'] == 'active'
    assert fake.data[image['id']] == DATA
    assert [len(r.body) for r in fake.requests_for('PUT')] == [len(DATA)] * 3


def test_an_upload_of_bytes_is_sent_again(fake, api, ctx):
    image = api.create(ctx, {'name': 'snap'})
    fake.fail = [500]
    api.upload(ctx, image['id'], DATA)
    assert fake.data[image['id']] == DATA


def test_an_upload_whose_answer_was_lost_is_done(fake, api, ctx):
    image = api.create(ctx, {'name': 'snap'})
    fake.fail_after = [502]
    assert api.upload(ctx, image['id'], DATA)['status'] == 'active'
    assert len(fake.requests_for('PUT')) == 2


def test_an_upload_from_a_stream_is_sent_once(fake, api, ctx):
    image = api.create(ctx, {'name': 'stream'})
    fake.fail = [500]
    with pytest.raises(exception.GlanceConnectionFailed):
        api.upload(ctx, image['id'], iter([DATA[:10], DATA[10:]]))
    assert len(fake.requests_for('PUT')) == 1


def test_a_create_names_its_id_and_is_sent_again(fake, api, ctx):
    fake.fail = [503]
    image = api.create(ctx, {'name': 'x'})
    posts = fake.requests_for('POST')
    assert len(posts) == 2
    assert [json.loads(p.body)['id'] for p in posts] == [image['id']] * 2
    assert list(fake.images) == [image['id']]


def test_a_create_whose_answer_was_lost_is_not_doubled(fake, api, ctx):
    fake.fail_after = [500]
    image = api.create(ctx, {'name': 'x'})
    assert len(fake.requests_for('POST')) == 2
    assert list(fake.images) == [image['id']]
    assert image['name'] == 'x'


def test_a_delete_whose_answer_was_lost_is_done(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    fake.fail_after = [503]
    api.delete(ctx, image['id'])
    assert image['id'] not in fake.images
    assert len(fake.requests_for('DELETE')) == 2


def test_updates_are_not_retried(fake, api, ctx):
    # A JSON patch's 'remove' of what a lost attempt removed fails.
    image = fake.add_image(DATA, name='x')
    fake.fail_after = [None, 503]  # the GET served, the PATCH's answer lost
    with pytest.raises(exception.GlanceConnectionFailed):
        api.update(ctx, image['id'], {'name': 'y'})
    assert len(fake.requests_for('PATCH')) == 1


def test_errors_map_to_domain_exceptions(fake, api, ctx):
    image = fake.add_image(DATA, name='x')
    for code, exc in ((400, exception.ImageBadRequest),
                      (401, exception.NotAuthenticated),
                      (403, exception.ImageNotAuthorized),
                      (409, exception.ImageConflict),
                      (500, exception.GlanceConnectionFailed)):
        fake.fail = [code] * 4
        with pytest.raises(exc):
            api.show(ctx, image['id'])


def test_unreachable_endpoint_raises_connection_failed(ctx):
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    api = glance.API(_conf('http://127.0.0.1:%d' % port, num_retries=1))
    api.retry_delay = 0.01
    with pytest.raises(exception.GlanceConnectionFailed) as err:
        api.show(ctx, 'x')
    assert err.value.code == 503


def test_endpoint_with_version_suffix_is_accepted(fake, ctx):
    image = fake.add_image(DATA, name='x')
    api = glance.API(_conf(fake.endpoint + '/v2/'))
    assert api.show(ctx, image['id'])['name'] == 'x'


def test_bad_image_ids_are_refused(api, ctx, tmp_path):
    for bad in ('', None):
        with pytest.raises(exception.InvalidImageRef):
            api.show(ctx, bad)
    for bad in ('../etc', '.hidden', '', 'a/b'):
        with pytest.raises(exception.InvalidImageRef):
            glance.fetch_to_cache(ctx, bad, str(tmp_path), api=api)


def test_cache_downloads_once_under_concurrency(fake, api, ctx, tmp_path):
    image = fake.add_image(DATA, name='x')
    fake.download_delay = 0.3
    cache = tmp_path / 'cache'
    paths, errors = [], []

    def build():
        try:
            paths.append(glance.fetch_to_cache(ctx, image['id'], str(cache),
                                               api=api))
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=build) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert paths == [str(cache / image['id'])] * 6
    assert len(fake.requests_for('GET', '/file')) == 1
    assert (cache / image['id']).read_bytes() == DATA
    assert sorted(p.name for p in cache.iterdir()) == ['.locks', image['id']]
    # Cached: no request at all the next time.
    fake.requests.clear()
    assert glance.fetch_to_cache(ctx, image['id'], str(cache), api=api) == \
        str(cache / image['id'])
    assert fake.requests == []


def test_cache_keeps_nothing_after_a_failed_download(fake, api, ctx,
                                                     tmp_path):
    image = fake.add_image(DATA, name='x')
    fake.corrupt.add(image['id'])
    cache = tmp_path / 'cache'
    with pytest.raises(exception.ImageChecksumMismatch):
        glance.fetch_to_cache(ctx, image['id'], str(cache), api=api)
    assert [p.name for p in cache.iterdir()] == ['.locks']
    fake.corrupt.clear()
    path = glance.fetch_to_cache(ctx, image['id'], str(cache), api=api)
    assert open(path, 'rb').read() == DATA
