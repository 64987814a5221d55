"""Server group policies in the scheduler: the hard ones are filters, the
soft ones weighers; members are counted on the hosts that run them."""

from nova.scheduler import filters
from nova.scheduler import host_manager
from tests.unit.scheduler import NOW, make_conf, make_host, make_spec

CONF = make_conf()


def _spec(policy, members, rules=None, uuids=('new-1',)):
    return make_spec(
        num_instances=len(uuids), instance_uuids=list(uuids),
        scheduler_hints={'group': 'g1'},
        instance_group={'uuid': 'g1', 'policy': policy,
                        'rules': rules or {},
                        'members': list(members) + list(uuids)})


def _names(hosts):
    return [h['host'] for h in hosts]


def test_affinity_keeps_the_host_of_a_member_once_there_is_one():
    hosts = [make_host('h1'), make_host('h2', instance_uuids=['m1', 'x']),
             make_host('h3')]
    kept, report = filters.filter_hosts(hosts, _spec('affinity', ['m1']),
                                        CONF, now=NOW)
    assert _names(kept) == ['h2']
    assert report.removals == [('ServerGroupAffinityFilter', 2,
                                'server group affinity')]
    # No member placed yet: any host will do.
    kept, _ = filters.filter_hosts(hosts, _spec('affinity', []), CONF,
                                   now=NOW)
    assert _names(kept) == ['h1', 'h2', 'h3']


def test_anti_affinity_drops_hosts_of_members_up_to_max_per_host():
    hosts = [make_host('h1', instance_uuids=['m1']),
             make_host('h2', instance_uuids=['m2', 'm3']), make_host('h3')]
    kept, report = filters.filter_hosts(
        hosts, _spec('anti-affinity', ['m1', 'm2', 'm3']), CONF, now=NOW)
    assert _names(kept) == ['h3']
    message = filters.no_valid_host_message(report) if not kept else ''
    assert message == ''
    kept, _ = filters.filter_hosts(
        hosts, _spec('anti-affinity', ['m1', 'm2', 'm3'],
                     rules={'max_server_per_host': 2}), CONF, now=NOW)
    assert _names(kept) == ['h1', 'h3']


def test_no_room_for_anti_affinity_says_why():
    hosts = [make_host('h1', instance_uuids=['m1'])]
    kept, report = filters.filter_hosts(
        hosts, _spec('anti-affinity', ['m1']), CONF, now=NOW)
    assert kept == []
    assert 'ServerGroupAntiAffinityFilter removed 1 (server group ' \
        'anti-affinity)' in filters.no_valid_host_message(report)


def test_a_multiple_create_is_placed_together_or_apart():
    hosts = [make_host('h%d' % n) for n in range(1, 5)]
    placements, report = host_manager.select_hosts(
        [dict(h, instance_uuids=[]) for h in hosts],
        _spec('anti-affinity', [], uuids=('a', 'b', 'c')), CONF, now=NOW)
    assert report is None
    assert len({p[0]['host'] for p in placements}) == 3
    placements, report = host_manager.select_hosts(
        [dict(h, instance_uuids=[]) for h in hosts],
        _spec('affinity', [], uuids=('a', 'b', 'c')), CONF, now=NOW)
    assert len({p[0]['host'] for p in placements}) == 1


def test_soft_policies_weigh_instead_of_filtering():
    # h1 has the most free vCPUs: without the group it wins.  Each
    # weigher is scaled to 0..1 across the hosts, so a group weigher
    # counting twice outweighs the vCPU one.
    hosts = [make_host('h1'),
             make_host('h2', instance_uuids=['m1'], vcpus_used=4)]
    soft = make_conf(host_subset_size=1, soft_affinity_weight_multiplier=2,
                     soft_anti_affinity_weight_multiplier=2)
    best, _ = host_manager.select_candidates(hosts, make_spec(), soft,
                                             now=NOW)
    assert best[0]['host'] == 'h1'
    best, _ = host_manager.select_candidates(
        hosts, _spec('soft-affinity', ['m1']), soft, now=NOW)
    assert best[0]['host'] == 'h2'
    best, _ = host_manager.select_candidates(
        [make_host('h1', instance_uuids=['m1']),
         make_host('h2', vcpus_used=4)],
        _spec('soft-anti-affinity', ['m1']), soft, now=NOW)
    assert best[0]['host'] == 'h2'
    # Both hosts pass the filters either way.
    kept, _ = filters.filter_hosts(hosts, _spec('soft-affinity', ['m1']),
                                   CONF, now=NOW)
    assert len(kept) == 2
