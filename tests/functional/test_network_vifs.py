"""Guests' network interfaces: network_info in upstream's shape, the VIFs
the driver plugs, and the addresses the API shows from them."""

import time
from unittest import mock

from nova.db import instances as db_instances
from nova.network import linux_net
from tests.functional import fixtures

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


def _boot(cloud, api, **extra):
    resp = api.post('/v2.1/servers', {'server': dict(SERVER, **extra)},
                    version='2.37' if 'networks' in extra else None)
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    return server_id, cloud.wait_for_server(server_id, 'ACTIVE')


def test_a_guest_gets_one_vif_on_the_flat_networks_bridge(cloud, api):
    server_id, server = _boot(cloud, api)
    (vif,) = db_instances.instance_get(server_id)['network_info']
    conf = cloud.conf.network
    assert vif['type'] == 'bridge' and vif['active'] is True
    assert vif['devname'] == ('tap' + vif['id'])[:14]
    assert vif['network']['id'] == conf.flat_network_id
    assert vif['network']['label'] == conf.flat_network_name
    assert vif['network']['bridge'] == conf.flat_bridge
    (subnet,) = vif['network']['subnets']
    assert subnet['cidr'] == conf.fixed_range_v4
    assert subnet['gateway']['address'] == conf.reserved_addresses[0]
    (ip,) = subnet['ips']
    # The driver plugged exactly that VIF, and the API shows its address.
    assert cloud.compute('compute1').driver.plugged_vifs[server_id] == [vif]
    assert server['addresses'] == {conf.flat_network_name: [{
        'addr': ip['address'], 'version': 4, 'OS-EXT-IPS:type': 'fixed',
        'OS-EXT-IPS-MAC:mac_addr': vif['address']}]}


def test_two_guests_get_different_vifs_and_addresses(cloud, api):
    first, _ = _boot(cloud, api)
    second, _ = _boot(cloud, api)
    vifs = [db_instances.instance_get(uuid)['network_info'][0]
            for uuid in (first, second)]
    assert vifs[0]['id'] != vifs[1]['id']
    assert vifs[0]['address'] != vifs[1]['address']
    assert (vifs[0]['network']['subnets'][0]['ips'] !=
            vifs[1]['network']['subnets'][0]['ips'])


def test_no_network_no_vif(cloud, api):
    server_id, server = _boot(cloud, api, networks='none')
    assert db_instances.instance_get(server_id)['network_info'] == []
    assert cloud.compute('compute1').driver.plugged_vifs[server_id] == []
    assert server['addresses'] == {}


def test_delete_unplugs(cloud, api):
    server_id, _ = _boot(cloud, api)
    driver = cloud.compute('compute1').driver
    assert server_id in driver.plugged_vifs
    assert api.delete('/v2.1/servers/' + server_id).status == 204
    cloud.wait_for_server(server_id, 'DELETED')
    assert server_id not in driver.plugged_vifs


def test_shelve_offload_and_unshelve_keep_the_address(cloud, api):
    server_id, server = _boot(cloud, api)
    before = server['addresses']
    assert api.post('/v2.1/servers/%s/action' % server_id,
                    {'shelve': None}).status == 202
    cloud.wait_for_server(server_id, 'SHELVED_OFFLOADED')
    assert server_id not in cloud.compute('compute1').driver.plugged_vifs
    assert api.post('/v2.1/servers/%s/action' % server_id,
                    {'unshelve': None}).status == 202
    server = cloud.wait_for_server(server_id, 'ACTIVE')
    assert (server['addresses'][cloud.conf.network.flat_network_name][0][
        'addr'] == before[cloud.conf.network.flat_network_name][0]['addr'])
    (vif,) = db_instances.instance_get(server_id)['network_info']
    assert cloud.compute('compute1').driver.plugged_vifs[server_id] == [vif]


def _wait_for_hosts(server, expected, timeout=10):
    deadline = time.monotonic() + timeout
    while server.dnsmasq.hosts() != expected:
        assert time.monotonic() < deadline, (server.dnsmasq.hosts(),
                                             expected)
        time.sleep(0.05)


def test_the_dhcp_host_serves_each_address_from_build_to_delete(tmp_path):
    # compute2 serves DHCP; the commands it would run are recorded (the
    # real ones: tests/integration/test_flat_dhcp.py).
    ran = []
    with mock.patch.object(linux_net, '_run',
                           side_effect=lambda *cmd, **kw: ran.append(cmd)
                           or ('', '')), \
            mock.patch.object(linux_net, 'device_exists', return_value=True):
        cloud = fixtures.Cloud(computes=('compute1', 'compute2'), overrides={
            'network.flat_dhcp_host': 'compute2',
            'state_path': str(tmp_path)}).start()
        try:
            server = cloud.compute('compute2').dhcp_server
            assert cloud.compute('compute1').dhcp_server is None
            assert ('ip', 'link', 'set', 'br100', 'up') in ran
            assert [cmd for cmd in ran if cmd[0] == 'dnsmasq']
            served = set()
            for _ in range(2):
                server_id, _ = _boot(cloud, cloud.api)
                (vif,) = db_instances.instance_get(server_id)['network_info']
                address = vif['network']['subnets'][0]['ips'][0]['address']
                served.add((vif['address'], address))
                _wait_for_hosts(server, served)
            assert cloud.api.delete(
                '/v2.1/servers/' + server_id).status == 204
            cloud.wait_for_server(server_id, 'DELETED')
            served.discard((vif['address'], address))
            _wait_for_hosts(server, served)
        finally:
            cloud.stop()
