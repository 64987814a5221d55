"""Live migration, as the conductor starts it (upstream's LiveMigrationTask).

A migration of type 'live-migration' is recorded ('accepted'), the source
compute must be up, and the destination is chosen: the scheduler's pick
among the other hosts when none is named, the named host checked by the
scheduler's filters, or a named host forced (2.30-2.67) without them.
While the guest moves the instance's allocation on the source is held by
the migration and the instance's own claim is on the destination: both
hosts' resources are held until it ends (nova.compute.live_migrate frees
one side).  Then both computes check they can do it (the destination's
check_can_live_migrate_destination, which asks the source's
check_can_live_migrate_source: CPU, disks, shared storage) and the source
compute is told to migrate: live_migration.  When the checks fail on a
destination the scheduler chose, its next pick is tried instead
(``migrate_max_retries``).

Any failure before that rolls everything back: the claims as they were,
the migration in 'error', the instance on its source with no task, a
fault and an Error event saying why.  The guest never stopped.
"""

from oslo_log import log as logging
import oslo_messaging as messaging

from nova.compute import aggregates
from nova.compute import states
from nova.conductor import evacuate
from nova.db import actions as db_actions
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import moves as db_moves
from nova.db import services as db_services
from nova import exception
from nova import servicegroup

LOG = logging.getLogger(__name__)

EVENT = 'conductor_live_migrate_instance'
MIGRATION_TYPE = 'live-migration'
# The errors a client of the synchronous API (before 2.34) gets as 400.
PRE_CHECK_ERRORS = (exception.NoValidHost, exception.MigrationPreCheckError,
                    exception.UnableToMigrateToSelf,
                    exception.ComputeHostNotFound, exception.InvalidCPUInfo)

# Pre-check failures that another destination may not have.
RETRIED_PRE_CHECK_ERRORS = (exception.MigrationPreCheckError,
                            exception.InvalidCPUInfo)


class LiveMigrationTask:
    """execute() up to the cast to the source compute; rollback() puts
    back what execute() changed when it failed."""

    def __init__(self, flow, context, instance_uuid, host, block_migration,
                 force):
        self.flow = flow
        self.context = context
        self.instance_uuid = instance_uuid
        self.host = host
        self.block_migration = block_migration
        self.force = force
        self.instance = None
        self.migration = None
        self.source_node = None
        self.dest = None

    def execute(self):
        uuid = self.instance_uuid
        self.instance = instance = db_instances.instance_get(uuid)
        self.migration = db_moves.migration_create({
            'instance_uuid': uuid, 'source_compute': instance['host'],
            'source_node': instance['node'], 'dest_compute': self.host,
            'old_instance_type_id': instance['flavor'].get('id'),
            'new_instance_type_id': instance['flavor'].get('id'),
            'status': 'accepted', 'migration_type': MIGRATION_TYPE,
            'user_id': self.context.user_id,
            'project_id': self.context.project_id})
        self._check_host_up(instance['host'], 'source')
        if self.host == instance['host']:
            raise exception.UnableToMigrateToSelf(instance_id=uuid,
                                                  host=self.host)
        self.source_node = db_compute_nodes.\
            compute_node_get_by_host_and_nodename(instance['host'],
                                                  instance['node'])
        # The source's resources held by the migration; the instance's own
        # claim goes to the destination.
        db_moves.allocations_move(uuid, self.migration['uuid'],
                                  self.source_node['id'])
        migrate_data = self._find_destination()
        migrate_data['dest_availability_zone'] = self.flow.host_zone(
            self.dest)
        try:
            # Still migrating: not deleted or reset meanwhile.
            db_instances.instance_update(
                uuid, {'task_state': states.task.MIGRATING},
                expected_task_state=[states.task.MIGRATING])
        except exception.UnexpectedTaskStateError as e:
            raise exception.MigrationPreCheckError(
                reason=e.format_message())
        self.migration = db_moves.migration_update(
            self.migration['uuid'], {'status': 'queued'})
        LOG.info('Live migrating from %s to %s (block migration: %s)',
                 instance['host'], self.dest['host'],
                 migrate_data.get('block_migration'), instance_uuid=uuid)
        self.flow.compute.live_migration(
            self.context, instance['host'], uuid, self.migration['uuid'],
            self.dest['host'], migrate_data)

    def _check_host_up(self, host, which):
        try:
            service = db_services.service_get_by_host_and_binary(
                host, 'nova-compute')
        except exception.NotFound:
            raise exception.ComputeHostNotFound(host=host)
        if not servicegroup.service_is_up(service,
                                          self.flow.conf.service_down_time):
            raise exception.MigrationPreCheckError(
                reason='Compute service of %s host %s is unavailable at '
                       'this time.' % (which, host))

    def _find_destination(self):
        """A destination whose pre-checks pass, and their migrate_data.
        One the scheduler chose is replaced by its next pick when they
        fail (up to migrate_max_retries times), as upstream does; a host
        the caller named is not."""
        refused = []
        while True:
            try:
                self.dest = self._destination([h for h, _ in refused])
            except exception.NoValidHost as e:
                if not refused:
                    raise
                raise exception.NoValidHost(reason='%s The pre-checks '
                                            'failed on %s.' % (
                    e.kwargs.get('reason', ''), '; '.join(
                        '%s: %s' % r for r in refused)))
            self.migration = db_moves.migration_update(
                self.migration['uuid'], {
                    'dest_compute': self.dest['host'],
                    'dest_node': self.dest['nodename'],
                    'dest_host': self.dest['host']})
            try:
                return self._pre_checks()
            except RETRIED_PRE_CHECK_ERRORS as e:
                limit = self.flow.conf.migrate_max_retries
                if self.host is not None or 0 <= limit <= len(refused):
                    raise
                LOG.info('Live migration pre-checks failed on %s, trying '
                         'another host: %s', self.dest['host'],
                         e.format_message(),
                         instance_uuid=self.instance_uuid)
                db_compute_nodes.allocations_delete(self.instance_uuid,
                                                    self.dest['node_id'])
                refused.append((self.dest['host'], e.format_message()))
                self.dest = None

    def _destination(self, refused_hosts=()):
        instance = self.instance
        if self.host is not None:
            self._check_host_up(self.host, 'destination')
            if self.force:
                return evacuate._forced(self.flow, instance, self.host)
        spec = {'project_id': instance['project_id'],
                'user_id': instance['user_id'], 'num_instances': 1,
                'flavor': instance['flavor'],
                'image': {'id': instance['image_ref'], 'properties': {}},
                'availability_zone': (instance['system_metadata'] or {}).get(
                    aggregates.REQUESTED_ZONE_KEY),
                'force_host': self.host,
                'scheduler_hints': instance['scheduler_hints'] or {},
                'ignore_hosts': [instance['host']] + list(refused_hosts)}
        (hosts,) = self.flow.select_destinations(self.context, spec,
                                                 [self.instance_uuid])
        return hosts[0]

    def _pre_checks(self):
        """The destination's and (through it) the source's checks; their
        migrate_data."""
        try:
            return self.flow.compute.check_can_live_migrate_destination(
                self.context, self.dest['host'], self.instance_uuid,
                self.block_migration, self.migration['uuid'])
        except RETRIED_PRE_CHECK_ERRORS + (exception.InstanceNotFound,):
            raise
        except messaging.MessagingTimeout:
            raise exception.MigrationPreCheckError(
                reason='Timeout while checking if we can live migrate to '
                       'host: %s' % self.dest['host'])
        except exception.NovaException as e:
            # A check that broke (a driver error) refuses the host too.
            raise exception.MigrationPreCheckError(
                reason=e.format_message())
        except Exception as e:
            raise exception.MigrationPreCheckError(
                reason='%s: %s' % (type(e).__name__, e))

    def rollback(self, error):
        uuid = self.instance_uuid
        migration = self.migration
        if migration is not None:
            if self.dest is not None:
                db_compute_nodes.allocations_delete(uuid,
                                                    self.dest['node_id'])
            if self.source_node is not None:
                db_moves.allocations_move(migration['uuid'], uuid,
                                          self.source_node['id'])
            db_moves.migration_update(migration['uuid'], {'status': 'error'})
        self.flow.add_fault(uuid, error)
        try:
            db_instances.instance_update(
                uuid, {'task_state': None},
                expected_task_state=[states.task.MIGRATING])
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            pass


def live_migrate(flow, context, instance_uuid, host, block_migration,
                 force, raise_pre_check=False):
    """Run the task; raise_pre_check: the caller (the API before 2.34)
    waits and gets a pre-check failure as its 400."""
    db_actions.event_start(instance_uuid, context.request_id, EVENT,
                           flow.host)
    task = LiveMigrationTask(flow, context, instance_uuid, host,
                             block_migration, force)
    try:
        task.execute()
    except Exception as e:
        LOG.warning('Live migration not started: %s',
                    e.format_message() if isinstance(
                        e, exception.NovaException) else e,
                    instance_uuid=instance_uuid)
        task.rollback(e)
        db_actions.event_finish(
            instance_uuid, context.request_id, EVENT, 'Error',
            traceback=flow.traceback(e),
            details=e.format_message() if isinstance(
                e, exception.NovaException) else str(e))
        if raise_pre_check:
            if isinstance(e, PRE_CHECK_ERRORS) and not isinstance(
                    e, exception.MigrationPreCheckError):
                raise exception.MigrationPreCheckError(
                    reason=e.format_message())
            raise
        return
    db_actions.event_finish(instance_uuid, context.request_id, EVENT,
                            'Success')
