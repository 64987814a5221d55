"""Guest NICs from network_info (nova.virt.libvirt.vif)."""

from unittest import mock
from xml.etree import ElementTree as ET

import pytest

from nova.network import linux_net
from nova.network import model
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import vif


class Conf:
    class network:
        flat_bridge = 'br100'
        flat_interface = None
        ovsdb_connection = None

    class neutron:
        ovs_bridge = 'br-int'


def _vif(vif_id='0123456789abcdef', bridge='brflat', vif_type='bridge'):
    return model.vif(vif_id, 'fa:16:3e:00:00:01', model.network(
        'net-1', 'private', bridge=bridge, subnets=[model.subnet(
            '10.0.0.0/24', ips=[model.fixed_ip('10.0.0.5')])]),
        vif_type=vif_type)


def test_a_bridge_vif_is_a_nic_with_its_mac_bridge_and_tap():
    assert vif.interfaces([_vif()], Conf) == [guest_xml.Interface(
        mac='fa:16:3e:00:00:01', bridge='brflat', target='tap0123456789a')]
    assert vif.interfaces(None, Conf) == []


def test_a_vif_without_a_bridge_is_on_the_hosts_flat_bridge():
    # Rows converted by migration 0005 did not record the bridge.
    (nic,) = vif.interfaces([_vif(bridge=None)], Conf)
    assert nic.bridge == 'br100'


def test_plug_makes_each_bridge_once():
    with mock.patch('nova.network.linux_net.ensure_bridge') as ensure:
        vif.plug([_vif('a' * 16), _vif('b' * 16), _vif(bridge='br2')], Conf)
    assert ensure.call_args_list == [mock.call('br2', None),
                                     mock.call('brflat', None)]


def test_an_unknown_vif_type_is_refused_with_what_is_supported():
    with pytest.raises(vif.UnsupportedVifType) as info:
        vif.interfaces([_vif(vif_type='vhostuser')], Conf)
    assert 'type vhostuser' in str(info.value)
    assert 'bridge, ovs' in str(info.value)
    with mock.patch('nova.network.linux_net.ensure_bridge') as ensure, \
            pytest.raises(vif.UnsupportedVifType):
        vif.plug([_vif(), _vif(vif_type='vhostuser')], Conf)
    ensure.assert_not_called()


# -- Neutron's ovs VIFs ---------------------------------------------------

PORT = '9a3c7f2e-5b1d-4c8a-b6e0-1f2d3c4b5a69'
INSTANCE = '6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a0001'
# What ML2/OVN on the userspace datapath answers (FINDINGS 2.4).
OVN_DETAILS = {'port_filter': True, 'connectivity': 'l2',
               'ovs_create_tap': True, 'bridge_name': 'br-int',
               'datapath_type': 'netdev'}


def _ovs_vif(details=OVN_DETAILS, bridge='br-int', mtu=None):
    vif_ = model.vif(PORT, 'fa:16:3e:12:34:56', model.network(
        'net-1', 'private', bridge=bridge, subnets=[model.subnet(
            '10.1.0.0/24', ips=[model.fixed_ip('10.1.0.5')])]),
        vif_type='ovs', details=dict(details), active=False)
    if mtu:
        vif_['network']['mtu'] = mtu
    return vif_


def _nic(xml):
    return ET.fromstring(xml).find('devices/interface')


def _spec(nics):
    return guest_xml.GuestSpec(
        name='instance-00000001', uuid=INSTANCE, virt_type='qemu',
        memory_mb=64, vcpus=1, disks=[], console_log='/dev/null',
        interfaces=nics)


def test_an_ovs_vif_with_ovs_create_tap_is_an_unmanaged_ethernet_nic():
    nics = vif.interfaces([_ovs_vif()], Conf)
    xml = guest_xml.to_xml(_spec(nics))
    nic = _nic(xml)
    assert nic.get('type') == 'ethernet'
    assert nic.find('mac').get('address') == 'fa:16:3e:12:34:56'
    assert nic.find('target').attrib == {'dev': 'tap9a3c7f2e-5b',
                                         'managed': 'no'}
    assert nic.find('model').get('type') == 'virtio'
    # No bridge, no virtualport: nova plugged the tap, libvirt leaves it.
    assert nic.find('source') is None and nic.find('virtualport') is None
    assert guest_xml.unmanaged_taps(xml) == ['tap9a3c7f2e-5b']
    assert guest_xml.interfaces(xml) == [
        ('fa:16:3e:12:34:56', None, 'tap9a3c7f2e-5b')]


def test_an_ovs_vif_without_ovs_create_tap_is_an_openvswitch_virtualport():
    details = dict(OVN_DETAILS, ovs_create_tap=False)
    xml = guest_xml.to_xml(_spec(vif.interfaces([_ovs_vif(details)], Conf)))
    nic = _nic(xml)
    assert nic.get('type') == 'bridge'
    assert nic.find('source').get('bridge') == 'br-int'
    port = nic.find('virtualport')
    assert port.get('type') == 'openvswitch'
    assert port.find('parameters').get('interfaceid') == PORT
    assert nic.find('target').get('dev') == 'tap9a3c7f2e-5b'
    assert nic.find('mac').get('address') == 'fa:16:3e:12:34:56'
    # libvirt's own tap: nothing for nova to unplug.
    assert guest_xml.unmanaged_taps(xml) == []


def test_the_ovs_bridge_comes_from_the_vif_then_the_details_then_conf():
    (nic,) = vif.interfaces([_ovs_vif(dict(OVN_DETAILS, ovs_create_tap=False,
                                           bridge_name='br-x'),
                                      bridge=None)], Conf)
    assert nic.bridge == 'br-x'
    (nic,) = vif.interfaces([_ovs_vif({}, bridge=None)], Conf)
    assert nic.bridge == 'br-int' and nic.ovs_interfaceid == PORT


def _run_recorder(missing=('br-int',)):
    """linux_net._run, recording each command; br-exists fails for the
    bridges in missing."""
    calls = []

    def run(*cmd, check_exit_code=True):
        calls.append(cmd)
        if 'br-exists' in cmd and cmd[-1] in missing:
            raise linux_net.HostNetworkError(reason='exit 2')
        return '', ''
    return calls, run


def test_plugging_an_ovs_vif_makes_the_tap_and_the_ovs_port():
    calls, run = _run_recorder(missing=())
    with mock.patch.object(linux_net, '_run', side_effect=run), \
            mock.patch.object(linux_net, 'device_exists',
                              return_value=False):
        vif.plug([_ovs_vif(mtu=1442)], Conf, instance_uuid=INSTANCE)
    assert calls == [
        ('ovs-vsctl', '--timeout=120', 'br-exists', 'br-int'),
        ('ip', 'tuntap', 'add', 'dev', 'tap9a3c7f2e-5b', 'mode', 'tap'),
        ('ip', 'link', 'set', 'tap9a3c7f2e-5b', 'mtu', '1442'),
        ('ip', 'link', 'set', 'tap9a3c7f2e-5b', 'up'),
        ('ovs-vsctl', '--timeout=120', '--', '--may-exist', 'add-port',
         'br-int', 'tap9a3c7f2e-5b', '--', 'set', 'Interface',
         'tap9a3c7f2e-5b', 'external_ids:iface-id=' + PORT,
         'external_ids:iface-status=active',
         'external_ids:attached-mac=fa:16:3e:12:34:56',
         'external_ids:vm-uuid=' + INSTANCE)]


def test_a_missing_bridge_is_made_with_the_datapath_type_and_the_db():
    class DbConf(Conf):
        class network(Conf.network):
            ovsdb_connection = 'unix:/run/ovs/db.sock'
    calls, run = _run_recorder()
    with mock.patch.object(linux_net, '_run', side_effect=run), \
            mock.patch.object(linux_net, 'device_exists',
                              return_value=True):
        vif.plug([_ovs_vif()], DbConf, instance_uuid=INSTANCE)
    db = '--db=unix:/run/ovs/db.sock'
    assert calls[:2] == [
        ('ovs-vsctl', '--timeout=120', db, 'br-exists', 'br-int'),
        ('ovs-vsctl', '--timeout=120', db, '--', '--may-exist', 'add-br',
         'br-int', '--', 'set', 'Bridge', 'br-int',
         'datapath_type=netdev')]
    # The tap exists already (a restart): only set up, then the port.
    assert calls[2] == ('ip', 'link', 'set', 'tap9a3c7f2e-5b', 'up')
    assert calls[3][:4] == ('ovs-vsctl', '--timeout=120', db, '--')
    assert len(calls) == 4


def test_an_ovs_vif_libvirt_plugs_needs_no_command():
    with mock.patch.object(linux_net, '_run') as run:
        vif.plug([_ovs_vif(dict(OVN_DETAILS, ovs_create_tap=False))], Conf,
                 instance_uuid=INSTANCE)
        vif.unplug([_ovs_vif(dict(OVN_DETAILS, ovs_create_tap=False))],
                   Conf)
    run.assert_not_called()


def test_unplug_removes_the_ovs_port_and_the_tap():
    calls, run = _run_recorder()
    with mock.patch.object(linux_net, '_run', side_effect=run), \
            mock.patch.object(linux_net, 'device_exists',
                              return_value=True):
        vif.unplug([_ovs_vif(), _vif()], Conf)
    assert calls == [
        ('ovs-vsctl', '--timeout=120', '--', '--if-exists', 'del-port',
         'br-int', 'tap9a3c7f2e-5b'),
        ('ip', 'link', 'delete', 'tap9a3c7f2e-5b')]
