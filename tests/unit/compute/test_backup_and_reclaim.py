"""The compute's createBackup rotation, soft-delete reclaim and crash
dump workflows, with a mock manager."""

import datetime
from unittest import mock

from oslo_utils import timeutils

from nova.compute import backup
from nova.compute import delete
from nova.compute import power
from nova.compute import states
from nova import exception


class Images:
    """detail/delete of the Image API, in memory."""

    def __init__(self, images):
        self.images = {image['id']: image for image in images}
        self.deleted = []
        self.filters = None

    def detail(self, context, **filters):
        self.filters = filters
        return list(self.images.values())

    def delete(self, context, image_id):
        if image_id == 'gone':
            raise exception.ImageNotFound(image_id=image_id)
        self.deleted.append(image_id)
        del self.images[image_id]


def _image(image_id, minute, backup_type='daily', instance='u1',
           image_type='backup'):
    return {'id': image_id,
            'created_at': datetime.datetime(2025, 1, 1, 0, minute),
            'properties': {'image_type': image_type,
                           'backup_type': backup_type,
                           'instance_uuid': instance}}


def test_rotation_deletes_the_oldest_beyond_it():
    images = Images([_image('b2', 2), _image('b1', 1), _image('b3', 3),
                     _image('w1', 0, backup_type='weekly'),
                     _image('x1', 0, instance='u2'),
                     _image('s1', 0, image_type='snapshot')])
    assert backup.rotate(images, None, 'u1', 'daily', 2) == ['b1']
    assert images.filters == {'image_type': 'backup',
                              'backup_type': 'daily',
                              'instance_uuid': 'u1'}
    # An Image API ignoring a filter costs no other image.
    assert set(images.images) == {'b2', 'b3', 'w1', 'x1', 's1'}


def test_rotation_zero_deletes_them_all_and_skips_the_gone():
    images = Images([_image('b1', 1), _image('gone', 2), _image('b3', 3)])
    assert backup.rotate(images, None, 'u1', 'daily', 0) == ['b3', 'b1']


def test_rotation_within_the_limit_deletes_nothing():
    images = Images([_image('b1', 1)])
    assert backup.rotate(images, None, 'u1', 'daily', 1) == []


def _reclaim_manager(instances, interval=60):
    manager = mock.Mock()
    manager.host = 'host1'
    manager.conf.reclaim_instance_interval = interval
    manager.conductor.instance_get_all_by_host.return_value = instances
    return manager


def _soft_deleted(uuid, seconds_ago, **values):
    instance = {'uuid': uuid, 'vm_state': states.SOFT_DELETED,
                'task_state': None,
                'deleted_at': (timeutils.utcnow() - datetime.timedelta(
                    seconds=seconds_ago)).isoformat()}
    instance.update(values)
    return instance


def test_reclaim_deletes_the_expired_soft_deleted_only():
    manager = _reclaim_manager([
        _soft_deleted('old', 120), _soft_deleted('new', 10),
        _soft_deleted('busy', 120, task_state=states.task.RESTORING),
        _soft_deleted('active', 120, vm_state=states.ACTIVE),
        _soft_deleted('undated', 120, deleted_at=None)])
    with mock.patch.object(delete, 'terminate') as terminate:
        assert delete.reclaim_queued_deletes(manager, mock.Mock) == 1
    (call,) = terminate.call_args_list
    assert call.args[0] is manager and call.args[2] == 'old'
    manager.conductor.instance_update.assert_called_once_with(
        mock.ANY, 'old', {'task_state': states.task.DELETING},
        expected_task_state=[None],
        expected_vm_state=[states.SOFT_DELETED])


def test_reclaim_skips_an_instance_taken_meanwhile():
    manager = _reclaim_manager([_soft_deleted('old', 120)])
    manager.conductor.instance_update.side_effect = \
        exception.UnexpectedTaskStateError(instance_uuid='old',
                                           expected=None,
                                           actual='restoring')
    with mock.patch.object(delete, 'terminate') as terminate:
        assert delete.reclaim_queued_deletes(manager, mock.Mock) == 0
    terminate.assert_not_called()


def test_reclaim_is_off_at_zero():
    manager = _reclaim_manager([_soft_deleted('old', 120)], interval=0)
    assert delete.reclaim_queued_deletes(manager, mock.Mock) == 0
    manager.conductor.instance_get_all_by_host.assert_not_called()


def test_crash_dump_failure_is_an_error_event_and_a_fault():
    manager = mock.Mock()
    manager.host = 'host1'
    manager.conductor.instance_get.return_value = {'uuid': 'u1'}
    manager.driver.trigger_crash_dump.side_effect = \
        exception.TriggerCrashDumpNotSupported()
    power.trigger_crash_dump(manager, 'ctxt', 'u1')
    finish = manager.conductor.event_finish.call_args
    assert finish.args[:4] == ('ctxt', 'u1', 'compute_trigger_crash_dump',
                               'Error')
    fault = manager.conductor.instance_fault_create.call_args
    assert fault.args[1:4] == ('u1', 400,
                               'Triggering crash dump is not supported')
    # No task_state to revert: none was set.
    manager.conductor.instance_update.assert_not_called()


def test_crash_dump_success():
    manager = mock.Mock()
    manager.host = 'host1'
    manager.conductor.instance_get.return_value = {'uuid': 'u1'}
    power.trigger_crash_dump(manager, 'ctxt', 'u1')
    manager.driver.trigger_crash_dump.assert_called_once_with({'uuid': 'u1'})
    manager.conductor.event_finish.assert_called_once_with(
        'ctxt', 'u1', 'compute_trigger_crash_dump', 'Success')
