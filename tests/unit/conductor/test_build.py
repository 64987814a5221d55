"""The conductor side of the compute's build steps."""

import uuid

import pytest

from nova.conductor import build
from nova.db import instances
from nova.db import network
from nova import exception
from nova.network import model

NET = {'network': 'private', 'cidr': '10.0.0.0/29', 'reserved': ['10.0.0.1'],
       'network_id': 'net-1', 'bridge': 'br100'}


def _instance(task_state='networking'):
    (created,) = instances.instances_create([{
        'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
        'vm_state': 'building', 'task_state': task_state}])
    return created['uuid']


def test_the_step_stores_the_address_it_allocates_as_network_info():
    uuid_ = _instance()
    updated = build.instance_update_with_fixed_ip(
        uuid_, {'task_state': 'block_device_mapping', 'network_info': []},
        expected_task_state=['networking'], fixed_ip=NET)
    (vif,) = updated['network_info']
    assert vif['address'].startswith('fa:16:3e:')  # the MAC
    assert vif['type'] == 'bridge' and vif['devname'].startswith('tap')
    assert len(vif['devname']) == 14
    assert (vif['network']['id'], vif['network']['label'],
            vif['network']['bridge']) == ('net-1', 'private', 'br100')
    (subnet,) = vif['network']['subnets']
    assert (subnet['cidr'], subnet['version']) == ('10.0.0.0/29', 4)
    assert subnet['gateway'] == {'address': '10.0.0.1', 'type': 'gateway',
                                 'version': 4}
    assert subnet['ips'] == [{'address': '10.0.0.2', 'type': 'fixed',
                              'version': 4}]
    assert updated['task_state'] == 'block_device_mapping'
    assert instances.instance_get(uuid_)['network_info'] == [vif]


def test_without_a_request_it_is_the_plain_step():
    uuid_ = _instance()
    updated = build.instance_update_with_fixed_ip(
        uuid_, {'task_state': 'block_device_mapping', 'network_info': []},
        expected_task_state=['networking'])
    assert updated['network_info'] == []
    assert network.fixed_ips_release(uuid_) == 0


def test_a_refused_step_leaves_the_address_for_the_clean_up():
    uuid_ = _instance(task_state='deleting')
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        build.instance_update_with_fixed_ip(
            uuid_, {'task_state': 'block_device_mapping'},
            expected_task_state=['networking'], fixed_ip=NET)
    # What the compute's _undo releases, as after fixed_ip_allocate.
    assert network.fixed_ips_release(uuid_) == 1


def test_no_free_address_refuses_the_step():
    for _ in range(5):       # 10.0.0.2-.6 of the /29 (.1 reserved)
        build.instance_update_with_fixed_ip(
            _instance(), {'task_state': 'block_device_mapping'},
            expected_task_state=['networking'], fixed_ip=NET)
    uuid_ = _instance()
    with pytest.raises(exception.NoMoreFixedIps):
        build.instance_update_with_fixed_ip(
            uuid_, {'task_state': 'block_device_mapping'},
            expected_task_state=['networking'], fixed_ip=NET)
    assert instances.instance_get(uuid_)['task_state'] == 'networking'


def _with_action(uuid_, request_id='req-1'):
    from nova.db import actions
    actions.action_start('create', uuid_, request_id, 'u', 'p')


def test_build_networking_walks_two_steps_and_starts_the_event():
    from nova.db import actions
    uuid_ = _instance(task_state=None)
    _with_action(uuid_)
    updated = build.instance_build_networking(
        uuid_, {'request_id': 'req-1', 'event': 'build', 'host': 'h1'},
        fixed_ip=NET)
    assert updated['task_state'] == 'block_device_mapping'
    assert model.first_address(updated['network_info']) == '10.0.0.2'
    (event,) = actions.action_get_by_request_id(uuid_, 'req-1')['events']
    assert event['event'] == 'build' and event['finish_time'] is None


def test_build_networking_of_an_instance_being_deleted_keeps_the_event():
    from nova.db import actions
    uuid_ = _instance(task_state='deleting')
    _with_action(uuid_)
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        build.instance_build_networking(
            uuid_, {'request_id': 'req-1', 'event': 'build', 'host': 'h1'},
            fixed_ip=NET)
    (event,) = actions.action_get_by_request_id(uuid_, 'req-1')['events']
    assert event['event'] == 'build'
    assert network.fixed_ips_release(uuid_) == 0


def test_build_networking_walks_on_to_spawning_when_asked():
    uuid_ = _instance(task_state=None)
    _with_action(uuid_)
    updated = build.instance_build_networking(
        uuid_, {'request_id': 'req-1', 'event': 'build', 'host': 'h1'},
        fixed_ip=NET, spawning=True)
    assert updated['task_state'] == 'spawning'
    assert model.first_address(updated['network_info']) == '10.0.0.2'


def test_build_networking_without_a_free_address_keeps_the_first_step():
    from nova.db import actions
    for _ in range(5):       # 10.0.0.2-.6 of the /29 (.1 reserved)
        network.fixed_ip_allocate('private', '10.0.0.0/29', 'other',
                                  reserved=['10.0.0.1'])
    uuid_ = _instance(task_state=None)
    _with_action(uuid_)
    with pytest.raises(exception.NoMoreFixedIps):
        build.instance_build_networking(
            uuid_, {'request_id': 'req-1', 'event': 'build', 'host': 'h1'},
            fixed_ip=NET, spawning=True)
    # As the steps before the failure left it, for the compute's clean-up.
    assert instances.instance_get(uuid_)['task_state'] == 'networking'
    (event,) = actions.action_get_by_request_id(uuid_, 'req-1')['events']
    assert event['event'] == 'build' and event['finish_time'] is None
    assert network.fixed_ips_release(uuid_) == 0


def test_where_writers_race_the_address_comes_before_the_steps(monkeypatch):
    # As on MariaDB and PostgreSQL: allocated in transactions of its own
    # before the steps' transaction opens, and given back if they fail.
    monkeypatch.setattr(network, 'allocates_in_callers_transaction',
                        lambda: False)
    monkeypatch.setattr(network, 'fixed_ip_allocate_in', None)
    uuid_ = _instance(task_state=None)
    _with_action(uuid_)
    updated = build.instance_build_networking(
        uuid_, {'request_id': 'req-1', 'event': 'build', 'host': 'h1'},
        fixed_ip=NET, spawning=True)
    assert model.first_address(updated['network_info']) == '10.0.0.2'
    refused = _instance(task_state='deleting')
    _with_action(refused)
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        build.instance_build_networking(
            refused, {'request_id': 'req-1', 'event': 'build',
                      'host': 'h1'}, fixed_ip=NET)
    assert network.fixed_ips_release(refused) == 0
    assert network.fixed_ips_release(uuid_) == 1


def test_the_zone_of_a_selection_is_the_schedulers_or_the_databases():
    from nova.db import aggregates
    from nova.db import services
    from tests.unit.scheduler import make_conf

    services.service_get_or_create('h1', 'nova-compute', 'compute', 1)
    agg = aggregates.aggregate_create('a1', availability_zone='az1')
    aggregates.aggregate_host_add(agg['id'], 'h1')
    flow = build.BuildFlow(make_conf(), 'conductor', None, None)
    # What the scheduler read with the host states: None is the default.
    assert flow.host_zone({'host': 'h1', 'availability_zone': 'az1'}) == \
        'az1'
    assert flow.host_zone({'host': 'h2', 'availability_zone': None}) == \
        'nova'
    # An older scheduler's selection has no zone: the database's.
    assert flow.host_zone({'host': 'h1'}) == 'az1'
    assert flow.host_zone({'host': 'h2'}) == 'nova'
