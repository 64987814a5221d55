"""nova.compute.api.API with fake clients: what each call claims, records
and sends, and what it refuses before touching anything."""

import datetime
from unittest import mock

from oslo_config import cfg
import pytest

from nova.compute import aggregates
from nova.compute import api as compute
from nova.compute import states
from nova import context as nova_context
from nova import exception
import nova.conf

TINY = {'id': 1, 'flavorid': '1', 'name': 'm1.tiny', 'memory_mb': 512,
        'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
        'rxtx_factor': 1.0, 'extra_specs': {}, 'description': None,
        'disabled': False}
BIG = dict(TINY, id=2, flavorid='2', name='big', memory_mb=2048, vcpus=2)
SMALL_RAM = dict(TINY, id=3, flavorid='3', name='less', memory_mb=256)


@pytest.fixture
def conf():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    return conf


def _conductor(instance, hosts_up=('h1', 'h2')):
    """The conductor client: calls recorded; the compute services of
    hosts_up are up; updates answer the instance updated."""
    conductor = mock.Mock()
    current = dict(instance)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)

    def service(context, host, binary):
        if host not in hosts_up:
            raise exception.ComputeHostNotFound(host=host)
        return {'host': host, 'forced_down': False, 'last_seen_up': now}

    def update(context, uuid, values, *args, **kwargs):
        current.update(values)
        return dict(current)
    conductor.service_get_by_host_and_binary.side_effect = service
    conductor.instance_update.side_effect = update
    conductor.instance_update_within_quota.side_effect = update
    return conductor


def _instance(**values):
    instance = {'uuid': 'u1', 'host': 'h1', 'node': 'n1',
                'project_id': 'p', 'user_id': 'u',
                'vm_state': states.ACTIVE, 'task_state': None,
                'launched_at': datetime.datetime(2026, 1, 1),
                'locked': False, 'flavor': dict(TINY), 'root_gb': 1,
                'image_ref': 'img', 'display_name': 'vm',
                'system_metadata': {'image_disk_format': 'raw'}}
    instance.update(values)
    return instance


def _api(conf, instance):
    conductor = _conductor(instance)
    return compute.API(conf, conductor, mock.Mock(), mock.Mock(),
                       mock.Mock())


@pytest.fixture
def context():
    return nova_context.RequestContext(user_id='u', project_id='p')


def test_a_resize_up_claims_with_its_quota_deltas(conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.conductor.flavor_get.return_value = BIG
    api.resize(context, instance, '2', auto_disk_config=True)
    (ctxt, uuid, values, defaults, deltas), kwargs = \
        api.conductor.instance_update_within_quota.call_args
    assert deltas == {'cores': 1, 'ram': 1536}
    assert defaults['cores'] == conf.quota.cores
    assert values['task_state'] == states.task.RESIZE_PREP
    assert values['auto_disk_config'] is True
    # The flavor to be, so the quota counts it until the compute's done.
    assert values['system_metadata']['new_flavor']['flavorid'] == '2'
    assert values['system_metadata']['image_disk_format'] == 'raw'
    assert kwargs['expected_task_state'] == [None]
    api.conductor.action_start.assert_called_once_with(context, 'resize',
                                                       'u1')
    api.conductor.migrate_server.assert_called_once()
    assert api.conductor.migrate_server.call_args[0][2]['flavorid'] == '2'


def test_a_resize_down_needs_no_quota_check(conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.conductor.flavor_get.return_value = SMALL_RAM
    api.resize(context, instance, '3')
    api.conductor.instance_update_within_quota.assert_not_called()
    assert api.conductor.instance_update.call_args[0][2][
        'task_state'] == states.task.RESIZE_PREP


def test_an_over_quota_resize_stops_before_the_conductor_moves(conf,
                                                                context):
    instance = _instance()
    api = _api(conf, instance)
    api.conductor.flavor_get.return_value = BIG
    api.conductor.instance_update_within_quota.side_effect = \
        exception.OverQuota(overs='cores', req=1, used=1, allowed=1)
    with pytest.raises(exception.OverQuota):
        api.resize(context, instance, '2')
    api.conductor.action_start.assert_not_called()
    api.conductor.migrate_server.assert_not_called()


@pytest.mark.parametrize('flavor, message', [
    (TINY, 'instances must change flavor'),
    (dict(BIG, root_gb=0), 'smaller disk'),
])
def test_resize_refusals_claim_nothing(conf, context, flavor, message):
    instance = _instance()
    api = _api(conf, instance)
    api.conductor.flavor_get.return_value = flavor
    with pytest.raises(exception.Invalid, match=message):
        api.resize(context, instance, flavor['flavorid'])
    api.conductor.instance_update.assert_not_called()


def test_a_move_needs_the_source_compute_up(conf, context):
    instance = _instance(host='down')
    api = _api(conf, instance)
    with pytest.raises(exception.Conflict):
        api.migrate(context, instance)
    api.conductor.instance_update.assert_not_called()


def test_a_revert_of_a_resize_down_checks_the_growth_back(conf, context):
    instance = _instance(vm_state=states.RESIZED, flavor=dict(SMALL_RAM),
                         system_metadata={'old_flavor': BIG})
    api = _api(conf, instance)
    api.conductor.migration_get_by_instance_and_status.return_value = {
        'uuid': 'm1', 'dest_compute': 'h2', 'source_compute': 'h1'}
    api.revert_resize(context, instance)
    deltas = api.conductor.instance_update_within_quota.call_args[0][4]
    assert deltas == {'cores': 1, 'ram': 1792}
    api.conductor.migration_update.assert_called_once_with(
        context, 'm1', {'status': 'reverting'})
    api.compute_rpcapi.revert_resize.assert_called_once_with(
        context, 'h2', 'u1', 'm1')


def test_a_lost_claim_names_the_state_that_won(conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.conductor.instance_update.side_effect = \
        exception.UnexpectedTaskStateError(instance_uuid='u1', expected=None,
                                           actual='rebooting')
    api.conductor.instance_get.return_value = _instance(
        task_state='rebooting')
    with pytest.raises(exception.InstanceInvalidState, match='rebooting'):
        api.stop(context, instance)
    api.compute_rpcapi.stop_instance.assert_not_called()


def test_a_simple_action_claims_records_and_casts(conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.pause(context, instance)
    assert api.conductor.instance_update.call_args[0][2] == {
        'task_state': states.task.PAUSING}
    api.conductor.action_start.assert_called_once_with(context, 'pause',
                                                       'u1')
    api.compute_rpcapi.pause_instance.assert_called_once_with(context, 'h1',
                                                              'u1')


def test_a_snapshot_refused_deletes_its_new_image(conf, context):
    instance = _instance(task_state=states.task.REBOOTING)
    api = _api(conf, instance)
    api.image_api.create.return_value = {'id': 'new'}
    # The transitions table refuses it before any image is made...
    with pytest.raises(exception.InstanceInvalidState):
        api.snapshot(context, instance, 'snap')
    api.image_api.create.assert_not_called()
    # ...and a claim lost to another request takes the image back.
    instance = _instance()
    api = _api(conf, instance)
    api.image_api.create.return_value = {'id': 'new'}
    api.conductor.instance_update.side_effect = \
        exception.UnexpectedTaskStateError(instance_uuid='u1', expected=None,
                                           actual='rebooting')
    api.conductor.instance_get.return_value = _instance(
        task_state='rebooting')
    with pytest.raises(exception.InstanceInvalidState):
        api.snapshot(context, instance, 'snap')
    api.image_api.delete.assert_called_once_with(context, 'new')
    api.compute_rpcapi.snapshot_instance.assert_not_called()


def test_a_snapshot_image_keeps_what_boots_it_the_same_way(conf, context):
    instance = _instance(system_metadata={
        'image_disk_format': 'raw', 'image_hw_machine_type': 'q35',
        'image_base_image_ref': 'img'})
    api = _api(conf, instance)
    api.image_api.create.return_value = {'id': 'new'}
    assert api.snapshot(context, instance, 'snap', {'k': 'v'}) == {
        'id': 'new'}
    meta = api.image_api.create.call_args[0][1]
    assert meta['disk_format'] == 'raw'
    assert meta['properties'] == {
        'hw_machine_type': 'q35', 'instance_uuid': 'u1',
        'image_type': 'snapshot', 'base_image_ref': 'img', 'user_id': 'u',
        'k': 'v'}
    api.compute_rpcapi.snapshot_instance.assert_called_once_with(
        context, 'h1', 'u1', 'new')


def test_delete_is_local_when_the_host_is_down(conf, context):
    instance = _instance(host='down')
    api = _api(conf, instance)
    api.delete(context, instance)
    api.network_api.deallocate_for_instance.assert_called_once_with(
        context, 'u1')
    api.conductor.allocations_delete.assert_called_once_with(context, 'u1')
    api.conductor.instance_destroy.assert_called_once_with(context, 'u1')
    api.compute_rpcapi.terminate_instance.assert_not_called()


def test_delete_goes_through_a_live_compute(conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.delete(context, instance)
    api.compute_rpcapi.terminate_instance.assert_called_once_with(
        context, 'h1', 'u1')
    api.conductor.instance_destroy.assert_not_called()


def test_delete_is_soft_with_a_reclaim_interval(conf, context):
    conf.set_override('reclaim_instance_interval', 60)
    instance = _instance()
    api = _api(conf, instance)
    api.delete(context, instance)
    api.compute_rpcapi.soft_delete_instance.assert_called_once_with(
        context, 'h1', 'u1')
    # forceDelete is never soft.
    api.force_delete(context, _instance())
    api.compute_rpcapi.terminate_instance.assert_called_once()


def test_console_output_drops_control_characters_and_keeps_the_tail(
        conf, context):
    instance = _instance()
    api = _api(conf, instance)
    api.compute_rpcapi.get_console_output.return_value = \
        'one\x1b[0m\ntwo\x07\nthree'
    assert api.get_console_output(context, instance) == \
        'one[0m\ntwo\nthree'
    assert api.get_console_output(context, instance, 2) == 'two\nthree'
    assert api.get_console_output(context, instance, 0) == ''


def test_external_events_codes_and_sends_per_instance(conf, context):
    api = _api(conf, _instance())
    api.conductor.instance_get_all.return_value = [
        {'uuid': 'a', 'host': 'h1'}, {'uuid': 'b', 'host': None}]
    events = [{'server_uuid': 'a', 'name': 'network-vif-plugged',
               'tag': 't1'},
              {'server_uuid': 'b', 'name': 'network-changed'},
              {'server_uuid': 'c', 'name': 'network-changed'},
              {'server_uuid': 'a', 'name': 'network-changed', 'tag': 't2',
               'status': 'failed'}]
    assert api.external_instance_event(context, events) == [
        200, 422, 404, 200]
    api.compute_rpcapi.external_instance_event.assert_called_once_with(
        context, 'h1', 'a', [
            {'name': 'network-vif-plugged', 'tag': 't1',
             'status': 'completed'},
            {'name': 'network-changed', 'tag': 't2', 'status': 'failed'}])
    with pytest.raises(exception.NoInstanceForEvents):
        api.external_instance_event(context, events[1:3])


def test_unshelve_to_a_host_outside_the_held_zone_is_409(conf, context):
    instance = _instance(vm_state=states.SHELVED_OFFLOADED, host=None,
                         system_metadata={aggregates.REQUESTED_ZONE_KEY: 'az1'})
    api = _api(conf, instance)
    api.conductor.availability_zones_by_host.return_value = {'h2': 'az2'}
    with pytest.raises(exception.Conflict, match='az1'):
        api.unshelve(context, instance, host='h2')
    api.conductor.unshelve_instance.assert_not_called()
    with pytest.raises(exception.Invalid, match='nowhere'):
        api.unshelve(context, instance, host='nowhere')


def test_metadata_changes_check_the_state_first_and_pass_the_quota(
        conf, context):
    instance = _instance(metadata={'a': '1'})
    api = _api(conf, instance)
    api.update_metadata(context, instance, {'b': '2'})
    api.conductor.instance_metadata_update.assert_called_once_with(
        context, 'u1', {'b': '2'}, delete=False,
        max_items=conf.quota.metadata_items, api_method='update metadata',
        lock_override=False)
    with pytest.raises(exception.MetadataItemNotFound):
        api.delete_metadata_item(context, instance, 'zz')
    building = _instance(vm_state=states.BUILDING, metadata={'a': '1'})
    with pytest.raises(exception.InstanceInvalidState,
                       match='delete metadata'):
        api.delete_metadata_item(context, building, 'a')
    api.conductor.instance_metadata_delete.assert_not_called()


def test_metadata_changes_pass_a_lock_for_an_admin_only(conf, context):
    locked = _instance(locked=True, locked_by='admin')
    api = _api(conf, locked)
    with pytest.raises(exception.InstanceIsLocked):
        api.update_metadata(context, locked, {'b': '2'})
    admin = nova_context.RequestContext(user_id='a', project_id='p',
                                        is_admin=True)
    api.update_metadata(admin, locked, {'b': '2'}, delete=True)
    assert api.conductor.instance_metadata_update.call_args[1][
        'lock_override'] is True


def test_tag_changes_need_a_changeable_vm_state(conf, context):
    building = _instance(vm_state=states.BUILDING)
    api = _api(conf, building)
    with pytest.raises(exception.InstanceInvalidState, match='update tag'):
        api.add_tag(context, building, 't', 50)
    api.conductor.instance_tag_add.assert_not_called()
    instance = _instance()
    api.set_tags(context, instance, [], method='delete tags')
    api.conductor.instance_tags_set.assert_called_once_with(
        context, 'u1', [], api_method='delete tags', lock_override=False)


def _live_migration(status):
    return {'id': 7, 'uuid': 'm7', 'status': status,
            'source_compute': 'h1'}


def test_force_complete_needs_a_running_live_migration(conf, context):
    instance = _instance(task_state='migrating')
    api = _api(conf, instance)
    api.conductor.migrations_get_all.return_value = [
        _live_migration('preparing')]
    with pytest.raises(exception.InvalidMigrationState):
        api.live_migration_force_complete(context, instance, '7')
    # An id the instance has no live migration of is a 400.
    with pytest.raises(exception.Invalid):
        api.live_migration_force_complete(context, instance, '8')
    api.conductor.migrations_get_all.return_value = [
        _live_migration('running')]
    api.live_migration_force_complete(context, instance, '7')
    api.compute_rpcapi.live_migration_force_complete.assert_called_once_with(
        context, 'h1', 'u1', 'm7')


def test_abort_takes_the_statuses_the_version_allows(conf, context):
    instance = _instance(task_state='migrating')
    api = _api(conf, instance)
    api.conductor.migrations_get_all.return_value = [
        _live_migration('queued')]
    with pytest.raises(exception.InvalidMigrationState):
        api.live_migration_abort(context, instance, 7)
    api.live_migration_abort(context, instance, 7,
                             abortable=('queued', 'preparing', 'running'))
    api.conductor.action_start.assert_called_once_with(
        context, 'live_migration_cancel', 'u1')
    api.compute_rpcapi.live_migration_abort.assert_called_once_with(
        context, 'h1', 'u1', 'm7')
