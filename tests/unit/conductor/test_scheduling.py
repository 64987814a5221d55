"""The conductor reads the host states it sends to the scheduler, and
claims the hosts the scheduler ranks."""

from unittest import mock

from nova.conductor import build
import pytest

from nova.db import compute_nodes
from nova.db import services
from nova import exception

SPEC = {'scheduler_hints': {}, 'project_id': 'p',
        'flavor': {'vcpus': 1, 'memory_mb': 1024, 'root_gb': 10,
                   'ephemeral_gb': 0, 'swap': 0}}


def _flow():
    return build.BuildFlow(mock.Mock(), 'cond1', mock.Mock(), mock.Mock())


def _node(host):
    services.service_get_or_create(host, 'nova-compute', 'compute', 1)
    compute_nodes.compute_node_update_or_create(
        host, host, {'vcpus': 4, 'memory_mb': 4096, 'local_gb': 40,
                     'cpu_allocation_ratio': 1.0, 'ram_allocation_ratio': 1.0,
                     'disk_allocation_ratio': 1.0})


def _ranked(flow, *hosts):
    """The scheduler answers with these hosts, in this order."""
    by_name = {h['host']: h for h in compute_nodes.host_states_get_all()}
    flow.scheduler.select_destinations.return_value = [[
        {'host': name, 'nodename': name, 'node_id': by_name[name]['id'],
         'node_uuid': by_name[name]['uuid']} for name in hosts]]


def test_select_destinations_sends_the_host_states_from_the_database():
    _node('h1')
    flow = _flow()
    _ranked(flow, 'h1')
    (before,) = compute_nodes.host_states_get_all()
    flow.select_destinations(mock.sentinel.ctxt, SPEC, ['u1'])
    ((ctxt, spec, uuids), kwargs), = \
        flow.scheduler.select_destinations.call_args_list
    assert uuids == ['u1']
    (state,) = kwargs['host_states']
    assert state['host'] == 'h1' and state['instance_uuids'] == []
    assert state == before


def test_the_conductor_claims_the_best_host_the_scheduler_ranked():
    _node('h1')
    _node('h2')
    flow = _flow()
    _ranked(flow, 'h2', 'h1')
    ((chosen, alternate),) = flow.select_destinations(
        mock.sentinel.ctxt, SPEC, ['u1'])
    assert flow.scheduler.select_destinations.call_args.kwargs[
        'claim'] is False
    assert (chosen['host'], alternate['host']) == ('h2', 'h1')
    used = {n['host']: n['memory_mb_used']
            for n in compute_nodes.compute_node_get_all()}
    assert used == {'h1': 0, 'h2': 1024}


def test_a_host_filled_meanwhile_gives_way_to_the_next():
    _node('h1')
    _node('h2')
    # Another conductor's claims filled h2 after the scheduler ranked it.
    for n in range(4):
        compute_nodes.allocation_claim('other-%d' % n, compute_nodes
                                       .host_states_get_all()[1]['id'],
                                       'p', 1, 1024, 10)
    flow = _flow()
    _ranked(flow, 'h2', 'h1')
    ((chosen, alternate),) = flow.select_destinations(
        mock.sentinel.ctxt, SPEC, ['u1'])
    assert (chosen['host'], alternate['host']) == ('h1', 'h2')


def test_no_claim_possible_is_no_valid_host_saying_why():
    _node('h1')
    for n in range(4):
        compute_nodes.allocation_claim(
            'other-%d' % n, compute_nodes.host_states_get_all()[0]['id'],
            'p', 1, 1024, 10)
    flow = _flow()
    _ranked(flow, 'h1')
    with pytest.raises(exception.NoValidHost) as raised:
        flow.select_destinations(mock.sentinel.ctxt, SPEC, ['u1'])
    assert 'Claims failed on all 1 candidate hosts' in str(raised.value)
