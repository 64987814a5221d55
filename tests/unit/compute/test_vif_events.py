"""Waiting for network-vif-plugged (nova.compute.external_events), and
the build's use of it and of a network API that allocates on the compute
(nova.compute.build)."""

import threading
import time
from unittest import mock

import pytest

from nova.compute import build
from nova.compute import external_events
from nova.compute import states
from nova import exception

UUID = 'u1'


def _vif(port, active=False):
    return {'id': port, 'active': active, 'type': 'ovs'}


def _manager(timeout=300, fatal=True):
    manager = mock.Mock()
    manager.host = 'host1'
    manager.conf.vif_plugging_timeout = timeout
    manager.conf.vif_plugging_is_fatal = fatal
    manager.conf.scheduler.max_attempts = 3
    manager.instance_events = external_events.InstanceEvents()
    return manager


# -- the registry ------------------------------------------------------

def test_an_event_delivered_before_the_wait_is_not_missed():
    events = external_events.InstanceEvents()
    batch = events.prepare(UUID, [('network-vif-plugged', 'p1'),
                                  ('network-vif-plugged', 'p2')])
    assert events.deliver(UUID, 'network-vif-plugged', 'p1', 'completed')
    threading.Timer(0.05, events.deliver, args=(
        UUID, 'network-vif-plugged', 'p2', 'failed')).start()
    assert batch.wait(5) == {
        (UUID, 'network-vif-plugged', 'p1'): 'completed',
        (UUID, 'network-vif-plugged', 'p2'): 'failed'}
    # Delivered once; and the batch is gone after its wait.
    assert not events.deliver(UUID, 'network-vif-plugged', 'p1',
                              'completed')
    assert events._waiters == {}


def test_events_nothing_waits_for_are_refused():
    events = external_events.InstanceEvents()
    events.prepare(UUID, [('network-vif-plugged', 'p1')])
    assert not events.deliver(UUID, 'network-vif-plugged', 'other-port',
                              'completed')
    assert not events.deliver('u2', 'network-vif-plugged', 'p1',
                              'completed')
    assert not events.deliver(UUID, 'network-changed', 'p1', 'completed')
    # in-progress is news, not the end of the wait.
    assert not events.deliver(UUID, 'network-vif-plugged', 'p1',
                              'in-progress')
    assert events.deliver(UUID, 'network-vif-plugged', 'p1', 'completed')


def test_a_timeout_names_what_is_missing_and_forgets_the_waiters():
    events = external_events.InstanceEvents()
    batch = events.prepare(UUID, [('network-vif-plugged', 'p1'),
                                  ('network-vif-plugged', 'p2')])
    events.deliver(UUID, 'network-vif-plugged', 'p1', 'completed')
    start = time.monotonic()
    with pytest.raises(external_events.EventTimeout) as raised:
        batch.wait(0.1)
    assert time.monotonic() - start < 2
    assert raised.value.missing == [(UUID, 'network-vif-plugged', 'p2')]
    assert not events.deliver(UUID, 'network-vif-plugged', 'p2',
                              'completed')


def test_a_delete_wakes_the_waiter_at_once():
    events = external_events.InstanceEvents()
    batch = events.prepare(UUID, [('network-vif-plugged', 'p1')])
    other = events.prepare('u2', [('network-vif-plugged', 'p9')])
    threading.Timer(0.05, events.abort_instance, args=(UUID,)).start()
    start = time.monotonic()
    assert batch.wait(30) == {(UUID, 'network-vif-plugged', 'p1'):
                              external_events.ABORTED}
    assert time.monotonic() - start < 5
    assert events.deliver('u2', 'network-vif-plugged', 'p9', 'completed')
    other.cancel()


def test_handle_hands_vif_events_to_their_waiter():
    manager = _manager()
    batch = manager.instance_events.prepare(
        UUID, [('network-vif-plugged', 'p1')])
    external_events.handle(manager, None, UUID, [
        {'name': 'network-vif-plugged', 'tag': 'unknown-port',
         'status': 'completed'},
        {'name': 'network-vif-plugged', 'tag': 'p1',
         'status': 'completed'}])
    assert batch.wait(0) == {(UUID, 'network-vif-plugged', 'p1'):
                             'completed'}


# -- vif_plug_waiter ----------------------------------------------------

def test_nothing_to_wait_for():
    manager = _manager()
    assert external_events.vif_plug_waiter(
        manager, UUID, [_vif('p1', active=True)]) is None
    # What flat VIFs converted from older rows look like: no 'active'.
    assert external_events.vif_plug_waiter(manager, UUID, [{'id': 'p1'}]) \
        is None
    assert external_events.vif_plug_waiter(_manager(timeout=0), UUID,
                                           [_vif('p1')]) is None


def test_the_waiter_waits_for_each_inactive_vif():
    manager = _manager()
    wait = external_events.vif_plug_waiter(
        manager, UUID, [_vif('p1'), _vif('p2', active=True), _vif('p3')])
    for port in ('p3', 'p1'):
        assert manager.instance_events.deliver(
            UUID, 'network-vif-plugged', port, 'completed')
    wait()
    assert not manager.instance_events.deliver(
        UUID, 'network-vif-plugged', 'p2', 'completed')


@pytest.mark.parametrize('status', [None, 'failed'])
def test_a_timeout_or_a_failure_is_fatal_when_configured(status):
    manager = _manager(timeout=0.1)
    wait = external_events.vif_plug_waiter(manager, UUID, [_vif('p1')])
    if status:
        manager.instance_events.deliver(UUID, 'network-vif-plugged', 'p1',
                                        status)
    with pytest.raises(exception.VirtualInterfaceCreateException):
        wait()


@pytest.mark.parametrize('status', [None, 'failed'])
def test_not_fatal_goes_on(status):
    manager = _manager(timeout=0.1, fatal=False)
    wait = external_events.vif_plug_waiter(manager, UUID, [_vif('p1')])
    if status:
        manager.instance_events.deliver(UUID, 'network-vif-plugged', 'p1',
                                        status)
    assert wait() is None


# -- build.spawn --------------------------------------------------------

def test_spawn_passes_network_ready_only_when_something_is_waited_for():
    manager = _manager()
    build.spawn(manager, None, {'uuid': UUID}, {}, [_vif('p1', True)], 'pw')
    manager.driver.spawn.assert_called_once_with(
        None, {'uuid': UUID}, {}, [_vif('p1', True)], 'pw')


def test_spawn_waits_where_the_driver_says_the_vifs_are_plugged():
    manager = _manager()
    order = []

    def driver_spawn(context, instance, image_meta, network_info,
                     admin_password, network_ready):
        order.append('plugged')
        # Neutron answers as the port comes up.
        manager.instance_events.deliver(UUID, 'network-vif-plugged', 'p1',
                                        'completed')
        network_ready()
        order.append('started')

    manager.driver.spawn.side_effect = driver_spawn
    build.spawn(manager, None, {'uuid': UUID}, {}, [_vif('p1')], None)
    assert order == ['plugged', 'started']


def test_spawn_waits_after_a_driver_that_did_not_call_network_ready():
    manager = _manager(timeout=0.1)
    with pytest.raises(exception.VirtualInterfaceCreateException):
        build.spawn(manager, None, {'uuid': UUID}, {}, [_vif('p1')], None)
    assert manager.instance_events._waiters == {}


def test_a_failed_spawn_forgets_its_waiters():
    manager = _manager()
    manager.driver.spawn.side_effect = RuntimeError('no disk')
    with pytest.raises(RuntimeError):
        build.spawn(manager, None, {'uuid': UUID}, {}, [_vif('p1')], None)
    assert manager.instance_events._waiters == {}


# -- a build whose network the compute allocates ------------------------

NETWORK_INFO = [{'id': 'p1', 'active': True, 'address': 'fa:16:3e:00:00:01',
                 'preserve_on_delete': True}]


def _neutron_manager(**kwargs):
    manager = _manager(**kwargs)
    manager.driver.uses_image_cache = False
    manager.driver.get_power_state.return_value = states.power.RUNNING
    conductor = manager.conductor
    conductor.instance_build_networking.return_value = {
        'uuid': UUID, 'task_state': states.task.SPAWNING,
        'network_info': [], 'flavor': {'name': 'm1.tiny'}}
    conductor.instance_update.side_effect = lambda ctxt, uuid, values, **kw: \
        dict(conductor.instance_build_networking.return_value, **values)
    network_api = manager.network_api = mock.MagicMock()
    network_api.allocates_on_compute = True
    network_api.build_request.return_value = None
    network_api.allocate_for_instance.return_value = NETWORK_INFO
    return manager


def _build(manager, networks='auto'):
    build.build_and_run(manager, 'ctxt', UUID,
                        {'requested_networks': networks}, 'node1', [], 1)


def test_the_compute_allocates_binds_to_itself_and_saves_network_info():
    manager = _neutron_manager()
    _build(manager)
    call = manager.network_api.allocate_for_instance.call_args
    assert call.args == ('ctxt', UUID, 'auto')
    assert call.kwargs['host'] == 'host1'
    assert call.kwargs['instance']['uuid'] == UUID
    manager.conductor.instance_update.assert_called_once_with(
        'ctxt', UUID, {'network_info': NETWORK_INFO},
        expected_task_state=[states.task.SPAWNING])
    assert manager.driver.spawn.call_args.args[3] == NETWORK_INFO
    manager.network_api.instance_lock.assert_called_once_with(UUID)
    assert manager.conductor.instance_update_and_event.call_args.args[2][
        'vm_state'] == states.ACTIVE


def test_networks_none_allocate_nothing_on_the_compute():
    manager = _neutron_manager()
    _build(manager, 'none')
    manager.network_api.allocate_for_instance.assert_not_called()


def test_a_delete_while_allocating_gives_the_ports_back_as_allocated():
    manager = _neutron_manager()
    manager.conductor.instance_update.side_effect = \
        exception.UnexpectedDeletingTaskStateError(
            instance_uuid=UUID, expected='spawning', actual='deleting')
    _build(manager)
    manager.driver.spawn.assert_not_called()
    manager.network_api.deallocate_for_instance.assert_called_once_with(
        'ctxt', UUID, network_info=NETWORK_INFO)
    manager.conductor.instance_fault_create.assert_not_called()


def test_an_allocation_error_aborts_the_build_without_rescheduling():
    manager = _neutron_manager()
    manager.network_api.allocate_for_instance.side_effect = \
        exception.NeutronError(reason='HTTP 503')
    _build(manager)
    manager.conductor.build_instances.assert_not_called()
    fault = manager.conductor.instance_fault_create.call_args.args
    # Neutron named, not its address (the fault's details have it).
    assert fault[3] == ('Build of instance u1 aborted: Failed to allocate '
                        'the network(s), not rescheduling: the Networking '
                        'service (Neutron) could not be reached or answered '
                        'with an error.')
    assert manager.conductor.instance_update.call_args.args[2][
        'vm_state'] == states.ERROR


def test_vifs_that_never_come_up_abort_the_build_without_rescheduling():
    manager = _neutron_manager(timeout=0.1)
    manager.network_api.allocate_for_instance.return_value = [
        dict(NETWORK_INFO[0], active=False)]
    _build(manager)
    manager.conductor.build_instances.assert_not_called()
    fault = manager.conductor.instance_fault_create.call_args.args
    assert fault[2] == 500
    assert fault[3].endswith(
        'Failed to allocate the network(s), not rescheduling: no '
        'network-vif-plugged event for port(s) %s within 0.1 s.'
        % NETWORK_INFO[0]['id'])
    # The ports go as the build made them (the user's one unbound).
    manager.network_api.deallocate_for_instance.assert_called_once_with(
        'ctxt', UUID, network_info=[dict(NETWORK_INFO[0], active=False)])


# -- a restart ---------------------------------------------------------

def test_a_restarted_compute_plugs_its_guests_vifs_again():
    from nova.compute import recovery
    manager = _manager()
    manager.driver.get_power_state.return_value = states.power.RUNNING
    running = {'uuid': 'u1', 'vm_state': states.ACTIVE, 'task_state': None,
               'network_info': NETWORK_INFO}
    recovery.init_instance(manager, 'ctxt', running)
    manager.driver.plug_vifs.assert_called_once_with(running, NETWORK_INFO)
    manager.driver.plug_vifs.reset_mock()
    for instance in (
            dict(running, vm_state=states.ERROR),
            dict(running, vm_state=states.BUILDING,
                 task_state=states.task.SPAWNING),
            dict(running, network_info=[]),
            dict(running, vm_state=states.SHELVED_OFFLOADED)):
        recovery.init_instance(manager, 'ctxt', instance)
    manager.driver.plug_vifs.assert_not_called()


def test_network_changed_reads_the_network_info_again():
    manager = _manager()
    manager.conductor.instance_get.return_value = {
        'uuid': UUID, 'network_info': NETWORK_INFO}
    fresh = [dict(NETWORK_INFO[0], address='fa:16:3e:00:00:02')]
    manager.network_api.get_instance_nw_info.return_value = fresh
    external_events.handle(manager, 'ctxt', UUID, [
        {'name': 'network-changed', 'tag': 'p1', 'status': 'completed'}])
    manager.conductor.instance_update.assert_called_once_with(
        'ctxt', UUID, {'network_info': fresh})
    # Nothing new: nothing written.
    manager.conductor.reset_mock()
    manager.network_api.get_instance_nw_info.return_value = NETWORK_INFO
    external_events.handle(manager, 'ctxt', UUID, [
        {'name': 'network-changed', 'status': 'completed'}])
    manager.conductor.instance_update.assert_not_called()
