import datetime
import threading
import uuid

import pytest

from nova.db import instance_metadata
from nova.db import instances
from nova.db import models
from nova.db import session
from nova import exception


def _instance(**values):
    base = {'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
            'vm_state': 'active', 'task_state': None,
            'launched_at': datetime.datetime(2026, 1, 1),
            'metadata': {'a': '1', 'b': '2'}}
    base.update(values)
    (created,) = instances.instances_create([base])
    return created['uuid']


def _metadata(uuid_):
    return instances.instance_get(uuid_)['metadata']


def test_merge_keeps_the_others_and_returns_the_whole():
    uuid_ = _instance()
    result = instance_metadata.instance_metadata_update(
        uuid_, {'b': 'two', 'c': '3'})
    assert result == {'a': '1', 'b': 'two', 'c': '3'}
    assert _metadata(uuid_) == result


def test_replace_drops_what_is_not_given():
    uuid_ = _instance()
    result = instance_metadata.instance_metadata_update(
        uuid_, {'b': '2', 'c': '3'}, delete=True)
    assert result == {'b': '2', 'c': '3'}
    assert _metadata(uuid_) == result
    assert instance_metadata.instance_metadata_update(
        uuid_, {}, delete=True) == {}
    assert _metadata(uuid_) == {}


def test_update_sets_updated_at_and_delete_leaves_it():
    uuid_ = _instance()
    before = instances.instance_get(uuid_)['updated_at']
    instance_metadata.instance_metadata_update(uuid_, {'c': '3'})
    updated = instances.instance_get(uuid_)['updated_at']
    assert updated is not None and updated != before
    instance_metadata.instance_metadata_delete(uuid_, 'c')
    assert instances.instance_get(uuid_)['updated_at'] == updated
    assert _metadata(uuid_) == {'a': '1', 'b': '2'}


def test_delete_of_an_absent_key_is_not_found():
    uuid_ = _instance()
    with pytest.raises(exception.MetadataItemNotFound) as info:
        instance_metadata.instance_metadata_delete(uuid_, 'nope')
    assert info.value.code == 404


def test_unknown_or_deleted_instance_is_not_found():
    with pytest.raises(exception.InstanceNotFound):
        instance_metadata.instance_metadata_update(str(uuid.uuid4()),
                                                   {'a': '1'})
    uuid_ = _instance()
    instances.instance_destroy(uuid_)
    with pytest.raises(exception.InstanceNotFound):
        instance_metadata.instance_metadata_delete(uuid_, 'a')


def test_quota_counts_the_result_of_the_merge():
    uuid_ = _instance()
    # Overwriting keeps 2 items; a third is one too many for 2.
    instance_metadata.instance_metadata_update(uuid_, {'a': 'x'},
                                               max_items=2)
    with pytest.raises(exception.MetadataLimitExceeded) as info:
        instance_metadata.instance_metadata_update(uuid_, {'c': '3'},
                                                   max_items=2)
    assert info.value.code == 403
    assert info.value.format_message() == \
        'Maximum number of metadata items exceeds 2'
    assert _metadata(uuid_) == {'a': 'x', 'b': '2'}
    # A replacement that shrinks is within it; -1 is no limit.
    instance_metadata.instance_metadata_update(
        uuid_, {'c': '3'}, delete=True, max_items=2)
    instance_metadata.instance_metadata_update(
        uuid_, {str(n): 'v' for n in range(300)}, max_items=-1)


def test_the_projects_own_limit_wins_over_the_default():
    uuid_ = _instance()
    with session.writer() as s:
        s.add(models.Quota(project_id='p', resource='metadata_items',
                           hard_limit=3))
    instance_metadata.instance_metadata_update(uuid_, {'c': '3'},
                                               max_items=2)
    with pytest.raises(exception.MetadataLimitExceeded):
        instance_metadata.instance_metadata_update(uuid_, {'d': '4'},
                                                   max_items=100)


@pytest.mark.parametrize('values,attr', [
    ({'vm_state': 'building'}, 'vm_state'),
    ({'vm_state': 'error'}, 'vm_state'),
    ({'task_state': 'rebooting'}, 'task_state'),
    ({'launched_at': None}, 'launched_at'),
])
def test_refused_in_states_upstream_refuses(values, attr):
    uuid_ = _instance(**values)
    with pytest.raises(exception.InstanceInvalidState) as info:
        instance_metadata.instance_metadata_update(uuid_, {'c': '3'})
    assert info.value.code == 409
    assert "Cannot 'update metadata' instance %s while it is in %s" % (
        uuid_, attr) in info.value.format_message()
    with pytest.raises(exception.InstanceInvalidState) as info:
        instance_metadata.instance_metadata_delete(uuid_, 'a')
    assert "Cannot 'delete metadata'" in info.value.format_message()
    assert _metadata(uuid_) == {'a': '1', 'b': '2'}


@pytest.mark.parametrize('vm_state', ['active', 'stopped', 'paused',
                                      'suspended'])
def test_allowed_vm_states(vm_state):
    uuid_ = _instance(vm_state=vm_state)
    instance_metadata.instance_metadata_update(uuid_, {'c': '3'})
    instance_metadata.instance_metadata_delete(uuid_, 'c')


def test_locked_refused_unless_overridden():
    uuid_ = _instance(locked=True, locked_by='owner')
    with pytest.raises(exception.InstanceIsLocked):
        instance_metadata.instance_metadata_update(uuid_, {'c': '3'})
    with pytest.raises(exception.InstanceIsLocked):
        instance_metadata.instance_metadata_delete(uuid_, 'a')
    instance_metadata.instance_metadata_update(uuid_, {'c': '3'},
                                               lock_override=True)
    instance_metadata.instance_metadata_delete(uuid_, 'a',
                                               lock_override=True)
    assert _metadata(uuid_) == {'b': '2', 'c': '3'}


def test_racing_merges_all_land():
    uuid_ = _instance(metadata={})
    start = threading.Barrier(16)
    errors = []

    def merge(n):
        start.wait()
        try:
            instance_metadata.instance_metadata_update(uuid_,
                                                       {'k%d' % n: str(n)})
        except Exception as e:  # reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=merge, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert _metadata(uuid_) == {'k%d' % n: str(n) for n in range(16)}
