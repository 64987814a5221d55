"""Server views against tempest's response schemas, per microversion.

Tempest's compute schemas (additionalProperties false, explicit required
lists) are the oracle: for every microversion we advertise, each view must
validate against the schema module tempest's own ServersClient would pick
for that microversion (its schema_versions_info table), with tempest's
validator class and format checker.
"""

import datetime
import hashlib
import json

from oslo_config import cfg
import pytest
from tempest.lib.common import jsonschema_validator
from tempest.lib.services.compute import base_compute_client
from tempest.lib.services.compute import servers_client

from nova.api import microversion
from nova.api.views import servers as views
from nova.api import wsgi
import nova.conf
from nova import context as nova_context
from nova.network import model as network_model

BASE = 'http://compute.example'
PROJECT = 'proj1'
ALL_VERSIONS = [(2, minor) for minor in
                range(microversion.MIN_VERSION[1],
                      microversion.MAX_VERSION[1] + 1)]



def _vif(vif_id, mac, label, cidr, ips):
    return network_model.vif(vif_id, mac, network_model.network(
        'net-' + label, label, 'br100', [network_model.subnet(cidr,
                                                             ips=ips)]))

def _conf(**overrides):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    for name, value in overrides.items():
        conf.set_override(name, value)
    return conf


CONF = _conf()


def _id(version):
    return '%d.%d' % version


# -- fixtures ----------------------------------------------------------------

def _req(version, admin=False, query='limit=3', conf=CONF):
    req = wsgi.Request.blank('%s/v2.1/servers/detail?%s' % (BASE, query))
    req.environ.update({
        'nova.conf': conf,
        'nova.api_version': microversion.APIVersion(*version),
        'nova.link_base': BASE + '/v2.1',
        'nova.link_base_bookmark': BASE,
        'nova.context': nova_context.RequestContext(
            user_id='user1', project_id=PROJECT,
            roles=['admin'] if admin else ['member']),
    })
    return req


def _flavor(**extra):
    flavor = {'flavorid': '42', 'name': 'm1.small', 'memory_mb': 512,
              'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0,
              'extra_specs': {'hw:cpu_policy': 'shared'}, 'is_public': True,
              'description': None}
    flavor.update(extra)
    return flavor


def _instance(**values):
    now = datetime.datetime(2026, 5, 1, 12, 0, 0, 123456)
    instance = {
        'id': 42, 'uuid': '11111111-2222-3333-4444-555555555555',
        'user_id': 'user1', 'project_id': PROJECT,
        'display_name': 'vm1', 'display_description': 'my server',
        'hostname': 'vm1', 'image_ref': '70a599e0-31e7-49b7-b260-868f441e862b',
        'kernel_id': None, 'ramdisk_id': None,
        'key_name': 'key1', 'key_data': 'ssh-rsa AAAA',
        'power_state': 1, 'vm_state': 'active', 'task_state': None,
        'memory_mb': 512, 'vcpus': 1, 'root_gb': 1, 'ephemeral_gb': 0,
        'flavor': _flavor(),
        'host': 'cmp1', 'node': 'cmp1.example', 'launched_on': 'cmp1',
        'launched_at': now, 'terminated_at': None,
        'availability_zone': 'nova', 'reservation_id': 'r-abcdef12',
        'launch_index': 0, 'locked': True, 'locked_by': 'owner',
        'user_data': 'IyEvYmluL3NoCmVjaG8gaGkK', 'config_drive': 'True',
        'access_ip_v4': '192.0.2.10', 'access_ip_v6': '2001:db8::10',
        'auto_disk_config': False, 'progress': 0,
        'root_device_name': '/dev/vda',
        'system_metadata': {'locked_reason': 'maintenance',
                            'image_os_distro': 'cirros'},
        'network_info': [
            _vif('port-1', 'fa:16:3e:00:00:01', 'private', '10.0.0.0/24',
                 [network_model.fixed_ip('10.0.0.5'),
                  network_model.fixed_ip('172.24.4.7', 'floating')]),
            _vif('port-2', 'fa:16:3e:00:00:02', 'public', '2001:db8::/64',
                 [network_model.fixed_ip('2001:db8::5')]),
        ],
        'security_groups': ['default'],
        'block_device_mapping': [], 'scheduler_hints': {},
        'tags': ['web', 'prod'],
        'created_at': now, 'updated_at': now + datetime.timedelta(minutes=1),
        'deleted_at': None, 'deleted': 0,
        'metadata': {'role': 'web'},
        'fault': None,
    }
    instance.update(values)
    # As the database writes it with network_info.
    instance['addresses'] = network_model.addresses(instance['network_info'])
    return instance


def _traceback_fault(code=500, details='Traceback (most recent call last)'):
    return {'code': code, 'message': 'No valid host was found.',
            'details': details,
            'created_at': datetime.datetime(2026, 5, 1, 12, 5, 0),
            'host': 'cmp1'}


def _samples():
    return {
        'active': _instance(),
        # Not scheduled yet: no host, no addresses, booted from volume,
        # and every nullable column null.
        'building': _instance(
            id=43, uuid='22222222-2222-3333-4444-555555555555',
            vm_state='building', task_state='scheduling', power_state=0,
            host=None, node=None, launched_on=None, launched_at=None,
            image_ref='', key_name=None, config_drive=None,
            availability_zone=None, access_ip_v4=None, access_ip_v6=None,
            display_description=None, security_groups=None, tags=None,
            system_metadata=None, locked=False, progress=None,
            user_data=None, root_device_name=None, reservation_id=None,
            launch_index=None, hostname=None, updated_at=None,
            flavor=_flavor(extra_specs=None, swap=None), metadata=None),
        'error': _instance(
            id=44, uuid='33333333-2222-3333-4444-555555555555',
            vm_state='error', task_state=None, power_state=0, host=None,
            node=None, locked=False, network_info=[],
            fault=_traceback_fault()),
        'deleted': _instance(
            id=45, uuid='44444444-2222-3333-4444-555555555555',
            vm_state='deleted', deleted=45, power_state=4,
            terminated_at=datetime.datetime(2026, 5, 2, 8, 0, 0),
            deleted_at=datetime.datetime(2026, 5, 2, 8, 0, 0),
            fault=_traceback_fault(code=400, details='bad volume')),
    }


# -- the oracle --------------------------------------------------------------

def _tempest_schemas(version, monkeypatch):
    """The servers schema module tempest's ServersClient uses for version."""
    monkeypatch.setattr(base_compute_client, 'COMPUTE_MICROVERSION',
                        _id(version))
    return base_compute_client.BaseComputeClient.get_schema(
        None, servers_client.ServersClient.schema_versions_info)


def _validate(schema, body):
    """Validate the body as a client would see it (after JSON)."""
    wire = json.loads(json.dumps(body))
    jsonschema_validator.JSONSCHEMA_VALIDATOR(
        schema['response_body'],
        format_checker=jsonschema_validator.FORMAT_CHECKER).validate(wire)
    for link in _all_links(wire):
        assert link['href'].startswith(BASE + '/'), link


def _all_links(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == 'links' or key == 'servers_links':
                yield from item
            else:
                yield from _all_links(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_links(item)


def _host_status(admin):
    return 'UP' if admin else None


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_show_matches_tempest(version, admin, monkeypatch):
    schemas = _tempest_schemas(version, monkeypatch)
    req = _req(version, admin)
    for instance in _samples().values():
        view = views.show(req, instance, show_admin_fields=admin,
                          host_status=_host_status(admin),
                          show_server_groups=True)
        _validate(schemas.get_server, {'server': view})


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_detail_list_matches_tempest(version, admin, monkeypatch):
    schemas = _tempest_schemas(version, monkeypatch)
    req = _req(version, admin)
    instances = list(_samples().values())

    def builder(req, instance):
        return views.detail(req, instance, show_admin_fields=admin,
                            host_status=_host_status(admin))

    full_page = views.collection(req, instances, builder, len(instances))
    assert 'servers_links' in full_page
    _validate(schemas.list_servers_detail, full_page)
    last_page = views.collection(req, instances, builder, 1000)
    assert 'servers_links' not in last_page
    _validate(schemas.list_servers_detail, last_page)


@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_basic_list_matches_tempest(version, monkeypatch):
    schemas = _tempest_schemas(version, monkeypatch)
    req = _req(version)
    instances = list(_samples().values())
    body = views.collection(req, instances, views.basic, len(instances))
    _validate(schemas.list_servers, body)
    _validate(schemas.list_servers,
              views.collection(req, [], views.basic, 3))


@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_create_matches_tempest(version, monkeypatch):
    # tempest validates create with the 2.1 schemas at every microversion.
    req = _req(version)
    for instance in _samples().values():
        _validate(servers_client.schema.create_server_with_admin_pass,
                  views.created(req, instance, 'Abcdefgh1234'))
        _validate(servers_client.schema.create_server,
                  views.created(req, instance, None))


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_update_matches_tempest(version, admin, monkeypatch):
    schemas = _tempest_schemas(version, monkeypatch)
    req = _req(version, admin)
    for instance in _samples().values():
        body = views.update_body(req, instance, show_admin_fields=admin,
                                 host_status=_host_status(admin))
        _validate(schemas.update_server, body)


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_rebuild_matches_tempest(version, admin, monkeypatch):
    schemas = _tempest_schemas(version, monkeypatch)
    req = _req(version, admin)
    for instance in _samples().values():
        kwargs = {'show_admin_fields': admin,
                  'host_status': _host_status(admin)}
        _validate(schemas.rebuild_server_with_admin_pass,
                  views.rebuild_body(req, instance, 'Abcdefgh1234',
                                     **kwargs))
        _validate(schemas.rebuild_server,
                  views.rebuild_body(req, instance, None, **kwargs))


def test_every_advertised_version_has_a_tempest_schema(monkeypatch):
    # get_schema raises JSONSchemaNotFound for a version no row covers.
    chosen = [_tempest_schemas(version, monkeypatch).__name__
              for version in ALL_VERSIONS]
    assert chosen[0].endswith('.v2_1.servers')
    assert all(name.endswith('.servers') for name in chosen)


# -- exact values ------------------------------------------------------------

@pytest.mark.parametrize('vm_state,task_state,deleted,expected', [
    ('active', None, 0, 'ACTIVE'),
    ('active', 'deleting', 0, 'ACTIVE'),
    ('active', 'rebooting_hard', 0, 'HARD_REBOOT'),
    ('active', 'resize_prep', 0, 'RESIZE'),
    ('stopped', 'rebuilding', 0, 'REBUILD'),
    ('stopped', 'rebooting_hard', 0, 'SHUTOFF'),
    ('resized', 'resize_reverting', 0, 'REVERT_RESIZE'),
    ('building', 'spawning', 0, 'BUILD'),
    ('error', None, 0, 'ERROR'),
    ('active', None, 7, 'DELETED'),
    ('bogus', None, 0, 'UNKNOWN'),
])
def test_status(vm_state, task_state, deleted, expected):
    instance = _instance(vm_state=vm_state, task_state=task_state,
                         deleted=deleted)
    assert views.show(_req((2, 1)), instance)['status'] == expected


def test_host_id_and_instance_name():
    samples = _samples()
    req = _req((2, 1), admin=True)
    view = views.show(req, samples['active'], show_admin_fields=True)
    assert view['hostId'] == hashlib.sha224(b'proj1cmp1').hexdigest()
    assert view['OS-EXT-SRV-ATTR:instance_name'] == 'instance-0000002a'
    assert views.show(req, samples['building'])['hostId'] == ''


def test_instance_name_follows_the_template():
    instance = _samples()['active']
    named = _req((2, 1), admin=True, conf=_conf(
        instance_name_template='lab1-%(uuid)s'))
    view = views.show(named, instance, show_admin_fields=True)
    assert view['OS-EXT-SRV-ATTR:instance_name'] == \
        'lab1-' + instance['uuid']


def test_basic_fields_and_formats():
    req = _req((2, 1))
    view = views.show(req, _samples()['active'])
    uuid = view['id']
    assert view['links'] == [
        {'rel': 'self', 'href': BASE + '/v2.1/servers/' + uuid},
        {'rel': 'bookmark', 'href': BASE + '/servers/' + uuid}]
    assert view['image'] == {
        'id': '70a599e0-31e7-49b7-b260-868f441e862b',
        'links': [{'rel': 'bookmark', 'href': BASE + '/images/'
                   '70a599e0-31e7-49b7-b260-868f441e862b'}]}
    assert view['created'] == '2026-05-01T12:00:00Z'
    assert view['updated'] == '2026-05-01T12:01:00Z'
    assert view['OS-SRV-USG:launched_at'] == '2026-05-01T12:00:00.123456'
    assert view['OS-SRV-USG:terminated_at'] is None
    assert view['config_drive'] == 'True'
    assert view['OS-DCF:diskConfig'] == 'MANUAL'
    assert view['security_groups'] == [{'name': 'default'}]
    assert view['os-extended-volumes:volumes_attached'] == []
    assert view['metadata'] == {'role': 'web'}
    assert view['addresses'] == {
        'private': [
            {'addr': '10.0.0.5', 'version': 4, 'OS-EXT-IPS:type': 'fixed',
             'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'},
            {'addr': '172.24.4.7', 'version': 4,
             'OS-EXT-IPS:type': 'floating',
             'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:01'}],
        'public': [
            {'addr': '2001:db8::5', 'version': 6, 'OS-EXT-IPS:type': 'fixed',
             'OS-EXT-IPS-MAC:mac_addr': 'fa:16:3e:00:00:02'}]}


def test_nulls_become_the_documented_empty_values():
    view = views.show(_req((2, 92)), _samples()['building'])
    assert view['image'] == ''
    assert view['addresses'] == {}
    assert view['accessIPv4'] == view['accessIPv6'] == ''
    assert view['config_drive'] == ''
    assert view['OS-EXT-AZ:availability_zone'] == ''
    assert view['key_name'] is None
    assert view['tags'] == []
    assert view['metadata'] == {}
    assert view['locked'] is False and view['locked_reason'] is None
    assert view['flavor']['extra_specs'] == {} and view['flavor']['swap'] == 0
    assert view['updated'] == view['created']
    assert 'security_groups' not in view


def test_flavor_is_a_link_before_2_47_and_embedded_from_it():
    instance = _samples()['active']
    assert views.show(_req((2, 46)), instance)['flavor'] == {
        'id': '42',
        'links': [{'rel': 'bookmark', 'href': BASE + '/flavors/42'}]}
    assert views.show(_req((2, 47)), instance)['flavor'] == {
        'vcpus': 1, 'ram': 512, 'disk': 1, 'ephemeral': 0, 'swap': 0,
        'original_name': 'm1.small',
        'extra_specs': {'hw:cpu_policy': 'shared'}}
    hidden = views.show(_req((2, 47)), instance, show_extra_specs=False)
    assert 'extra_specs' not in hidden['flavor']
    assert views.show(_req((2, 47)), _instance(flavor=None))['flavor'] == {}


def test_fault_only_in_error_or_deleted_and_details_for_admins_or_non_500():
    samples = _samples()
    req = _req((2, 1))
    fault = views.show(req, samples['error'])['fault']
    assert fault == {'code': 500, 'created': '2026-05-01T12:05:00Z',
                     'message': 'No valid host was found.'}
    admin_fault = views.show(req, samples['error'],
                             show_admin_fields=True)['fault']
    assert admin_fault['details'] == 'Traceback (most recent call last)'
    deleted = views.show(req, samples['deleted'])
    assert deleted['status'] == 'DELETED'
    assert deleted['fault']['details'] == 'bad volume'
    active = _instance(fault=_traceback_fault())
    assert 'fault' not in views.show(req, active)
    no_details = _instance(vm_state='error',
                           fault=_traceback_fault(code=400, details=None))
    assert 'details' not in views.show(req, no_details)['fault']


def test_progress_only_for_progress_statuses():
    req = _req((2, 1))
    samples = _samples()
    assert views.show(req, samples['active'])['progress'] == 0
    assert views.show(req, samples['building'])['progress'] == 0
    assert 'progress' not in views.show(req, samples['error'])
    assert 'progress' not in views.show(req, samples['deleted'])
    assert 'progress' not in views.show(req, _instance(vm_state='paused'))
    resized = _instance(vm_state='resized', progress=100)
    assert views.show(req, resized)['progress'] == 100


def _srv_attrs(view):
    return {k for k in view if k.startswith('OS-EXT-SRV-ATTR:')}


def test_admin_fields():
    instance = _samples()['active']
    base = {'OS-EXT-SRV-ATTR:host', 'OS-EXT-SRV-ATTR:hypervisor_hostname',
            'OS-EXT-SRV-ATTR:instance_name'}
    more = {'OS-EXT-SRV-ATTR:' + k for k in (
        'hostname', 'kernel_id', 'launch_index', 'ramdisk_id',
        'reservation_id', 'root_device_name', 'user_data')}
    for version in ((2, 1), (2, 2), (2, 89)):
        assert _srv_attrs(views.show(_req(version), instance)) == set()
    assert _srv_attrs(views.show(_req((2, 2)), instance,
                                 show_admin_fields=True)) == base
    admin = views.show(_req((2, 3)), instance, show_admin_fields=True)
    assert _srv_attrs(admin) == base | more
    assert admin['OS-EXT-SRV-ATTR:host'] == 'cmp1'
    assert admin['OS-EXT-SRV-ATTR:hypervisor_hostname'] == 'cmp1.example'
    assert admin['OS-EXT-SRV-ATTR:reservation_id'] == 'r-abcdef12'
    user = views.show(_req((2, 90)), instance)
    assert _srv_attrs(user) == {'OS-EXT-SRV-ATTR:hostname'}
    assert user['OS-EXT-SRV-ATTR:hostname'] == 'vm1'


def test_versioned_fields_appear_at_their_microversion():
    instance = _samples()['active']
    added = [((2, 9), 'locked', True), ((2, 19), 'description', 'my server'),
             ((2, 26), 'tags', ['web', 'prod']),
             ((2, 63), 'trusted_image_certificates', None),
             ((2, 73), 'locked_reason', 'maintenance')]
    for version, key, value in added:
        before = (version[0], version[1] - 1)
        assert key not in views.show(_req(before), instance)
        assert views.show(_req(version), instance)[key] == value
    assert 'host_status' not in views.show(_req((2, 15)), instance,
                                           host_status='UP')
    assert views.show(_req((2, 16)), instance,
                      host_status='UP')['host_status'] == 'UP'
    assert 'host_status' not in views.show(_req((2, 16)), instance)


def test_server_groups_in_show_update_rebuild_but_not_detail():
    instance = _samples()['active']
    req = _req((2, 71))
    assert 'server_groups' not in views.show(_req((2, 70)), instance,
                                             show_server_groups=True)
    assert views.show(req, instance, show_server_groups=True)[
        'server_groups'] == []
    group = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee'
    assert views.show(req, instance, show_server_groups=True,
                      server_groups=[group])['server_groups'] == [group]
    assert 'server_groups' not in views.detail(req, instance)
    assert views.update_body(req, instance)['server']['server_groups'] == []
    assert views.rebuild_body(req, instance)['server']['server_groups'] == []


def test_update_is_reduced_before_2_75_and_the_show_view_from_it():
    instance = _samples()['active']
    reduced = views.update_body(_req((2, 74), admin=True), instance,
                                show_admin_fields=True,
                                host_status='UP')['server']
    for key in ('key_name', 'config_drive', 'OS-EXT-AZ:availability_zone',
                'OS-SRV-USG:launched_at', 'OS-EXT-STS:vm_state',
                'OS-EXT-SRV-ATTR:host', 'security_groups', 'host_status',
                'os-extended-volumes:volumes_attached'):
        assert key not in reduced, key
    assert reduced['addresses']['private'][0] == {'addr': '10.0.0.5',
                                                  'version': 4}
    assert reduced['locked_reason'] == 'maintenance'
    req = _req((2, 75), admin=True)
    full = views.update_body(req, instance, show_admin_fields=True,
                             host_status='UP')['server']
    assert full == views.show(req, instance, show_admin_fields=True,
                              host_status='UP', show_server_groups=True)


def test_rebuild_user_data_and_key_name():
    instance = _samples()['active']
    old = views.rebuild_body(_req((2, 53)), instance, 'pw')['server']
    assert 'key_name' not in old and 'user_data' not in old
    assert old['adminPass'] == 'pw'
    mid = views.rebuild_body(_req((2, 57)), instance)['server']
    assert mid['key_name'] == 'key1'
    assert mid['user_data'] == 'IyEvYmluL3NoCmVjaG8gaGkK'
    assert 'adminPass' not in mid
    new = views.rebuild_body(_req((2, 75), admin=True), instance,
                             show_admin_fields=True)['server']
    assert 'OS-EXT-SRV-ATTR:user_data' not in new
    assert new['user_data'] == 'IyEvYmluL3NoCmVjaG8gaGkK'
    assert new['OS-EXT-SRV-ATTR:host'] == 'cmp1'


def test_created_and_reservation_bodies():
    req = _req((2, 1))
    instance = _instance(auto_disk_config=True)
    body = views.created(req, instance, 'Abcdefgh1234')
    assert body == {'server': {
        'id': instance['uuid'], 'links': views.basic(req, instance)['links'],
        'OS-DCF:diskConfig': 'AUTO', 'security_groups': [{'name': 'default'}],
        'adminPass': 'Abcdefgh1234'}}
    assert 'adminPass' not in views.created(req, instance, None)['server']
    assert views.reservation_body('r-1234abcd') == {
        'reservation_id': 'r-1234abcd'}


def test_list_next_link_keeps_the_query_and_marks_the_last_uuid():
    req = _req((2, 1), query='limit=2&name=vm&marker=old')
    instances = list(_samples().values())[:2]
    body = views.collection(req, instances, views.basic, 2)
    assert body['servers'] == [views.basic(req, i) for i in instances]
    assert body['servers_links'] == [{
        'rel': 'next',
        'href': BASE + '/v2.1/servers/detail?limit=2&name=vm&marker=' +
        instances[-1]['uuid']}]
    assert 'servers_links' not in views.collection(
        req, instances[:1], views.basic, 2)


@pytest.mark.parametrize('admin', [False, True], ids=['user', 'admin'])
@pytest.mark.parametrize('version', ALL_VERSIONS, ids=_id)
def test_list_views_read_only_the_keys_the_lists_fetch(version, admin):
    # GET /servers[/detail] fetch DETAIL_KEYS / BASIC_KEYS only: the views
    # of an instance reduced to them must be those of the whole instance.
    for instance in _samples().values():
        detail_only = {k: v for k, v in instance.items()
                       if k in views.DETAIL_KEYS}
        # Read out of system_metadata by the database.
        detail_only['locked_reason'] = (
            instance.get('system_metadata') or {}).get('locked_reason')
        basic_only = {k: v for k, v in instance.items()
                      if k in views.BASIC_KEYS}
        req = _req(version, admin)
        full = views.detail(req, instance, show_admin_fields=admin,
                            host_status=_host_status(admin))
        assert views.detail(_req(version, admin), detail_only,
                            show_admin_fields=admin,
                            host_status=_host_status(admin)) == full
        assert views.basic(_req(version), basic_only) == \
            views.basic(_req(version), instance)


def test_timestamps_keep_their_formats():
    when = datetime.datetime(2026, 5, 1, 12, 0, 0, 123456)
    assert views._zulu(when) == when.strftime('%Y-%m-%dT%H:%M:%SZ')
    assert views._naive(when) == when.strftime('%Y-%m-%dT%H:%M:%S.%f')
    exact = when.replace(microsecond=0)
    assert views._naive(exact) == '2026-05-01T12:00:00.000000'
    assert views._zulu('2026-05-01T12:00:00.5+02:00') == \
        '2026-05-01T10:00:00Z'
