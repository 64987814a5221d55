"""Server side of the scheduler RPC API.

select_destinations: filter and weigh the host states the conductor
sends with the request (or reports when asked), then claim the best host
through the conductor.  A claim can lose a race with another scheduler;
the next candidate is tried.  With claim=False (1.3) the ranked hosts go
back unclaimed: the conductor that asked claims them itself, a round trip
fewer.
"""

import time

import oslo_messaging as messaging
from oslo_log import log as logging

from nova.conductor import rpcapi as conductor_rpcapi
from nova import exception
from nova.scheduler import filters
from nova.scheduler import host_manager
from nova.scheduler import utils as scheduler_utils

LOG = logging.getLogger(__name__)


def _selection(host):
    """What the conductor gets of a host; its availability_zone (None:
    the default zone) becomes the instance's."""
    return {'host': host['host'], 'nodename': host['hypervisor_hostname'],
            'node_id': host['id'], 'node_uuid': host['uuid'],
            'availability_zone': host.get('availability_zone')}


class SchedulerManager:

    target = messaging.Target(version='1.3')

    def __init__(self, conf, host, conductor=None):
        self.conf = conf
        self.host = host
        self._conductor = conductor

    @property
    def conductor(self):
        if self._conductor is None:
            self._conductor = conductor_rpcapi.ConductorAPI()
        return self._conductor

    def init_host(self):
        pass

    @messaging.expected_exceptions(exception.NoValidHost)
    def select_destinations(self, context, request_spec, instance_uuids,
                            host_states=None, claim=True):
        """host_states: what host_states_get_all returns, read by the
        conductor when it asks (1.2); None: asked for here.  claim=False
        (1.3): the best host first, unclaimed; each instance's choice is
        still counted against the host for the next one."""
        hosts = host_states
        if hosts is None:
            hosts = self.conductor.host_states_get_all(
                context, with_instances=scheduler_utils.needs_instances(
                    request_spec))
        forced = request_spec.get('force_host')
        if forced:
            hosts = [h for h in hosts if h['host'] == forced]
            if not hosts:
                raise exception.NoValidHost(
                    reason='Requested host %s is not a compute host.'
                           % forced)
        forced_node = request_spec.get('force_node')
        if forced_node:
            hosts = [h for h in hosts
                     if h['hypervisor_hostname'] == forced_node]
            if not hosts:
                raise exception.NoValidHost(
                    reason='Requested node %s is not a compute node.'
                           % forced_node)
        vcpus, memory_mb, disk_gb = scheduler_utils.flavor_resources(
            request_spec['flavor'])
        results = []
        for uuid in instance_uuids:
            start = time.monotonic()
            candidates, report = host_manager.select_candidates(
                hosts, request_spec, self.conf)
            decided = time.monotonic()
            if not candidates:
                message = filters.no_valid_host_message(report)
                LOG.info('%s', message, instance_uuid=uuid)
                raise exception.NoValidHost(message)
            if claim:
                chosen = self._claim(context, uuid, request_spec,
                                     candidates, (vcpus, memory_mb, disk_gb))
            else:
                chosen = candidates[0]
            host_manager.consume_from_request(chosen, request_spec, uuid)
            LOG.info('Selected host %s for the instance: %d of %d hosts '
                     'passed the filters, decided in %.1f ms%s',
                     chosen['host'], report.hosts_passed,
                     report.hosts_considered, (decided - start) * 1000,
                     ', claimed in %.1f ms' % (
                         (time.monotonic() - decided) * 1000)
                     if claim else '', instance_uuid=uuid)
            results.append([_selection(chosen)] +
                           [_selection(h) for h in candidates
                            if h is not chosen])
        return results

    def _claim(self, context, uuid, request_spec, candidates, resources):
        vcpus, memory_mb, disk_gb = resources
        failures = []
        for host in candidates:
            try:
                self.conductor.allocation_claim(
                    context, uuid, host['id'], request_spec.get('project_id'),
                    vcpus, memory_mb, disk_gb)
                return host
            except exception.ClaimFailed as e:
                # Another scheduler got there first; our view was stale.
                LOG.info('Claim on %s failed: %s', host['host'],
                         e.format_message(), instance_uuid=uuid)
                failures.append(e.format_message())
        raise exception.NoValidHost(
            reason='There are not enough hosts available. Claims failed on '
                   'all %d candidate hosts: %s' % (len(candidates),
                                                   '; '.join(failures)))
