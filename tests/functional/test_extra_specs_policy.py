"""Operators' policy.yaml decides who sees flavors' extra specs, in the
flavor views (2.61+) and embedded in server views (2.47+), with upstream's
rule names."""

from oslo_policy import opts as oslo_policy_opts
import pytest

from nova.api import policy
from tests.functional import fixtures

SERVER = {'name': 'vm1', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}


@pytest.fixture
def cloud(tmp_path):
    path = tmp_path / 'policy.yaml'
    path.write_text(
        '"os_compute_api:os-flavor-extra-specs:index": "role:admin"\n'
        '"os_compute_api:servers:show:flavor-extra-specs": "role:admin"\n')
    cloud = fixtures.Cloud()
    for group, options in oslo_policy_opts.list_opts():
        cloud.conf.register_opts(options, group=group)
    cloud.conf.set_override('policy_file', str(path), group='oslo_policy')
    try:
        cloud.start()
        yield cloud
    finally:
        cloud.stop()
        cloud.conf.clear_override('policy_file', group='oslo_policy')
        policy.reset()


def test_extra_specs_are_shown_only_where_policy_allows(cloud):
    admin = cloud.api.as_user('admin:admin')
    member = cloud.api.as_user('demo:demo')
    resp = member.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=member)

    flavor = member.get('/v2.1/flavors/1', version='2.61').body['flavor']
    assert 'extra_specs' not in flavor
    flavor = admin.get('/v2.1/flavors/1', version='2.61').body['flavor']
    assert 'extra_specs' in flavor
    for path in ('/v2.1/flavors/detail',):
        listed = member.get(path, version='2.61').body['flavors']
        assert all('extra_specs' not in f for f in listed)
    shown = member.get('/v2.1/servers/' + server_id,
                       version='2.47').body['server']
    assert 'extra_specs' not in shown['flavor']
    assert shown['flavor']['original_name'] == 'm1.tiny'
    shown = admin.get('/v2.1/servers/' + server_id,
                      version='2.47').body['server']
    assert 'extra_specs' in shown['flavor']
    listed = member.get('/v2.1/servers/detail',
                        version='2.47').body['servers']
    assert listed and all('extra_specs' not in s['flavor'] for s in listed)
    # The extra specs' own list is refused outright.
    assert member.get('/v2.1/flavors/1/os-extra_specs').status == 403
