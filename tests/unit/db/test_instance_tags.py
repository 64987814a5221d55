import json
import threading
import uuid

import pytest

from nova.db import instance_tags
from nova.db import instances
from nova import exception


def _instance(**values):
    base = {'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
            'vm_state': 'active', 'task_state': None, 'tags': ['a', 'b']}
    base.update(values)
    (created,) = instances.instances_create([base])
    return created['uuid']


def _tags(uuid_):
    return instances.instance_get(uuid_)['tags']


def test_set_replaces_each_tag_once():
    uuid_ = _instance()
    assert instance_tags.instance_tags_set(uuid_, ['x', 'y', 'x']) == \
        ['x', 'y']
    assert _tags(uuid_) == ['x', 'y']
    assert instance_tags.instance_tags_set(uuid_, []) == []
    assert _tags(uuid_) == []


def test_add_is_true_once():
    uuid_ = _instance()
    assert instance_tags.instance_tag_add(uuid_, 'c', 50) is True
    assert instance_tags.instance_tag_add(uuid_, 'c', 50) is False
    assert _tags(uuid_) == ['a', 'b', 'c']


def test_add_beyond_the_limit_is_refused_even_for_a_present_tag():
    uuid_ = _instance()
    with pytest.raises(exception.TooManyInstanceTags) as info:
        instance_tags.instance_tag_add(uuid_, 'c', 2)
    assert info.value.code == 400
    assert info.value.format_message() == \
        'The number of tags exceeded the per-server limit 2'
    with pytest.raises(exception.TooManyInstanceTags):
        instance_tags.instance_tag_add(uuid_, 'a', 2)
    assert _tags(uuid_) == ['a', 'b']


def test_delete_and_not_found():
    uuid_ = _instance()
    instance_tags.instance_tag_delete(uuid_, 'a')
    assert _tags(uuid_) == ['b']
    with pytest.raises(exception.InstanceTagNotFound) as info:
        instance_tags.instance_tag_delete(uuid_, 'a')
    assert info.value.code == 404
    assert info.value.format_message() == \
        "Instance %s has no tag 'a'" % uuid_


def test_an_instance_without_tags_yet():
    uuid_ = _instance(tags=None)
    assert instance_tags.instance_tag_add(uuid_, 'a', 50) is True
    assert _tags(uuid_) == ['a']


def test_changes_leave_updated_at():
    uuid_ = _instance()
    instances.instance_update(uuid_, {'progress': 5})
    before = instances.instance_get(uuid_)['updated_at']
    instance_tags.instance_tag_add(uuid_, 'c', 50)
    instance_tags.instance_tag_delete(uuid_, 'a')
    instance_tags.instance_tags_set(uuid_, ['z'])
    assert instances.instance_get(uuid_)['updated_at'] == before


@pytest.mark.parametrize('vm_state', ['building', 'error', 'rescued',
                                      'resized', 'shelved_offloaded'])
def test_refused_outside_the_changeable_vm_states(vm_state):
    uuid_ = _instance(vm_state=vm_state)
    for call, name in (
            (lambda: instance_tags.instance_tags_set(uuid_, []),
             'update tags'),
            (lambda: instance_tags.instance_tag_add(uuid_, 'c', 50),
             'update tag'),
            (lambda: instance_tags.instance_tag_delete(uuid_, 'a'),
             'delete tag')):
        with pytest.raises(exception.InstanceInvalidState) as info:
            call()
        assert info.value.format_message() == (
            "Cannot '%s' instance %s while it is in vm_state %s"
            % (name, uuid_, vm_state))
    assert _tags(uuid_) == ['a', 'b']


def test_a_task_or_a_lock_is_no_obstacle():
    uuid_ = _instance(vm_state='stopped', task_state='powering-on',
                      locked=True)
    assert instance_tags.instance_tag_add(uuid_, 'c', 50) is True


def test_racing_adds_all_land():
    uuid_ = _instance(tags=[])
    start = threading.Barrier(16)
    errors = []

    def add(n):
        start.wait()
        try:
            instance_tags.instance_tag_add(uuid_, 't%d' % n, 50)
        except Exception as e:  # reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=add, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(_tags(uuid_)) == sorted('t%d' % n for n in range(16))


# The server list's tag filters (2.26)

@pytest.fixture
def tagged():
    return {name: _instance(tags=tags) for name, tags in (
        ('none', []), ('a', ['a']), ('b', ['b']), ('ab', ['a', 'b']),
        ('abc', ['a', 'b', 'c']), ('null', None))}


@pytest.mark.parametrize('filters,expected', [
    ({'tags': ['a']}, {'a', 'ab', 'abc'}),
    ({'tags': ['a', 'b']}, {'ab', 'abc'}),
    ({'tags-any': ['a', 'c']}, {'a', 'ab', 'abc'}),
    ({'not-tags': ['a', 'b']}, {'none', 'a', 'b', 'null'}),
    ({'not-tags-any': ['a', 'c']}, {'none', 'b', 'null'}),
    ({'tags': ['a'], 'not-tags-any': ['c']}, {'a', 'ab'}),
    ({'tags-any': ['b'], 'not-tags': ['a', 'b', 'c']}, {'b', 'ab'}),
])
def test_list_tag_filters(tagged, filters, expected):
    by_uuid = {v: k for k, v in tagged.items()}
    found = instances.instance_get_all(filters=dict(filters))
    assert {by_uuid[i['uuid']] for i in found} == expected
    # As the API lists them: some columns, the JSON ones as text.
    table = json.loads(instances.instance_get_all(
        filters=dict(filters), columns=['uuid'], as_table='json'))
    assert table['columns'] == ['uuid']
    assert {by_uuid[row[0]] for row in table['rows']} == expected


def test_list_tag_filters_limit_after_filtering(tagged):
    found = instances.instance_get_all(
        filters={'tags': ['a']}, sort_keys=['created_at'],
        sort_dirs=['asc'], limit=2)
    assert len(found) == 2
    assert all('a' in i['tags'] for i in found)
