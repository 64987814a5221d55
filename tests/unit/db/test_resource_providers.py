"""Compute nodes as Placement resource providers, and their generation."""

import uuid

import pytest

from nova.db import aggregates
from nova.db import compute_nodes
from nova.db import instances
from nova.db import moves
from nova.db import reaper
from nova.db import resource_providers
from nova.db import services
from nova import exception

RESOURCES = {'vcpus': 4, 'memory_mb': 2048, 'local_gb': 10,
             'cpu_allocation_ratio': 2.0, 'ram_allocation_ratio': 1.5,
             'disk_allocation_ratio': 1.0, 'reserved_host_cpus': 1,
             'reserved_host_memory_mb': 512, 'reserved_host_disk_mb': 1500}


def _node(host='h1', **resources):
    services.service_get_or_create(host, 'nova-compute', 'compute', 1)
    node, _ = compute_nodes.compute_node_update_or_create(
        host, host, dict(RESOURCES, **resources))
    return node


def _generation(node):
    return resource_providers.resource_provider_get(
        node['uuid'])['generation']


def test_a_node_is_a_root_provider_with_the_schedulers_inventory():
    node = _node()
    provider = resource_providers.resource_provider_get(node['uuid'])
    assert provider['name'] == 'h1'
    assert provider['root_provider_uuid'] == node['uuid']
    assert provider['parent_provider_uuid'] is None
    assert provider['inventories'] == {
        'VCPU': {'total': 4, 'reserved': 1, 'min_unit': 1, 'max_unit': 4,
                 'step_size': 1, 'allocation_ratio': 2.0},
        'MEMORY_MB': {'total': 2048, 'reserved': 512, 'min_unit': 1,
                      'max_unit': 2048, 'step_size': 1,
                      'allocation_ratio': 1.5},
        # 1500 MB reserved is 2 whole GB.
        'DISK_GB': {'total': 10, 'reserved': 2, 'min_unit': 1,
                    'max_unit': 10, 'step_size': 1,
                    'allocation_ratio': 1.0}}
    assert provider['usages'] == {'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0}
    assert provider['traits'] == ['COMPUTE_NODE']


def test_no_local_disk_is_no_disk_inventory():
    node = _node(local_gb=0)
    provider = resource_providers.resource_provider_get(node['uuid'])
    assert set(provider['inventories']) == {'VCPU', 'MEMORY_MB'}


def test_unknown_provider():
    with pytest.raises(exception.ResourceProviderNotFound):
        resource_providers.resource_provider_get(str(uuid.uuid4()))
    with pytest.raises(exception.ResourceProviderNotFound):
        resource_providers.resource_provider_allocations_get(
            str(uuid.uuid4()))


def test_generation_moves_with_inventory_not_with_a_heartbeat():
    node = _node()
    first = _generation(node)
    _node()  # the same report again
    assert _generation(node) == first
    _node(memory_mb=4096)
    assert _generation(node) == first + 1


def test_generation_moves_with_every_allocation_change():
    node, other = _node('h1'), _node('h2')
    seen = [_generation(node)]

    def moved():
        seen.append(_generation(node))
        return seen[-1] > seen[-2]

    compute_nodes.allocation_claim('c1', node['id'], 'p', 1, 256, 1)
    assert moved()
    moves.allocations_move('c1', 'm1', node['id'])
    assert moved()
    compute_nodes.allocations_delete('m1')
    assert moved()
    compute_nodes.allocation_claim('c2', node['id'], 'p', 1, 256, 1)
    assert moved()
    reaper.allocations_free(['c2'])
    assert moved()
    # Nothing held there: nothing changes.
    other_before = _generation(other)
    compute_nodes.allocations_delete('nobody')
    assert _generation(other) == other_before


def test_usages_allocations_and_filters():
    node, other = _node('h1'), _node('h2')
    (instance,) = instances.instances_create([{
        'uuid': str(uuid.uuid4()), 'user_id': 'u1', 'project_id': 'p1',
        'vm_state': 'active', 'vcpus': 2, 'memory_mb': 1024}])
    compute_nodes.allocation_claim(instance['uuid'], node['id'], 'p1', 2,
                                   1024, 0)
    provider = resource_providers.resource_provider_get(node['uuid'])
    assert provider['usages'] == {'VCPU': 2, 'MEMORY_MB': 1024,
                                  'DISK_GB': 0}
    held = resource_providers.resource_provider_allocations_get(
        node['uuid'])
    # A class of which nothing is held is left out, as in Placement.
    assert held['allocations'] == {instance['uuid']: {'resources': {
        'VCPU': 2, 'MEMORY_MB': 1024}}}
    assert held['generation'] == provider['generation']
    consumer = resource_providers.consumer_allocations_get(instance['uuid'])
    assert consumer == {
        'allocations': {node['uuid']: {
            'generation': provider['generation'],
            'resources': {'VCPU': 2, 'MEMORY_MB': 1024}}},
        'project_id': 'p1', 'user_id': 'u1'}
    assert resource_providers.usages_get('p1') == {'VCPU': 2,
                                                   'MEMORY_MB': 1024}
    assert resource_providers.usages_get('p1', 'u1') == {
        'VCPU': 2, 'MEMORY_MB': 1024}
    assert resource_providers.usages_get('p1', 'u2') == {}
    # (4 - 1) * 2.0 = 6 VCPU, 2 used on h1: 4 fit there.
    fits = resource_providers.resource_providers_get(
        {'resources': {'VCPU': 4}})
    assert sorted(p['name'] for p in fits) == ['h1', 'h2']
    # (2048 - 512) * 1.5 = 2304 MB, 1024 used on h1: 1500 do not fit.
    fits = resource_providers.resource_providers_get(
        {'resources': {'MEMORY_MB': 1500}})
    assert [p['name'] for p in fits] == ['h2']
    # max_unit: no single allocation bigger than the node's total.
    assert resource_providers.resource_providers_get(
        {'resources': {'VCPU': 5}}) == []
    assert [p['name'] for p in resource_providers.resource_providers_get(
        {'name': 'h2'})] == ['h2']
    assert [p['name'] for p in resource_providers.resource_providers_get(
        {'in_tree': other['uuid']})] == ['h2']


def test_member_of_and_a_disabled_service():
    _node('h1'), _node('h2')
    aggregate = aggregates.aggregate_create('rack')
    aggregates.aggregate_host_add(aggregate['id'], 'h2')
    members = resource_providers.resource_providers_get(
        {'member_of': [[str(uuid.uuid4()), aggregate['uuid']]]})
    assert [(p['name'], p['aggregates']) for p in members] == [
        ('h2', [aggregate['uuid']])]
    service = services.service_get_by_host_and_binary('h2', 'nova-compute')
    services.service_update(service['id'], {'disabled': True})
    traits = {p['name']: p['traits']
              for p in resource_providers.resource_providers_get()}
    assert traits == {'h1': ['COMPUTE_NODE'],
                      'h2': ['COMPUTE_NODE', 'COMPUTE_STATUS_DISABLED']}
