"""compute.build records BUILD_EVENT as events.instance_event did.

The event starts in the conductor call of the first steps (networking,
then block_device_mapping with the address) and finishes (Success) in that
of the last one; a failure in between finishes it with Error, as before.
"""

from unittest import mock

from nova.compute import build
from nova.compute import states
from nova import exception
from nova.network import api as network_api


def _manager(conductor):
    manager = mock.Mock()
    manager.conductor = conductor
    manager.host = 'host1'
    manager.driver.uses_image_cache = False
    manager.driver.get_power_state.return_value = states.power.RUNNING
    manager.conf.network.flat_network_name = 'private'
    manager.conf.network.fixed_range_v4 = '10.0.0.0/24'
    manager.conf.network.reserved_addresses = []
    manager.conf.network.flat_network_id = 'net-1'
    manager.conf.network.flat_bridge = 'br100'
    manager.conf.network.flat_dhcp_host = None
    manager.conf.scheduler.max_attempts = 1
    manager.network_api = network_api.FlatAPI(manager.conf, conductor)
    return manager


def _conductor():
    conductor = mock.Mock()
    conductor.instance_build_networking.return_value = {
        'uuid': 'u1', 'flavor': {'name': 'm1.tiny'},
        'network_info': [{'address': '10.0.0.2'}]}
    conductor.instance_update_and_event.return_value = {'uuid': 'u1'}
    conductor.instance_update.return_value = {'uuid': 'u1'}
    conductor.fixed_ip_allocate.return_value = {
        'address': '10.0.0.2', 'mac_address': 'fa:16:3e:00:00:01'}
    return conductor


def _build(manager):
    build.build_and_run(manager, mock.sentinel.context, 'u1',
                        {'requested_networks': 'auto'}, 'node1', [], 1)


def test_success_starts_and_finishes_the_event_with_the_first_and_last_step():
    conductor = _conductor()
    _build(_manager(conductor))
    # networking and block_device_mapping, with the address: one call.
    (first,) = conductor.instance_build_networking.call_args_list
    assert first.args[1] == 'u1'
    # The driver keeps no image cache: nothing to do for the block
    # devices, the same call goes on to spawning.
    assert first.kwargs == {
        'event_start': {'event': build.BUILD_EVENT, 'host': 'host1'},
        'fixed_ip': {'network': 'private', 'cidr': '10.0.0.0/24',
                     'reserved': [], 'network_id': 'net-1',
                     'bridge': 'br100'},
        'spawning': True}
    (last,) = conductor.instance_update_and_event.call_args_list
    assert last.kwargs['event_finish'] == {'event': build.BUILD_EVENT,
                                           'result': 'Success'}
    assert last.args[2]['vm_state'] == states.ACTIVE
    assert last.kwargs['expected_task_state'] == [states.task.SPAWNING]
    conductor.fixed_ip_allocate.assert_not_called()
    conductor.instance_update.assert_not_called()
    conductor.event_finish.assert_not_called()


def test_the_address_allocated_with_the_step_is_what_spawn_gets():
    conductor = _conductor()
    manager = _manager(conductor)
    _build(manager)
    (spawn,) = manager.driver.spawn.call_args_list
    assert spawn.args[3] == [{'address': '10.0.0.2'}]


def test_no_networks_allocate_nothing():
    conductor = _conductor()
    manager = _manager(conductor)
    build.build_and_run(manager, mock.sentinel.context, 'u1',
                        {'requested_networks': 'none'}, 'node1', [], 1)
    (first,) = conductor.instance_build_networking.call_args_list
    assert first.kwargs['fixed_ip'] is None


def test_deleted_before_the_first_step_finishes_the_event_with_error():
    conductor = _conductor()
    conductor.instance_build_networking.side_effect = \
        exception.InstanceNotFound(instance_id='u1')
    manager = _manager(conductor)
    _build(manager)
    (call,) = conductor.event_finish.call_args_list
    assert call.args[1:4] == ('u1', build.BUILD_EVENT, 'Error')
    assert call.kwargs['details'] == 'InstanceDeleted: '
    assert 'InstanceDeleted' in call.kwargs['traceback']
    # Cleaned up, not rescheduled nor failed.
    manager.driver.destroy.assert_called_once()
    conductor.allocations_delete.assert_called_once()
    conductor.instance_fault_create.assert_not_called()


def test_spawn_failure_finishes_the_event_with_error_then_fails_the_build():
    conductor = _conductor()
    manager = _manager(conductor)
    manager.driver.spawn.side_effect = RuntimeError('boom')
    _build(manager)
    (call,) = conductor.event_finish.call_args_list
    assert call.args[3] == 'Error'
    assert call.kwargs['details'] == 'RuntimeError: boom'
    conductor.instance_fault_create.assert_called_once()
    assert conductor.instance_update.call_args_list[-1].args[2][
        'vm_state'] == states.ERROR


def test_no_action_to_record_in_is_not_an_event_error():
    conductor = _conductor()
    conductor.instance_build_networking.side_effect = \
        exception.InstanceActionNotFound(request_id='r', instance_uuid='u1')
    _build(_manager(conductor))
    conductor.event_finish.assert_not_called()


def test_no_address_left_finishes_the_event_with_error_then_fails():
    conductor = _conductor()
    conductor.instance_build_networking.side_effect = \
        exception.NoMoreFixedIps(network='private')
    manager = _manager(conductor)
    _build(manager)
    (call,) = conductor.event_finish.call_args_list
    assert call.args[3] == 'Error'
    manager.driver.spawn.assert_not_called()
    conductor.instance_fault_create.assert_called_once()


def _build_with_image_cache(tmp_path, cached):
    conductor = _conductor()
    manager = _manager(conductor)
    manager.driver.uses_image_cache = True
    manager.image_cache_dir = str(tmp_path)
    if cached:
        (tmp_path / 'img-1').write_bytes(b'x')
    with mock.patch.object(build.glance, 'fetch_to_cache',
                           return_value=str(tmp_path / 'img-1')) as fetch:
        build.build_and_run(manager, mock.sentinel.context, 'u1',
                            {'requested_networks': 'auto',
                             'image': {'id': 'img-1'}}, 'node1', [], 1)
    fetch.assert_called_once()
    (spawn,) = manager.driver.spawn.call_args_list
    assert spawn.args[2]['path'] == str(tmp_path / 'img-1')
    return conductor


def test_an_image_to_download_is_the_block_device_mapping_step(tmp_path):
    conductor = _build_with_image_cache(tmp_path, cached=False)
    (first,) = conductor.instance_build_networking.call_args_list
    assert first.kwargs['spawning'] is False
    (step,) = conductor.instance_update.call_args_list
    assert step.args[2] == {'task_state': states.task.SPAWNING}
    assert step.kwargs['expected_task_state'] == [
        states.task.BLOCK_DEVICE_MAPPING]


def test_a_cached_image_leaves_that_step_nothing_to_do(tmp_path):
    conductor = _build_with_image_cache(tmp_path, cached=True)
    (first,) = conductor.instance_build_networking.call_args_list
    assert first.kwargs['spawning'] is True
    conductor.instance_update.assert_not_called()


def test_a_built_address_is_announced_to_the_dhcp_host_before_spawn():
    conductor = _conductor()
    manager = _manager(conductor)
    manager.conf.network.flat_dhcp_host = 'dhcp-host'
    compute_rpc = mock.Mock()
    manager.network_api = network_api.FlatAPI(manager.conf, conductor,
                                              compute_rpc=compute_rpc)
    order = mock.Mock()
    order.attach_mock(compute_rpc.refresh_flat_dhcp, 'refresh')
    order.attach_mock(manager.driver.spawn, 'spawn')
    _build(manager)
    assert [c[0] for c in order.mock_calls] == ['refresh', 'spawn']
    compute_rpc.refresh_flat_dhcp.assert_called_once_with(
        mock.sentinel.context, 'dhcp-host')

