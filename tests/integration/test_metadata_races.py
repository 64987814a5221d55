"""Racing changes of one server's metadata and tags on each real database:
each request reads the current items, then writes its own beside them, so
without the instance row locked in between one would overwrite another's
(a lost update).  Every change must land."""

import datetime
import threading
import uuid

from nova.db import instance_metadata
from nova.db import instance_tags
from nova.db import instances
from nova import exception

WRITERS = 24


def _instance():
    (instance,) = instances.instances_create([{
        'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
        'vm_state': 'active', 'task_state': None,
        'launched_at': datetime.datetime(2026, 1, 1),
        'metadata': {'base': '0'}, 'tags': ['base']}])
    return instance['uuid']


def _race(change):
    start = threading.Barrier(WRITERS)
    errors = []

    def run(n):
        start.wait()
        try:
            change(n)
        except Exception as e:  # reported below, with the others
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(n,))
               for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []


def test_racing_metadata_merges_all_land(database):
    uuid_ = _instance()
    _race(lambda n: instance_metadata.instance_metadata_update(
        uuid_, {'k%d' % n: str(n)}))
    expected = {'base': '0'}
    expected.update({'k%d' % n: str(n) for n in range(WRITERS)})
    assert instances.instance_get(uuid_)['metadata'] == expected


def test_racing_metadata_merges_respect_the_quota(database):
    uuid_ = _instance()
    landed = []

    def merge(n):
        try:
            instance_metadata.instance_metadata_update(
                uuid_, {'k%d' % n: str(n)}, max_items=10)
            landed.append(n)
        except exception.MetadataLimitExceeded:
            pass

    _race(merge)
    assert len(landed) == 9
    assert len(instances.instance_get(uuid_)['metadata']) == 10


def test_racing_tag_adds_all_land(database):
    uuid_ = _instance()
    _race(lambda n: instance_tags.instance_tag_add(uuid_, 't%d' % n, 50))
    assert sorted(instances.instance_get(uuid_)['tags']) == sorted(
        ['base'] + ['t%d' % n for n in range(WRITERS)])
