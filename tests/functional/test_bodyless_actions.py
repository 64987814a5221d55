"""Actions without arguments take any value, as upstream's schemas
({'<action>': {}}, or none at all) allow: null, {} (what Tempest sends), a
string, a list. Those that gained arguments in a microversion (lock 2.73,
migrate 2.56, unshelve 2.77) validate the value from then on."""

import pytest

from tests.functional import fixtures

SERVER = {'name': 'vm', 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1',
          'networks': 'auto'}

# Besides null and {}, each action gets one of these (a full pass per
# value would be slow; tests/unit/api/test_server_action_schemas.py checks
# every value against every schema).
OTHER_VALUES = ['x', [], 0, {'foo': 'bar'}, True, 1.5]
BODYLESS = ['os-stop', 'os-start', 'pause', 'unpause', 'suspend', 'resume',
            'unrescue', 'lock', 'unlock', 'migrate', 'confirmResize',
            'revertResize', 'shelve', 'shelveOffload', 'unshelve',
            'forceDelete']
OTHER = {action: OTHER_VALUES[i % len(OTHER_VALUES)]
         for i, action in enumerate(BODYLESS)}


@pytest.fixture(scope='module')
def cloud():
    # Two hosts for migrate; shelve stops at SHELVED so that shelveOffload
    # has something to do.
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'),
                           overrides={'report_interval': 50,
                                      'shelved_offload_time': -1}).start()
    yield cloud
    cloud.stop()


@pytest.fixture
def server(cloud):
    server_id = cloud.api.post('/v2.1/servers', {'server': SERVER},
                               version='2.37').body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    yield server_id
    cloud.api.delete('/v2.1/servers/' + server_id)
    cloud.wait_for_server(server_id, 'DELETED')


def _act(cloud, server_id, action, value, version=None):
    return cloud.api.post('/v2.1/servers/%s/action' % server_id,
                          {action: value}, version=version)


def _value(kind, action):
    return {'null': None, 'empty': {}}.get(kind, OTHER[action])


def _do(cloud, server_id, action, value, status, code=202):
    resp = _act(cloud, server_id, action, value)
    assert resp.status == code, (action, value, resp)
    if status:
        return cloud.wait_for_server(server_id, status)
    return None


def _show(cloud, server_id, version='2.73'):
    return cloud.api.get('/v2.1/servers/' + server_id,
                         version=version).body['server']


@pytest.mark.parametrize('kind', ['null', 'empty', 'other'])
def test_every_bodyless_action_takes_any_value(cloud, server, kind):
    def do(action, status, code=202):
        return _do(cloud, server, action, _value(kind, action), status,
                   code)

    for action, status in (('os-stop', 'SHUTOFF'), ('os-start', 'ACTIVE'),
                           ('pause', 'PAUSED'), ('unpause', 'ACTIVE'),
                           ('suspend', 'SUSPENDED'), ('resume', 'ACTIVE')):
        do(action, status)

    _do(cloud, server, 'rescue', None, 'RESCUE', code=200)
    do('unrescue', 'ACTIVE')

    do('lock', None)
    assert _show(cloud, server)['locked'] is True
    do('unlock', None)
    assert _show(cloud, server)['locked'] is False

    # migrate before 2.56 (the default 2.1 here) has no schema upstream.
    do('migrate', 'VERIFY_RESIZE')
    do('confirmResize', 'ACTIVE', code=204)
    do('migrate', 'VERIFY_RESIZE')
    do('revertResize', 'ACTIVE')

    do('shelve', 'SHELVED')
    do('shelveOffload', 'SHELVED_OFFLOADED')
    # unshelve before 2.77 takes anything too.
    do('unshelve', 'ACTIVE')


@pytest.mark.parametrize('kind', ['null', 'empty', 'other'])
def test_force_delete_takes_any_value(cloud, kind):
    server_id = cloud.api.post('/v2.1/servers', {'server': SERVER},
                               version='2.37').body['server']['id']
    cloud.wait_for_server(server_id, 'ACTIVE')
    _do(cloud, server_id, 'forceDelete', _value(kind, 'forceDelete'),
        'DELETED')


def test_lock_reason_from_2_73(cloud, server):
    for bad in ('x', [], 0, {'foo': 1}, {'locked_reason': 1},
                {'locked_reason': ''}, {'locked_reason': None},
                {'locked_reason': 'r' * 256}):
        resp = _act(cloud, server, 'lock', bad, version='2.73')
        assert resp.status == 400, (bad, resp)
        assert 'badRequest' in resp.body
    assert _show(cloud, server)['locked'] is False

    for value in (None, {}):
        assert _act(cloud, server, 'lock', value, version='2.73').status \
            == 202
        shown = _show(cloud, server)
        assert shown['locked'] is True and shown['locked_reason'] is None
        # unlock has no schema upstream at any version.
        assert _act(cloud, server, 'unlock', 'x', version='2.73').status \
            == 202

    assert _act(cloud, server, 'lock', {'locked_reason': 'audit'},
                version='2.73').status == 202
    assert _show(cloud, server)['locked_reason'] == 'audit'
    assert _act(cloud, server, 'unlock', {}, version='2.92').status == 202
    # Before 2.73 a reason is no error but means nothing.
    assert _act(cloud, server, 'lock', {'locked_reason': 'audit'},
                version='2.72').status == 202
    shown = _show(cloud, server)
    assert shown['locked'] is True and shown['locked_reason'] is None
    assert _act(cloud, server, 'unlock', None).status == 202


def test_migrate_host_from_2_56(cloud, server):
    for bad in ('x', [], 0, {'foo': 1}, {'host': 1}, {'host': ''},
                {'host': 'no such/host'}, {'host': 'h' * 256},
                {'host': 'compute2', 'foo': 1}):
        resp = _act(cloud, server, 'migrate', bad, version='2.56')
        assert resp.status == 400, (bad, resp)
        assert 'badRequest' in resp.body
    # Valid values pass the schema; a host that is not a compute is the
    # handler's 400, not the schema's.
    resp = _act(cloud, server, 'migrate', {'host': 'nowhere'},
                version='2.56')
    assert resp.status == 400
    assert 'Compute host nowhere could not be found.' in resp.text

    for value in (None, {}, {'host': None}):
        assert _act(cloud, server, 'migrate', value,
                    version='2.56').status == 202, value
        cloud.wait_for_server(server, 'VERIFY_RESIZE')
        assert _act(cloud, server, 'confirmResize', {}).status == 204
        cloud.wait_for_server(server, 'ACTIVE')

    # Before 2.56 a host is ignored, not refused.
    assert _act(cloud, server, 'migrate', {'host': 'nowhere'},
                version='2.55').status == 202
    cloud.wait_for_server(server, 'VERIFY_RESIZE')
    assert _act(cloud, server, 'revertResize', 'x').status == 202
    cloud.wait_for_server(server, 'ACTIVE')


def test_unshelve_zone_from_2_77(cloud, server):
    _do(cloud, server, 'shelve', {}, 'SHELVED')
    # 2.77-2.90: null or an object naming the zone; {} is refused.
    for bad in ({}, 'x', [], {'foo': 1}, {'availability_zone': 1},
                {'availability_zone': ''}):
        resp = _act(cloud, server, 'unshelve', bad, version='2.77')
        assert resp.status == 400, (bad, resp)
    # A zone is only for an offloaded server: 409 while merely SHELVED...
    resp = _act(cloud, server, 'unshelve', {'availability_zone': 'nova'},
                version='2.77')
    assert resp.status == 409
    # ... but before 2.77 it is ignored.
    assert _act(cloud, server, 'unshelve', {'availability_zone': 'nova'},
                version='2.76').status == 202
    cloud.wait_for_server(server, 'ACTIVE')
    # From 2.91 {} is fine again.
    _do(cloud, server, 'shelve', None, 'SHELVED')
    assert _act(cloud, server, 'unshelve', {}, version='2.91').status == 202
    cloud.wait_for_server(server, 'ACTIVE')


def test_actions_with_arguments_still_validate(cloud, server):
    for action, bad in (('reboot', None), ('reboot', {}),
                        ('os-getConsoleOutput', None),
                        ('os-getConsoleOutput', 'x'),
                        ('rescue', 'x'), ('rescue', {'foo': 1}),
                        ('resize', {}), ('createImage', None),
                        ('rebuild', {})):
        resp = _act(cloud, server, action, bad)
        assert resp.status == 400, (action, bad, resp)
    # Still one action per body.
    resp = cloud.api.post('/v2.1/servers/%s/action' % server,
                          {'pause': None, 'unpause': None})
    assert resp.status == 400
    assert _show(cloud, server)['status'] == 'ACTIVE'
