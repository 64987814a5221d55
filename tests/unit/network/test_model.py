"""network_info's shape (nova.network.model) and the flat backend's VIF."""

from nova.network import api as network_api
from nova.network import flat
from nova.network import model

REQUEST = {'network': 'private', 'cidr': '10.0.0.0/24',
           'reserved': ['10.0.0.1', '10.0.0.2'], 'network_id': 'net-1',
           'bridge': 'br100'}
ROW = {'address': '10.0.0.7', 'mac_address': 'fa:16:3e:00:00:07'}


def test_flat_vif_has_upstreams_shape():
    (vif,) = flat.network_info(REQUEST, ROW)
    assert set(vif) == {'id', 'address', 'type', 'devname', 'active',
                        'vnic_type', 'details', 'network'}
    assert vif['address'] == ROW['mac_address']
    assert vif['devname'] == 'tap' + vif['id'][:11]
    assert vif['network'] == {
        'id': 'net-1', 'label': 'private', 'bridge': 'br100',
        'subnets': [{'cidr': '10.0.0.0/24', 'version': 4,
                     'gateway': {'address': '10.0.0.1', 'type': 'gateway',
                                 'version': 4},
                     'dns': [],
                     'ips': [{'address': '10.0.0.7', 'type': 'fixed',
                              'version': 4}]}]}


def test_the_vif_id_follows_from_the_network_and_the_mac():
    (one,) = flat.network_info(REQUEST, ROW)
    (again,) = flat.network_info(REQUEST, dict(ROW))
    (other,) = flat.network_info(REQUEST, dict(
        ROW, mac_address='fa:16:3e:00:00:08'))
    assert one['id'] == again['id'] != other['id']


def test_ips_and_first_address_walk_every_vif():
    v4 = model.vif('a', 'fa:16:3e:00:00:01', model.network(
        'n1', 'private', subnets=[model.subnet(
            '10.0.0.0/24', ips=[model.fixed_ip('10.0.0.5'),
                                model.fixed_ip('172.24.4.9', 'floating')])]))
    v6 = model.vif('b', 'fa:16:3e:00:00:02', model.network(
        'n2', 'public', subnets=[model.subnet(
            '2001:db8::/64', ips=[model.fixed_ip('2001:db8::5')])]))
    assert [(label, ip['address'], ip['type'], ip['version'], mac)
            for label, ip, mac in model.ips([v4, v6])] == [
        ('private', '10.0.0.5', 'fixed', 4, 'fa:16:3e:00:00:01'),
        ('private', '172.24.4.9', 'floating', 4, 'fa:16:3e:00:00:01'),
        ('public', '2001:db8::5', 'fixed', 6, 'fa:16:3e:00:00:02')]
    assert model.first_address([v4, v6]) == '10.0.0.5'
    assert model.first_address([]) is None
    assert list(model.ips(None)) == []


def test_the_flat_api_is_the_default_backend():
    class Conf:
        class network:
            backend = 'flat'
    api = network_api.API(Conf, conductor=None)
    assert isinstance(api, network_api.FlatAPI)
    assert api.shelved_address({'network_info': []}) == ''
    assert api.shelved_address({'network_info': None}) == ''
