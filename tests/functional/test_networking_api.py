"""The flat network's read-only Networking API under /networking: what
Horizon, `openstack network list` and `server create --network private`
read when there is no Neutron."""

from tests.functional import fixtures

DEMO = 'demo:demo'
OTHER = 'alt:alt'


def _boot(cloud, api, token=DEMO, **extra):
    extra.setdefault('networks', 'auto')
    resp = api.post('/v2.1/servers', {'server': dict(
        name='vm', imageRef=fixtures.IMAGE_ID, flavorRef='1', **extra)},
        token=token, version='2.37')
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=api.as_user(token))
    return server_id


def test_version_document_needs_no_token(api):
    resp = api.get('/networking/', token='')
    assert resp.status == 200
    (version,) = resp.body['versions']
    assert version['id'] == 'v2.0' and version['status'] == 'CURRENT'
    assert version['links'][0]['href'].endswith('/networking/v2.0/')


def test_the_v2_api_needs_a_token(api):
    assert api.get('/networking/v2.0/networks', token='').status == 401


def test_the_flat_network_and_its_subnet(cloud, api):
    conf = cloud.conf.network
    resp = api.get('/networking/v2.0/networks', token=DEMO)
    assert resp.status == 200
    (network,) = resp.body['networks']
    assert network['id'] == conf.flat_network_id
    assert network['name'] == conf.flat_network_name
    assert network['shared'] is True and network['status'] == 'ACTIVE'
    # The provider fields are the admin's, as in Neutron.
    assert 'provider:network_type' not in network
    admin_view = api.get('/networking/v2.0/networks/' + conf.flat_network_id)
    assert admin_view.body['network']['provider:network_type'] == 'flat'
    assert (admin_view.body['network']['provider:physical_network'] ==
            conf.flat_bridge)

    (subnet_id,) = network['subnets']
    subnet = api.get('/networking/v2.0/subnets/' + subnet_id,
                     token=DEMO).body['subnet']
    assert subnet['network_id'] == conf.flat_network_id
    assert subnet['cidr'] == conf.fixed_range_v4
    assert subnet['gateway_ip'] == conf.reserved_addresses[0]
    assert subnet['ip_version'] == 4
    pool = subnet['allocation_pools'][0]
    assert pool['start'] not in conf.reserved_addresses


def test_filters_fields_and_paging_as_neutron(cloud, api):
    conf = cloud.conf.network
    base = '/networking/v2.0/networks'
    by_name = api.get(base + '?name=' + conf.flat_network_name, token=DEMO)
    assert [n['id'] for n in by_name.body['networks']] == [
        conf.flat_network_id]
    assert api.get(base + '?name=nope', token=DEMO).body['networks'] == []
    assert len(api.get(base + '?shared=True', token=DEMO)
               .body['networks']) == 1
    assert api.get(base + '?shared=false', token=DEMO).body['networks'] == []
    fields = api.get(base + '?fields=id&fields=name', token=DEMO)
    assert fields.body['networks'] == [{'id': conf.flat_network_id,
                                        'name': conf.flat_network_name}]
    # Paging on from the last item ends (Horizon stops there; the same page
    # again would be an endless loop to it).
    after = api.get(base + '?limit=21&marker=' + conf.flat_network_id,
                    token=DEMO)
    assert after.body['networks'] == []


def test_unknown_resources_are_neutron_404s(api):
    resp = api.get('/networking/v2.0/networks/nope', token=DEMO)
    assert resp.status == 404
    assert resp.body['NeutronError']['message'] == (
        'Network nope could not be found.')
    assert api.get('/networking/v2.0/routers', token=DEMO).status == 404
    assert api.get('/networking/v3/networks', token=DEMO).status == 404


def test_writes_are_refused_with_a_reason(api):
    resp = api.post('/networking/v2.0/networks',
                    {'network': {'name': 'mine'}}, token=DEMO)
    assert resp.status == 405
    assert 'read-only' in resp.body['NeutronError']['message']
    assert api.delete('/networking/v2.0/ports/x', token=DEMO).status == 405


def test_a_port_per_server_address_visible_to_its_project(cloud, api):
    server_id = _boot(cloud, api)
    resp = api.get('/networking/v2.0/ports?device_id=' + server_id,
                   token=DEMO)
    (port,) = resp.body['ports']
    server = api.get('/v2.1/servers/' + server_id, token=DEMO).body['server']
    (address,) = server['addresses'][cloud.conf.network.flat_network_name]
    assert port['mac_address'] == address['OS-EXT-IPS-MAC:mac_addr']
    assert port['fixed_ips'][0]['ip_address'] == address['addr']
    assert port['network_id'] == cloud.conf.network.flat_network_id
    assert port['device_owner'] == 'compute:nova'
    assert port['tenant_id'] == 'demo'
    assert 'binding:host_id' not in port  # the admin's, as in Neutron
    groups = api.get('/networking/v2.0/security-groups',
                     token=DEMO).body['security_groups']
    assert port['security_groups'] == [groups[0]['id']]

    # Another project sees none of it; the admin sees it with its host.
    assert api.get('/networking/v2.0/ports', token=OTHER).body['ports'] == []
    admin_port = api.get('/networking/v2.0/ports/' + port['id'])
    assert admin_port.body['port']['binding:host_id'] == 'compute1'

    assert api.delete('/v2.1/servers/' + server_id,
                      token=DEMO).status == 204
    cloud.wait_for_server(server_id, 'DELETED')
    assert api.get('/networking/v2.0/ports?device_id=' + server_id,
                   token=DEMO).body['ports'] == []


def test_the_default_security_group_and_no_rules(api):
    groups = api.get('/networking/v2.0/security-groups?tenant_id=demo',
                     token=DEMO).body['security_groups']
    assert [(g['name'], g['tenant_id'], g['security_group_rules'])
            for g in groups] == [('default', 'demo', [])]
    assert api.get('/networking/v2.0/security-group-rules',
                   token=DEMO).body['security_group_rules'] == []


def test_a_server_takes_the_network_and_group_by_id(cloud, api):
    """What the client sends after resolving `--network private
    --security-group default` through this API: their ids."""
    network_id = api.get('/networking/v2.0/networks?name=private',
                         token=DEMO).body['networks'][0]['id']
    group_id = api.get('/networking/v2.0/security-groups?name=default',
                       token=DEMO).body['security_groups'][0]['id']
    server_id = _boot(cloud, api, networks=[{'uuid': network_id}],
                      security_groups=[{'name': group_id}])
    server = api.get('/v2.1/servers/' + server_id, token=DEMO).body['server']
    assert server['security_groups'] == [{'name': 'default'}]
    assert list(server['addresses']) == ['private']


def test_extensions(api):
    aliases = {e['alias'] for e in api.get(
        '/networking/v2.0/extensions', token=DEMO).body['extensions']}
    assert 'security-group' in aliases
    # Nothing that makes clients offer routers or floating IPs.
    assert not aliases & {'router', 'floatingip', 'quotas'}
    assert api.get('/networking/v2.0/extensions/security-group',
                   token=DEMO).status == 200


def test_quotas_as_openstack_quota_show_reads_them(cloud, api):
    """The flat network limits nothing of its own (-1), has no routers
    or floating IPs (0); a project's ports are its server addresses."""
    quota = api.get('/networking/v2.0/quotas/demo',
                    token=DEMO).body['quota']
    assert quota['network'] == quota['port'] == -1
    assert quota['router'] == quota['floatingip'] == 0
    assert api.get('/networking/v2.0/quotas/alt', token=DEMO).status == 403
    assert api.get('/networking/v2.0/quotas/alt').status == 200  # admin
    _boot(cloud, api)
    details = api.get('/networking/v2.0/quotas/demo/details.json',
                      token=DEMO).body['quota']
    assert details['port'] == {'limit': -1, 'used': 1, 'reserved': 0}
    assert api.get('/networking/v2.0/quotas',
                   token=DEMO).body['quotas'] == []
