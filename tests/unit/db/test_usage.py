"""nova.db.usage: the instances that ran within a period."""

import datetime
import uuid

import pytest
import sqlalchemy as sa

from nova.db import instances
from nova.db import models
from nova.db import session
from nova.db import usage
from nova import exception

T0 = datetime.datetime(2026, 1, 1)
HOUR = datetime.timedelta(hours=1)
FLAVOR = {'flavorid': '1', 'name': 'm1.tiny', 'memory_mb': 512, 'vcpus': 1,
          'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}}


def _create(project_id='p', launched_at=T0, terminated_at=None,
            deleted=False, **values):
    base = {'uuid': str(uuid.uuid4()), 'user_id': 'u',
            'project_id': project_id, 'display_name': 'vm',
            'vm_state': 'active', 'vcpus': 1, 'memory_mb': 512,
            'root_gb': 1, 'ephemeral_gb': 0, 'flavor': FLAVOR,
            'launched_at': launched_at, 'terminated_at': terminated_at}
    base.update(values)
    (created,) = instances.instances_create([base])
    if deleted:
        created = instances.instance_destroy(created['uuid'])
        if terminated_at is not None:
            # When it was deleted: the past, as instance_destroy's now.
            with session.writer() as db:
                db.execute(sa.update(models.Instance).where(
                    models.Instance.uuid == created['uuid']).values(
                        terminated_at=terminated_at))
    return created['uuid']


def _uuids(rows):
    return [row['uuid'] for row in rows]


def test_selects_what_a_usage_shows_and_the_flavors_name():
    uuid_ = _create(display_name='web')
    (row,) = usage.instance_get_active_by_window(T0, T0 + HOUR)
    assert row == {
        'uuid': uuid_, 'display_name': 'web', 'project_id': 'p',
        'vm_state': 'active', 'launched_at': T0, 'terminated_at': None,
        'memory_mb': 512, 'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0,
        'flavor_name': 'm1.tiny'}


def test_instances_overlapping_the_period_deleted_ones_included():
    running = _create(launched_at=T0 - HOUR)
    deleted_within = _create(launched_at=T0 - HOUR,
                             terminated_at=T0 + HOUR, deleted=True)
    _create(launched_at=T0 - 3 * HOUR, terminated_at=T0 - 2 * HOUR,
            deleted=True)                        # ended before
    _create(launched_at=T0 + 5 * HOUR)           # launched after
    _create(launched_at=None, vm_state='building')   # never launched
    rows = usage.instance_get_active_by_window(T0, T0 + 2 * HOUR)
    assert sorted(_uuids(rows)) == sorted([running, deleted_within])
    (deleted,) = [r for r in rows if r['uuid'] == deleted_within]
    assert deleted['vm_state'] == 'deleted'
    assert deleted['terminated_at'] == T0 + HOUR


def test_one_project_and_the_order_by_project():
    b = _create(project_id='b')
    a = _create(project_id='a')
    assert _uuids(usage.instance_get_active_by_window(
        T0, T0 + HOUR, project_id='b')) == [b]
    assert _uuids(usage.instance_get_active_by_window(
        T0, T0 + HOUR)) == [a, b]


def test_pages_after_a_marker_and_an_unknown_marker():
    uuids = sorted(_create() for _ in range(5))
    first = usage.instance_get_active_by_window(T0, T0 + HOUR, limit=2)
    assert _uuids(first) == uuids[:2]
    rest = usage.instance_get_active_by_window(
        T0, T0 + HOUR, limit=10, marker=first[-1]['uuid'])
    assert _uuids(rest) == uuids[2:]
    with pytest.raises(exception.MarkerNotFound) as info:
        usage.instance_get_active_by_window(T0, T0 + HOUR,
                                            marker=str(uuid.uuid4()))
    assert info.value.code == 400


def test_a_deleted_instance_is_a_marker_too():
    uuids = sorted(_create(deleted=True, terminated_at=T0 + HOUR)
                   for _ in range(3))
    assert _uuids(usage.instance_get_active_by_window(
        T0, T0 + 2 * HOUR, marker=uuids[0])) == uuids[1:]
