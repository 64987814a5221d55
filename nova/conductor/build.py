"""The build flow as the conductor runs it.

schedule_and_build: ask the scheduler for a host per instance (it claims
the resources), record the host, cast build_and_run_instance to that
compute.  When no host fits, the instances go to ERROR with a fault that
says why.  reschedule: a compute whose build failed hands the instance back
with the remaining alternate hosts; the next one that can still be claimed
gets it, until they run out.
"""

import time
import traceback

from oslo_log import log as logging

from nova.compute import states
from nova.db import actions as db_actions
from nova.db import aggregates as db_aggregates
from nova.db import compute_nodes as db_compute_nodes
from nova.db import instances as db_instances
from nova.db import network as db_network
from nova.db import server_groups as db_server_groups
from nova import exception
from nova.network import flat
from nova.scheduler import utils as scheduler_utils

LOG = logging.getLogger(__name__)

SCHEDULE_EVENT = 'conductor_schedule_and_build_instances'


def instance_update_with_fixed_ip(uuid, values, expected_task_state=None,
                                  fixed_ip=None):
    """A compute's build step: instance_update, after giving the instance
    an address of the flat network fixed_ip ({'network', 'cidr',
    'reserved'}, flat.fixed_ip_request) stored as its network_info.

    One conductor call for what were two (fixed_ip_allocate, then the
    step).  When the update is refused the address stays allocated, as it
    did then: the compute's clean-up releases it.
    """
    if fixed_ip is not None:
        address = db_network.fixed_ip_allocate(
            fixed_ip['network'], fixed_ip['cidr'], uuid,
            reserved=fixed_ip.get('reserved') or ())
        values = dict(values, network_info=flat.network_info(
            fixed_ip, address))
    return db_instances.instance_update(
        uuid, values, expected_task_state=expected_task_state)


def instance_build_networking(uuid, event_start, fixed_ip=None,
                              spawning=False):
    """A compute's first build steps in one call and one transaction:
    task_state networking, with which event_start ({'request_id', 'event',
    'host'}) begins; the instance's address of the flat network fixed_ip
    ({'network', 'cidr', 'reserved'}, flat.fixed_ip_request), stored as its
    network_info with block_device_mapping; then, with spawning (the
    compute has nothing to do for the block devices), spawning.  The
    networking work is this allocation, done here: a round trip to the
    compute in between would add nothing.

    Raises as instance_update_steps does; the instance as the last step
    leaves it.
    """
    task = states.task
    request = None
    if fixed_ip is not None:
        request = (fixed_ip['network'], fixed_ip['cidr'], uuid,
                   fixed_ip.get('reserved') or (), fixed_ip.get('address'))
    taken = None
    if request and not db_network.allocates_in_callers_transaction():
        # Where the allocation takes transactions of its own, before the
        # steps' one opens: not on a second connection while it holds one
        # (a pool's worth of builds would wait for each other).
        taken = db_network.fixed_ip_allocate(*request)

    def block_device_mapping(conn):
        values = {'task_state': task.BLOCK_DEVICE_MAPPING, 'network_info': []}
        if request:
            address = taken or db_network.fixed_ip_allocate_in(conn,
                                                               *request)
            values['network_info'] = flat.network_info(fixed_ip, address)
        return values

    steps = [({'task_state': task.NETWORKING}, [None]),
             (block_device_mapping, [task.NETWORKING])]
    if spawning:
        steps.append(({'task_state': task.SPAWNING},
                      [task.BLOCK_DEVICE_MAPPING]))
    try:
        return db_instances.instance_update_steps(uuid, event_start, steps)
    except Exception:
        if taken is not None:
            # As on SQLite, where it goes with the steps' transaction.
            db_network.fixed_ip_release(taken['id'])
        raise


def with_server_group(request_spec):
    """request_spec with instance_group ({'uuid', 'policy', 'rules',
    'members'}, read now: members come and go) when its group hint names
    one; a group deleted meanwhile binds nothing any more."""
    group_uuid = (request_spec.get('scheduler_hints') or {}).get('group')
    if not group_uuid:
        return request_spec
    try:
        group = db_server_groups.server_group_get(group_uuid)
    except exception.InstanceGroupNotFound:
        return request_spec
    return dict(request_spec, instance_group={
        k: group[k] for k in ('uuid', 'policy', 'rules', 'members')})


class BuildFlow:

    def __init__(self, conf, host, scheduler, compute):
        self.conf = conf
        self.host = host
        self.scheduler = scheduler
        self.compute = compute

    def schedule_and_build(self, context, request_spec, instance_uuids):
        for uuid in instance_uuids:
            db_actions.event_start(uuid, context.request_id, SCHEDULE_EVENT,
                                   self.host)
        try:
            selections = self.select_destinations(context, request_spec,
                                                  instance_uuids)
        except exception.NoValidHost as e:
            LOG.warning('Failed to schedule instances %s: %s',
                        ', '.join(instance_uuids), e.format_message())
            for uuid in instance_uuids:
                self._set_error(context, uuid, e, SCHEDULE_EVENT)
            return
        except Exception as e:
            LOG.exception('Scheduling failed')
            for uuid in instance_uuids:
                self._set_error(context, uuid, e, SCHEDULE_EVENT)
            return
        for uuid, hosts in zip(instance_uuids, selections):
            self._build_on(context, request_spec, uuid, hosts[0], hosts[1:],
                           attempt=1, event=SCHEDULE_EVENT)

    def select_destinations(self, context, request_spec, instance_uuids):
        """A claimed host per instance, then its alternates.

        The scheduler gets the host states read here and ranks the hosts
        without claiming them; the claims are made here, in the database,
        two round trips fewer than the scheduler asking for the host
        states and claiming through the conductor.  A claim that loses a
        race (another conductor claimed the room first) moves on to the
        next host, as the scheduler's own claims do.
        """
        request_spec = with_server_group(request_spec)
        hosts = db_compute_nodes.host_states_get_all(
            with_instances=scheduler_utils.needs_instances(request_spec))
        ranked = self.scheduler.select_destinations(
            context, request_spec, instance_uuids, host_states=hosts,
            claim=False)
        resources = scheduler_utils.flavor_resources(request_spec['flavor'])
        selections = []
        for uuid, candidates in zip(instance_uuids, ranked):
            index = self._claim_first(uuid, request_spec, candidates,
                                      resources)
            selections.append([candidates[index]] + candidates[:index] +
                              candidates[index + 1:])
        return selections

    def _claim_first(self, uuid, request_spec, candidates, resources):
        """The index of the first of candidates whose resources could be
        claimed for the instance; NoValidHost, saying why, when none."""
        vcpus, memory_mb, disk_gb = resources
        failures = []
        start = time.monotonic()
        for index, host in enumerate(candidates):
            try:
                db_compute_nodes.allocation_claim(
                    uuid, host['node_id'], request_spec.get('project_id'),
                    vcpus, memory_mb, disk_gb)
            except exception.NovaException as e:
                LOG.info('Claim on %s failed: %s', host['host'],
                         e.format_message(), instance_uuid=uuid)
                failures.append(e.format_message())
                continue
            LOG.debug('Claimed %s in %.1f ms', host['host'],
                      (time.monotonic() - start) * 1000, instance_uuid=uuid)
            return index
        raise exception.NoValidHost(
            reason='There are not enough hosts available. Claims failed on '
                   'all %d candidate hosts: %s' % (len(candidates),
                                                   '; '.join(failures)))

    def host_zone(self, host):
        """The availability zone of a selection's host: what the
        scheduler read with the host states (None: the default zone), or
        for a selection without it (an older scheduler's), the
        database's."""
        if 'availability_zone' in host:
            zone = host['availability_zone']
        else:
            zone = db_aggregates.host_availability_zone(host['host'])
        return zone or self.conf.default_availability_zone

    def reschedule(self, context, request_spec, instance_uuid, alternates,
                   attempt, reason):
        if attempt >= self.conf.scheduler.max_attempts:
            alternates = []
        try:
            index = self._claim_first(
                instance_uuid, request_spec, alternates,
                scheduler_utils.flavor_resources(request_spec['flavor']))
        except exception.NoValidHost:
            pass
        else:
            host = alternates[index]
            LOG.info('Rescheduling to %s (attempt %d): %s', host['host'],
                     attempt + 1, reason, instance_uuid=instance_uuid)
            self._build_on(context, request_spec, instance_uuid, host,
                           alternates[index + 1:], attempt=attempt + 1)
            return
        try:
            # Raised so the fault's details carry a traceback.
            raise exception.MaxRetriesExceeded(
                reason='Exhausted all hosts available for retrying build '
                       'failures for instance %s. Last failure: %s'
                       % (instance_uuid, reason))
        except exception.MaxRetriesExceeded as error:
            LOG.error(error.format_message(), instance_uuid=instance_uuid)
            self._set_error(context, instance_uuid, error)

    def _build_on(self, context, request_spec, uuid, host, alternates,
                  attempt, event=None):
        # The event finishes (Success) in the update's transaction.
        finish = {'request_id': context.request_id, 'event': event,
                  'result': 'Success'} if event else None
        try:
            db_instances.instance_update_and_event(
                uuid, {'host': host['host'], 'node': host['nodename'],
                       'launched_on': host['host'], 'task_state': None,
                       # The host's, as upstream's conductor sets it: the
                       # one asked for, if one was (the scheduler's
                       # AvailabilityZoneFilter saw to it).
                       'availability_zone': self.host_zone(host)},
                expected_task_state=[states.task.SCHEDULING, None],
                expected_vm_state=[states.BUILDING], event_finish=finish)
        except (exception.InstanceNotFound,
                exception.UnexpectedTaskStateError):
            # Deleted (or being deleted) while we scheduled it.
            LOG.info('Instance was deleted during scheduling; releasing '
                     'its claim on %s', host['host'], instance_uuid=uuid)
            db_compute_nodes.allocations_delete(uuid)
            return
        LOG.info('Building on %s (node %s)', host['host'], host['nodename'],
                 instance_uuid=uuid)
        self.compute.build_and_run_instance(
            context, host['host'], instance_uuid=uuid,
            request_spec=request_spec, node=host['nodename'],
            alternates=alternates, attempt=attempt)

    @staticmethod
    def traceback(error):
        return ''.join(traceback.format_exception(error))

    def add_fault(self, uuid, error):
        """An instance fault from error (its traceback as details);
        returns (message, details)."""
        code = getattr(error, 'code', 500)
        message = (error.format_message()
                   if isinstance(error, exception.NovaException)
                   else type(error).__name__)
        details = self.traceback(error)
        try:
            db_instances.instance_fault_create(uuid, code, message,
                                               details, self.host)
        except exception.NotFound:
            pass
        return message, details

    def _set_error(self, context, uuid, error, event=None):
        # The fault first: a client that sees ERROR also sees why.
        message, details = self.add_fault(uuid, error)
        try:
            db_instances.instance_update(
                uuid, {'vm_state': states.ERROR, 'task_state': None})
        except exception.InstanceNotFound:
            return
        db_compute_nodes.allocations_delete(uuid)
        if event:
            db_actions.event_finish(uuid, context.request_id, event,
                                    'Error', traceback=details,
                                    details=message)

