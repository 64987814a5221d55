"""Host weighers: order the hosts that passed the filters, best first.

Each weigher gives every candidate a raw value (free RAM, free vCPUs, free
disk).  The values are scaled to 0..1 across the candidates, so weighers
measured in different units count equally, then multiplied by the
weigher's option and summed.  A positive multiplier favours the emptiest
host (spread), a negative one the fullest (stack), 0 turns it off.
"""

import heapq
import random

from nova.scheduler import utils as scheduler_utils


# Free amounts as upstream weighs them: RAM and disk are physical free
# space, vCPUs are counted under the allocation ratio.

def free_ram_mb(host):
    return (host['memory_mb'] - host['reserved_host_memory_mb']
            - host['memory_mb_used'])


def free_vcpus(host):
    return (host['vcpus'] * host['cpu_allocation_ratio']
            - host['reserved_host_cpus'] - host['vcpus_used'])


def free_disk_gb(host):
    return (host['local_gb'] - host['reserved_host_disk_mb'] / 1024
            - host['disk_gb_used'])


# (raw value, multiplier option in [scheduler])
WEIGHERS = (
    (free_ram_mb, 'ram_weight_multiplier'),
    (free_vcpus, 'cpu_weight_multiplier'),
    (free_disk_gb, 'disk_weight_multiplier'),
)


def normalize(values):
    """Scale to 0..1: (v - min) / (max - min); all equal -> all 0."""
    if not values:
        return []
    low = min(values)
    high = max(values)
    if high == low:
        return [0.0] * len(values)
    span = high - low
    return [(value - low) / span for value in values]


# Soft server group policies: (raw value of a host's member count,
# multiplier option) by policy.
GROUP_WEIGHERS = {
    'soft-affinity': (lambda count: count,
                      'soft_affinity_weight_multiplier'),
    'soft-anti-affinity': (lambda count: -count,
                           'soft_anti_affinity_weight_multiplier'),
}


def _raw_values(hosts, spec, conf):
    """(raw values of every host, multiplier) of each weigher that
    counts for this request."""
    options = conf.scheduler
    for raw_value, option in WEIGHERS:
        multiplier = getattr(options, option)
        if multiplier:
            yield [raw_value(host) for host in hosts], multiplier
    group = spec.get('instance_group') or {}
    if group.get('policy') in GROUP_WEIGHERS:
        raw_value, option = GROUP_WEIGHERS[group['policy']]
        multiplier = getattr(options, option)
        if multiplier:
            # Only the hosts weighed here: members elsewhere do not matter.
            counts = scheduler_utils.group_members_per_host(hosts, group)
            yield ([raw_value(counts.get(host['host'], 0))
                    for host in hosts], multiplier)


def host_weights(hosts, spec, conf):
    """The summed weight of each host, in the order of ``hosts``."""
    totals = [0.0] * len(hosts)
    for values, multiplier in _raw_values(hosts, spec, conf):
        scaled = normalize(values)
        totals = [total + multiplier * value
                  for total, value in zip(totals, scaled)]
    return totals


def weigh_hosts(hosts, spec, conf):
    """Return ``hosts`` sorted best first (ties keep their input order)."""
    return best_hosts(hosts, spec, conf, len(hosts))


def best_hosts(hosts, spec, conf, count):
    """The ``count`` best hosts, best first, as weigh_hosts would order them.

    Picking needs only the top few, and a partial selection is cheaper
    than sorting thousands of candidates.
    """
    if len(hosts) < 2:
        return list(hosts)[:count]
    totals = host_weights(hosts, spec, conf)
    indexes = range(len(hosts))
    if count < len(hosts) // 4:
        # Documented to equal sorted(..., reverse=True)[:count], ties
        # included, so the order matches weigh_hosts.
        order = heapq.nlargest(count, indexes, key=totals.__getitem__)
    else:
        order = sorted(indexes, key=totals.__getitem__, reverse=True)[:count]
    return [hosts[index] for index in order]


def pick_host(weighed_hosts, conf, rng=random):
    """Pick one host at random among the best [scheduler] host_subset_size.

    Choosing among several good hosts keeps concurrent schedulers, which
    see the same usage, from all claiming the single best one.
    """
    if not weighed_hosts:
        return None
    subset_size = max(1, conf.scheduler.host_subset_size)
    return rng.choice(weighed_hosts[:subset_size])
