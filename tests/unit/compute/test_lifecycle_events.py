"""recovery.handle_lifecycle_event: a hypervisor event compares the
instance with the hypervisor at once, unless a task is running."""

from unittest import mock

from nova.compute import recovery
from nova.compute import states
from nova import exception


def _manager(instance, power):
    manager = mock.Mock()
    manager.host = 'host1'
    manager.conductor.instance_get.return_value = instance
    manager.driver.get_power_state.return_value = power
    return manager


def _instance(**values):
    instance = {'uuid': 'u1', 'host': 'host1', 'task_state': None,
                'vm_state': states.ACTIVE,
                'power_state': states.power.RUNNING}
    instance.update(values)
    return instance


def test_a_guest_that_powered_itself_off_is_recorded_stopped():
    manager = _manager(_instance(), states.power.SHUTDOWN)
    recovery.handle_lifecycle_event(manager, 'u1', 'Stopped')
    manager.conductor.action_start.assert_called_once_with(
        mock.ANY, 'stop', 'u1')
    values = manager.conductor.instance_update.call_args.args[2]
    assert values['vm_state'] == states.STOPPED
    assert values['power_state'] == states.power.SHUTDOWN
    assert manager.conductor.instance_update.call_args.kwargs == {
        'expected_task_state': [None]}


def test_a_paused_guest_updates_the_power_state_only():
    manager = _manager(_instance(), states.power.PAUSED)
    recovery.handle_lifecycle_event(manager, 'u1', 'Paused')
    manager.conductor.instance_update.assert_called_once_with(
        mock.ANY, 'u1', {'power_state': states.power.PAUSED},
        expected_task_state=[None])


def test_events_during_a_task_are_left_to_the_task():
    manager = _manager(_instance(task_state=states.task.POWERING_OFF),
                       states.power.SHUTDOWN)
    recovery.handle_lifecycle_event(manager, 'u1', 'Stopped')
    manager.conductor.instance_update.assert_not_called()
    manager.driver.get_power_state.assert_not_called()


def test_events_of_instances_of_another_host_are_ignored():
    # A guest that moved away (resize) still sends its Stopped event here.
    manager = _manager(_instance(host='host2'), states.power.SHUTDOWN)
    recovery.handle_lifecycle_event(manager, 'u1', 'Stopped')
    manager.conductor.instance_update.assert_not_called()


def test_events_of_deleted_instances_are_ignored():
    manager = _manager(None, states.power.NOSTATE)
    manager.conductor.instance_get.side_effect = exception.InstanceNotFound(
        instance_id='u1')
    recovery.handle_lifecycle_event(manager, 'u1', 'Stopped')
    manager.conductor.instance_update.assert_not_called()
