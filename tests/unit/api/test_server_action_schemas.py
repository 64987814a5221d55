"""What each server action's schema accepts, as upstream's
nova/api/openstack/compute/schemas/*.py and the handlers' microversion
ranges for them."""

import pytest

from nova.api.schemas import server_actions as schemas
from nova.api import validation
from nova import exception

ANY_VALUES = [None, {}, 'x', '', [], [1], 0, -1, 1.5, True, False,
              {'foo': 'bar'}, {'host': 1}, {'locked_reason': 1}]

# Upstream: {'<action>': {}} (pause_server, suspend_server, servers,
# rescue, lock_server, shelve, deferred_delete, admin_actions).
BODYLESS = ['os-stop', 'os-start', 'pause', 'unpause', 'suspend', 'resume',
            'unrescue', 'unlock', 'forceDelete', 'shelve', 'shelveOffload',
            'confirmResize', 'revertResize', 'restore', 'injectNetworkInfo']


def _ok(body, schema):
    validation.validate(body, schema)


def _bad(body, schema):
    with pytest.raises(exception.ValidationError):
        validation.validate(body, schema)


def test_the_bodyless_actions():
    assert sorted(schemas.BODYLESS_ACTIONS) == sorted(BODYLESS)


@pytest.mark.parametrize('action', BODYLESS)
def test_bodyless_actions_take_any_value(action):
    schema = schemas.BODYLESS_ACTIONS[action]
    for value in ANY_VALUES:
        _ok({action: value}, schema)
    _bad({}, schema)
    _bad({action: None, 'other': None}, schema)


@pytest.mark.parametrize('name,version', [
    ('lock', (2, 72)), ('migrate', (2, 55)), ('unshelve', (2, 76)),
    ('lock', (2, 1)), ('migrate', (2, 1)), ('unshelve', (2, 1))])
def test_before_their_arguments_any_value(name, version):
    schema = getattr(schemas, name)(version)
    for value in ANY_VALUES:
        _ok({name: value}, schema)


@pytest.mark.parametrize('version', [(2, 73), (2, 92)])
def test_lock_from_2_73(version):
    schema = schemas.lock(version)
    for value in (None, {}, {'locked_reason': 'r'},
                  {'locked_reason': 'r' * 255}):
        _ok({'lock': value}, schema)
    for value in ('x', [], 0, True, {'foo': 1}, {'locked_reason': 1},
                  {'locked_reason': ''}, {'locked_reason': None},
                  {'locked_reason': 'r' * 256}):
        _bad({'lock': value}, schema)


@pytest.mark.parametrize('version', [(2, 56), (2, 92)])
def test_migrate_from_2_56(version):
    schema = schemas.migrate(version)
    for value in (None, {}, {'host': None}, {'host': 'compute-1.example_x'},
                  {'host': 'h' * 255}):
        _ok({'migrate': value}, schema)
    for value in ('x', [], 0, {'foo': 1}, {'host': 1}, {'host': ''},
                  {'host': 'a b'}, {'host': 'a/b'}, {'host': 'h' * 256},
                  {'host': 'h', 'foo': 1}):
        _bad({'migrate': value}, schema)


@pytest.mark.parametrize('version', [(2, 77), (2, 90)])
def test_unshelve_from_2_77_needs_the_zone_in_an_object(version):
    schema = schemas.unshelve(version)
    for value in (None, {'availability_zone': 'nova'}):
        _ok({'unshelve': value}, schema)
    for value in ({}, 'x', [], {'foo': 1}, {'availability_zone': 1},
                  {'availability_zone': ''}, {'availability_zone': ' nova'},
                  {'availability_zone': 'nova', 'foo': 1}):
        _bad({'unshelve': value}, schema)


def test_unshelve_from_2_91_may_be_empty():
    schema = schemas.unshelve((2, 91))
    for value in (None, {}, {'availability_zone': 'nova'}):
        _ok({'unshelve': value}, schema)
    for value in ('x', [], {'foo': 1}, {'availability_zone': 1}):
        _bad({'unshelve': value}, schema)


def test_create_backup():
    def body(**values):
        backup = {'name': 'bk', 'backup_type': 'daily', 'rotation': 1}
        backup.update(values)
        return {'createBackup': {k: v for k, v in backup.items()
                                 if v is not None}}
    for ok in (body(), body(rotation=0), body(rotation='3'),
               body(metadata={'k': 'v'}), body(backup_type='')):
        _ok(ok, schemas.create_backup)
    for bad in (body(rotation=-1), body(rotation='-1'), body(rotation=''),
                body(rotation=1.5), body(name=''), body(name=' x'),
                body(backup_type=1), body(extra='x'),
                {'createBackup': {'name': 'bk', 'backup_type': 'daily'}},
                {'createBackup': None}):
        _bad(bad, schemas.create_backup)


def test_reset_state():
    for state in ('active', 'error'):
        _ok({'os-resetState': {'state': state}}, schemas.reset_state)
    for bad in ({'state': 'stopped'}, {'state': 'ACTIVE'}, {}, None,
                {'state': 'error', 'x': 1}):
        _bad({'os-resetState': bad}, schemas.reset_state)


def test_trigger_crash_dump_takes_null_only():
    _ok({'trigger_crash_dump': None}, schemas.trigger_crash_dump)
    for bad in ({}, 'x', [], 0):
        _bad({'trigger_crash_dump': bad}, schemas.trigger_crash_dump)
