"""nova.db.quotas: how limits resolve (user, project, class 'default',
the defaults sent), what may be set, and the checks of builds, metadata
and key pairs that read them."""

import uuid

import pytest

from nova.db import instance_metadata
from nova.db import instances
from nova.db import keypairs
from nova.db import quotas
from nova.db import utils
from nova import exception

DEFAULTS = {'instances': 10, 'cores': 20, 'ram': 51200,
            'metadata_items': 128, 'key_pairs': 100, 'fixed_ips': -1}


def _instance(user_id='u', project_id='p', vcpus=1, memory_mb=512,
              **values):
    base = {'uuid': str(uuid.uuid4()), 'user_id': user_id,
            'project_id': project_id, 'vm_state': 'building',
            'task_state': 'scheduling', 'vcpus': vcpus,
            'memory_mb': memory_mb, 'metadata': {}}
    base.update(values)
    return base


def _boot(count=1, **values):
    return instances.instances_create(
        [_instance(**values) for _ in range(count)], DEFAULTS,
        values.get('project_id', 'p'))


def test_defaults_until_something_is_set():
    assert quotas.quota_get('p', DEFAULTS) == DEFAULTS
    assert quotas.quota_get('p', DEFAULTS, user_id='u') == DEFAULTS
    assert quotas.quota_class_get('default', DEFAULTS) == DEFAULTS
    assert quotas.quota_get_all('p') == {}


def test_user_then_project_then_default_class_then_defaults():
    quotas.quota_class_update('default', {'instances': 5, 'cores': 6,
                                          'ram': 7}, DEFAULTS)
    quotas.quota_update('p', {'instances': 4, 'cores': 3}, DEFAULTS)
    quotas.quota_update('p', {'instances': 2}, DEFAULTS, user_id='u')
    assert quotas.quota_get('p', DEFAULTS, user_id='u') == dict(
        DEFAULTS, instances=2, cores=3, ram=7)
    assert quotas.quota_get('p', DEFAULTS) == dict(
        DEFAULTS, instances=4, cores=3, ram=7)
    # Another user of the project: the project's; another project: the
    # class's.
    assert quotas.quota_get('p', DEFAULTS, user_id='v')['instances'] == 4
    assert quotas.quota_get('q', DEFAULTS)['instances'] == 5
    # What 1.12 API nodes merge over their options: class, then project.
    assert quotas.quota_get_all('p') == {'instances': 4, 'cores': 3,
                                         'ram': 7}
    # Other classes limit nothing.
    quotas.quota_class_update('gold', {'instances': 50}, DEFAULTS)
    assert quotas.quota_get('q', DEFAULTS)['instances'] == 5
    assert quotas.quota_class_get('gold', DEFAULTS) == dict(DEFAULTS,
                                                            instances=50)


def test_a_resource_the_caller_does_not_know_is_left_out():
    quotas.quota_update('p', {'instances': 4}, DEFAULTS)
    assert quotas.quota_get('p', {'cores': 1}) == {'cores': 1}


def test_usages_per_project_and_user():
    _boot(2, user_id='u')
    _boot(1, user_id='v', vcpus=2, memory_mb=1024)
    _boot(1, project_id='other')
    detail = quotas.quota_get('p', DEFAULTS, usages=True)
    assert detail['instances'] == {'limit': 10, 'in_use': 3}
    assert detail['cores'] == {'limit': 20, 'in_use': 4}
    assert detail['ram'] == {'limit': 51200, 'in_use': 2048}
    assert detail['key_pairs'] == {'limit': 100, 'in_use': 0}
    user = quotas.quota_get('p', DEFAULTS, user_id='v', usages=True)
    assert (user['instances'], user['cores'], user['ram']) == (
        {'limit': 10, 'in_use': 1}, {'limit': 20, 'in_use': 2},
        {'limit': 51200, 'in_use': 1024})


def test_update_returns_the_limits_and_overwrites():
    assert quotas.quota_update('p', {'instances': 4}, DEFAULTS) == dict(
        DEFAULTS, instances=4)
    assert quotas.quota_update('p', {'instances': 6, 'cores': -1},
                               DEFAULTS) == dict(DEFAULTS, instances=6,
                                                 cores=-1)


def test_unknown_resources_are_refused():
    with pytest.raises(exception.QuotaResourceUnknown) as info:
        quotas.quota_update('p', {'instances': 1, 'bogus': 2, 'x': 3},
                            DEFAULTS)
    assert info.value.code == 400
    assert info.value.format_message() == \
        'Unknown quota resources bogus, x.'
    with pytest.raises(exception.QuotaResourceUnknown):
        quotas.quota_class_update('default', {'bogus': 2}, DEFAULTS)
    assert quotas.quota_get('p', DEFAULTS) == DEFAULTS


def test_a_project_limit_below_its_usage_is_refused_unless_forced():
    _boot(2)
    with pytest.raises(exception.QuotaLimitTooLow) as info:
        quotas.quota_update('p', {'cores': 5, 'instances': 1}, DEFAULTS)
    assert info.value.code == 400
    assert info.value.format_message() == (
        'Quota limit 1 for instances must be greater than or equal to '
        'already used and reserved 2.')
    # Nothing of a refused update is written.
    assert quotas.quota_get('p', DEFAULTS) == DEFAULTS
    assert quotas.quota_update('p', {'instances': 2}, DEFAULTS)[
        'instances'] == 2
    assert quotas.quota_update('p', {'instances': -1}, DEFAULTS)[
        'instances'] == -1
    assert quotas.quota_update('p', {'instances': 0}, DEFAULTS,
                               force=True)['instances'] == 0


def test_a_project_limit_below_what_its_users_have_is_refused():
    quotas.quota_update('p', {'instances': 3}, DEFAULTS, user_id='u')
    quotas.quota_update('p', {'instances': 4}, DEFAULTS, user_id='v')
    with pytest.raises(exception.QuotaLimitTooLow) as info:
        quotas.quota_update('p', {'instances': 6}, DEFAULTS)
    assert 'already used and reserved 7.' in info.value.format_message()
    quotas.quota_update('p', {'instances': 7}, DEFAULTS)


def test_a_user_limit_is_between_its_usage_and_what_the_project_leaves():
    _boot(2, user_id='u')
    quotas.quota_update('p', {'instances': 10}, DEFAULTS)
    quotas.quota_update('p', {'instances': 6}, DEFAULTS, user_id='v')
    with pytest.raises(exception.QuotaLimitTooLow) as info:
        quotas.quota_update('p', {'instances': 1}, DEFAULTS, user_id='u')
    assert 'already used and reserved 2.' in info.value.format_message()
    with pytest.raises(exception.QuotaLimitTooHigh) as info:
        quotas.quota_update('p', {'instances': 5}, DEFAULTS, user_id='u')
    assert info.value.code == 400
    assert info.value.format_message() == (
        'Quota limit 5 for instances must be less than or equal to 4.')
    # Unlimited is above any maximum but none.
    with pytest.raises(exception.QuotaLimitTooHigh):
        quotas.quota_update('p', {'instances': -1}, DEFAULTS, user_id='u')
    assert quotas.quota_update('p', {'instances': 4}, DEFAULTS,
                               user_id='u')['instances'] == 4
    # A user's own limit may change within the room it has itself.
    quotas.quota_update('p', {'instances': 4}, DEFAULTS, user_id='v')
    quotas.quota_update('p', {'instances': 6}, DEFAULTS, user_id='v')
    # A project without limit leaves any.
    quotas.quota_update('p', {'cores': -1}, DEFAULTS)
    quotas.quota_update('p', {'cores': -1}, DEFAULTS, user_id='u')
    assert quotas.quota_update('p', {'instances': 9}, DEFAULTS,
                               user_id='u', force=True)['instances'] == 9


def test_destroy_all_goes_back_to_the_defaults():
    quotas.quota_class_update('default', {'instances': 5}, DEFAULTS)
    quotas.quota_update('p', {'instances': 4, 'ram': 1}, DEFAULTS)
    quotas.quota_update('p', {'instances': 2}, DEFAULTS, user_id='u')
    quotas.quota_update('p', {'instances': 3}, DEFAULTS, user_id='v',
                        force=True)
    quotas.quota_update('q', {'instances': 1}, DEFAULTS)
    quotas.quota_destroy_all('p', user_id='u')
    assert quotas.quota_get('p', DEFAULTS, user_id='u')['instances'] == 4
    assert quotas.quota_get('p', DEFAULTS, user_id='v')['instances'] == 3
    quotas.quota_destroy_all('p')
    assert quotas.quota_get('p', DEFAULTS, user_id='v') == dict(
        DEFAULTS, instances=5)
    assert quotas.quota_get('q', DEFAULTS)['instances'] == 1


# -- the checks that read them ------------------------------------------------

def test_a_build_is_held_to_the_default_class():
    quotas.quota_class_update('default', {'instances': 1}, DEFAULTS)
    _boot()
    with pytest.raises(exception.OverQuota) as info:
        _boot()
    assert info.value.format_message() == (
        'Quota exceeded for instances: Requested 1, but already used 1 of '
        '1 instances')


def test_a_build_is_held_to_the_users_own_limit_and_the_projects():
    quotas.quota_update('p', {'cores': 3}, DEFAULTS, user_id='u')
    _boot(user_id='u', vcpus=2)
    with pytest.raises(exception.OverQuota) as info:
        _boot(user_id='u', vcpus=2)
    assert info.value.format_message() == (
        'Quota exceeded for cores: Requested 2, but already used 2 of 3 '
        'cores')
    # Another user of the project has the project's.
    _boot(user_id='v', vcpus=2)
    # The project's limit holds a user whose own limit is higher.
    quotas.quota_update('p', {'instances': 2}, DEFAULTS, force=True)
    quotas.quota_update('p', {'instances': 5}, DEFAULTS, user_id='u',
                        force=True)
    with pytest.raises(exception.OverQuota) as info:
        _boot(user_id='u', vcpus=0)
    assert 'already used 2 of 2 instances' in info.value.format_message()


def test_a_multiple_create_gets_what_the_users_limit_leaves():
    quotas.quota_update('p', {'instances': 2}, DEFAULTS, user_id='u')
    created = instances.instances_create(
        [_instance() for _ in range(4)], DEFAULTS, 'p', min_count=1)
    assert len(created) == 2


def test_a_builds_metadata_is_held_to_metadata_items():
    quotas.quota_update('p', {'metadata_items': 1}, DEFAULTS)
    with pytest.raises(exception.MetadataLimitExceeded) as info:
        _boot(metadata={'a': '1', 'b': '2'})
    assert info.value.code == 403
    _boot(metadata={'a': '1'})
    # Callers of 1.12 and before send no metadata_items: no check.
    instances.instances_create(
        [_instance(metadata={'a': '1', 'b': '2'})],
        {'instances': 10, 'cores': 20, 'ram': 51200}, 'p')


def test_server_metadata_is_held_to_the_users_limit():
    (created,) = _boot(metadata={'a': '1'}, vm_state='active',
                       task_state=None, launched_at=utils.utcnow())
    quotas.quota_update('p', {'metadata_items': 2}, DEFAULTS, user_id='u')
    instance_metadata.instance_metadata_update(created['uuid'], {'b': '2'},
                                               max_items=128)
    with pytest.raises(exception.MetadataLimitExceeded) as info:
        instance_metadata.instance_metadata_update(
            created['uuid'], {'c': '3'}, max_items=128)
    assert info.value.format_message() == \
        'Maximum number of metadata items exceeds 2'


def _keypair(name, user_id='u'):
    return {'name': name, 'user_id': user_id, 'type': 'ssh',
            'public_key': 'ssh-rsa AAAA', 'fingerprint': 'f'}


def test_key_pairs_are_held_to_the_users_limit_in_the_transaction():
    quotas.quota_class_update('default', {'key_pairs': 2}, DEFAULTS)
    keypairs.keypair_create(_keypair('a'), 'p', DEFAULTS)
    keypairs.keypair_create(_keypair('b'), 'p', DEFAULTS)
    with pytest.raises(exception.KeypairLimitExceeded) as info:
        keypairs.keypair_create(_keypair('c'), 'p', DEFAULTS)
    assert info.value.code == 403
    # A user's own limit above the project's needs force, as upstream.
    with pytest.raises(exception.QuotaLimitTooHigh):
        quotas.quota_update('p', {'key_pairs': 3}, DEFAULTS, user_id='u')
    quotas.quota_update('p', {'key_pairs': 3}, DEFAULTS, user_id='u',
                        force=True)
    keypairs.keypair_create(_keypair('c'), 'p', DEFAULTS)
    with pytest.raises(exception.KeypairLimitExceeded):
        keypairs.keypair_create(_keypair('d'), 'p', DEFAULTS)
    # Without quota_defaults (1.12 callers): no check.
    keypairs.keypair_create(_keypair('d'))
    assert keypairs.keypair_count('u') == 4
    # Another user has the class's.
    keypairs.keypair_create(_keypair('a', user_id='v'), 'p', DEFAULTS)


# -- a resize's upsize ---------------------------------------------------------

_SMALL = {'flavorid': 's', 'vcpus': 1, 'memory_mb': 512}
_BIG = {'flavorid': 'b', 'vcpus': 2, 'memory_mb': 1536}


def _active(**values):
    (created,) = _boot(**values)
    return instances.instance_update(created['uuid'], {
        'vm_state': 'active', 'task_state': None, 'flavor': _SMALL})


def _accept_resize(instance, flavor, deltas):
    return instances.instance_update_within_quota(
        instance['uuid'], {'task_state': 'resize_prep', 'system_metadata': {
            'new_flavor': flavor}}, DEFAULTS, deltas,
        expected_task_state=[None])


def test_an_upsize_over_the_quota_is_refused_and_changes_nothing():
    quotas.quota_update('p', {'cores': 2, 'ram': 1024}, DEFAULTS)
    instance = _active()
    with pytest.raises(exception.OverQuota) as info:
        _accept_resize(instance, _BIG, {'cores': 1, 'ram': 1024})
    assert info.value.format_message() == (
        'Quota exceeded for ram: Requested 1024, but already used 512 of '
        '1024 ram')
    assert instances.instance_get(instance['uuid'])['task_state'] is None
    quotas.quota_update('p', {'cores': 1, 'ram': 1024}, DEFAULTS)
    with pytest.raises(exception.OverQuota) as info:
        _accept_resize(instance, _BIG, {'cores': 1, 'ram': 1024})
    assert info.value.format_message() == (
        'Quota exceeded for cores, ram: Requested 1, 1024, but already used '
        '1, 512 of 1, 1024 cores, ram')


def test_an_accepted_upsize_counts_until_the_columns_change():
    quotas.quota_update('p', {'ram': 2560}, DEFAULTS)
    first, second = _active(), _active()
    _accept_resize(first, _BIG, {'cores': 1, 'ram': 1024})
    # The first resize's 1024 MB count before its flavor is in its
    # columns: the second finds 2048 used, not 1024.
    assert quotas.quota_get('p', DEFAULTS, usages=True)['ram'] == {
        'limit': 2560, 'in_use': 2048}
    with pytest.raises(exception.OverQuota) as info:
        _accept_resize(second, _BIG, {'cores': 1, 'ram': 1024})
    assert 'already used 2048 of 2560 ram' in info.value.format_message()
    # finish_resize: the columns hold the new flavor, counted once.
    instances.instance_update(first['uuid'], {
        'task_state': 'resize_finish', 'vcpus': 2, 'memory_mb': 1536})
    assert quotas.quota_get('p', DEFAULTS, usages=True)['ram'][
        'in_use'] == 2048


def test_a_user_limit_holds_an_upsize():
    quotas.quota_update('p', {'cores': 1}, DEFAULTS, user_id='u')
    instance = _active()
    with pytest.raises(exception.OverQuota) as info:
        _accept_resize(instance, _BIG, {'cores': 1})
    assert 'cores: Requested 1, but already used 1 of 1 cores' in \
        info.value.format_message()


def test_a_change_that_adds_nothing_is_not_checked():
    instance = _active()
    # A resize down, or to as much, with the project over its quota.
    quotas.quota_update('p', {'cores': 0, 'ram': 0}, DEFAULTS, force=True)
    accepted = _accept_resize(instance, _SMALL, {})
    assert accepted['task_state'] == 'resize_prep'
