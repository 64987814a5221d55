"""/flavors/{flavor_id}/os-extra_specs: list, merge, one key's show, set
and delete; the schema, the 2.86 validation, who may do what, and a
private flavor's extra specs.  Bodies are checked against Tempest's
response schemas (tempest's FlavorsClient uses the v2_1 ones at every
microversion)."""

import uuid

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import \
    flavors_extra_specs as tempest_schemas

from tests.functional import fixtures
from tests.functional import tempest_oracle

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def api(cloud):
    return cloud.api


@pytest.fixture
def demo(cloud):
    return cloud.api.as_user('demo:demo')


@pytest.fixture
def flavor(api):
    """A public flavor of the test's own."""
    flavor_id = 'es-' + uuid.uuid4().hex[:8]
    resp = api.post('/v2.1/flavors', {'flavor': {
        'name': flavor_id, 'id': flavor_id, 'ram': 64, 'vcpus': 1,
        'disk': 1}})
    assert resp.status == 200, resp
    yield flavor_id
    api.delete('/v2.1/flavors/' + flavor_id)


def _url(flavor_id, key=None):
    url = '/v2.1/flavors/%s/os-extra_specs' % flavor_id
    return url if key is None else '%s/%s' % (url, key)


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound',
            409: 'conflictingRequest'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _specs(api, flavor_id):
    resp = api.get(_url(flavor_id))
    return tempest_oracle.validate(
        tempest_schemas.set_get_flavor_extra_specs, resp)['extra_specs']


# --- happy paths -------------------------------------------------------------

def test_an_unset_flavor_has_none(api, demo):
    assert _specs(api, '1') == {}
    assert _specs(demo, '1') == {}


def test_post_merges_as_openstack_flavor_set_property(api, flavor):
    # openstack flavor set --property hw:cpu_policy=dedicated --property a=1
    body = {'extra_specs': {'hw:cpu_policy': 'dedicated', 'a': '1'}}
    resp = api.post(_url(flavor), body)
    assert tempest_oracle.validate(
        tempest_schemas.set_get_flavor_extra_specs, resp) == body
    resp = api.post(_url(flavor), {'extra_specs': {'a': 'one', 'b': ''}})
    assert resp.status == 200 and resp.body == {
        'extra_specs': {'a': 'one', 'b': ''}}
    assert _specs(api, flavor) == {'hw:cpu_policy': 'dedicated', 'a': 'one',
                                   'b': ''}
    # The flavor views show them from 2.61.
    shown = api.get('/v2.1/flavors/' + flavor, version='2.61').body['flavor']
    assert shown['extra_specs'] == {'hw:cpu_policy': 'dedicated',
                                    'a': 'one', 'b': ''}
    assert 'extra_specs' not in api.get(
        '/v2.1/flavors/' + flavor, version='2.60').body['flavor']
    listed = api.get('/v2.1/flavors/detail', version='2.61').body['flavors']
    assert [f['extra_specs'] for f in listed if f['id'] == flavor] == [
        shown['extra_specs']]


def test_numbers_are_echoed_and_stored_as_text(api, flavor):
    body = {'extra_specs': {'hw:numa_nodes': 2, 'ratio': 1.5}}
    resp = api.post(_url(flavor), body, version='2.86')
    assert resp.status == 200, resp
    assert resp.body == body
    assert _specs(api, flavor) == {'hw:numa_nodes': '2', 'ratio': '1.5'}
    resp = api.put(_url(flavor, 'hw:numa_nodes'), {'hw:numa_nodes': 1})
    assert resp.status == 200 and resp.body == {'hw:numa_nodes': 1}
    assert api.get(_url(flavor, 'hw:numa_nodes')).body == {
        'hw:numa_nodes': '1'}


def test_one_key(api, demo, flavor):
    api.post(_url(flavor), {'extra_specs': {'hw:cpu_policy': 'shared'}})
    for client in (api, demo):
        resp = client.get(_url(flavor, 'hw:cpu_policy'))
        assert tempest_oracle.validate(
            tempest_schemas.set_get_flavor_extra_specs_key, resp) == {
            'hw:cpu_policy': 'shared'}
    _fault(api.get(_url(flavor, 'nope')), 404,
           'Flavor %s has no extra specs with key nope.' % flavor)

    # openstack flavor set --property (one key, PUT)
    resp = api.put(_url(flavor, 'hw:cpu_policy'),
                   {'hw:cpu_policy': 'dedicated'})
    assert tempest_oracle.validate(
        tempest_schemas.set_get_flavor_extra_specs_key, resp) == {
        'hw:cpu_policy': 'dedicated'}
    resp = api.put(_url(flavor, 'new'), {'new': 'key'})
    assert resp.status == 200 and resp.body == {'new': 'key'}
    assert _specs(api, flavor) == {'hw:cpu_policy': 'dedicated',
                                   'new': 'key'}

    # openstack flavor unset --property new: 200 and no body, as upstream
    resp = api.delete(_url(flavor, 'new'))
    assert resp.status in tempest_schemas.unset_flavor_extra_specs[
        'status_code']
    assert resp.text == ''
    assert _specs(api, flavor) == {'hw:cpu_policy': 'dedicated'}
    _fault(api.delete(_url(flavor, 'new')), 404,
           'Flavor %s has no extra specs with key new.' % flavor)


def test_keys_with_the_characters_the_schema_allows(api, flavor):
    key = 'Key-1_:. x'
    resp = api.put(_url(flavor, 'Key-1_:.%20x'), {key: 'v'})
    assert resp.status == 200 and resp.body == {key: 'v'}
    assert api.get(_url(flavor, 'Key-1_:.%20x')).body == {key: 'v'}
    assert api.delete(_url(flavor, 'Key-1_:.%20x')).status == 200


def test_a_server_keeps_its_flavors_extra_specs(cloud, api, demo, flavor):
    api.post(_url(flavor), {'extra_specs': {'hw:watchdog_action': 'reset'}})
    resp = demo.post('/v2.1/servers', {'server': dict(SERVER,
                                                      flavorRef=flavor)})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    try:
        cloud.wait_for_server(server_id, 'ACTIVE', api=demo)
        api.delete(_url(flavor, 'hw:watchdog_action'))
        shown = demo.get('/v2.1/servers/' + server_id,
                         version='2.47').body['server']
        assert shown['flavor']['extra_specs'] == {
            'hw:watchdog_action': 'reset'}
    finally:
        api.delete('/v2.1/servers/' + server_id)


# --- 2.86: validation ------------------------------------------------------

@pytest.mark.parametrize('specs,message', [
    ({'hw:cpu_policy': 'foo'},
     "Validation failed; 'foo' is not one of: dedicated, shared, mixed."),
    ({'hw:numa_nodes': '0'},
     "Validation failed; '0' is less than the min value of '1'."),
    ({'hw:numa_nodes': 'x'},
     "Validation failed; 'x' is not a valid integer value."),
    ({'hw_rng:allowed': 'maybe'},
     "Validation failed; 'maybe' is not a valid boolean-like value."),
    ({'trait:HW_CPU_X86_AVX2': 'preferred'}, None),
    ({'resources:VCPU': 'one'}, None),
    ({'quota:cpu_shares': '-1'}, None),
    ({'hw:cpu_polcy': 'dedicated'},
     "Validation failed; extra spec 'hw:cpu_polcy' does not appear to be "
     "a valid extra spec."),
    ({'ok': 'fine', 'hw:watchdog_action': 'explode'}, None),
])
def test_validation_from_2_86(api, flavor, specs, message):
    resp = api.post(_url(flavor), {'extra_specs': specs}, version='2.86')
    text = _fault(resp, 400, message)
    assert text.startswith('Validation failed; ')
    key, value = next((k, v) for k, v in specs.items() if k != 'ok')
    _fault(api.put(_url(flavor, key), {key: value}, version='2.86'), 400,
           text)
    # Nothing was set; up to 2.85 the same is taken as it is.
    assert _specs(api, flavor) == {}
    resp = api.post(_url(flavor), {'extra_specs': specs}, version='2.85')
    assert resp.status == 200, resp
    assert _specs(api, flavor) == specs
    resp = api.put(_url(flavor, key), {key: value}, version='2.85')
    assert resp.status == 200, resp


@pytest.mark.parametrize('specs', [
    {'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'isolate',
     'hw:mem_page_size': 'large', 'hw:numa_nodes': '2',
     'hw:cpu_sockets': '1', 'hw:cpu_cores': '2', 'hw:cpu_threads': '2',
     'hw:watchdog_action': 'pause', 'hw_rng:allowed': 'True',
     'quota:disk_read_iops_sec': '100', 'resources:VGPU': '1',
     'resources1:CUSTOM_MAGIC': '2', 'trait:CUSTOM_SSD': 'required',
     'aggregate_instance_extra_specs:ssd': 'true',
     'capabilities:hypervisor_type': 's== QEMU'},
    {'my_own_key': 'anything', 'operator:thing': 'x'},
])
def test_valid_extra_specs_at_2_86(api, flavor, specs):
    resp = api.post(_url(flavor), {'extra_specs': specs}, version='2.86')
    assert resp.status == 200, resp
    assert _specs(api, flavor) == specs


def test_validation_comes_before_the_flavor_lookup(api):
    resp = api.post(_url('nosuch'), {'extra_specs': {'hw:cpu_policy': 'x'}},
                    version='2.86')
    _fault(resp, 400)


# --- bad requests ----------------------------------------------------------

@pytest.mark.parametrize('body', [
    {'extra_specs': {'k' * 256: 'v'}},
    {'extra_specs': {'': 'v'}},
    {'extra_specs': {'ä': 'v'}},
    {'extra_specs': {'k': 'v' * 256}},
    {'extra_specs': {'k': None}},
    {'extra_specs': {'k': True}},
    {'extra_specs': {'k': ['v']}},
    {'extra_specs': ['k', 'v']},
    {'extra_specs': {'k': 'v'}, 'more': 1},
    {'specs': {'k': 'v'}},
    None,
])
def test_post_bad_bodies(api, flavor, body):
    _fault(api.post(_url(flavor), body), 400)
    assert _specs(api, flavor) == {}


def test_a_number_longer_than_the_column_is_400(api, flavor):
    resp = api.post(_url(flavor), {'extra_specs': {'k': 10 ** 256}})
    _fault(resp, 400, 'extra_specs value has 257 characters, more than 255.')


@pytest.mark.parametrize('body,message', [
    ({'b': '2'}, 'Request body and URI mismatch'),
    ({'a': '1', 'b': '2'}, None),
    ({}, None),
    ({'extra_specs': {'a': '1'}}, None),
    ({'a': None}, None),
    (None, None),
])
def test_put_bad_bodies(api, flavor, body, message):
    _fault(api.put(_url(flavor, 'a'), body), 400, message)
    assert _specs(api, flavor) == {}


def test_unknown_flavor_is_404(api):
    message = 'Flavor nosuch could not be found.'
    _fault(api.get(_url('nosuch')), 404, message)
    _fault(api.post(_url('nosuch'), {'extra_specs': {'a': '1'}}), 404,
           message)
    _fault(api.get(_url('nosuch', 'a')), 404, message)
    _fault(api.put(_url('nosuch', 'a'), {'a': '1'}), 404, message)
    _fault(api.delete(_url('nosuch', 'a')), 404, message)


# --- who may --------------------------------------------------------------

def test_a_project_member_reads_but_does_not_change(api, demo, flavor):
    api.post(_url(flavor), {'extra_specs': {'a': '1'}})
    assert _specs(demo, flavor) == {'a': '1'}
    assert demo.get(_url(flavor, 'a')).body == {'a': '1'}
    rule = "Policy doesn't allow os_compute_api:os-flavor-extra-specs:%s " \
           "to be performed."
    _fault(demo.post(_url(flavor), {'extra_specs': {'a': '2'}}), 403,
           rule % 'create')
    _fault(demo.put(_url(flavor, 'a'), {'a': '2'}), 403, rule % 'update')
    _fault(demo.delete(_url(flavor, 'a')), 403, rule % 'delete')
    # Refused before the flavor is looked up.
    _fault(demo.delete(_url('nosuch', 'a')), 403, rule % 'delete')
    assert _specs(api, flavor) == {'a': '1'}


def test_a_private_flavors_are_its_projects(api, demo):
    flavor_id = 'es-private-' + uuid.uuid4().hex[:8]
    assert api.post('/v2.1/flavors', {'flavor': {
        'name': flavor_id, 'id': flavor_id, 'ram': 64, 'vcpus': 1,
        'disk': 1, 'os-flavor-access:is_public': False}}).status == 200
    try:
        api.post(_url(flavor_id), {'extra_specs': {'a': '1'}})
        assert _specs(api, flavor_id) == {'a': '1'}
        message = 'Flavor %s could not be found.' % flavor_id
        _fault(demo.get(_url(flavor_id)), 404, message)
        _fault(demo.get(_url(flavor_id, 'a')), 404, message)
        resp = api.post('/v2.1/flavors/%s/action' % flavor_id,
                        {'addTenantAccess': {'tenant': 'demo'}})
        assert resp.status == 200, resp
        assert _specs(demo, flavor_id) == {'a': '1'}
        assert demo.get(_url(flavor_id, 'a')).body == {'a': '1'}
    finally:
        api.delete('/v2.1/flavors/' + flavor_id)
