"""The Neutron backend (nova.network.neutron) against the fake Neutron of
tests/fake_neutron.py, through a real keystoneauth session."""

from unittest import mock

from keystoneauth1 import session as ks_session
from oslo_config import cfg
import pytest

from nova import context as nova_context
from nova import exception
import nova.conf
from nova.network import api as network_api
from nova.network import neutron
from nova.network import neutron_client
from tests import fake_neutron

INSTANCE = '6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a0001'
USER_TOKEN = 'demo-token'


@pytest.fixture
def conf():
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    conf.set_override('backend', 'neutron', group='network')
    conf.set_override('endpoint_override', fake_neutron.ENDPOINT,
                      group='neutron')
    return conf


@pytest.fixture
def fake():
    return fake_neutron.FakeNeutron(tokens={USER_TOKEN: ('demo', False),
                                            'other-token': ('other',
                                                            False)})


@pytest.fixture
def api(conf, fake):
    session = ks_session.Session()
    fake_neutron.install(session, fake)
    return neutron.NeutronAPI(
        conf, mock.Mock(), client=neutron_client.Client(conf,
                                                        session=session))


@pytest.fixture
def ctxt():
    return nova_context.RequestContext(
        user_id='demo', project_id='demo', auth_token=USER_TOKEN,
        global_request_id='req-6c0e3a8e-1111-4222-8333-444455556666',
        overwrite=False)


def _instance(**values):
    instance = {'uuid': INSTANCE, 'project_id': 'demo',
                'availability_zone': 'az1', 'security_groups': ['default'],
                'network_info': []}
    instance.update(values)
    return instance


def _allocate(api, ctxt, requested, host='host1', **values):
    return api.allocate_for_instance(ctxt, INSTANCE, requested, host=host,
                                     instance=_instance(**values))


def test_the_config_chooses_the_backend(conf):
    assert isinstance(network_api.API(conf, mock.Mock()),
                      neutron.NeutronAPI)
    assert conf.neutron.service_type == 'network'
    assert conf.neutron.valid_interfaces == ['internal', 'public']


# -- the API's checks -------------------------------------------------------

def test_an_unknown_network_is_a_400_naming_it(api, ctxt, fake):
    fake.add_network('private')
    missing = '0b4ff1c1-52f3-4c8e-8d1b-0f8f2f7a0c11'
    with pytest.raises(exception.Invalid) as raised:
        api.validate_networks(ctxt, [{'uuid': missing}], 1)
    assert raised.value.code == 400
    assert raised.value.format_message() == (
        'Network %s could not be found.' % missing)
    with pytest.raises(exception.Invalid) as raised:
        api.validate_networks(ctxt, [{'uuid': 'private'}], 1)
    assert 'not in proper format' in raised.value.format_message()


def test_another_projects_private_network_is_unknown(api, ctxt, fake):
    theirs = fake.add_network('theirs', project_id='other')
    with pytest.raises(exception.Invalid) as raised:
        api.validate_networks(ctxt, [{'uuid': theirs['id']}], 1)
    assert raised.value.format_message() == (
        'Network %s could not be found.' % theirs['id'])


def test_networks_are_validated_into_the_builds_requests(api, ctxt, fake):
    one, two = fake.add_network('one'), fake.add_network(
        'two', shared=True, project_id='admin', cidr='10.2.0.0/24')
    port = fake.add_port(one['id'])
    assert api.validate_networks(ctxt, [
        {'uuid': two['id'], 'fixed_ip': '10.2.0.9', 'tag': 'eth0'},
        {'port': port['id']}], 1) == [
        {'network_id': two['id'], 'port_id': None, 'fixed_ip': '10.2.0.9',
         'tag': 'eth0'},
        {'network_id': one['id'], 'port_id': port['id'], 'fixed_ip': None,
         'tag': None}]
    assert api.validate_networks(ctxt, 'none', 1) == 'none'
    assert api.validate_networks(ctxt, [], 1) == 'none'


def test_ports_unknown_in_use_or_for_several_instances(api, ctxt, fake):
    network = fake.add_network('private')
    missing = '8e0c5a55-0000-4f1e-9a0b-000000000001'
    with pytest.raises(exception.Invalid) as raised:
        api.validate_networks(ctxt, [{'port': missing}], 1)
    assert raised.value.code == 400
    assert raised.value.format_message() == (
        'Port id %s could not be found.' % missing)
    used = fake.add_port(network['id'], device_id='another-server')
    with pytest.raises(exception.PortInUse) as raised:
        api.validate_networks(ctxt, [{'port': used['id']}], 1)
    assert raised.value.code == 409
    free = fake.add_port(network['id'])
    with pytest.raises(exception.Invalid) as raised:
        api.validate_networks(ctxt, [{'port': free['id']}], 2)
    assert 'single configured port ID' in raised.value.format_message()


def test_auto_needs_exactly_one_network(api, ctxt, fake):
    # None (before 2.37) with no network: a server without NICs.
    assert api.validate_networks(ctxt, None, 1) == 'auto'
    with pytest.raises(exception.UnableToAutoAllocateNetwork) as raised:
        api.validate_networks(ctxt, 'auto', 1)
    assert raised.value.code == 400
    fake.add_network('shared', project_id='admin', shared=True)
    assert api.validate_networks(ctxt, 'auto', 1) == 'auto'
    fake.add_network('mine', cidr='10.3.0.0/24')
    with pytest.raises(exception.NetworkAmbiguous) as raised:
        api.validate_networks(ctxt, 'auto', 1)
    assert raised.value.code == 409
    assert raised.value.format_message() == (
        'Multiple possible networks found, use a Network ID to be more '
        'specific.')


def test_a_network_without_subnet_and_a_fixed_ip_in_use(api, ctxt, fake):
    bare = fake.add_network('bare', subnet=False)
    with pytest.raises(exception.NetworkRequiresSubnet):
        api.validate_networks(ctxt, [{'uuid': bare['id']}], 1)
    network = fake.add_network('private')
    fake.add_port(network['id'], device_id='x',
                  fixed_ips=[{'ip_address': '10.1.0.50'}])
    with pytest.raises(exception.FixedIpAlreadyInUse) as raised:
        api.validate_networks(ctxt, [{'uuid': network['id'],
                                      'fixed_ip': '10.1.0.50'}], 1)
    assert raised.value.code == 400
    with pytest.raises(exception.Invalid):
        api.validate_networks(ctxt, [{'uuid': network['id'],
                                      'fixed_ip': '10.1.0.51'}], 2)


# -- allocate ---------------------------------------------------------------

def test_auto_creates_and_binds_a_port_on_the_only_network(api, ctxt, fake):
    network = fake.add_network('private')
    (vif,) = _allocate(api, ctxt, 'auto')
    (port,) = fake.ports.values()
    assert port['device_id'] == INSTANCE
    assert port['device_owner'] == 'compute:az1'
    assert port['binding:host_id'] == 'host1'
    assert port['project_id'] == 'demo'
    # Neutron gave the project's default group.
    (group,) = [g for g in fake.security_groups.values()
                if g['project_id'] == 'demo']
    assert port['security_groups'] == [group['id']]
    (subnet,) = fake.subnets.values()
    ip = port['fixed_ips'][0]['ip_address']
    assert vif == {
        'id': port['id'], 'address': port['mac_address'], 'type': 'ovs',
        'devname': ('tap' + port['id'])[:14], 'active': False,
        'vnic_type': 'normal', 'details': fake_neutron.OVN_VIF_DETAILS,
        'network': {
            'id': network['id'], 'label': 'private', 'bridge': 'br-int',
            'mtu': 1442,
            'subnets': [{'cidr': '10.1.0.0/24', 'version': 4,
                         'gateway': {'address': subnet['gateway_ip'],
                                     'type': 'gateway', 'version': 4},
                         'dns': [{'address': '10.1.0.2', 'type': 'dns',
                                  'version': 4}],
                         'ips': [{'address': ip, 'type': 'fixed',
                                  'version': 4}]}]}}


def test_the_port_is_made_as_the_user_and_bound_as_nova(api, ctxt, fake):
    fake.add_network('private')
    _allocate(api, ctxt, 'auto')
    (post,) = fake.calls('POST', '/v2.0/ports')
    (put,) = fake.calls('PUT', '/v2.0/ports/')
    assert post[3]['X-Auth-Token'] == USER_TOKEN
    # No [neutron] auth_type: nova's own calls carry no token (a Neutron
    # without Keystone); the user could not set binding:host_id.
    assert 'X-Auth-Token' not in put[3]
    for _method, _path, _query, headers in fake.requests:
        assert headers['X-OpenStack-Request-ID'] == ctxt.global_id


def test_explicit_networks_make_a_port_each_in_order(api, ctxt, fake):
    one = fake.add_network('one')
    two = fake.add_network('two', cidr='10.2.0.0/24')
    vifs = _allocate(api, ctxt, [
        {'network_id': two['id'], 'fixed_ip': '10.2.0.77'},
        {'network_id': one['id']}])
    assert [v['network']['label'] for v in vifs] == ['two', 'one']
    assert vifs[0]['network']['subnets'][0]['ips'][0]['address'] == \
        '10.2.0.77'
    assert not any(v.get('preserve_on_delete') for v in vifs)


def test_a_given_port_is_bound_and_preserved(api, ctxt, fake):
    network = fake.add_network('private')
    port = fake.add_port(network['id'])
    (vif,) = _allocate(api, ctxt, [{'network_id': network['id'],
                                    'port_id': port['id']}])
    assert vif['id'] == port['id'] and vif['preserve_on_delete'] is True
    assert fake.ports[port['id']]['device_id'] == INSTANCE
    assert fake.ports[port['id']]['binding:host_id'] == 'host1'
    assert fake.calls('POST') == []


def test_none_allocates_nothing_and_auto_without_network_too(api, ctxt,
                                                             fake):
    assert _allocate(api, ctxt, 'none') == []
    assert _allocate(api, ctxt, 'auto') == []
    assert fake.ports == {}


def test_named_security_groups_are_given_to_the_port(api, ctxt, fake):
    network = fake.add_network('private')
    web = fake.add_security_group('demo', 'web')
    (vif,) = _allocate(api, ctxt, [{'network_id': network['id']}],
                       security_groups=['web'])
    assert fake.ports[vif['id']]['security_groups'] == [web['id']]
    with pytest.raises(exception.SecurityGroupNotFound):
        _allocate(api, ctxt, [{'network_id': network['id']}],
                  security_groups=['nope'])


def test_a_failed_allocation_gives_back_what_it_took(api, ctxt, fake):
    network = fake.add_network('private')
    given = fake.add_port(network['id'])
    fake.add_port(network['id'], device_id='x',
                  fixed_ips=[{'ip_address': '10.1.0.99'}])
    with pytest.raises(exception.Conflict):
        _allocate(api, ctxt, [
            {'network_id': network['id']},
            {'network_id': network['id'], 'port_id': given['id']},
            {'network_id': network['id'], 'fixed_ip': '10.1.0.99'}])
    # The port created first is gone, the given one unbound again.
    assert set(fake.ports) == {given['id']} | {
        p['id'] for p in fake.ports.values() if p['device_id'] == 'x'}
    assert fake.ports[given['id']]['device_id'] == ''
    assert fake.ports[given['id']]['binding:host_id'] == ''


def test_a_port_whose_binding_failed_fails_the_allocation(api, ctxt, fake):
    network = fake.add_network('private')
    fake.vif_details = {}
    with mock.patch.object(fake, '_bind', side_effect=lambda port, host: (
            port.update({'binding:host_id': host or '',
                         'binding:vif_type': 'binding_failed',
                         'binding:vif_details': {}}))):
        with pytest.raises(exception.PortBindingFailed):
            _allocate(api, ctxt, [{'network_id': network['id']}])
    assert fake.ports == {}


# -- deallocate, moves --------------------------------------------------

def test_deallocate_deletes_novas_ports_and_unbinds_the_users(api, ctxt,
                                                              fake):
    network = fake.add_network('private')
    given = fake.add_port(network['id'])
    network_info = _allocate(api, ctxt, [
        {'network_id': network['id']},
        {'network_id': network['id'], 'port_id': given['id']}])
    api.conductor.instance_get.return_value = _instance(
        network_info=network_info)
    ports = api.deallocate_for_instance(ctxt, INSTANCE)
    assert sorted(ports) == sorted(v['id'] for v in network_info)
    assert list(fake.ports) == [given['id']]
    port = fake.ports[given['id']]
    assert (port['device_id'], port['device_owner'],
            port['binding:host_id'], port['binding:vif_type']) == (
        '', '', '', 'unbound')


def test_deallocate_takes_the_network_info_it_is_given(api, ctxt, fake):
    network = fake.add_network('private')
    given = fake.add_port(network['id'])
    network_info = _allocate(api, ctxt, [
        {'network_id': network['id'], 'port_id': given['id']}])
    # The instance is gone already (a build's clean-up).
    api.conductor.instance_get.side_effect = exception.InstanceNotFound(
        instance_id=INSTANCE)
    api.deallocate_for_instance(ctxt, INSTANCE, network_info=network_info)
    assert fake.ports[given['id']]['device_id'] == ''


def test_a_move_binds_the_ports_to_the_destination(api, ctxt, fake):
    one = fake.add_network('one')
    two = fake.add_network('two', cidr='10.2.0.0/24')
    given = fake.add_port(two['id'])
    network_info = _allocate(api, ctxt, [
        {'network_id': two['id'], 'port_id': given['id']},
        {'network_id': one['id']}])
    fake.plugged([v['id'] for v in network_info], 'host1')
    moved = api.setup_instance_network_on_host(
        ctxt, _instance(network_info=network_info), 'host2')
    assert [v['id'] for v in moved] == [v['id'] for v in network_info]
    assert [p['binding:host_id'] for p in fake.ports.values()] == \
        ['host2', 'host2']
    # Down until plugged there; the user's port still the user's.
    assert [v['active'] for v in moved] == [False, False]
    assert moved[0]['preserve_on_delete'] is True
    # Already there: nothing to update.
    fake.requests.clear()
    api.setup_instance_network_on_host(
        ctxt, _instance(network_info=moved), 'host2')
    assert fake.calls('PUT') == []


def test_a_shelve_offload_unbinds_and_keeps_the_ports(api, ctxt, fake):
    network = fake.add_network('private')
    network_info = _allocate(api, ctxt, [{'network_id': network['id']}])
    kept = api.cleanup_instance_network_on_host(
        ctxt, _instance(network_info=network_info), 'host1')
    (port,) = fake.ports.values()
    assert port['device_id'] == INSTANCE
    assert port['binding:host_id'] == ''
    assert [v['id'] for v in kept] == [port['id']]
    assert kept[0]['type'] == 'unbound'
    back = api.setup_instance_network_on_host(
        ctxt, _instance(network_info=kept), 'host3')
    assert back[0]['type'] == 'ovs' and port['binding:host_id'] == 'host3'
    assert back[0]['address'] == network_info[0]['address']


# -- errors, endpoint ------------------------------------------------------

def test_neutron_errors_become_novas(api, ctxt, fake):
    with mock.patch.object(fake, '_handle', side_effect=RuntimeError):
        with pytest.raises(exception.NeutronError) as raised:
            api.client.list_networks(ctxt)
    assert 'HTTP 500' in raised.value.format_message()
    with pytest.raises(exception.NetworkNotFound):
        api.get(ctxt, 'nope')
    bad = nova_context.RequestContext(user_id='x', project_id='x',
                                      auth_token='expired')
    with pytest.raises(exception.NotAuthenticated):
        api.client.list_ports(bad)


def test_no_endpoint_without_override_or_credentials(conf):
    conf.clear_override('endpoint_override', group='neutron')
    client = neutron_client.Client(conf, session=ks_session.Session())
    with pytest.raises(exception.NeutronError) as raised:
        client.list_networks(nova_context.get_admin_context())
    assert 'endpoint_override' in raised.value.format_message()


def test_the_endpoint_is_looked_up_in_novas_catalog(conf, fake):
    conf.clear_override('endpoint_override', group='neutron')
    conf.set_override('region_name', 'RegionTwo', group='neutron')
    session = ks_session.Session()
    fake_neutron.install(session, fake)
    plugin = mock.Mock()
    plugin.get_endpoint.return_value = fake_neutron.ENDPOINT + '/v2.0/'
    with mock.patch('nova.service_auth.get_conf_auth_plugin',
                    return_value=plugin):
        client = neutron_client.Client(conf, session=session)
        assert client.endpoint() == fake_neutron.ENDPOINT
    kwargs = plugin.get_endpoint.call_args.kwargs
    assert kwargs['service_type'] == 'network'
    assert kwargs['interface'] == ['internal', 'public']
    assert kwargs['region_name'] == 'RegionTwo'


# -- networks and security groups -----------------------------------------

def test_os_networks_shows_the_projects_networks(api, ctxt, fake):
    network = fake.add_network('private', dns=('8.8.8.8', '1.1.1.1'))
    fake.add_network('theirs', project_id='other')
    (shown,) = api.get_all(ctxt)
    assert shown['id'] == network['id'] and shown['label'] == 'private'
    assert shown['cidr'] == '10.1.0.0/24'
    assert (shown['dns1'], shown['dns2']) == ('8.8.8.8', '1.1.1.1')
    assert api.get(ctxt, network['id']) == shown


def test_security_groups_in_novas_shape(api, ctxt, fake):
    fake.add_security_group('demo', 'web', rules=[
        {'protocol': 'tcp', 'port_range_min': 80, 'port_range_max': 80,
         'remote_ip_prefix': '0.0.0.0/0'},
        {'protocol': 'icmp'},
        {'direction': 'egress', 'protocol': 'tcp'}])
    groups = {g['name']: g for g in api.security_groups(ctxt, 'demo')}
    assert set(groups) == {'default', 'web'}
    web = groups['web']
    assert web['tenant_id'] == 'demo'
    assert [(r['ip_protocol'], r['from_port'], r['to_port'], r['ip_range'])
            for r in web['rules']] == [
        ('tcp', 80, 80, {'cidr': '0.0.0.0/0'}), ('icmp', -1, -1, {})]
    # The default group's ingress rules name the group itself.
    assert [r['group'] for r in groups['default']['rules']] == [
        {'name': 'default', 'tenant_id': 'demo'}] * 2
    api.validate_security_groups(ctxt, 'demo', ['default', web['id']])
    with pytest.raises(exception.SecurityGroupNotFound):
        api.validate_security_groups(ctxt, 'demo', ['db'])


def test_adding_and_removing_a_group_changes_every_port(api, ctxt, fake):
    one = fake.add_network('one')
    two = fake.add_network('two', cidr='10.2.0.0/24')
    web = fake.add_security_group('demo', 'web')
    network_info = _allocate(api, ctxt, [{'network_id': one['id']},
                                         {'network_id': two['id']}])
    instance = _instance(network_info=network_info)
    api.add_to_instance(ctxt, instance, 'web')
    assert all(web['id'] in p['security_groups']
               for p in fake.ports.values())
    api.conductor.instance_update.assert_called_once_with(
        ctxt, INSTANCE, {'security_groups': ['default', 'web']})
    assert sorted(g['name'] for g in api.instance_security_groups(
        ctxt, instance)) == ['default', 'web']
    instance['security_groups'] = ['default', 'web']
    api.remove_from_instance(ctxt, instance, web['id'])
    assert not any(web['id'] in p['security_groups']
                   for p in fake.ports.values())
    assert api.conductor.instance_update.call_args.args[2] == {
        'security_groups': ['default']}
    instance['security_groups'] = ['default']
    with pytest.raises(exception.SecurityGroupNotOnInstance):
        api.remove_from_instance(ctxt, instance, 'web')
    with pytest.raises(exception.SecurityGroupNotFoundForProject):
        api.add_to_instance(ctxt, instance, 'db')


def test_network_info_is_read_again_from_the_ports(api, ctxt, fake):
    network = fake.add_network('private')
    given = fake.add_port(network['id'])
    network_info = _allocate(api, ctxt, [
        {'network_id': network['id']},
        {'network_id': network['id'], 'port_id': given['id']}])
    fake.plugged([v['id'] for v in network_info], 'host1')
    fake.ports[given['id']]['fixed_ips'][0]['ip_address'] = '10.1.0.200'
    now = api.get_instance_nw_info(ctxt, _instance(
        network_info=network_info))
    assert [v['id'] for v in now] == [v['id'] for v in network_info]
    assert [v['active'] for v in now] == [True, True]
    assert now[1]['network']['subnets'][0]['ips'][0]['address'] == \
        '10.1.0.200'
    assert now[1]['preserve_on_delete'] is True


# -- who the calls are made as --------------------------------------------

class _AnyToken(dict):
    """Every token is a project's (the fake Keystone issued them)."""

    def __contains__(self, token):
        return True

    def __missing__(self, token):
        return ('service', True)


def test_user_calls_carry_the_service_token_and_novas_its_own_user(
        tmp_path, fake):
    from nova import service_auth
    from tests.unit.image import fakes as image_fakes
    keystone = image_fakes.FakeKeystone({'nova': 'nova-secret',
                                         'neutron-nova': 'nn-secret'})
    keystone.start()
    try:
        def password(user):
            return ('auth_type = v3password\nauth_url = %s/v3\n'
                    'username = %s\npassword = %s-secret\n'
                    'user_domain_name = Default\nproject_name = service\n'
                    'project_domain_name = Default\n' % (
                        keystone.url, user,
                        'nn' if user == 'neutron-nova' else user))
        path = tmp_path / 'nova.conf'
        path.write_text(
            '[neutron]\nendpoint_override = %s\n%s'
            '[service_user]\nsend_service_user_token = true\n%s' % (
                fake_neutron.ENDPOINT, password('neutron-nova'),
                password('nova')))
        conf = cfg.ConfigOpts()
        nova.conf.register_opts(conf)
        conf(['--config-file', str(path)], default_config_files=[])
        fake.tokens = _AnyToken()
        fake_neutron.install(service_auth.get_session('neutron', conf=conf),
                             fake)
        fake.add_network('private')
        api = neutron.NeutronAPI(conf, mock.Mock())
        user = nova_context.RequestContext(
            user_id='demo', project_id='demo', auth_token=USER_TOKEN,
            overwrite=False)
        _allocate(api, user, 'auto')
        api.get_all(nova_context.get_admin_context())
    finally:
        keystone.stop()
    service, own = (next(t for t in keystone.tokens if t.endswith(user))
                    for user in ('-nova', '-neutron-nova'))
    (post,) = fake.calls('POST', '/v2.0/ports')
    assert (post[3]['X-Auth-Token'], post[3]['X-Service-Token']) == (
        USER_TOKEN, service)
    # Binding: nova's [neutron] user, alone.
    (put,) = fake.calls('PUT', '/v2.0/ports/')
    assert put[3]['X-Auth-Token'] == own and 'X-Service-Token' not in put[3]
    # A context without a token (a periodic task): nova's user too.
    last = fake.requests[-1]
    assert last[1] == '/v2.0/networks' or last[1] == '/v2.0/subnets'
    assert last[3]['X-Auth-Token'] == own
