import uuid

import pytest

from nova.db import instances
from nova import exception


def _instance(**values):
    base = {'uuid': str(uuid.uuid4()), 'user_id': 'u', 'project_id': 'p',
            'vm_state': 'building', 'task_state': 'scheduling',
            'vcpus': 1, 'memory_mb': 512, 'metadata': {'k': 'v'}}
    base.update(values)
    return base


def test_create_and_get_with_metadata():
    (created,) = instances.instances_create([_instance()])
    got = instances.instance_get(created['uuid'])
    assert got['metadata'] == {'k': 'v'}
    assert got['fault'] is None
    assert got['deleted'] == 0


def test_update_is_a_compare_and_swap_on_task_state():
    (created,) = instances.instances_create([_instance()])
    instances.instance_update(created['uuid'], {'task_state': None},
                              expected_task_state=['scheduling'])
    with pytest.raises(exception.UnexpectedTaskStateError) as info:
        instances.instance_update(created['uuid'],
                                  {'task_state': 'spawning'},
                                  expected_task_state=['networking'])
    assert info.value.code == 409


def test_deleting_wins_over_a_build_step():
    (created,) = instances.instances_create([_instance()])
    instances.instance_update(created['uuid'], {'task_state': 'deleting'})
    with pytest.raises(exception.UnexpectedDeletingTaskStateError):
        instances.instance_update(created['uuid'],
                                  {'task_state': 'networking'},
                                  expected_task_state=[None, 'scheduling'])


def test_destroy_is_a_soft_delete():
    (created,) = instances.instances_create([_instance()])
    instances.instance_destroy(created['uuid'])
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get(created['uuid'])
    gone = instances.instance_get(created['uuid'], read_deleted='yes')
    assert gone['vm_state'] == 'deleted'
    assert gone['deleted'] == gone['id']
    assert gone['terminated_at'] is not None


def test_project_scoped_get_hides_other_projects():
    (created,) = instances.instances_create([_instance()])
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get(created['uuid'], project_id='someone-else')


def test_quota_is_checked_in_the_create_transaction():
    limits = {'instances': 2, 'cores': 20, 'ram': 51200}
    instances.instances_create([_instance(), _instance()], limits, 'p')
    with pytest.raises(exception.OverQuota) as info:
        instances.instances_create([_instance()], limits, 'p')
    assert 'Quota exceeded for instances' in str(info.value)
    assert info.value.code == 403


def test_a_create_sent_again_answers_with_the_rows_of_the_first():
    # The API chose the uuids: rows of them are the first run's, whose
    # answer the caller never got (a conductor that died after it).
    limits = {'instances': 2, 'cores': 20, 'ram': 51200}
    request = [_instance(), _instance()]
    action = {'action': 'create', 'request_id': 'req-1', 'user_id': 'u',
              'project_id': 'p'}
    first = instances.instances_create(request, limits, 'p', action=action)
    again = instances.instances_create(request, limits, 'p', action=action)
    assert [i['id'] for i in again] == [i['id'] for i in first]
    assert len(instances.instance_get_all()) == 2
    from nova.db import actions
    assert len(actions.actions_get(first[0]['uuid'])) == 1


def test_latest_fault_is_attached():
    (created,) = instances.instances_create([_instance()])
    instances.instance_fault_create(created['uuid'], 500, 'first')
    instances.instance_fault_create(created['uuid'], 500, 'second')
    assert instances.instance_get(created['uuid'])['fault']['message'] == \
        'second'


def test_list_filters_regex_and_pagination():
    made = instances.instances_create([
        _instance(display_name='web-%d' % i) for i in range(5)] +
        [_instance(display_name='db-1')])
    webs = instances.instance_get_all(regex_filters={'display_name': '^web'})
    assert len(webs) == 5
    page = instances.instance_get_all(sort_keys=['display_name', 'id'],
                                      sort_dirs=['asc', 'asc'], limit=2)
    assert [i['display_name'] for i in page] == ['db-1', 'web-0']
    rest = instances.instance_get_all(sort_keys=['display_name', 'id'],
                                      sort_dirs=['asc', 'asc'],
                                      marker=page[-1]['uuid'])
    assert [i['display_name'] for i in rest] == [
        'web-1', 'web-2', 'web-3', 'web-4']
    assert len(made) == 6


def test_status_filter_uses_the_state_map():
    from nova.compute import states
    instances.instances_create([
        _instance(vm_state='active', task_state=None),
        _instance(vm_state='active', task_state='rebooting'),
        _instance(vm_state='stopped', task_state=None)])
    active = instances.instance_get_all(
        filters={'status_states': states.states_for_status('ACTIVE')})
    reboot = instances.instance_get_all(
        filters={'status_states': states.states_for_status('REBOOT')})
    assert len(active) == 1 and len(reboot) == 1


def _action(uuid, request_id='req-1'):
    from nova.db import actions
    actions.action_start('create', uuid, request_id, 'u', 'p')


def _events(uuid, request_id='req-1'):
    from nova.db import actions
    return actions.action_get_by_request_id(uuid, request_id)['events']


def test_update_and_event_start_keeps_the_event_when_refused():
    (created,) = instances.instances_create([_instance()])
    _action(created['uuid'])
    got = instances.instance_update_and_event(
        created['uuid'], {'task_state': None},
        expected_task_state=['scheduling'],
        event_start={'request_id': 'req-1', 'event': 'build', 'host': 'h'})
    assert got['task_state'] is None and got['metadata'] == {'k': 'v'}
    with pytest.raises(exception.UnexpectedTaskStateError):
        instances.instance_update_and_event(
            created['uuid'], {'task_state': 'spawning'},
            expected_task_state=['networking'],
            event_start={'request_id': 'req-1', 'event': 'again',
                         'host': 'h'})
    assert [(e['event'], e['host'], e['finish_time']) for e in
            _events(created['uuid'])] == [('build', 'h', None),
                                          ('again', 'h', None)]
    assert instances.instance_get(created['uuid'])['task_state'] is None


def test_update_and_event_finish_only_after_the_update():
    (created,) = instances.instances_create([_instance()])
    _action(created['uuid'])
    finish = {'request_id': 'req-1', 'event': 'build', 'result': 'Success'}
    with pytest.raises(exception.UnexpectedTaskStateError):
        instances.instance_update_and_event(
            created['uuid'], {'task_state': None},
            expected_task_state=['spawning'], event_finish=finish)
    assert _events(created['uuid']) == []
    got = instances.instance_update_and_event(
        created['uuid'], {'vm_state': 'active', 'task_state': None},
        expected_task_state=['scheduling'], event_finish=finish)
    assert got['vm_state'] == 'active'
    (event,) = _events(created['uuid'])
    assert event['result'] == 'Success' and event['finish_time']


def test_update_replaces_metadata_and_ignores_unknown_keys():
    (created,) = instances.instances_create([_instance()])
    got = instances.instance_update(created['uuid'], {
        'metadata': {'a': '1', 'b': '2'}, 'not_a_column': 1,
        'network_info': [{'address': '10.0.0.2'}]})
    assert got['metadata'] == {'a': '1', 'b': '2'}
    assert got['network_info'] == [{'address': '10.0.0.2'}]
    assert 'not_a_column' not in got
    assert got['updated_at'] is not None


def test_get_with_host_services():
    from nova.db import services
    (created,) = instances.instances_create([_instance(host='h1')])
    (other,) = instances.instances_create([_instance()])
    service, _ = services.service_get_or_create('h1', 'nova-compute',
                                                'compute', 1)
    services.service_get_or_create('h2', 'nova-compute', 'compute', 1)
    instance, found = instances.instance_get_with_host_services(
        created['uuid'])
    assert instance == instances.instance_get(created['uuid'])
    assert [s['id'] for s in found] == [service['id']]
    assert instances.instance_get_with_host_services(other['uuid'])[1] == []
    with pytest.raises(exception.InstanceNotFound):
        instances.instance_get_with_host_services(created['uuid'],
                                                  project_id='nobody')


def test_list_columns_and_json_as_text():
    import json
    from nova.network import model
    vif = model.vif('port-1', 'fa:16:3e:00:00:09', model.network(
        'net-1', 'private', subnets=[model.subnet(
            '10.0.0.0/24', ips=[model.fixed_ip('10.0.0.9')])]))
    (created,) = instances.instances_create([_instance(
        tags=['a'], network_info=[vif])])
    (full,) = instances.instance_get_all()
    (text,) = instances.instance_get_all(json_as_text=True)
    assert json.loads(text['tags']) == full['tags'] == ['a']
    assert text['block_device_mapping'] is None or json.loads(
        text['block_device_mapping']) == full['block_device_mapping']
    (some,) = instances.instance_get_all(columns=['uuid', 'display_name'])
    assert some == {'uuid': created['uuid'], 'display_name': None}
    (some,) = instances.instance_get_all(
        columns=['uuid', 'metadata'], regex_filters={'ip': r'10\.0\.0\.9'})
    assert some == {'uuid': created['uuid'], 'metadata': {'k': 'v'}}


def test_addresses_are_written_with_network_info():
    from nova.network import model

    def vifs(address):
        return [model.vif('port-1', 'fa:16:3e:00:00:09', model.network(
            'net-1', 'private', subnets=[model.subnet(
                '10.0.0.0/24', ips=[model.fixed_ip(address)])]))]
    expected = {'network': 'private', 'version': 4, 'type': 'fixed',
                'mac_address': 'fa:16:3e:00:00:09'}
    (created,) = instances.instances_create([_instance(
        network_info=vifs('10.0.0.9'))])
    assert created['addresses'] == [dict(expected, address='10.0.0.9')]
    instances.instance_update(created['uuid'],
                              {'network_info': vifs('10.0.0.10')})
    instances.instance_update(created['uuid'], {'task_state': None})
    got = instances.instance_get(created['uuid'])
    assert got['addresses'] == [dict(expected, address='10.0.0.10')]
    instances.instance_update(created['uuid'], {'network_info': []})
    assert instances.instance_get(created['uuid'])['addresses'] == []
    # A list that asks for addresses does not carry network_info.
    (listed,) = instances.instance_get_all(columns=['uuid', 'addresses'])
    assert listed == {'uuid': created['uuid'], 'addresses': []}


def _over_rpc(payload):
    """payload as the other side of an RPC call receives it."""
    import json

    from nova import rpc
    serializer = rpc.RequestContextSerializer()
    return serializer.deserialize_entity(None, json.loads(json.dumps(
        serializer.serialize_entity(None, payload))))


def test_list_as_a_table_gives_the_same_instances_over_rpc():
    from nova.conductor import rpcapi
    (web,) = instances.instances_create([_instance(
        display_name='web', tags=['a'], locked=True,
        network_info=[{'address': '10.0.0.9', 'version': 4}],
        flavor={'name': 'm1.tiny', 'extra_specs': {'k': 'v'}},
        system_metadata={'locked_reason': 'maintenance', 'image_x': 'y'})])
    (db,) = instances.instances_create([_instance(
        display_name='db', metadata={}, system_metadata={})])
    instances.instance_update(web['uuid'], {'vm_state': 'active',
                                            'launched_at': web['created_at']})
    instances.instance_update(db['uuid'], {'vm_state': 'error'})
    instances.instance_fault_create(db['uuid'], 500, 'boom', 'trace')
    for columns in (None, ['uuid', 'flavor', 'created_at', 'launched_at',
                           'metadata', 'fault', 'tags']):
        expected = instances.instance_get_all(columns=columns)
        table = instances.instance_get_all(columns=columns, as_table=True)
        assert len(table['rows']) == 2
        assert rpcapi.instances_from_table(_over_rpc(table)) == expected
        text = instances.instance_get_all(columns=columns, as_table='json')
        assert isinstance(text, str)
        assert rpcapi.instances_from_table(_over_rpc(text)) == expected
    got = {i['display_name']: i for i in rpcapi.instances_from_table(
        _over_rpc(instances.instance_get_all(as_table='json')))}
    assert got['web']['network_info'][0]['address'] == '10.0.0.9'
    assert got['web']['launched_at'] == web['created_at']
    assert got['db']['fault']['message'] == 'boom'
    assert got['db']['metadata'] == {} and got['web']['metadata'] == {
        'k': 'v'}


def test_list_reads_locked_reason_out_of_system_metadata():
    (locked,) = instances.instances_create([_instance(
        system_metadata={'locked_reason': 'maintenance', 'image_x': 'y'})])
    (other,) = instances.instances_create([_instance(system_metadata={})])
    (bare,) = instances.instances_create([_instance()])
    found = {i['uuid']: i for i in instances.instance_get_all(
        columns=['uuid', 'locked_reason'])}
    assert found[locked['uuid']] == {'uuid': locked['uuid'],
                                     'locked_reason': 'maintenance'}
    assert found[other['uuid']]['locked_reason'] is None
    assert found[bare['uuid']]['locked_reason'] is None


def test_list_with_services_adds_the_live_services_of_the_binary():
    from nova.db import services
    compute, _ = services.service_get_or_create('h1', 'nova-compute',
                                                'compute', 1)
    services.service_get_or_create('h1', 'nova-scheduler', 'scheduler', 1)
    instances.instances_create([_instance(host='h1')])
    listed, found = instances.instance_get_all_with_services(
        columns=['uuid', 'host'], as_table=True)
    assert listed['columns'] == ['uuid', 'host']
    assert [s['id'] for s in found] == [compute['id']]


def test_a_projects_list_is_read_in_index_order(database):
    """The default list of a project (newest first) walks an index: SQLite
    sorting the whole rows in a temporary b-tree costs 4-5 ms a thousand."""
    from sqlalchemy import event
    instances.instances_create([_instance(project_id='p1')])
    statements = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith('SELECT') and (
                'FROM instances' in statement):
            statements.append((statement, parameters))
    event.listen(database, 'before_cursor_execute', capture)
    try:
        assert len(instances.instance_get_all(
            filters={'project_id': 'p1'}, columns=['uuid', 'created_at'],
            as_table='json')) > 0
    finally:
        event.remove(database, 'before_cursor_execute', capture)
    (statement, parameters), = statements
    with database.connect() as conn:
        plan = ' '.join(str(row[-1]) for row in conn.exec_driver_sql(
            'EXPLAIN QUERY PLAN ' + statement, parameters))
    assert 'instances_project_id_deleted_created_at_idx' in plan, plan
    assert 'TEMP B-TREE' not in plan, plan
