import pytest

from nova.db import compute_nodes
from nova.db import network
from nova.db import services
from nova import exception

RESOURCES = {'vcpus': 2, 'memory_mb': 2048, 'local_gb': 10,
             'cpu_allocation_ratio': 2.0, 'ram_allocation_ratio': 1.0,
             'disk_allocation_ratio': 1.0, 'reserved_host_cpus': 0,
             'reserved_host_memory_mb': 512, 'reserved_host_disk_mb': 0}


def _node(host='h1'):
    services.service_get_or_create(host, 'nova-compute', 'compute', 1)
    node, created = compute_nodes.compute_node_update_or_create(
        host, host, RESOURCES)
    assert created
    return node


def test_claims_respect_capacity_ratios_and_reserved():
    node = _node()
    # 2048 MB - 512 reserved = 1536: three 512 MB claims fit, not four.
    for i in range(3):
        compute_nodes.allocation_claim('c%d' % i, node['id'], 'p', 1, 512,
                                       1)
    with pytest.raises(exception.ClaimFailed) as info:
        compute_nodes.allocation_claim('c3', node['id'], 'p', 1, 512, 1)
    assert 'MEMORY_MB' in str(info.value)
    (state,) = compute_nodes.host_states_get_all()
    assert (state['vcpus_used'], state['memory_mb_used'],
            state['disk_gb_used']) == (3, 1536, 3)


def test_a_claim_sent_again_replaces_its_own():
    # Its first answer lost with a conductor that died: the node has room
    # for the claim once, and the second run must not count the first.
    node = _node()
    for _ in range(2):
        compute_nodes.allocation_claim('c', node['id'], 'p', 1, 1536, 1)
    (state,) = compute_nodes.host_states_get_all()
    assert state['memory_mb_used'] == 1536


def test_vcpu_overcommit_follows_the_ratio():
    node = _node()
    compute_nodes.allocation_claim('a', node['id'], 'p', 4, 1, 0)
    with pytest.raises(exception.ClaimFailed):
        compute_nodes.allocation_claim('b', node['id'], 'p', 1, 1, 0)


def test_deleting_allocations_frees_usage():
    node = _node()
    compute_nodes.allocation_claim('a', node['id'], 'p', 1, 512, 1)
    compute_nodes.allocations_delete('a')
    (state,) = compute_nodes.host_states_get_all(with_instances=True)
    assert state['memory_mb_used'] == 0
    assert state['instance_uuids'] == []


def test_nodes_without_a_compute_service_are_not_schedulable():
    compute_nodes.compute_node_update_or_create('orphan', 'orphan',
                                                RESOURCES)
    assert compute_nodes.host_states_get_all() == []


def test_fixed_ips_are_unique_and_skip_reserved():
    got = [network.fixed_ip_allocate('private', '10.0.0.0/29', 'i%d' % i,
                                     reserved=['10.0.0.1'])['address']
           for i in range(5)]
    assert got == ['10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5',
                   '10.0.0.6']
    with pytest.raises(exception.NoMoreFixedIps):
        network.fixed_ip_allocate('private', '10.0.0.0/29', 'x',
                                  reserved=['10.0.0.1'])
    network.fixed_ips_release('i2')
    assert network.fixed_ip_allocate('private', '10.0.0.0/29', 'y',
                                     reserved=['10.0.0.1'])['address'] == \
        '10.0.0.4'


def test_after_a_lost_race_the_next_address_is_one_of_the_next_free():
    from unittest import mock

    import sqlalchemy as sa
    from sqlalchemy import exc as sa_exc

    real_execute = sa.engine.Connection.execute
    inserts = []

    def execute(self, statement, *args, **kwargs):
        if isinstance(statement, sa.Insert) and (
                statement.table.name == 'fixed_ips'):
            inserts.append(args)
            if len(inserts) == 1:
                # Another conductor inserted the same address first.
                raise sa_exc.IntegrityError('INSERT', {},
                                            Exception('unique'))
        return real_execute(self, statement, *args, **kwargs)

    with mock.patch.object(sa.engine.Connection, 'execute', execute):
        got = network.fixed_ip_allocate('private', '10.0.0.0/24', 'i1',
                                        reserved=['10.0.0.1'])
    assert len(inserts) == 2  # the lost attempt, then the one that won
    # Not the address it lost, and among the next 32 free ones.
    assert got['address'] != '10.0.0.2'
    assert 3 <= int(got['address'].rsplit('.', 1)[1]) <= 34
    # The winning insert was kept.
    assert network.fixed_ips_release('i1') == 1


def test_in_the_callers_transaction_the_address_goes_with_it():
    from nova.db import session

    class Failed(Exception):
        pass

    assert network.allocates_in_callers_transaction()   # SQLite
    try:
        with session.write_connection() as conn:
            network.fixed_ip_allocate_in(conn, 'private', '10.0.0.0/24',
                                         'i1')
            raise Failed()
    except Failed:
        pass
    assert network.fixed_ips_release('i1') == 0


def test_an_address_asked_for_is_given_once():
    from nova import exception
    got = network.fixed_ip_allocate('private', '10.0.0.0/24', 'i1',
                                    address='10.0.0.77')
    assert got['address'] == '10.0.0.77'
    with pytest.raises(exception.FixedIpAlreadyInUse) as raised:
        network.fixed_ip_allocate('private', '10.0.0.0/24', 'i2',
                                  address='10.0.0.77')
    # Named after the instance asking (upstream's way): the one holding
    # it may be another project's.
    assert raised.value.format_message() == (
        'Fixed IP address 10.0.0.77 is already in use on instance i2.')
    # The lowest free is still .1: an asked-for address skips nothing.
    assert network.fixed_ip_allocate('private', '10.0.0.0/24',
                                      'i3')['address'] == '10.0.0.1'
