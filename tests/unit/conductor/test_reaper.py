"""The reaper: which operations it ends, and how it ends them."""

import datetime
import uuid as uuid_lib

import pytest

from nova.conductor import reaper
from nova import conf as nova_conf
from nova.db import actions
from nova.db import compute_nodes
from nova.db import instances
from nova.db import moves
from nova.db import reaper as db_reaper
from nova.db import services
from nova.db import utils
from nova import exception

NOW = datetime.datetime(2030, 1, 1, 12, 0, 0)
UP = {'host': 'h1', 'last_seen_up': NOW, 'forced_down': False}
DOWN = {'host': 'h2', 'last_seen_up': NOW - datetime.timedelta(hours=1),
        'forced_down': False}
SERVICES = {'h1': UP, 'h2': DOWN}


def _row(task, host='h1', vm_state='active', events=1):
    return {'uuid': str(uuid_lib.uuid4()), 'task_state': task,
            'host': host, 'vm_state': vm_state, 'events': events,
            'updated_at': NOW, 'request_id': 'req-1'}


def _selected(rows):
    return [row['uuid'] for row, _ in reaper.select_instances(
        rows, SERVICES, 60, NOW)]


def test_a_build_scheduling_without_host_is_reaped():
    build = _row('scheduling', host=None, vm_state='building')
    ((row, why),) = reaper.select_instances([build], SERVICES, 60, NOW)
    assert row is build
    assert 'nova-conductor stopped while scheduling' in why


def test_a_scheduled_or_non_building_scheduling_row_is_left():
    assert _selected([_row('scheduling', host='h1', vm_state='building'),
                      _row('scheduling', host=None, vm_state='error')]) == []


def test_an_accepted_task_on_a_down_or_missing_host_is_reaped():
    on_down = _row('powering-off', host='h2')
    unknown = _row('pausing', host='h9')
    no_host = _row('unshelving', host=None, vm_state='shelved_offloaded')
    assert _selected([on_down, unknown, no_host]) == [
        on_down['uuid'], unknown['uuid'], no_host['uuid']]


def test_an_accepted_task_its_live_compute_began_is_left():
    assert _selected([_row('powering-off'), _row('rebooting_hard'),
                      _row('image_snapshot_pending')]) == []


def test_an_accepted_task_nobody_began_is_reaped_even_on_a_live_host():
    lost = _row('powering-off', events=0)
    ((row, why),) = reaper.select_instances([lost], SERVICES, 60, NOW)
    assert row is lost and 'not sent on' in why


def test_resize_prep_is_the_conductors_own_and_reaped_on_a_live_host():
    stuck = _row('resize_prep')
    ((row, why),) = reaper.select_instances([stuck], SERVICES, 60, NOW)
    assert 'nova-conductor stopped' in why


def test_a_later_step_is_not_an_accept_task():
    # A compute's own steps are its restart recovery's business.
    assert _selected([_row('resize_migrating', host='h2'),
                      _row('spawning', host='h2', vm_state='building'),
                      _row(None, host='h2')]) == []


def test_forced_down_counts_as_down():
    services_ = {'h1': dict(UP, forced_down=True)}
    assert len(list(reaper.select_instances(
        [_row('pausing')], services_, 60, NOW))) == 1


def _migration(status, source='h1', dest='h2'):
    return {'uuid': str(uuid_lib.uuid4()), 'status': status,
            'source_compute': source, 'dest_compute': dest}


def test_a_move_is_reaped_when_either_compute_is_down():
    dest_down = _migration('migrating')
    source_down = _migration('post-migrating', source='h2', dest='h1')
    both_up = _migration('migrating', dest='h1')
    conductors = _migration('pre-migrating')
    finished = _migration('finished')
    found = list(reaper.select_migrations(
        [dest_down, source_down, both_up, conductors, finished], SERVICES,
        60, NOW))
    assert [m for m, _ in found] == [dest_down, source_down]
    assert 'h2 is down' in found[0][1]


# What abort does, on a database.

RESOURCES = {'vcpus': 8, 'memory_mb': 8192, 'local_gb': 100,
             'cpu_allocation_ratio': 1.0, 'ram_allocation_ratio': 1.0,
             'disk_allocation_ratio': 1.0, 'reserved_host_cpus': 0,
             'reserved_host_memory_mb': 0, 'reserved_host_disk_mb': 0}


def _node(host):
    services.service_get_or_create(host, 'nova-compute', 'compute', 1)
    return compute_nodes.compute_node_update_or_create(
        host, host, RESOURCES)[0]


def _instance(task_state, vm_state='active', host='h1', action='create'):
    uuid_ = str(uuid_lib.uuid4())
    instances.instances_create([{
        'uuid': uuid_, 'user_id': 'u', 'project_id': 'p', 'host': host,
        'node': host, 'vm_state': vm_state, 'task_state': task_state}])
    actions.action_start(action, uuid_, 'req-' + uuid_, 'u', 'p')
    instance = instances.instance_get(uuid_)
    # When it last changed, as the reaper reads it.
    instance['updated_at'] = instance['updated_at'] or instance['created_at']
    return instance


def _usage():
    return {n['host']: n['vcpus_used']
            for n in compute_nodes.compute_node_get_all()}


FAULT = {'code': 500, 'message': 'gone', 'host': 'c'}


def test_abort_is_a_compare_and_swap_on_task_and_updated_at():
    instance = _instance('powering-off')
    with pytest.raises(exception.UnexpectedTaskStateError):
        db_reaper.abort(instance['uuid'], ['powering-off'],
                        {'task_state': None}, FAULT, 'e',
                        expected_updated_at=instance['updated_at'] -
                        datetime.timedelta(seconds=1))
    request_id = db_reaper.abort(
        instance['uuid'], ['powering-off'], {'task_state': None}, FAULT,
        'e', expected_updated_at=instance['updated_at'])
    assert request_id == 'req-' + instance['uuid']
    # The second conductor, which saw the same row, does nothing.
    with pytest.raises(exception.UnexpectedTaskStateError):
        db_reaper.abort(instance['uuid'], ['powering-off'],
                        {'task_state': None}, FAULT, 'e',
                        expected_updated_at=instance['updated_at'])
    shown = instances.instance_get(instance['uuid'])
    assert shown['task_state'] is None and shown['fault']['message'] == 'gone'


def test_abort_of_a_build_frees_its_claims_and_fails_its_event():
    node = _node('h1')
    instance = _instance('scheduling', vm_state='building', host=None)
    uuid_ = instance['uuid']
    actions.event_start(uuid_, 'req-' + uuid_, reaper.SCHEDULE_EVENT, 'c')
    compute_nodes.allocation_claim(uuid_, node['id'], 'p', 2, 512, 1)
    db_reaper.abort(uuid_, ['scheduling'],
                    {'vm_state': 'error', 'task_state': None}, FAULT,
                    reaper.SCHEDULE_EVENT, free_allocations=True)
    assert _usage() == {'h1': 0}
    (action,) = actions.actions_get(uuid_)
    assert action['message'] == 'Error'
    (event,) = actions.action_get_by_request_id(uuid_, 'req-' + uuid_)[
        'events']
    assert (event['event'], event['result']) == (reaper.SCHEDULE_EVENT,
                                                 'Error')


def test_abort_of_a_move_keeps_only_the_source_allocation():
    source, dest = _node('h1'), _node('h2')
    instance = _instance('resize_migrating', action='migrate')
    uuid_ = instance['uuid']
    migration = moves.migration_create({
        'instance_uuid': uuid_, 'source_compute': 'h1', 'source_node': 'h1',
        'dest_compute': 'h2', 'dest_node': 'h2', 'status': 'migrating',
        'migration_type': 'migration'})
    compute_nodes.allocation_claim(migration['uuid'], source['id'], 'p', 1,
                                   512, 1)
    compute_nodes.allocation_claim(uuid_, dest['id'], 'p', 1, 512, 1)
    db_reaper.abort(uuid_, 'resize_migrating',
                    {'task_state': None, 'vm_state': 'error'}, FAULT, 'e',
                    migration_uuid=migration['uuid'])
    assert _usage() == {'h1': 1, 'h2': 0}
    assert [a['compute_node_id'] for a in compute_nodes.allocations_get(
        uuid_)] == [source['id']]
    assert moves.migration_get(migration['uuid'])['status'] == 'error'


def test_abort_of_a_same_host_resize_keeps_only_the_old_flavor():
    node = _node('h1')
    tiny = {'flavorid': '1', 'vcpus': 1, 'memory_mb': 512, 'root_gb': 1,
            'ephemeral_gb': 0}
    small = dict(tiny, flavorid='2', vcpus=2, memory_mb=2048)
    instance = _instance('resize_finish', action='resize')
    uuid_ = instance['uuid']
    # finish_resize had switched the flavor when the compute died.
    instances.instance_update(uuid_, {
        'flavor': small, 'vcpus': 2, 'memory_mb': 2048,
        'system_metadata': {'old_flavor': tiny, 'new_flavor': small,
                            'old_vm_state': 'active'}})
    migration = moves.migration_create({
        'instance_uuid': uuid_, 'source_compute': 'h1', 'source_node': 'h1',
        'dest_compute': 'h1', 'dest_node': 'h1', 'status': 'post-migrating',
        'migration_type': 'resize'})
    # Both flavors on the one node: the old by the migration.
    compute_nodes.allocation_claim(migration['uuid'], node['id'], 'p', 1,
                                   512, 1)
    compute_nodes.allocation_claim(uuid_, node['id'], 'p', 2, 2048, 1)
    assert _usage() == {'h1': 3}
    db_reaper.abort(uuid_, 'resize_finish',
                    {'task_state': None, 'vm_state': 'error'}, FAULT, 'e',
                    migration_uuid=migration['uuid'])
    assert _usage() == {'h1': 1}
    (allocation,) = compute_nodes.allocations_get(uuid_)
    assert (allocation['compute_node_id'], allocation['vcpus']) == (
        node['id'], 1)
    assert compute_nodes.allocations_get(migration['uuid']) == []
    shown = instances.instance_get(uuid_)
    assert (shown['host'], shown['flavor']['flavorid'], shown['vcpus'],
            shown['memory_mb']) == ('h1', '1', 1, 512)
    assert 'old_flavor' not in shown['system_metadata']
    assert moves.migration_get(migration['uuid'])['status'] == 'error'


def test_an_evacuation_nobody_took_on_gives_back_its_claim():
    source, dest = _node('h1'), _node('h2')
    instance = _instance('rebuilding', action='evacuate')
    uuid_ = instance['uuid']
    compute_nodes.allocation_claim(uuid_, source['id'], 'p', 1, 512, 1)
    compute_nodes.allocation_claim(uuid_, dest['id'], 'p', 1, 512, 1)
    migration = moves.migration_create({
        'instance_uuid': uuid_, 'source_compute': 'h1', 'source_node': 'h1',
        'dest_compute': 'h2', 'dest_node': 'h2', 'status': 'accepted',
        'migration_type': 'evacuation'})
    # Its host is down: that is why it was evacuated.
    assert reaper.reap_instance(instance, 'the compute service of its '
                                'host h1 is down', 300, 'c')
    assert _usage() == {'h1': 1, 'h2': 0}
    shown = instances.instance_get(uuid_)
    assert (shown['host'], shown['vm_state'], shown['task_state']) == (
        'h1', 'active', None)
    assert moves.migration_get(migration['uuid'])['status'] == 'error'


def test_destroy_frees_the_moves_claims_and_ends_them():
    source, dest = _node('h1'), _node('h2')
    instance = _instance('resize_migrating', action='migrate')
    uuid_ = instance['uuid']
    migration = moves.migration_create({
        'instance_uuid': uuid_, 'source_compute': 'h1', 'source_node': 'h1',
        'dest_compute': 'h2', 'dest_node': 'h2', 'status': 'migrating',
        'migration_type': 'migration'})
    compute_nodes.allocation_claim(migration['uuid'], source['id'], 'p', 1,
                                   512, 1)
    compute_nodes.allocation_claim(uuid_, dest['id'], 'p', 1, 512, 1)
    instances.instance_destroy(uuid_)
    assert _usage() == {'h1': 0, 'h2': 0}
    assert moves.migration_get(migration['uuid'])['status'] == 'error'


def test_claims_of_deleted_consumers_are_orphans():
    node = _node('h1')
    live = _instance(None)
    dead = _instance(None)
    instances.instance_destroy(dead['uuid'])
    migration = moves.migration_create({
        'instance_uuid': dead['uuid'], 'source_compute': 'h1',
        'status': 'error', 'migration_type': 'migration'})
    for consumer in (live['uuid'], dead['uuid'], migration['uuid']):
        compute_nodes.allocation_claim(consumer, node['id'], 'p', 1, 1, 0)
    assert sorted(db_reaper.orphaned_consumers()) == sorted(
        [dead['uuid'], migration['uuid']])


def test_stuck_queries_see_only_what_did_not_move_since_the_cutoff():
    old = _instance('powering-off')
    _instance('powering-off')
    cutoff = old['updated_at'] + datetime.timedelta(microseconds=1)
    stuck = db_reaper.stuck_instances(['powering-off'], cutoff)
    assert [r['uuid'] for r in stuck] == [old['uuid']]
    assert stuck[0]['request_id'] == 'req-' + old['uuid']
    assert stuck[0]['events'] == 0


def test_a_pass_reaps_and_logs_with_the_request_id(caplog):
    conf = nova_conf.CONF
    _node('h1')
    instance = _instance('powering-off', host='h1')
    later = utils.utcnow() + datetime.timedelta(
        seconds=conf.conductor.stuck_task_timeout + 1)
    # By then h1 has not reported for longer than service_down_time.
    assert reaper.reap(conf, 'c', now=later) == 1
    shown = instances.instance_get(instance['uuid'])
    assert shown['task_state'] is None
    assert 'did not move for' in shown['fault']['message']
    assert 'req-' + instance['uuid'] in caplog.text
    assert reaper.reap(conf, 'c', now=later) == 0


def _live(status, source='h1', dest='h2'):
    return dict(_migration(status, source, dest),
                migration_type='live-migration')


def test_a_live_migration_is_reaped_when_a_compute_is_down_or_untaken():
    dest_down = _live('running')
    source_down = _live('preparing', source='h2', dest='h1')
    running = _live('running', dest='h1')
    untaken = _live('queued', dest='h1')
    done = _live('completed')
    found = list(reaper.select_migrations(
        [dest_down, source_down, running, untaken, done], SERVICES, 60,
        NOW))
    assert [m for m, _ in found] == [dest_down, source_down, untaken]
    assert 'h2 is down' in found[0][1]
    assert found[2][1] == 'no compute ever took it on'
    # An evacuation's 'accepted' is not a live migration's.
    evacuation = dict(_migration('accepted'), dest_compute='h1',
                      migration_type='evacuation')
    assert not list(reaper.select_migrations([evacuation], SERVICES, 60,
                                             NOW))


def test_a_live_migration_whose_source_died_ends_on_the_source():
    source, dest = _node('h1'), _node('h2')
    instance = _instance('migrating', action='live-migration')
    uuid_ = instance['uuid']
    migration = moves.migration_create({
        'instance_uuid': uuid_, 'source_compute': 'h1', 'source_node': 'h1',
        'dest_compute': 'h2', 'dest_node': 'h2', 'status': 'running',
        'migration_type': 'live-migration'})
    compute_nodes.allocation_claim(migration['uuid'], source['id'], 'p', 1,
                                   512, 1)
    compute_nodes.allocation_claim(uuid_, dest['id'], 'p', 1, 512, 1)
    assert reaper.reap_instance(instance, 'the compute service of its '
                                'host h1 is down', 300, 'c')
    assert _usage() == {'h1': 1, 'h2': 0}
    shown = instances.instance_get(uuid_)
    assert (shown['host'], shown['vm_state'], shown['task_state']) == (
        'h1', 'active', None)
    assert moves.migration_get(migration['uuid'])['status'] == 'error'
    assert 'task_state migrating' in shown['fault']['message']
