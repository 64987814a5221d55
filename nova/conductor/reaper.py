"""The conductor's reaper: ends operations whose owner died.

A flow step is owned by one service: the conductor while it schedules a
build or a move, a compute while it works on its instances.  When that
service dies mid-step (or the API dies between accepting a request and
sending it on) nothing else would ever move the operation again.  Every
[conductor] reap_interval the reaper looks for steps that have not moved
for [conductor] stuck_task_timeout and whose owner is gone:

- a build still scheduling with no host: ERROR, its claims freed;
- an instance in the task_state its API accept set (the transitions
  table's accept_task) with no host, with its host's compute down, with
  the conductor as owner (resize_prep: the conductor's migrate_server
  never takes this long), or whose action no service ever began (the
  request was never sent on): the task cleared, a move undone (an
  evacuation, rebuilding with its host down by definition, gives back
  its destination's claim and stays on its host);
- a cold move in the computes' hands (migrating, post-migrating) while
  its source or destination compute is down: undone, the instance in
  ERROR when its guest may be half moved;
- a live migration (task_state migrating) whose source or destination
  compute is down, or that nobody took on (still 'accepted' or 'queued':
  the conductor or the cast to the source was lost): undone, the guest
  on its source, the instance as it was (no task).

Each ends with a fault saying so and an Error event, through
nova.db.reaper.abort: a compare-and-swap on the instance's task_state and
updated_at, so of two conductors (or a conductor and a restarting
compute) only one acts.  Finally, claims of deleted instances (a flow that
lost a race with the delete) are freed.
"""

import datetime

from oslo_log import log as logging

from nova.compute import states
from nova.compute import transitions
from nova.db import moves as db_moves
from nova.db import reaper as db_reaper
from nova.db import services as db_services
from nova.db import utils as db_utils
from nova import exception
from nova import servicegroup

LOG = logging.getLogger(__name__)

_t = states.task
ACCEPT_TASKS = tuple(sorted({row.accept_task
                             for row in transitions.TRANSITIONS.values()
                             if row.accept_task}))
# Accept tasks whose next step is the conductor's own flow.
CONDUCTOR_TASKS = (_t.RESIZE_PREP,)
# The computes' part of a cold move.
COMPUTE_MOVE_STATUSES = ('migrating', 'post-migrating')
# A live migration's statuses until it ends; the first two are before
# the source compute took it on.
LIVE_STATUSES = ('accepted', 'queued', 'preparing', 'running')
LIVE_NOT_TAKEN = ('accepted', 'queued')
LIVE_MIGRATION = 'live-migration'
# Where the guest may be powered off or half moved: no longer as it was.
GUEST_MOVING_TASKS = (_t.RESIZE_MIGRATING, _t.RESIZE_MIGRATED,
                      _t.RESIZE_FINISH)
SCHEDULE_EVENT = 'conductor_schedule_and_build_instances'
EVENT = 'conductor_reap_stuck_operation'


def _down(host, services, down_time, now):
    service = services.get(host)
    return service is None or not servicegroup.service_is_up(
        service, down_time, now)


def select_instances(instances, services, down_time, now):
    """(instance, why) of each of instances (stuck_instances' rows: stale
    already) whose owner is gone; services: {host: compute service}."""
    for instance in instances:
        task, host = instance['task_state'], instance['host']
        if task == _t.SCHEDULING:
            if instance['vm_state'] == states.BUILDING and not host:
                yield instance, ('nova-conductor stopped while scheduling '
                                 'the instance: no host was chosen')
            continue
        if task not in ACCEPT_TASKS:
            continue
        if not host:
            why = 'it has no host to carry it out'
        elif _down(host, services, down_time, now):
            why = 'the compute service of its host %s is down' % host
        elif task in CONDUCTOR_TASKS:
            why = 'nova-conductor stopped before sending it on'
        elif not instance['events']:
            why = 'no service ever began it: the request was not sent on'
        else:
            continue
        yield instance, why


def select_migrations(migrations, services, down_time, now):
    """(migration, why) of each of migrations (stuck_migrations' rows)
    in a compute's hands whose source or destination compute is down."""
    for migration in migrations:
        live = migration.get('migration_type') == LIVE_MIGRATION
        if migration['status'] not in (LIVE_STATUSES if live
                                       else COMPUTE_MOVE_STATUSES):
            continue
        down = [host for host in (migration['source_compute'],
                                  migration['dest_compute'])
                if host and _down(host, services, down_time, now)]
        if down:
            yield migration, 'the compute service of %s is down' % (
                ' and '.join(down))
        elif live and migration['status'] in LIVE_NOT_TAKEN:
            yield migration, 'no compute ever took it on'


def _in_progress_move(instance_uuid, migration_type=None):
    for migration in db_moves.migrations_get_all(
            instance_uuid=instance_uuid, migration_type=migration_type):
        if migration['status'] in db_moves.IN_PROGRESS:
            return migration
    return None


def _end(uuid, task, updated_at, why, timeout, host, values, event,
         migration_uuid=None, free_allocations=False):
    message = ('Operation ended by nova-conductor: task_state %s did not '
               'move for %d s and %s' % (task, timeout, why))
    if task == _t.SCHEDULING:
        message = '%s (no progress for %d s)' % (why, timeout)
    try:
        request_id = db_reaper.abort(
            uuid, [task], values,
            {'code': 500, 'message': message, 'host': host}, event,
            expected_updated_at=updated_at, migration_uuid=migration_uuid,
            free_allocations=free_allocations)
    except (exception.UnexpectedTaskStateError, exception.InstanceNotFound):
        # It moved meanwhile, or another conductor (or its compute) acted.
        return False
    LOG.warning('Reaped a stuck operation (task_state %s, request %s): %s',
                task, request_id or 'not recorded', message,
                instance_uuid=uuid)
    return True


def reap_instance(instance, why, timeout, host):
    uuid, task = instance['uuid'], instance['task_state']
    if task == _t.SCHEDULING:
        return _end(uuid, task, instance['updated_at'], why, timeout, host,
                    {'vm_state': states.ERROR, 'task_state': None},
                    SCHEDULE_EVENT, free_allocations=True)
    migration = None
    if task in CONDUCTOR_TASKS:
        migration = _in_progress_move(uuid)
    elif task == _t.MIGRATING:
        # A live migration: back to its source, the guest there.
        migration = _in_progress_move(uuid, LIVE_MIGRATION)
    elif task == _t.REBUILDING:
        # An evacuation nobody took on: its claim on the destination is
        # given back, the instance stays on its (dead) host.
        migration = _in_progress_move(uuid, 'evacuation')
    # An offloaded instance holds nothing; a claim made for it is stale.
    offloaded = instance['vm_state'] == states.SHELVED_OFFLOADED
    return _end(uuid, task, instance['updated_at'], why, timeout, host,
                {'task_state': None}, EVENT,
                migration_uuid=migration and migration['uuid'],
                free_allocations=offloaded)


def reap_migration(migration, why, timeout, host):
    task = migration['instance_task_state']
    values = {'task_state': None}
    if task in GUEST_MOVING_TASKS:
        values['vm_state'] = states.ERROR
    why = 'its migration %s is %s while %s' % (
        migration['uuid'], migration['status'], why)
    return _end(migration['instance_uuid'], task,
                migration['instance_updated_at'], why, timeout, host,
                values, EVENT, migration_uuid=migration['uuid'])


def reap(conf, host, now=None):
    """One pass; returns how many operations it ended."""
    timeout = conf.conductor.stuck_task_timeout
    now = now or db_utils.utcnow()
    cutoff = now - datetime.timedelta(seconds=timeout)
    services = {s['host']: s for s in db_services.service_get_all(
        binary='nova-compute')}
    down_time = conf.service_down_time
    reaped = 0
    for instance, why in list(select_instances(
            db_reaper.stuck_instances(ACCEPT_TASKS + (_t.SCHEDULING,),
                                      cutoff),
            services, down_time, now)):
        reaped += reap_instance(instance, why, timeout, host)
    for migration, why in list(select_migrations(
            db_reaper.stuck_migrations(
                COMPUTE_MOVE_STATUSES + LIVE_STATUSES, cutoff),
            services, down_time, now)):
        reaped += reap_migration(migration, why, timeout, host)
    orphans = db_reaper.orphaned_consumers()
    if orphans:
        LOG.warning('Freeing the allocations of %d deleted consumer(s): '
                    '%s', len(orphans), ', '.join(orphans))
        db_reaper.allocations_free(orphans)
    return reaped
