"""The flat network's DHCP host: what it serves, when it asks again.

linux_net's commands are recorded here, not run; the real ones (a bridge,
dnsmasq and a DHCP client) are tests/integration/test_flat_dhcp.py.
"""

import threading
from unittest import mock

from oslo_config import cfg
import pytest

import nova.conf
from nova import context
from nova.network import api as network_api
from nova.network import flat_dhcp
from nova.network import linux_net


def _conf(tmp_path, **network):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    conf.set_override('state_path', str(tmp_path))
    conf.set_override('fixed_range_v4', '10.9.0.0/24', group='network')
    conf.set_override('reserved_addresses', ['10.9.0.1'], group='network')
    conf.set_override('flat_bridge', 'brtest', group='network')
    for key, value in network.items():
        conf.set_override(key, value, group='network')
    return conf


class Conductor:

    def __init__(self, rows=()):
        self.rows = list(rows)
        self.calls = 0

    def fixed_ip_get_all(self, ctxt, network):
        assert network == 'private'
        self.calls += 1
        return [dict(row) for row in self.rows]


def _row(address, mac):
    return {'address': address, 'mac_address': mac, 'instance_uuid': 'u'}


@pytest.fixture
def commands():
    """linux_net's commands, recorded; dnsmasq 'runs' once started."""
    ran = []

    def run(*cmd, check_exit_code=True):
        ran.append(cmd)
        return '', ''
    with mock.patch.object(linux_net, '_run', side_effect=run), \
            mock.patch.object(linux_net, 'device_exists', return_value=True):
        yield ran


def test_setup_makes_the_bridge_gateway_and_dnsmasq_with_the_hosts(
        tmp_path, commands):
    conductor = Conductor([_row('10.9.0.2', 'fa:16:3e:00:00:02')])
    server = flat_dhcp.DhcpServer(_conf(tmp_path), conductor)
    server.setup(context.get_admin_context())
    ran = [' '.join(cmd) for cmd in commands]
    assert 'ip link set brtest up' in ran
    assert 'ip addr replace 10.9.0.1/24 dev brtest' in ran
    (dnsmasq,) = [cmd for cmd in commands if cmd[0] == 'dnsmasq']
    assert '--interface=brtest' in dnsmasq
    assert '--listen-address=10.9.0.1' in dnsmasq
    assert '--dhcp-range=set:brtest,10.9.0.0,static,255.255.255.0,86400s' \
        in dnsmasq
    assert '--dhcp-option=tag:brtest,option:router,10.9.0.1' in dnsmasq
    assert '--port=0' in dnsmasq  # DHCP only
    hosts = tmp_path / 'networks' / 'brtest' / 'hosts'
    assert hosts.read_text() == 'fa:16:3e:00:00:02,10.9.0.2\n'
    assert not any(cmd[0] == 'iptables' for cmd in commands)


def test_nat_when_asked(tmp_path, commands):
    server = flat_dhcp.DhcpServer(_conf(tmp_path, flat_nat=True),
                                  Conductor())
    with mock.patch.object(linux_net, 'ensure_nat') as ensure_nat:
        server.setup(context.get_admin_context())
    ensure_nat.assert_called_once_with('10.9.0.0/24', 'nova-flat-brtest')


def test_a_release_rewrites_the_hosts_signals_and_releases_the_lease(
        tmp_path, commands):
    conductor = Conductor([_row('10.9.0.2', 'fa:16:3e:00:00:02'),
                           _row('10.9.0.3', 'fa:16:3e:00:00:03')])
    server = flat_dhcp.DhcpServer(_conf(tmp_path), conductor)
    server.refresh(context.get_admin_context())
    conductor.rows.pop(0)
    with mock.patch.object(linux_net.Dnsmasq, 'pid', return_value=4242), \
            mock.patch('os.kill') as kill:
        server.refresh(context.get_admin_context())
    kill.assert_called_once_with(4242, linux_net.signal.SIGHUP)
    assert ('dhcp_release', 'brtest', '10.9.0.2', 'fa:16:3e:00:00:02') in \
        commands
    assert server.dnsmasq.hosts() == {('fa:16:3e:00:00:03', '10.9.0.3')}


def test_nothing_changed_nothing_done(tmp_path, commands):
    conductor = Conductor([_row('10.9.0.2', 'fa:16:3e:00:00:02')])
    server = flat_dhcp.DhcpServer(_conf(tmp_path), conductor)
    server.refresh(context.get_admin_context())
    with mock.patch.object(linux_net.Dnsmasq, 'pid', return_value=4242), \
            mock.patch('os.kill') as kill:
        server.refresh(context.get_admin_context())
    kill.assert_not_called()


def test_refreshes_during_a_sync_become_one_more_sync(tmp_path):
    conductor = Conductor()
    server = flat_dhcp.DhcpServer(_conf(tmp_path), conductor)
    entered, release = threading.Event(), threading.Event()
    syncs = []

    def slow_sync(ctxt):
        syncs.append(ctxt)
        if len(syncs) == 1:
            entered.set()
            release.wait(5)
    server._sync = slow_sync
    first = threading.Thread(target=server.refresh, args=('first',))
    first.start()
    entered.wait(5)
    for _ in range(5):
        server.refresh('later')  # returns at once: a sync is running
    release.set()
    first.join(5)
    # The running sync goes once more for all five.
    assert len(syncs) == 2


def test_a_gateway_is_required(tmp_path):
    with pytest.raises(linux_net.HostNetworkError) as info:
        flat_dhcp.DhcpServer(_conf(tmp_path, reserved_addresses=[]),
                             Conductor())
    assert 'reserved_addresses' in str(info.value)


def test_only_the_dhcp_host_runs_a_server_and_others_cast_to_it(tmp_path):
    conf = _conf(tmp_path, flat_dhcp_host='cmp1')
    compute_rpc = mock.Mock()
    api = network_api.FlatAPI(conf, Conductor(), compute_rpc=compute_rpc)
    assert api.dhcp_server('cmp2') is None
    assert isinstance(api.dhcp_server('cmp1'), flat_dhcp.DhcpServer)
    api.refresh_dhcp('ctxt')
    compute_rpc.refresh_flat_dhcp.assert_called_once_with('ctxt', 'cmp1')
    # No DHCP host: no cast at all.
    api = network_api.FlatAPI(_conf(tmp_path), Conductor(),
                              compute_rpc=compute_rpc)
    assert api.dhcp_server('cmp1') is None
    api.refresh_dhcp('ctxt')
    assert compute_rpc.refresh_flat_dhcp.call_count == 1
