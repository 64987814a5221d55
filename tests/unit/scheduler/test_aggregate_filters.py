"""The filters that read the host's aggregates (host states'
availability_zone and aggregate_metadata), and the extra specs'
operators."""

import pytest

from nova.scheduler import extra_specs_ops
from nova.scheduler import filters
from tests.unit.scheduler import NOW, make_conf, make_host, make_spec

EXTRA = 'AggregateInstanceExtraSpecsFilter'
TENANCY = 'AggregateMultiTenancyIsolation'
ZONE = 'AvailabilityZoneFilter'
_CONFS = {}


def passes(filter_name, host, spec):
    if filter_name not in _CONFS:
        _CONFS[filter_name] = make_conf(enabled_filters=[filter_name])
    kept, _report = filters.filter_hosts([host], spec, _CONFS[filter_name],
                                         now=NOW)
    return kept == [host]


def _flavor_spec(extra_specs, **fields):
    spec = make_spec(**fields)
    spec['flavor']['extra_specs'] = extra_specs
    return spec


def _in_aggregates(**metadata):
    return make_host(aggregate_metadata={k: list(v) for k, v in
                                         metadata.items()})


# -- AvailabilityZoneFilter and the aggregates' zones

def test_a_host_in_no_zone_aggregate_is_in_the_default_zone():
    host = make_host()
    del host['availability_zone']       # as host_states_get_all sends it
    assert passes(ZONE, host, make_spec(availability_zone='nova'))
    assert not passes(ZONE, host, make_spec(availability_zone='az1'))
    assert passes(ZONE, host, make_spec(availability_zone=None))


def test_a_host_in_a_zone_aggregate_is_in_that_zone_only():
    host = make_host(availability_zone='az1',
                     aggregate_metadata={'availability_zone': ['az1']})
    assert passes(ZONE, host, make_spec(availability_zone='az1'))
    assert not passes(ZONE, host, make_spec(availability_zone='nova'))


# -- AggregateInstanceExtraSpecsFilter

def test_a_flavor_without_aggregate_specs_asks_nothing():
    host = make_host()
    for extra_specs in ({}, {'hw:cpu_policy': 'dedicated'},
                        {'resources:VCPU': '2', 'trait:HW_CPU_X86_AVX': 'x'}):
        assert passes(EXTRA, host, _flavor_spec(extra_specs))
    assert filters.AggregateInstanceExtraSpecsFilter.prepare(
        filters.RequestNeeds(_flavor_spec({'hw:mem_page_size': 'large'})),
        None, NOW) is None


def test_scoped_and_unscoped_specs_must_match_the_metadata():
    ssd = _in_aggregates(ssd=['true'], availability_zone=['az1'])
    plain = make_host()
    spec = _flavor_spec({'aggregate_instance_extra_specs:ssd': 'true'})
    assert passes(EXTRA, ssd, spec)
    assert not passes(EXTRA, plain, spec)
    assert not passes(EXTRA, _in_aggregates(ssd=['false']), spec)
    # Upstream checks unscoped keys too.
    assert passes(EXTRA, ssd, _flavor_spec({'ssd': 'true'}))
    assert not passes(EXTRA, ssd, _flavor_spec({'gpu': 'true'}))
    # Every key must match.
    spec = _flavor_spec({'aggregate_instance_extra_specs:ssd': 'true',
                         'aggregate_instance_extra_specs:gpu': 'true'})
    assert not passes(EXTRA, ssd, spec)
    assert passes(EXTRA, _in_aggregates(ssd=['true'], gpu=['true']), spec)


def test_any_of_the_merged_values_may_match():
    # Two aggregates (or 'a,b' in one) give the host both values.
    host = _in_aggregates(ssd=['false', 'true'])
    assert passes(EXTRA, host,
                  _flavor_spec({'aggregate_instance_extra_specs:ssd':
                                'true'}))


def test_operators_in_the_flavor_spec():
    host = _in_aggregates(cpu_gen=['7'], vendor=['intel'])
    scoped = 'aggregate_instance_extra_specs:'
    for requirement, expected in (('>= 6', True), ('>= 8', False),
                                  ('<or> amd <or> intel', True),
                                  ('s== intel', True), ('<in> nt', True)):
        key = 'vendor' if not requirement.startswith('>=') else 'cpu_gen'
        spec = _flavor_spec({scoped + key: requirement})
        assert passes(EXTRA, host, spec) is expected, requirement


def test_the_filter_is_reported_in_no_valid_host():
    conf = make_conf(enabled_filters=[EXTRA])
    spec = _flavor_spec({'aggregate_instance_extra_specs:ssd': 'true'})
    kept, report = filters.filter_hosts([make_host('h1'), make_host('h2')],
                                        spec, conf, now=NOW)
    assert kept == []
    assert report.removed_by(EXTRA) == 2
    assert "AggregateInstanceExtraSpecsFilter removed 2 (aggregate " \
        "metadata does not match the flavor's extra specs)" in \
        filters.no_valid_host_message(report)


# -- AggregateMultiTenancyIsolation

def test_a_reserved_host_takes_only_the_projects_named():
    host = _in_aggregates(filter_tenant_id=['p1', 'p2'])
    assert passes(TENANCY, host, make_spec(project_id='p1'))
    assert passes(TENANCY, host, make_spec(project_id='p2'))
    assert not passes(TENANCY, host, make_spec(project_id='p3'))


def test_every_filter_tenant_id_key_counts():
    host = _in_aggregates(filter_tenant_id=['p1'],
                          filter_tenant_id2=['p2'], ssd=['true'])
    assert passes(TENANCY, host, make_spec(project_id='p2'))
    assert not passes(TENANCY, host, make_spec(project_id='p3'))


def test_an_unreserved_host_takes_any_project():
    for host in (make_host(), _in_aggregates(ssd=['true'])):
        assert passes(TENANCY, host, make_spec(project_id='p3'))


# -- extra_specs_ops.match, upstream's table

@pytest.mark.parametrize('value,requirement,expected', [
    ('1', '1', True), ('1', '2', False), ('abc', 'abc', True),
    ('123', '= 123', True), ('124', '= 123', True), ('122', '= 123', False),
    ('12', '== 12', True), ('12', '== 12.0', True), ('13', '== 12', False),
    ('12', '!= 13', True), ('12', '>= 11', True), ('12', '<= 11', False),
    ('abc', '= 1', False),      # not a number: no match, no error
    ('abc', 's== abc', True), ('abd', 's!= abc', True),
    ('abc', 's< abd', True), ('abc', 's<= abc', True),
    ('abd', 's> abc', True), ('abc', 's>= abd', False),
    ('12311321', '<in> 11', True), ('12311321', '<in> 99', False),
    ('12311321', '<all-in> 11 21', True),
    ('12311321', '<all-in> 11 99', False),
    ('12', '<or> 11 <or> 12', True), ('13', '<or> 11 <or> 12', False),
    ('12', '<or> 11 <or>', False), ('11', '<or> 11', True),
    ('12', '= ', False), ('12', '<in>', False),
    ('not-op', 'foo bar', False), ('foo bar', 'foo bar', True),
])
def test_match(value, requirement, expected):
    assert extra_specs_ops.match(value, requirement) is expected
