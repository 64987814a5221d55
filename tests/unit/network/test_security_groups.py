"""The flat network's security groups: 'default' only, per project."""

from unittest import mock

import pytest

from nova.api import server_ops
from nova import exception
from nova.network import api as network_api


def _api():
    conf = mock.Mock()
    conf.network.backend = 'flat'
    return network_api.API(conf, mock.Mock())


def _instance(groups):
    return {'uuid': 'u1', 'project_id': 'p1', 'security_groups': groups}


def test_each_project_has_a_default_group_with_its_own_id():
    api = _api()
    (group,) = api.security_groups(None, 'p1')
    assert group['name'] == 'default' and group['rules'] == []
    assert group['tenant_id'] == 'p1'
    assert group['id'] == api.security_groups(None, 'p1')[0]['id']
    assert group['id'] != api.security_groups(None, 'p2')[0]['id']


def test_validate_names_the_unknown_group():
    api = _api()
    assert api.validate_security_groups(None, 'p1', ['default']) == [
        'default']
    with pytest.raises(exception.SecurityGroupNotFound) as raised:
        api.validate_security_groups(None, 'p1', ['default', 'web'])
    assert raised.value.format_message() == 'Security group web not found.'


def test_validate_takes_an_id_for_its_name():
    # The client resolves `--security-group default` to the id the
    # Networking API showed; the instance keeps the name.
    api = _api()
    (group,) = api.security_groups(None, 'p1')
    assert api.validate_security_groups(None, 'p1', [group['id']]) == [
        'default']
    with pytest.raises(exception.SecurityGroupNotFound):
        api.validate_security_groups(
            None, 'p1', [api.security_groups(None, 'p2')[0]['id']])


def test_add_and_remove():
    api = _api()
    api.add_to_instance(None, _instance([]), 'default')
    api.conductor.instance_update.assert_called_once_with(
        None, 'u1', {'security_groups': ['default']})
    api.conductor.reset_mock()
    api.add_to_instance(None, _instance(['default']), 'default')
    api.conductor.instance_update.assert_not_called()
    # By id too.
    group_id = api.security_groups(None, 'p1')[0]['id']
    api.remove_from_instance(None, _instance(['default']), group_id)
    api.conductor.instance_update.assert_called_once_with(
        None, 'u1', {'security_groups': []})


def test_errors():
    api = _api()
    with pytest.raises(exception.SecurityGroupNotFoundForProject) as raised:
        api.add_to_instance(None, _instance([]), 'web')
    assert raised.value.code == 404
    assert raised.value.format_message() == (
        'Security group web is not found for project p1')
    with pytest.raises(exception.SecurityGroupNotOnInstance) as raised:
        api.remove_from_instance(None, _instance([]), 'default')
    assert raised.value.code == 400
    api.conductor.instance_update.assert_not_called()


@pytest.mark.parametrize('given,stored', [
    ('2001:0DB8:0000:0000::0001', '2001:db8::1'),
    ('::ffff:1', '::255.255.0.1'),
    ('fe80:0:0:0:0:0:0:1', 'fe80::1'),
    ('', ''), (None, None)])
def test_ipv6_in_netaddrs_form(given, stored):
    assert server_ops.normalize_ipv6(given) == stored
