"""Guest NICs from network_info (nova.virt.libvirt.vif)."""

from unittest import mock

import pytest

from nova.network import model
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import vif


class Conf:
    class network:
        flat_bridge = 'br100'
        flat_interface = None


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


def test_an_ovs_vif_is_refused_with_what_is_supported():
    with pytest.raises(vif.UnsupportedVifType) as info:
        vif.interfaces([_vif(vif_type='ovs')], Conf)
    assert 'type ovs' in str(info.value) and 'bridge' in str(info.value)
    with mock.patch('nova.network.linux_net.ensure_bridge') as ensure, \
            pytest.raises(vif.UnsupportedVifType):
        vif.plug([_vif(vif_type='ovs')], Conf)
    ensure.assert_not_called()
