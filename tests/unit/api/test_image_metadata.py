"""The Image API answers nova-api keeps at server create."""

from unittest import mock

from nova.api import image_metadata
from nova import context as nova_context
from nova import exception


class Clock:
    now = 100.0

    def __call__(self):
        return self.now


def _ctx(token='demo:demo', project='demo'):
    return nova_context.RequestContext(user_id='demo', project_id=project,
                                       auth_token=token)


def _api(status='active'):
    api = mock.Mock()
    api.show.side_effect = lambda ctxt, image_id: {
        'id': image_id, 'status': status, 'min_disk': 0}
    return api


def test_active_images_are_asked_once_until_they_expire():
    clock = Clock()
    cache = image_metadata.MetadataCache(5, clock=clock)
    api = _api()
    first = cache.show(api, _ctx(), 'img1')
    first['min_disk'] = 99          # the caller's copy, not the cache's
    assert cache.show(api, _ctx(), 'img1') == {
        'id': 'img1', 'status': 'active', 'min_disk': 0}
    assert api.show.call_count == 1
    clock.now += 5
    cache.show(api, _ctx(), 'img1')
    assert api.show.call_count == 2


def test_each_caller_asks_for_itself():
    cache = image_metadata.MetadataCache(5, clock=Clock())
    api = _api()
    cache.show(api, _ctx(), 'img1')
    cache.show(api, _ctx(token='other:other', project='other'), 'img1')
    cache.show(api, _ctx(token=None), 'img1')
    assert api.show.call_count == 3


def test_inactive_missing_and_zero_seconds_are_not_kept():
    clock = Clock()
    queued = _api(status='queued')
    cache = image_metadata.MetadataCache(5, clock=clock)
    cache.show(queued, _ctx(), 'img1')
    cache.show(queued, _ctx(), 'img1')
    assert queued.show.call_count == 2
    missing = mock.Mock()
    missing.show.side_effect = exception.ImageNotFound(image_id='img2')
    for _ in range(2):
        try:
            cache.show(missing, _ctx(), 'img2')
        except exception.ImageNotFound:
            pass
    assert missing.show.call_count == 2
    api = _api()
    off = image_metadata.MetadataCache(0, clock=clock)
    off.show(api, _ctx(), 'img1')
    off.show(api, _ctx(), 'img1')
    assert api.show.call_count == 2


def test_the_oldest_entries_go_past_the_limit(monkeypatch):
    monkeypatch.setattr(image_metadata, 'MAX_ENTRIES', 2)
    cache = image_metadata.MetadataCache(5, clock=Clock())
    api = _api()
    for image_id in ('a', 'b', 'c', 'a'):
        cache.show(api, _ctx(), image_id)
    assert api.show.call_count == 4   # 'a' went when 'c' came
