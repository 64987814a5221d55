"""Scheduling decision time over synthetic fleets (not a pytest module).

Run:  python tests/perf/scheduler_bench.py [--decisions N] [--sizes 1000 5000]
                                           [--aggregates] [--host-states]

One decision = filter + weigh + pick for one instance, with every default
filter enabled and a request that exercises all of them (AZ, image
properties, different_host hint, ignore_hosts).  The fleet is rebuilt per
size only; placements are not consumed, so every decision sees the same
hosts, like independent requests.

--aggregates: the hosts are in aggregates as host_states_get_all sends
them (a zone for every tenth host, ssd=true metadata on three in four,
every seventh reserved for another project), the two aggregate filters are
enabled too and the flavor asks for aggregate_instance_extra_specs:ssd.

--host-states: also time host_states_get_all, the conductor's read of the
fleet (nodes, usage, services and the aggregates' metadata: one query
each), over in-memory SQLite, without and with aggregates.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', '..'))

from oslo_config import cfg  # noqa: E402

import nova.conf  # noqa: E402
from nova.scheduler import filters  # noqa: E402
from nova.scheduler import host_manager  # noqa: E402
from nova.scheduler import weights  # noqa: E402


def build_fleet(count, now, seed=7):
    rng = random.Random(seed)
    hosts = []
    for i in range(count):
        vcpus = rng.choice([16, 32, 64])
        memory_mb = rng.choice([65536, 131072, 262144])
        local_gb = rng.choice([500, 1000, 2000])
        hosts.append({
            'uuid': 'node-%05d' % i, 'id': i, 'host': 'compute%05d' % i,
            'hypervisor_hostname': 'compute%05d' % i,
            'hypervisor_type': 'QEMU', 'hypervisor_version': 8002000,
            'vcpus': vcpus, 'memory_mb': memory_mb, 'local_gb': local_gb,
            'cpu_allocation_ratio': 4.0, 'ram_allocation_ratio': 1.0,
            'disk_allocation_ratio': 1.0,
            'reserved_host_cpus': 0, 'reserved_host_memory_mb': 512,
            'reserved_host_disk_mb': 0,
            'vcpus_used': rng.randint(0, vcpus * 4),
            'memory_mb_used': rng.randint(0, memory_mb),
            'disk_gb_used': rng.randint(0, local_gb),
            'instance_uuids': ['inst-%d-%d' % (i, j)
                               for j in range(rng.randint(0, 20))],
            'supported_instances': [['x86_64', 'qemu', 'hvm'],
                                    ['i686', 'qemu', 'hvm']],
            'availability_zone': 'nova' if i % 10 else 'other',
            'service': {
                'disabled': i % 101 == 0, 'disabled_reason': None,
                'forced_down': False, 'created_at': now,
                'last_seen_up': now - datetime.timedelta(
                    seconds=600 if i % 53 == 0 else 4)},
        })
    return hosts


AGGREGATE_FILTERS = ['AggregateInstanceExtraSpecsFilter',
                     'AggregateMultiTenancyIsolation']


def add_aggregates(hosts):
    """Put the fleet in aggregates, as host_states_get_all shows them."""
    for i, host in enumerate(hosts):
        metadata = {}
        if i % 10 == 0:
            metadata['availability_zone'] = ['other']
        else:
            host.pop('availability_zone', None)    # the default zone
        if i % 4:
            metadata['ssd'] = ['true']
        if i % 7 == 0:
            metadata['filter_tenant_id'] = ['other-project']
        if metadata:
            host['aggregate_metadata'] = metadata


def request_spec():
    return {
        'num_instances': 1, 'instance_uuids': ['new-1'],
        'flavor': {'vcpus': 4, 'memory_mb': 8192, 'root_gb': 40,
                   'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}},
        'image': {'id': 'img', 'properties': {'hw_architecture': 'x86_64',
                                              'img_hv_type': 'qemu'}},
        'availability_zone': 'nova',
        'scheduler_hints': {'different_host': ['inst-3-0', 'inst-5-1']},
        'ignore_hosts': ['compute00001'],
    }


def measure(hosts, spec, conf, decisions):
    times = []
    for _ in range(decisions):
        start = time.perf_counter()
        candidates, _report = host_manager.select_candidates(
            hosts, spec, conf)
        times.append(time.perf_counter() - start)
        assert candidates
    return times


def time_host_states(size, with_aggregates, repeats=20):
    """host_states_get_all over an in-memory SQLite fleet of size nodes:
    (p50 ms, min ms)."""
    from nova.db import aggregates as db_aggregates
    from nova.db import compute_nodes
    from nova.db import migration
    from nova.db import models
    from nova.db import session as db_session

    engine = db_session.create_engine('sqlite://')
    migration.db_sync(engine)
    db_session.use_engine(engine)
    with db_session.writer() as session:
        for i in range(size):
            name = 'compute%05d' % i
            session.add(models.Service(
                uuid=str(uuid.uuid4()), host=name, binary='nova-compute',
                topic='compute'))
            session.add(models.ComputeNode(
                uuid=str(uuid.uuid4()), host=name, hypervisor_hostname=name,
                vcpus=32, memory_mb=131072, local_gb=1000,
                cpu_allocation_ratio=4.0, ram_allocation_ratio=1.0,
                disk_allocation_ratio=1.0))
    if with_aggregates:
        groups = (('zone', {'availability_zone': 'other'}, 10),
                  ('ssd', {'ssd': 'true'}, 2),
                  ('reserved', {'filter_tenant_id': 'other-project'}, 7))
        for name, metadata, every in groups:
            aggregate = db_aggregates.aggregate_create(name)
            db_aggregates.aggregate_metadata_set(aggregate['id'], metadata)
            with db_session.writer() as session:
                for i in range(0, size, every):
                    session.add(models.AggregateHost(
                        aggregate_id=aggregate['id'],
                        host='compute%05d' % i))
    compute_nodes.host_states_get_all()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        compute_nodes.host_states_get_all()
        times.append((time.perf_counter() - start) * 1000)
    db_session.dispose()
    return statistics.median(times), min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--decisions', type=int, default=200)
    parser.add_argument('--sizes', type=int, nargs='+', default=[1000, 5000])
    parser.add_argument('--aggregates', action='store_true')
    parser.add_argument('--host-states', action='store_true')
    args = parser.parse_args()

    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    spec = request_spec()
    if args.aggregates:
        conf.set_override('enabled_filters',
                          conf.scheduler.enabled_filters + AGGREGATE_FILTERS,
                          group='scheduler')
        spec['project_id'] = 'bench-project'
        spec['flavor']['extra_specs'] = {
            'aggregate_instance_extra_specs:ssd': 'true'}
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    print('Python %s' % sys.version.split()[0])
    for size in args.sizes:
        hosts = build_fleet(size, now)
        if args.aggregates:
            add_aggregates(hosts)
        passing, report = filters.filter_hosts(hosts, spec, conf)
        measure(hosts, spec, conf, 10)   # warm up
        times = sorted(measure(hosts, spec, conf, args.decisions))
        ms = [t * 1000 for t in times]
        p95 = ms[min(len(ms) - 1, int(round(0.95 * len(ms))) - 1)]
        print('%5d hosts (%d pass the filters): p50 %.2f ms  p95 %.2f ms  '
              'max %.2f ms  over %d decisions'
              % (size, len(passing), statistics.median(ms), p95, ms[-1],
                 len(ms)))
        print('      removed: %s' % ', '.join(
            '%s %d' % (name, removed)
            for name, removed, _reason in report.removals))
        start = time.perf_counter()
        weights.weigh_hosts(passing, spec, conf)
        print('      weigh alone: %.2f ms' % (
            (time.perf_counter() - start) * 1000))
        if args.host_states:
            for with_aggregates in (False, True):
                p50, best = time_host_states(size, with_aggregates)
                print('      host_states_get_all (SQLite, %s aggregates): '
                      'p50 %.1f ms  min %.1f ms' % (
                          'with' if with_aggregates else 'without',
                          p50, best))


if __name__ == '__main__':
    main()
