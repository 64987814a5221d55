import datetime
import random

import pytest

from nova.scheduler import filters
from nova.scheduler import host_manager
from nova.scheduler import utils as scheduler_utils
from nova.scheduler import weights
from tests.unit.scheduler import NOW, make_conf, make_host, make_spec

CONF = make_conf()
RAM_ONLY = make_conf(cpu_weight_multiplier=0.0, disk_weight_multiplier=0.0)


def names(hosts):
    return [host['host'] for host in hosts]


def picked(placements):
    """The host each instance went to (first of its candidates)."""
    return [candidates[0] for candidates in placements]


# -- normalisation

def test_normalize_scales_to_zero_one():
    assert weights.normalize([10, 20, 15]) == [0.0, 1.0, 0.5]


def test_normalize_all_equal_is_all_zero():
    assert weights.normalize([7, 7, 7]) == [0.0, 0.0, 0.0]
    assert weights.normalize([]) == []


def test_raw_free_values():
    host = make_host(memory_mb=4096, reserved_host_memory_mb=512,
                     memory_mb_used=1024, vcpus=8, cpu_allocation_ratio=2.0,
                     reserved_host_cpus=1, vcpus_used=3, local_gb=100,
                     reserved_host_disk_mb=2048, disk_gb_used=40)
    assert weights.free_ram_mb(host) == 2560
    assert weights.free_vcpus(host) == 12
    assert weights.free_disk_gb(host) == 58


# -- multipliers: spread and stack

def _ram_hosts():
    return [make_host('mid', memory_mb_used=8192),
            make_host('empty', memory_mb_used=0),
            make_host('full', memory_mb_used=30000)]


def test_positive_ram_multiplier_spreads():
    weighed = weights.weigh_hosts(_ram_hosts(), make_spec(), RAM_ONLY)
    assert names(weighed) == ['empty', 'mid', 'full']


def test_negative_ram_multiplier_stacks():
    conf = make_conf(ram_weight_multiplier=-1.0, cpu_weight_multiplier=0.0,
                     disk_weight_multiplier=0.0)
    weighed = weights.weigh_hosts(_ram_hosts(), make_spec(), conf)
    assert names(weighed) == ['full', 'mid', 'empty']


def test_cpu_weigher_spreads_and_stacks():
    hosts = [make_host('busy', vcpus_used=12), make_host('idle')]
    spread = make_conf(ram_weight_multiplier=0.0, disk_weight_multiplier=0.0)
    stack = make_conf(ram_weight_multiplier=0.0, disk_weight_multiplier=0.0,
                      cpu_weight_multiplier=-1.0)
    assert names(weights.weigh_hosts(hosts, make_spec(), spread)) == [
        'idle', 'busy']
    assert names(weights.weigh_hosts(hosts, make_spec(), stack)) == [
        'busy', 'idle']


def test_disk_weigher_spreads():
    hosts = [make_host('used', disk_gb_used=400), make_host('free')]
    conf = make_conf(ram_weight_multiplier=0.0, cpu_weight_multiplier=0.0)
    assert names(weights.weigh_hosts(hosts, make_spec(), conf)) == [
        'free', 'used']


def test_weights_are_normalised_multiplied_and_summed():
    hosts = [make_host('a', memory_mb_used=0, vcpus_used=16),
             make_host('b', memory_mb_used=16384, vcpus_used=8),
             make_host('c', memory_mb_used=32768, vcpus_used=0)]
    conf = make_conf(ram_weight_multiplier=2.0, cpu_weight_multiplier=1.0,
                     disk_weight_multiplier=5.0)
    # RAM: 1, .5, 0 (x2); CPU: 0, .5, 1 (x1); disk all equal -> 0.
    assert weights.host_weights(hosts, make_spec(), conf) == [2.0, 1.5, 1.0]
    assert names(weights.weigh_hosts(hosts, make_spec(), conf)) == [
        'a', 'b', 'c']


def test_units_do_not_matter_after_normalisation():
    # Large RAM figures must not drown the CPU weigher.
    hosts = [make_host('ram', memory_mb=10**6, vcpus_used=16),
             make_host('cpu', memory_mb=10**6 - 1, vcpus_used=0)]
    conf = make_conf(ram_weight_multiplier=1.0, cpu_weight_multiplier=1.5,
                     disk_weight_multiplier=0.0)
    assert names(weights.weigh_hosts(hosts, make_spec(), conf)) == [
        'cpu', 'ram']


def test_zero_multipliers_keep_input_order():
    conf = make_conf(ram_weight_multiplier=0.0, cpu_weight_multiplier=0.0,
                     disk_weight_multiplier=0.0)
    hosts = _ram_hosts()
    assert weights.weigh_hosts(hosts, make_spec(), conf) == hosts


def test_ties_keep_input_order():
    hosts = [make_host('h%d' % i) for i in range(5)]
    assert weights.weigh_hosts(hosts, make_spec(), CONF) == hosts


def test_best_hosts_matches_weigh_hosts_prefix_with_ties():
    rng = random.Random(3)
    hosts = [make_host('h%02d' % i, memory_mb_used=rng.choice([0, 1024, 2048]),
                       vcpus_used=rng.choice([0, 4]))
             for i in range(40)]
    ordered = weights.weigh_hosts(hosts, make_spec(), CONF)
    for count in (1, 3, 9, 20, 40, 50):
        assert weights.best_hosts(hosts, make_spec(), CONF, count) == \
            ordered[:count]


# -- host_subset_size

def test_subset_size_one_always_picks_the_best():
    weighed = weights.weigh_hosts(_ram_hosts(), make_spec(), RAM_ONLY)
    rng = random.Random(1)
    assert {weights.pick_host(weighed, RAM_ONLY, rng)['host']
            for _ in range(50)} == {'empty'}


def test_subset_size_picks_among_the_top_n():
    conf = make_conf(host_subset_size=2, cpu_weight_multiplier=0.0,
                     disk_weight_multiplier=0.0)
    weighed = weights.weigh_hosts(_ram_hosts(), make_spec(), conf)
    rng = random.Random(1)
    picked = {weights.pick_host(weighed, conf, rng)['host']
              for _ in range(100)}
    assert picked == {'empty', 'mid'}


def test_subset_size_larger_than_candidates():
    conf = make_conf(host_subset_size=10)
    hosts = [make_host('only')]
    assert weights.pick_host(hosts, conf, random.Random(0)) is hosts[0]
    assert weights.pick_host([], conf) is None


def test_subset_size_must_be_positive():
    with pytest.raises(ValueError):
        make_conf(host_subset_size=0)


# -- consume_from_request and multi-instance placement

def test_consume_from_request_adds_usage_and_instance():
    host = make_host(vcpus_used=1, memory_mb_used=100, disk_gb_used=5,
                     instance_uuids=['old'])
    spec = make_spec(vcpus=2, memory_mb=1024, root_gb=10, ephemeral_gb=5,
                     swap=1536)
    host_manager.consume_from_request(host, spec, 'new')
    assert (host['vcpus_used'], host['memory_mb_used'],
            host['disk_gb_used']) == (3, 1124, 22)
    assert host['instance_uuids'] == ['old', 'new']


def test_consume_from_request_without_uuid():
    host = make_host(instance_uuids=None)
    host_manager.consume_from_request(host, make_spec(), None)
    assert host['memory_mb_used'] == 512
    assert host['instance_uuids'] is None


def test_multi_instance_request_sees_previous_placements():
    # Each host fits exactly one 16 GB instance; spreading or not, the
    # second instance must go to the other host.
    hosts = [make_host('a', memory_mb=16384), make_host('b', memory_mb=16384)]
    spec = make_spec(memory_mb=16384, num_instances=2,
                     instance_uuids=['i1', 'i2'])
    placements, report = host_manager.select_hosts(hosts, spec, CONF,
                                                   now=NOW)
    assert report is None
    chosen = picked(placements)
    assert sorted(names(chosen)) == ['a', 'b']
    assert chosen[0]['instance_uuids'] == ['i1']
    assert chosen[1]['instance_uuids'] == ['i2']


def test_multi_instance_request_spreads_by_updated_usage():
    hosts = [make_host('a'), make_host('b'), make_host('c')]
    spec = make_spec(vcpus=4, memory_mb=8192, root_gb=100, num_instances=3,
                     instance_uuids=['i1', 'i2', 'i3'])
    placements, report = host_manager.select_hosts(hosts, spec, CONF,
                                                   now=NOW)
    assert report is None
    assert sorted(names(picked(placements))) == ['a', 'b', 'c']


def test_multi_instance_request_stacks_when_asked():
    conf = make_conf(ram_weight_multiplier=-1.0, cpu_weight_multiplier=-1.0,
                     disk_weight_multiplier=-1.0)
    hosts = [make_host('a'), make_host('b', memory_mb_used=1024)]
    spec = make_spec(num_instances=3, instance_uuids=['i1', 'i2', 'i3'])
    placements, _report = host_manager.select_hosts(hosts, spec, conf,
                                                    now=NOW)
    assert names(picked(placements)) == ['b', 'b', 'b']
    assert hosts[1]['memory_mb_used'] == 1024 + 3 * 512


def test_multi_instance_request_runs_out_of_room():
    hosts = [make_host('a', memory_mb=1024)]
    spec = make_spec(memory_mb=512, num_instances=3,
                     instance_uuids=['i1', 'i2', 'i3'])
    placements, report = host_manager.select_hosts(hosts, spec, CONF,
                                                   now=NOW)
    assert names(picked(placements)) == ['a', 'a']
    assert report.removals == [('RamFilter', 1, 'not enough RAM')]
    assert 'RamFilter removed 1' in filters.no_valid_host_message(report)


def test_select_host_picks_within_subset():
    conf = make_conf(host_subset_size=2, cpu_weight_multiplier=0.0,
                     disk_weight_multiplier=0.0)
    rng = random.Random(5)
    firsts = {host_manager.select_candidates(
        _ram_hosts(), make_spec(), conf, rng=rng, now=NOW)[0][0]['host']
        for _ in range(100)}
    assert firsts == {'empty', 'mid'}


def test_candidates_are_pick_then_best_alternates():
    # max_attempts 3: the pick plus two alternates, best first.
    hosts = [make_host('h%d' % i, memory_mb_used=1024 * i) for i in range(6)]
    candidates, report = host_manager.select_candidates(
        hosts, make_spec(), RAM_ONLY, now=NOW)
    assert names(candidates) == ['h0', 'h1', 'h2']
    assert report.hosts_passed == 6
    conf = make_conf(host_subset_size=3, max_attempts=2,
                     cpu_weight_multiplier=0.0, disk_weight_multiplier=0.0)
    for seed in range(20):
        candidates, _report = host_manager.select_candidates(
            hosts, make_spec(), conf, rng=random.Random(seed), now=NOW)
        assert len(candidates) == 2
        assert candidates[0]['host'] in ('h0', 'h1', 'h2')
        # The alternate is the best host that was not picked.
        assert candidates[1]['host'] == (
            'h1' if candidates[0]['host'] == 'h0' else 'h0')


def test_candidates_do_not_consume():
    hosts = [make_host('a')]
    candidates, _report = host_manager.select_candidates(
        hosts, make_spec(), CONF, now=NOW)
    assert candidates == hosts and hosts[0]['memory_mb_used'] == 0


def test_select_candidates_without_hosts():
    candidates, report = host_manager.select_candidates(
        [], make_spec(), CONF, now=NOW)
    assert candidates == [] and report.hosts_considered == 0


# -- 1,000-host smoke test (correctness only)

def _fleet(count, seed=42):
    rng = random.Random(seed)
    hosts = []
    for i in range(count):
        memory_mb = rng.choice([65536, 131072, 262144])
        vcpus = rng.choice([16, 32, 64])
        down = i % 50 == 0
        hosts.append(make_host(
            'compute%04d' % i, id=i,
            vcpus=vcpus, memory_mb=memory_mb, local_gb=rng.choice([500, 1000]),
            cpu_allocation_ratio=4.0, ram_allocation_ratio=1.5,
            reserved_host_memory_mb=512,
            vcpus_used=rng.randint(0, vcpus * 4),
            memory_mb_used=rng.randint(0, int(memory_mb * 1.5)),
            disk_gb_used=rng.randint(0, 500),
            availability_zone='az%d' % (i % 3),
            instance_uuids=['inst-%d-%d' % (i, j) for j in range(5)],
            service={'disabled': i % 97 == 0, 'disabled_reason': None,
                     'forced_down': False, 'created_at': NOW,
                     'last_seen_up': NOW - datetime.timedelta(
                         seconds=300 if down else 3)}))
    return hosts


def _fits(host, spec):
    flavor = spec['flavor']
    return (host['memory_mb'] * host['ram_allocation_ratio']
            - host['reserved_host_memory_mb'] - host['memory_mb_used']
            >= flavor['memory_mb']
            and host['vcpus'] * host['cpu_allocation_ratio']
            - host['vcpus_used'] >= flavor['vcpus']
            and host['local_gb'] - host['disk_gb_used']
            >= scheduler_utils.flavor_resources(flavor)[2])


def test_thousand_hosts_smoke():
    hosts = _fleet(1000)
    spec = make_spec(vcpus=8, memory_mb=16384, root_gb=80,
                     availability_zone='az1',
                     scheduler_hints={'different_host': ['inst-4-0']},
                     ignore_hosts=['compute0001'])
    passing, report = filters.filter_hosts(hosts, spec, CONF, now=NOW)
    expected = [h for h in hosts
                if h['availability_zone'] == 'az1'
                and h['host'] not in ('compute0001', 'compute0004')
                and not h['service']['disabled']
                and h['service']['last_seen_up'] > NOW - datetime.timedelta(
                    seconds=60)
                and _fits(h, spec)]
    assert passing == expected
    assert report.hosts_considered == 1000
    assert report.hosts_passed == len(expected)
    assert sum(removed for _n, removed, _r in report.removals) == \
        1000 - len(expected)

    weighed = weights.weigh_hosts(passing, spec, CONF)
    assert sorted(names(weighed)) == sorted(names(passing))
    scores = weights.host_weights(weighed, spec, CONF)
    assert scores == sorted(scores, reverse=True)

    placements, failure = host_manager.select_hosts(
        hosts, dict(spec, num_instances=20,
                    instance_uuids=['new-%d' % i for i in range(20)]),
        CONF, now=NOW)
    assert failure is None and len(placements) == 20
    assert all(len(candidates) == 3 for candidates in placements)
    chosen = picked(placements)
    # Usage including the new instances never exceeds what the filters
    # allow, however many of them landed on one host.
    for host in chosen:
        assert host['memory_mb'] * host['ram_allocation_ratio'] \
            - host['reserved_host_memory_mb'] - host['memory_mb_used'] >= 0
        assert host['vcpus'] * host['cpu_allocation_ratio'] \
            - host['vcpus_used'] >= 0
        assert host['local_gb'] - host['disk_gb_used'] >= 0
    assert {h['host'] for h in chosen} <= set(names(expected))
