"""Host aggregates in the database: upstream's rules, one transaction
each, and what the host states read of them."""

import uuid

import pytest

from nova.db import aggregates
from nova.db import compute_nodes
from nova.db import models
from nova.db import services
from nova.db import session as db_session
from nova import exception

RESOURCES = {'vcpus': 2, 'memory_mb': 2048, 'local_gb': 10,
             'cpu_allocation_ratio': 2.0, 'ram_allocation_ratio': 1.0,
             'disk_allocation_ratio': 1.0}


@pytest.fixture(autouse=True)
def hosts():
    for host in ('h1', 'h2', 'h3'):
        services.service_get_or_create(host, 'nova-compute', 'compute', 1)
        compute_nodes.compute_node_update_or_create(host, host, RESOURCES)
    services.service_get_or_create('ctl', 'nova-scheduler', 'scheduler', 1)


def _instance_on(host):
    with db_session.writer() as session:
        session.add(models.Instance(uuid=str(uuid.uuid4()), user_id='u',
                                    project_id='p', host=host))


def test_create_get_list_and_the_unique_name():
    made = aggregates.aggregate_create('agg1', availability_zone='az1')
    assert made['name'] == 'agg1' and made['hosts'] == []
    assert made['metadata'] == {'availability_zone': 'az1'}
    assert str(uuid.UUID(made['uuid'])) == made['uuid']
    assert made['created_at'] is not None and made['updated_at'] is None
    assert aggregates.aggregate_get(made['id']) == made
    assert aggregates.aggregate_get(str(made['id'])) == made
    other = aggregates.aggregate_create('agg2')
    assert other['metadata'] == {}
    assert [a['id'] for a in aggregates.aggregate_get_all()] == [
        made['id'], other['id']]
    with pytest.raises(exception.AggregateNameExists) as info:
        aggregates.aggregate_create('agg1')
    assert info.value.code == 409
    assert info.value.format_message() == 'Aggregate agg1 already exists.'
    for missing in (999, 'abc'):
        with pytest.raises(exception.AggregateNotFound):
            aggregates.aggregate_get(missing)


def test_update_renames_and_sets_the_zone_and_updated_at():
    agg = aggregates.aggregate_create('agg1')
    aggregates.aggregate_create('taken')
    with pytest.raises(exception.AggregateNameExists):
        aggregates.aggregate_update(agg['id'], {'name': 'taken'})
    got = aggregates.aggregate_update(agg['id'], {'name': 'renamed'})
    assert got['name'] == 'renamed' and got['updated_at'] is not None
    got = aggregates.aggregate_update(agg['id'],
                                      {'availability_zone': 'az1'})
    assert got['metadata'] == {'availability_zone': 'az1'}
    with pytest.raises(exception.InvalidAggregateActionUpdate) as info:
        aggregates.aggregate_update(agg['id'], {'availability_zone': None})
    assert info.value.code == 400
    assert 'does not support empty named availability zone' in \
        info.value.format_message()


def test_set_metadata_merges_and_deletes_with_none():
    agg = aggregates.aggregate_create('agg1')
    got = aggregates.aggregate_metadata_set(agg['id'], {'a': '1', 'b': '2'})
    assert got['metadata'] == {'a': '1', 'b': '2'}
    got = aggregates.aggregate_metadata_set(
        agg['id'], {'a': None, 'b': '3', 'missing': None})
    assert got['metadata'] == {'b': '3'}
    assert got['updated_at'] is not None
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        aggregates.aggregate_metadata_set(agg['id'],
                                          {'availability_zone': None})


def test_hosts_join_and_leave():
    agg = aggregates.aggregate_create('agg1')
    got = aggregates.aggregate_host_add(agg['id'], 'h1')
    got = aggregates.aggregate_host_add(agg['id'], 'h2')
    assert got['hosts'] == ['h1', 'h2']
    with pytest.raises(exception.AggregateHostExists) as info:
        aggregates.aggregate_host_add(agg['id'], 'h1')
    assert info.value.code == 409
    for host in ('nowhere', 'H1', 'ctl'):
        with pytest.raises(exception.ComputeHostNotFound):
            aggregates.aggregate_host_add(agg['id'], host)
    with pytest.raises(exception.AggregateNotFound):
        aggregates.aggregate_host_add(999, 'h1')
    got = aggregates.aggregate_host_remove(agg['id'], 'h1')
    assert got['hosts'] == ['h2']
    with pytest.raises(exception.AggregateHostNotFound) as info:
        aggregates.aggregate_host_remove(agg['id'], 'h1')
    assert info.value.code == 404


def test_delete_only_an_empty_aggregate():
    agg = aggregates.aggregate_create('agg1', availability_zone='az1')
    aggregates.aggregate_host_add(agg['id'], 'h1')
    with pytest.raises(exception.InvalidAggregateActionDelete) as info:
        aggregates.aggregate_delete(agg['id'])
    assert info.value.code == 400
    assert info.value.format_message() == (
        'Cannot remove host from aggregate %d. Reason: Host aggregate is '
        'not empty.' % agg['id'])
    aggregates.aggregate_host_remove(agg['id'], 'h1')
    aggregates.aggregate_delete(agg['id'])
    with pytest.raises(exception.AggregateNotFound):
        aggregates.aggregate_get(agg['id'])
    # Its metadata went with it; the name is free again.
    aggregates.aggregate_create('agg1')


def test_a_host_is_in_one_zone_at_most():
    az1 = aggregates.aggregate_create('a1', availability_zone='az1')
    az2 = aggregates.aggregate_create('a2', availability_zone='az2')
    plain = aggregates.aggregate_create('plain')
    aggregates.aggregate_host_add(az1['id'], 'h1')
    with pytest.raises(exception.InvalidAggregateActionAdd) as info:
        aggregates.aggregate_host_add(az2['id'], 'h1')
    assert info.value.code == 409
    assert "One or more hosts already in availability zone(s) ['az1']" in \
        info.value.format_message()
    # No zone, or the same zone: fine.
    aggregates.aggregate_host_add(plain['id'], 'h1')
    same = aggregates.aggregate_create('a1-too', availability_zone='az1')
    aggregates.aggregate_host_add(same['id'], 'h1')
    # Giving plain a zone would put h1 in two.
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta):
        aggregates.aggregate_metadata_set(plain['id'],
                                          {'availability_zone': 'az2'})
    with pytest.raises(exception.InvalidAggregateActionUpdate):
        aggregates.aggregate_update(plain['id'],
                                    {'availability_zone': 'az2'})
    aggregates.aggregate_metadata_set(plain['id'],
                                      {'availability_zone': 'az1'})
    assert aggregates.availability_zones_by_host() == {'h1': 'az1'}
    assert aggregates.host_availability_zone('h1') == 'az1'
    assert aggregates.host_availability_zone('h2') is None


def test_the_zone_of_a_host_with_instances_does_not_change():
    az1 = aggregates.aggregate_create('a1', availability_zone='az1')
    plain = aggregates.aggregate_create('plain')
    _instance_on('h1')
    # h1 (default zone, an instance) may not join az1 ...
    with pytest.raises(exception.InvalidAggregateActionAdd) as info:
        aggregates.aggregate_host_add(az1['id'], 'h1')
    assert "would change from 'None' to 'az1' but the host already has 1 " \
        "instance(s)" in info.value.format_message()
    # ... but may join an aggregate without a zone, which may not get one.
    aggregates.aggregate_host_add(plain['id'], 'h1')
    with pytest.raises(exception.InvalidAggregateActionUpdateMeta) as info:
        aggregates.aggregate_metadata_set(plain['id'],
                                          {'availability_zone': 'az1'})
    assert 'One or more hosts contain instances in this zone' in \
        info.value.format_message()
    # An empty host joins az1, gets an instance: it may not leave, nor the
    # zone be renamed; other metadata is fine.
    aggregates.aggregate_host_add(az1['id'], 'h2')
    _instance_on('h2')
    with pytest.raises(exception.InvalidAggregateActionRemoveHost) as info:
        aggregates.aggregate_host_remove(az1['id'], 'h2')
    assert info.value.code == 409
    with pytest.raises(exception.InvalidAggregateActionUpdate):
        aggregates.aggregate_update(az1['id'], {'availability_zone': 'x'})
    aggregates.aggregate_update(az1['id'], {'availability_zone': 'az1',
                                            'name': 'renamed'})
    aggregates.aggregate_metadata_set(az1['id'], {'ssd': 'true'})
    # A second aggregate of the same zone keeps h2 in az1 when it leaves.
    again = aggregates.aggregate_create('a1b', availability_zone='az1')
    aggregates.aggregate_host_add(again['id'], 'h2')
    aggregates.aggregate_host_remove(az1['id'], 'h2')


def test_host_states_carry_their_aggregates_metadata():
    az1 = aggregates.aggregate_create('a1', availability_zone='az1')
    tenants = aggregates.aggregate_create('t')
    aggregates.aggregate_metadata_set(az1['id'], {'ssd': 'true'})
    aggregates.aggregate_metadata_set(
        tenants['id'], {'filter_tenant_id': 'p1, p2', 'ssd': 'false'})
    aggregates.aggregate_host_add(az1['id'], 'h1')
    aggregates.aggregate_host_add(tenants['id'], 'h1')
    aggregates.aggregate_host_add(tenants['id'], 'h2')
    aggregates.aggregate_create('empty', availability_zone='az9')
    states = {s['host']: s for s in compute_nodes.host_states_get_all()}
    assert states['h1']['availability_zone'] == 'az1'
    assert states['h1']['aggregate_metadata'] == {
        'availability_zone': ['az1'], 'ssd': ['true', 'false'],
        'filter_tenant_id': ['p1', 'p2']}
    assert 'availability_zone' not in states['h2']
    assert states['h2']['aggregate_metadata'] == {
        'filter_tenant_id': ['p1', 'p2'], 'ssd': ['false']}
    assert 'aggregate_metadata' not in states['h3']
    assert 'availability_zone' not in states['h3']


def test_deleting_a_compute_service_takes_its_host_out():
    agg = aggregates.aggregate_create('a1', availability_zone='az1')
    aggregates.aggregate_host_add(agg['id'], 'h1')
    aggregates.aggregate_host_add(agg['id'], 'h2')
    service = services.service_get_by_host_and_binary('h1', 'nova-compute')
    services.service_destroy(service['id'])
    assert aggregates.aggregate_get(agg['id'])['hosts'] == ['h2']
