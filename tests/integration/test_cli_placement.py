"""nova-placement-api as osc-placement (``openstack resource provider
...``, unmodified, from PyPI) meets it on stack.sh's deployment: Keystone
in front, `placement` in the catalog, two computes (fake driver)."""

import pytest

from tests.integration import conftest

TINY = {'VCPU': 1, 'MEMORY_MB': 512, 'DISK_GB': 1}


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-placement')
    database = conftest.Database('sqlite', tmp_path)
    yield from conftest.stacked(conftest.Deployment(tmp_path, database))


def _admin(deployment, *args):
    return deployment.openstack_json(*args, cloud='devstack-admin')


@pytest.fixture(scope='module')
def server(deployment):
    server = deployment.openstack_json(
        'server', 'create', '--image', deployment.image_name, '--flavor',
        'm1.tiny', '--wait', 'vm1')
    assert server['status'] == 'ACTIVE'
    return _admin(deployment, 'server', 'show', server['id'])


def test_resource_provider_list_is_the_hypervisors(deployment):
    hypervisors = _admin(deployment, 'hypervisor', 'list')
    providers = _admin(deployment, 'resource', 'provider', 'list')
    assert sorted(p['name'] for p in providers) == sorted(
        h['Hypervisor Hostname'] for h in hypervisors)
    assert len(providers) == 2
    for provider in providers:
        # osc-placement negotiated 1.14 (the 406 of its 1.29): the tree.
        assert provider['root_provider_uuid'] == provider['uuid']
        assert provider['parent_provider_uuid'] is None
        shown = _admin(deployment, 'resource', 'provider', 'show',
                       provider['uuid'])
        assert shown['name'] == provider['name']
    log = deployment.log('n-placement')
    assert '"GET /resource_providers" status: 200' in log
    assert 'req-' in log


def test_usage_inventory_and_allocations_of_a_server(deployment, server):
    node = server['OS-EXT-SRV-ATTR:hypervisor_hostname']
    [provider] = _admin(deployment, 'resource', 'provider', 'list',
                        '--name', node)
    usages = _admin(deployment, 'resource', 'provider', 'usage', 'show',
                    provider['uuid'])
    assert {u['resource_class']: u['usage'] for u in usages} == TINY
    inventory = _admin(deployment, 'resource', 'provider', 'inventory',
                       'list', provider['uuid'])
    by_class = {i['resource_class']: i for i in inventory}
    assert set(by_class) == set(TINY)
    # 2.88 dropped the hypervisor's resources from the Compute API.
    hypervisor = _admin(deployment, '--os-compute-api-version', '2.87',
                        'hypervisor', 'show', node)
    assert by_class['VCPU']['total'] == hypervisor['vcpus']
    allocations = _admin(deployment, 'resource', 'provider', 'allocation',
                         'show', server['id'])
    assert [(a['resource_provider'], a['resources']) for a in allocations] \
        == [(provider['uuid'], TINY)]
    shown = _admin(deployment, 'resource', 'provider', 'show',
                   provider['uuid'], '--allocations')
    assert shown['allocations'] == {server['id']: {'resources': TINY}}


def test_a_project_member_is_refused(deployment):
    result = deployment.openstack('resource', 'provider', 'list',
                                  check=False)
    assert result.returncode != 0
    assert 'placement:resource_providers:list' in result.stderr, \
        result.stderr[-2000:]


def test_writes_are_refused_as_read_only(deployment):
    result = deployment.openstack('resource', 'provider', 'create', 'rp1',
                                  cloud='devstack-admin', check=False)
    assert result.returncode != 0
    assert 'only reads' in result.stderr, result.stderr[-2000:]
