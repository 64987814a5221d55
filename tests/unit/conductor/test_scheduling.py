"""The conductor reads the host states it sends to the scheduler."""

from unittest import mock

from nova.conductor import build
from nova.db import compute_nodes
from nova.db import services


def _flow():
    return build.BuildFlow(mock.Mock(), 'cond1', mock.Mock(), mock.Mock())


def _node(host):
    services.service_get_or_create(host, 'nova-compute', 'compute', 1)
    compute_nodes.compute_node_update_or_create(
        host, host, {'vcpus': 4, 'memory_mb': 4096, 'local_gb': 40,
                     'cpu_allocation_ratio': 1.0, 'ram_allocation_ratio': 1.0,
                     'disk_allocation_ratio': 1.0})


def test_select_destinations_sends_the_host_states_from_the_database():
    _node('h1')
    flow = _flow()
    flow.select_destinations(mock.sentinel.ctxt, {'scheduler_hints': {}},
                             ['u1'])
    ((ctxt, spec, uuids), kwargs), = \
        flow.scheduler.select_destinations.call_args_list
    assert uuids == ['u1']
    (state,) = kwargs['host_states']
    assert state['host'] == 'h1' and state['instance_uuids'] == []
    assert state == compute_nodes.host_states_get_all()[0]
