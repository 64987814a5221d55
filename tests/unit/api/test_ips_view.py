"""nova.api.views.ips: network_info as /servers/{id}/ips shows it."""

from nova.api.views import ips
from nova.network import model


def _vif(label, *addresses, ip_type='fixed', mac='fa:16:3e:00:00:01'):
    subnet = model.subnet(None, ips=[model.fixed_ip(a, ip_type)
                                     for a in addresses])
    return model.vif('port-' + mac[-2:], mac,
                     model.network('net', label, subnets=[subnet]))


def test_addr_and_version_only_by_label():
    info = [_vif('public', '10.0.0.5'),
            _vif('private', 'fd00::5', mac='fa:16:3e:00:00:02')]
    assert ips.networks(info) == {
        'public': [{'addr': '10.0.0.5', 'version': 4}],
        'private': [{'addr': 'fd00::5', 'version': 6}]}


def test_a_labels_fixed_addresses_come_before_its_floating_ones():
    info = [_vif('public', '172.24.4.9', ip_type='floating'),
            _vif('public', '10.0.0.5', mac='fa:16:3e:00:00:02')]
    assert ips.networks(info) == {'public': [
        {'addr': '10.0.0.5', 'version': 4},
        {'addr': '172.24.4.9', 'version': 4}]}


def test_no_network_info_no_addresses():
    assert ips.networks(None) == {}
    assert ips.networks([]) == {}
    assert ips.collection({}) == {'addresses': {}}


def test_a_network_without_a_label_is_private_as_in_the_servers_view():
    assert ips.networks([_vif(None, '10.0.0.5')]) == {
        'private': [{'addr': '10.0.0.5', 'version': 4}]}
