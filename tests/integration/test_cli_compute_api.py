"""The Compute API beyond the lifecycle, as a user of the unmodified
openstack client meets it on stack.sh's deployment (Keystone in front):
server properties, server groups, quotas, flavor properties, aggregates
and zones, usage."""

import json

import pytest

from tests.integration import conftest


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-cli')
    database = conftest.Database('sqlite', tmp_path)
    yield from conftest.stacked(conftest.Deployment(tmp_path, database))


@pytest.fixture(scope='module')
def server(deployment):
    server = json.loads(deployment.openstack(
        'server', 'create', '--image', deployment.image_name, '--flavor',
        'm1.tiny', '--wait', '-f', 'json', 'vm1').stdout)
    assert server['status'] == 'ACTIVE'
    return server


def _admin(deployment, *args):
    return deployment.openstack_json(*args, cloud='devstack-admin')


def test_server_properties(deployment, server):
    deployment.openstack('server', 'set', '--property', 'color=blue',
                         '--property', 'size=xl', 'vm1')
    shown = deployment.openstack_json('server', 'show', 'vm1')
    assert shown['properties'] == {'color': 'blue', 'size': 'xl'}
    deployment.openstack('server', 'unset', '--property', 'size', 'vm1')
    shown = deployment.openstack_json('server', 'show', 'vm1')
    assert shown['properties'] == {'color': 'blue'}


def test_server_groups(deployment):
    group = deployment.openstack_json(
        'server', 'group', 'create', '--policy', 'anti-affinity', 'grp')
    assert group['policy'] == 'anti-affinity'
    listed = deployment.openstack_json('server', 'group', 'list')
    assert [g['Name'] for g in listed] == ['grp']
    # Two members on the deployment's two hosts.
    hosts = set()
    for name in ('g1', 'g2'):
        member = deployment.openstack_json(
            'server', 'create', '--image', deployment.image_name,
            '--flavor', 'm1.tiny', '--hint', 'group=%s' % group['id'],
            '--wait', name)
        # The admin sees the host; by id: names are looked up in the
        # admin's own project.
        hosts.add(_admin(deployment, 'server', 'show', member['id'])[
            'OS-EXT-SRV-ATTR:host'])
    assert len(hosts) == 2, hosts
    shown = deployment.openstack_json('server', 'group', 'show', 'grp')
    assert len(shown['members']) == 2
    for name in ('g1', 'g2'):
        deployment.openstack('server', 'delete', '--wait', name)
    deployment.openstack('server', 'group', 'delete', 'grp')
    assert deployment.openstack_json('server', 'group', 'list') == []


def test_quotas(deployment):
    deployment.openstack('quota', 'set', '--instances', '7', '--cores',
                         '9', 'demo', cloud='devstack-admin')
    # The admin reads them by the project's name, the member its own.
    for shown in (_admin(deployment, 'quota', 'show', 'demo'),
                  deployment.openstack_json('quota', 'show')):
        quotas = {q['Resource']: q['Limit'] for q in shown} \
            if isinstance(shown, list) else shown
        assert quotas['instances'] == 7 and quotas['cores'] == 9, quotas
    # The member may read its project's, not set them.
    result = deployment.openstack('quota', 'set', '--instances', '70',
                                  'demo', check=False)
    assert result.returncode != 0
    assert 'HTTP 403' in result.stderr or 'Forbidden' in result.stderr


def test_flavor_properties(deployment):
    deployment.openstack('flavor', 'set', '--property', 'hw:cpu_policy=shared',
                         'm1.small', cloud='devstack-admin')
    shown = _admin(deployment, 'flavor', 'show', 'm1.small')
    assert shown['properties'] == {'hw:cpu_policy': 'shared'}
    # From 2.86 a known namespace's bad value is refused.
    result = deployment.openstack(
        '--os-compute-api-version', '2.86', 'flavor', 'set', '--property',
        'hw:cpu_policy=bogus', 'm1.small', cloud='devstack-admin',
        check=False)
    assert result.returncode != 0
    assert "'bogus' is not one of: dedicated, shared, mixed" in result.stderr


def test_aggregates_and_zones(deployment, server):
    aggregate = _admin(deployment, 'aggregate', 'create', '--zone', 'az1',
                       'agg1')
    assert aggregate['availability_zone'] == 'az1'
    # The second host (no servers of the fixture's: vm1 may be on either;
    # a host with servers may still join a new zone only when empty, so
    # pick the host without vm1).
    vm1_host = _admin(deployment, 'server', 'show', server['id'])[
        'OS-EXT-SRV-ATTR:host']
    hosts = {s['Host'] for s in _admin(deployment, 'compute', 'service',
                                       'list', '--service', 'nova-compute')}
    free = (hosts - {vm1_host}).pop()
    deployment.openstack('aggregate', 'add', 'host', 'agg1', free,
                         cloud='devstack-admin')
    zones = {z['Zone Name'] for z in deployment.openstack_json(
        'availability', 'zone', 'list', '--compute')}
    assert {'az1', 'nova'} <= zones, zones
    inzone = deployment.openstack_json(
        'server', 'create', '--image', deployment.image_name, '--flavor',
        'm1.tiny', '--availability-zone', 'az1', '--wait', 'inzone')
    shown = _admin(deployment, 'server', 'show', inzone['id'])
    assert shown['OS-EXT-AZ:availability_zone'] == 'az1'
    assert shown['OS-EXT-SRV-ATTR:host'] == free
    deployment.openstack('server', 'delete', '--wait', inzone['id'])


def test_usage(deployment, server):
    listed = _admin(deployment, 'usage', 'list')
    assert listed, listed
    shown = deployment.openstack_json('usage', 'show')
    assert shown, shown
    print(shown)


def test_security_groups(deployment, server):
    # No network service in the catalog: the client asks the compute API.
    deployment.openstack('server', 'remove', 'security', 'group', 'vm1',
                         'default')
    shown = deployment.openstack_json('server', 'show', 'vm1')
    assert not shown.get('security_groups'), shown
    deployment.openstack('server', 'add', 'security', 'group', 'vm1',
                         'default')
    shown = deployment.openstack_json('server', 'show', 'vm1')
    assert [g['name'] for g in shown['security_groups']] == ['default']
    result = deployment.openstack('server', 'add', 'security', 'group',
                                  'vm1', 'no-such-group', check=False)
    assert result.returncode != 0
    assert 'no-such-group' in result.stderr
