"""Live migration between hosts, on the computes (upstream's manager
methods of the same names).

The conductor (nova.conductor.live_migrate) chose the destination, claimed
it and asked check_can_live_migrate_destination here on the destination,
which asks the source's check_can_live_migrate_source.  Then, on the
source, live_migration: the migration goes 'preparing' while the
destination's pre_live_migration plugs the VIFs (the guest's network must
be there before the guest arrives), 'running' while the hypervisor copies
memory (and disks of a block migration) and reports progress; the source
cleans up (post_live_migration) and the destination takes the instance
over (post_live_migration_at_destination: Neutron's ports bound there, the
flat network's address kept, host and node switched), the source's
resources freed, 'completed'.

A failure or an abort (DELETE of the migration) anywhere before the guest
runs on the destination rolls back: the guest still runs on the source,
the destination forgets it, the instance keeps only its source claim, the
migration 'error' ('cancelled' for an abort) and, for a failure, a fault.
"""

from oslo_log import log as logging

from nova.compute import events
from nova.compute import states
from nova import exception

LOG = logging.getLogger(__name__)

_t = states.task
PROGRESS_KEYS = ('memory_total', 'memory_processed', 'memory_remaining',
                 'disk_total', 'disk_processed', 'disk_remaining')


def _node(manager, context, host, nodename):
    return manager.conductor.compute_node_get_by_host_and_nodename(
        context, host, nodename)


def check_can_live_migrate_destination(manager, context, uuid,
                                       block_migration, migration_uuid):
    """Here on the destination; returns the source's migrate_data."""
    conductor = manager.conductor
    with events.instance_event(conductor, context, uuid,
                               'compute_check_can_live_migrate_destination',
                               manager.host):
        instance = conductor.instance_get(context, uuid)
        source = _node(manager, context, instance['host'], instance['node'])
        here = _node(manager, context, manager.host, manager.nodename)
        dest_check_data = manager.driver.check_can_live_migrate_destination(
            context, instance, source, here, block_migration)
        dest_check_data.update(dest_host=manager.host,
                               dest_node=manager.nodename,
                               migration_uuid=migration_uuid)
        try:
            return manager.compute_api.check_can_live_migrate_source(
                context, instance['host'], uuid, dest_check_data)
        finally:
            manager.driver.check_can_live_migrate_destination_cleanup(
                context, dest_check_data)


def check_can_live_migrate_source(manager, context, uuid, dest_check_data):
    conductor = manager.conductor
    with events.instance_event(conductor, context, uuid,
                               'compute_check_can_live_migrate_source',
                               manager.host):
        instance = conductor.instance_get(context, uuid)
        return manager.driver.check_can_live_migrate_source(
            context, instance, dest_check_data)


def pre_live_migration(manager, context, uuid, migration_uuid,
                       migrate_data):
    conductor = manager.conductor
    with events.instance_event(conductor, context, uuid,
                               'compute_pre_live_migration', manager.host):
        instance = conductor.instance_get(context, uuid)
        # The flat network's VIFs are the same everywhere; Neutron's ports
        # stay bound to the source until the guest runs here.
        network_info = manager.network_api.get_instance_nw_info(context,
                                                                instance)
        return manager.driver.pre_live_migration(context, instance,
                                                 network_info, migrate_data)


def _progress(manager, context, migration_uuid):
    def report(figures):
        values = {key: figures[key] for key in PROGRESS_KEYS
                  if figures.get(key) is not None}
        if values:
            try:
                manager.conductor.migration_update(context, migration_uuid,
                                                   values)
            except Exception:
                # Progress is for show: a lost report must not fail the
                # migration.
                LOG.debug('Progress of %s not recorded', migration_uuid)
    return report


def live_migration(manager, context, uuid, migration_uuid, dest,
                   migrate_data):
    """Here on the source: the whole move, or its rollback."""
    conductor = manager.conductor
    migration = None
    try:
        with events.instance_event(conductor, context, uuid,
                                   'compute_live_migration', manager.host):
            # What an abort or force complete finds while it runs.
            running = manager.live_migrations[uuid] = {
                'migration': migration_uuid, 'aborted': False}
            try:
                migration = conductor.migration_update(
                    context, migration_uuid, {'status': 'preparing'})
                instance = conductor.instance_get(context, uuid)
                migrate_data = manager.compute_api.pre_live_migration(
                    context, dest, uuid, migration_uuid, migrate_data)
                if running['aborted']:
                    # Aborted (2.65) before the hypervisor began.
                    raise exception.LiveMigrationAborted(instance_uuid=uuid)
                migration = conductor.migration_update(
                    context, migration_uuid, {'status': 'running'})
                manager.driver.live_migration(
                    context, instance, dest, migrate_data,
                    _progress(manager, context, migration_uuid))
            finally:
                manager.live_migrations.pop(uuid, None)
    except Exception as error:
        _rollback(manager, context, uuid, migration_uuid, dest,
                  migrate_data, error)
        return
    _post_live_migration(manager, context, instance, migration,
                         migrate_data)


def _post_live_migration(manager, context, instance, migration,
                         migrate_data):
    """The guest runs on the destination: the source lets it go."""
    uuid = instance['uuid']
    try:
        manager.driver.post_live_migration(context, instance, migrate_data)
    except Exception:
        # The guest runs on the destination whatever is left here.
        LOG.exception('Cleaning up the source after the live migration '
                      'failed', instance=instance)
    try:
        manager.compute_api.post_live_migration_at_destination(
            context, migration['dest_compute'], uuid, migration['uuid'],
            migrate_data)
    except Exception as error:
        _destination_unfinished(manager, context, instance, migration,
                                error)
        return
    LOG.info('Migrated live to %s', migration['dest_compute'],
             instance=instance)


def _destination_unfinished(manager, context, instance, migration, error):
    """The guest left for the destination, which did not take it over
    (its nova-compute died, or its step failed): the instance is the
    destination's, in ERROR for an operator (as upstream), and holds
    nothing on this host any more.  A restarted destination leaves an
    ERROR instance alone; a hard reboot there brings it back."""
    conductor = manager.conductor
    uuid, dest = instance['uuid'], migration['dest_compute']
    LOG.error('The guest moved to %s but the destination did not finish '
              'the live migration: %s', dest, error, instance=instance)
    events.add_fault(conductor, context, uuid,
                     exception.LiveMigrationUnfinished(dest=dest,
                                                       reason=error),
                     manager.host)
    source = _node(manager, context, migration['source_compute'],
                   migration['source_node'])
    conductor.allocations_delete(context, migration['uuid'], source['id'])
    conductor.migration_update(context, migration['uuid'],
                               {'status': 'error'})
    try:
        events.step(manager, context, uuid, _t.MIGRATING, {
            'host': dest, 'node': migration['dest_node'],
            'vm_state': states.ERROR, 'task_state': None})
    except (exception.NotFound, exception.UnexpectedTaskStateError):
        LOG.info('The instance changed meanwhile; left as it is',
                 instance=instance)


def post_live_migration_at_destination(manager, context, uuid,
                                       migration_uuid, migrate_data):
    """Here on the destination, the guest running here: the instance is
    this host's; the source's resources (held by the migration) go."""
    conductor = manager.conductor
    with events.instance_event(
            conductor, context, uuid,
            'compute_post_live_migration_at_destination', manager.host):
        instance = conductor.instance_get(context, uuid)
        migration = conductor.migration_get(context, migration_uuid)
        network_info = manager.network_api.setup_instance_network_on_host(
            context, instance, manager.host)
        manager.driver.post_live_migration_at_destination(
            context, instance, network_info, migrate_data)
        source = _node(manager, context, migration['source_compute'],
                       migration['source_node'])
        conductor.allocations_delete(context, migration_uuid, source['id'])
        values = {'host': manager.host, 'node': migration['dest_node'],
                  'task_state': None, 'network_info': network_info,
                  'power_state': manager.driver.get_power_state(instance)}
        # The destination's zone, which the conductor read.
        if (migrate_data or {}).get('dest_availability_zone'):
            values['availability_zone'] = \
                migrate_data['dest_availability_zone']
        # Completed before the task clears: a client that sees the
        # server settled sees the migration done.
        conductor.migration_update(context, migration_uuid,
                                   {'status': 'completed'})
        events.step(manager, context, uuid, _t.MIGRATING, values)


def _rollback(manager, context, uuid, migration_uuid, dest, migrate_data,
              error):
    """The guest still runs here on the source: everything else as it
    was before the migration."""
    conductor = manager.conductor
    aborted = isinstance(error, exception.LiveMigrationAborted)
    if aborted:
        LOG.info('Live migration to %s aborted', dest, instance_uuid=uuid)
    else:
        LOG.error('Live migration to %s failed: %s', dest, error,
                  instance_uuid=uuid)
        events.add_fault(conductor, context, uuid, error, manager.host)
    try:
        manager.compute_api.rollback_live_migration_at_destination(
            context, dest, uuid, migrate_data)
    except Exception:
        LOG.exception('Could not ask %s to roll back', dest,
                      instance_uuid=uuid)
    migration = conductor.migration_get(context, migration_uuid)
    dest_node = _node(manager, context, migration['dest_compute'],
                      migration['dest_node'])
    source = _node(manager, context, migration['source_compute'],
                   migration['source_node'])
    conductor.allocations_delete(context, uuid, dest_node['id'])
    conductor.allocations_move(context, migration_uuid, uuid, source['id'])
    conductor.migration_update(context, migration_uuid, {
        'status': 'cancelled' if aborted else 'error'})
    try:
        instance = conductor.instance_get(context, uuid)
        events.step(manager, context, uuid, _t.MIGRATING, {
            'task_state': None,
            'power_state': manager.driver.get_power_state(instance)})
    except (exception.NotFound, exception.UnexpectedTaskStateError):
        LOG.info('The instance changed meanwhile; left as it is',
                 instance_uuid=uuid)


def rollback_live_migration_at_destination(manager, context, uuid,
                                           migrate_data):
    conductor = manager.conductor
    with events.instance_event(
            conductor, context, uuid,
            'compute_rollback_live_migration_at_destination', manager.host):
        instance = conductor.instance_get(context, uuid)
        manager.driver.rollback_live_migration_at_destination(
            context, instance, instance.get('network_info'), migrate_data)


def _running_migration(manager, context, uuid, migration_uuid, method):
    running = manager.live_migrations.get(uuid)
    if running is None or running['migration'] != migration_uuid:
        migration = manager.conductor.migration_get(context, migration_uuid)
        raise exception.InvalidMigrationState(
            migration_id=migration_uuid, instance_uuid=uuid,
            state=migration['status'], method=method)
    return running


def live_migration_force_complete(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with events.instance_event(conductor, context, uuid,
                               'compute_live_migration_force_complete',
                               manager.host):
        _running_migration(manager, context, uuid, migration_uuid,
                           'force complete')
        instance = conductor.instance_get(context, uuid)
        manager.driver.live_migration_force_complete(instance)


def live_migration_abort(manager, context, uuid, migration_uuid):
    conductor = manager.conductor
    with events.instance_event(conductor, context, uuid,
                               'compute_live_migration_abort',
                               manager.host):
        running = _running_migration(manager, context, uuid,
                                     migration_uuid, 'abort live migration')
        running['aborted'] = True
        migration = conductor.migration_get(context, migration_uuid)
        if migration['status'] == 'running':
            instance = conductor.instance_get(context, uuid)
            manager.driver.live_migration_abort(instance)


def end_interrupted(manager, context, instance):
    """Startup recovery of an instance left migrating on this host (its
    source) by a restart: the migration is over (a hypervisor's migration
    does not outlive its nova-compute's steps).  When the guest is still
    here the move is undone (the source's allocation only, the migration
    in error, no task, a fault); when it is not, it may run on the
    destination without the instance saying so: ERROR, for an operator
    to look at."""
    uuid = instance['uuid']
    migration = None
    for candidate in manager.conductor.migrations_get_all(
            context, instance_uuid=uuid, migration_type='live-migration'):
        if candidate['status'] in ('accepted', 'queued', 'preparing',
                                   'running') and \
                candidate['source_compute'] == manager.host:
            migration = candidate
    here = manager.driver.instance_exists(instance)
    values = {'task_state': None,
              'power_state': manager.driver.get_power_state(instance)}
    if here:
        message = ('nova-compute on %s restarted during the live migration: '
                   'it was undone, the guest stays here' % manager.host)
    else:
        values['vm_state'] = states.ERROR
        message = ('nova-compute on %s restarted during the live migration '
                   'and its guest is gone from here: it may run on %s'
                   % (manager.host, migration and migration['dest_compute']))
    try:
        manager.conductor.instance_abort(
            context, uuid, _t.MIGRATING, values,
            {'code': 500, 'message': message, 'host': manager.host},
            'compute_live_migration',
            migration_uuid=migration and migration['uuid'])
    except (exception.UnexpectedTaskStateError, exception.NotFound):
        LOG.info('Startup recovery: the live migration was ended '
                 'meanwhile', instance=instance)
        return
    LOG.warning('Startup recovery: %s', message, instance=instance)
