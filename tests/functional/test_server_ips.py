"""/servers/{server_id}/ips: a server's addresses, all of them or one
network's; an unknown network, an unknown server and another project's
server; who may read them.  The bodies are checked against tempest's
list_addresses and list_addresses_by_network schemas."""

import uuid

import pytest

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

PROJECT = 'ips'
TOKENS = {'admin': 'admin:admin', 'member': 'ips-member',
          'reader': 'ips-reader', 'other': 'ips-other'}
IDENTITIES = {
    TOKENS['admin']: fixtures.identity(
        'admin', 'admin', ['admin', 'manager', 'member', 'reader']),
    TOKENS['member']: fixtures.identity('member', PROJECT,
                                        ['reader', 'member']),
    TOKENS['reader']: fixtures.identity('reader', PROJECT, ['reader']),
    TOKENS['other']: fixtures.identity('other', 'ips-other',
                                       ['reader', 'member']),
}
SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}
SCHEMAS = oracle.schemas(oracle.SERVERS, '2.1')


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(identities=IDENTITIES,
                           overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def member(cloud):
    return cloud.api.as_user(TOKENS['member'])


def _boot(cloud, member, **extra):
    resp = member.post('/v2.1/servers', {'server': dict(SERVER, **extra)},
                       version='2.37' if 'networks' in extra else None)
    assert resp.status == 202, resp
    server_id = resp.body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE', api=member)
    return server_id


@pytest.fixture(scope='module')
def server(cloud):
    server_id = _boot(cloud, cloud.api.as_user(TOKENS['member']))
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)


def _url(server_id, label=None):
    url = '/v2.1/servers/%s/ips' % server_id
    return url if label is None else '%s/%s' % (url, label)


def _not_found(resp, message=None):
    assert resp.status == 404, resp
    assert list(resp.body) == ['itemNotFound'], resp.body
    if message is not None:
        assert resp.body['itemNotFound']['message'] == message


def _addresses(member, server_id):
    """GET /servers/{id}'s addresses, as the ips view has them."""
    addresses = member.get('/v2.1/servers/' + server_id).body['server'][
        'addresses']
    return {label: [{'addr': a['addr'], 'version': a['version']}
                    for a in items]
            for label, items in addresses.items()}


def test_ips_are_the_servers_addresses(cloud, member, server):
    body = oracle.validate(SCHEMAS.list_addresses,
                           member.get(_url(server)))
    label = cloud.conf.network.flat_network_name
    assert list(body) == ['addresses']
    assert body['addresses'] == _addresses(member, server)
    (ip,) = body['addresses'][label]
    assert sorted(ip) == ['addr', 'version'] and ip['version'] == 4


def test_one_networks_ips(cloud, member, server):
    label = cloud.conf.network.flat_network_name
    body = oracle.validate(SCHEMAS.list_addresses_by_network,
                           member.get(_url(server, label)))
    assert body == {label: _addresses(member, server)[label]}


def test_a_network_the_server_is_not_on_is_not_found(member, server):
    _not_found(member.get(_url(server, 'no-such-network')),
               'Instance is not a member of specified network')


def test_an_unknown_server_is_not_found(member):
    unknown = str(uuid.uuid4())
    _not_found(member.get(_url(unknown)))
    _not_found(member.get(_url(unknown, 'private')))


def test_a_server_without_networks_has_no_addresses(cloud, member):
    server_id = _boot(cloud, member, networks='none')
    try:
        body = oracle.validate(SCHEMAS.list_addresses,
                               member.get(_url(server_id)))
        assert body == {'addresses': {}}
        _not_found(member.get(_url(
            server_id, cloud.conf.network.flat_network_name)),
            'Instance is not a member of specified network')
    finally:
        cloud.api.delete('/v2.1/servers/' + server_id)


def test_another_projects_server_is_not_found(cloud, server):
    other = cloud.api.as_user(TOKENS['other'])
    label = cloud.conf.network.flat_network_name
    _not_found(other.get(_url(server)))
    _not_found(other.get(_url(server, label)))


def test_a_reader_and_an_admin_may_read(cloud, member, server):
    label = cloud.conf.network.flat_network_name
    expected = member.get(_url(server)).body
    for token in (TOKENS['reader'], TOKENS['admin']):
        client = cloud.api.as_user(token)
        assert oracle.validate(SCHEMAS.list_addresses,
                               client.get(_url(server))) == expected
        assert oracle.validate(
            SCHEMAS.list_addresses_by_network,
            client.get(_url(server, label))) == {
                label: expected['addresses'][label]}


def test_only_get_is_allowed(member, server):
    resp = member.post(_url(server), {})
    assert resp.status == 405, resp
    assert resp.headers['Allow'] == 'GET'
