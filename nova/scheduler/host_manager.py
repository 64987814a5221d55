"""Host state bookkeeping and the whole placement decision.

The host dicts come from the conductor for one request and are private to
it, so they are updated in place: once an instance of a multi-instance
request is placed, the next one sees that host's usage including it.
"""

import random

from nova.scheduler import filters
from nova.scheduler import utils as scheduler_utils
from nova.scheduler import weights


def consume_from_request(host, spec, instance_uuid=None):
    """Account one instance of ``spec`` on ``host`` (in memory only).

    Adds what the flavor claims (vCPUs, RAM, disk) to the host's *_used
    figures and records the instance, so later filters and weighers see it.
    """
    vcpus, memory_mb, disk_gb = scheduler_utils.flavor_resources(
        spec['flavor'])
    host['vcpus_used'] += vcpus
    host['memory_mb_used'] += memory_mb
    host['disk_gb_used'] += disk_gb
    if instance_uuid is not None:
        uuids = host.get('instance_uuids')
        if uuids is None:
            host['instance_uuids'] = uuids = []
        uuids.append(instance_uuid)
    return host


def select_candidates(hosts, spec, conf, rng=random, now=None):
    """Filter, weigh and pick hosts for one instance of ``spec``.

    Returns (candidates, FilterReport).  ``candidates`` is the picked host
    (random among the best [scheduler] host_subset_size) followed by up to
    [scheduler] max_attempts - 1 alternates, best first, for reschedules
    or a lost claim.  An empty list means no host passed the filters;
    ``filters.no_valid_host_message(report)`` says why.  Nothing is
    consumed.
    """
    passing, report = filters.filter_hosts(hosts, spec, conf, now=now)
    if not passing:
        return [], report
    alternates = conf.scheduler.max_attempts - 1
    # The pick comes from the top subset; the alternates are the best of
    # the rest, so the top of both is all that needs ordering.
    top = weights.best_hosts(
        passing, spec, conf,
        max(conf.scheduler.host_subset_size, alternates + 1))
    picked = weights.pick_host(top, conf, rng=rng)
    rest = [host for host in top if host is not picked]
    return [picked] + rest[:alternates], report


def select_hosts(hosts, spec, conf, rng=random, now=None):
    """Place every instance of ``spec`` (num_instances, default 1).

    Returns (per-instance candidate lists, None) on success: one
    ``select_candidates`` list per instance, in instance order, whose first
    host has been consumed in memory.  On failure returns (the lists built
    so far, FilterReport of the instance that found no host); builds are
    all or nothing, so the caller raises NoValidHost with
    ``filters.no_valid_host_message(report)``.
    """
    count = spec.get('num_instances') or 1
    instance_uuids = list(spec.get('instance_uuids') or ())
    placements = []
    for index in range(count):
        candidates, report = select_candidates(hosts, spec, conf, rng=rng,
                                               now=now)
        if not candidates:
            return placements, report
        uuid = instance_uuids[index] if index < len(instance_uuids) else None
        consume_from_request(candidates[0], spec, uuid)
        placements.append(candidates)
    return placements, None
