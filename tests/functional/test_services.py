"""/os-services: list, filters, enable/disable, force down, delete, up/down.

Contract: compute-api-facts.md sections 5.8 and 6.1 (and 7.1 for faults).
Most tests share one cloud (the TestServices class); the few that remove
or stop services, or need short heartbeat timings, build their own.
"""

import datetime
import time
import uuid

import pytest

from nova.api import faults
from nova.db import services as db_services
from tests.functional import fixtures

LIST_KEYS_2_1 = {'id', 'binary', 'host', 'zone', 'status', 'state',
                 'updated_at', 'disabled_reason'}
BINARIES = ['nova-conductor', 'nova-scheduler', 'nova-compute']


def _fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    assert resp.body[name]['code'] == code
    assert resp.body[name]['message']
    if message is not None:
        assert resp.body[name]['message'] == message
    return resp.body[name]['message']


def _is_uuid(value):
    try:
        return str(uuid.UUID(value)) == value
    except (TypeError, ValueError, AttributeError):
        return False


def _services(api, version='2.53', query=''):
    resp = api.get('/v2.1/os-services' + query, version=version)
    assert resp.status == 200, resp
    return resp.body['services']


def _by_binary(api, binary, version='2.53'):
    matches = [s for s in _services(api, version) if s['binary'] == binary]
    assert len(matches) == 1, matches
    return matches[0]


def _recent(timestamp):
    updated = datetime.datetime.fromisoformat(timestamp)
    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    return abs((now - updated).total_seconds()) < 60


# Heartbeats only at start (report_interval within service_down_time so
# services stay 'up' for the class's run): periodic heartbeat writes racing
# the API's writes hit the shared-SQLite-connection bug shown by
# test_keypairs.test_concurrent_writes_by_different_users.
QUIET = {'report_interval': 50}


@pytest.fixture(scope='class')
def cloud():
    """Shared by the tests of TestServices, torn down after the class."""
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


class TestServices:

    @pytest.fixture(autouse=True)
    def _reset_services(self, cloud):
        """Every service enabled and not forced down after each test.

        Done straight in the database: it is set-up, not under test.
        """
        yield
        for service in db_services.service_get_all():
            db_services.service_update(service['id'], {
                'disabled': False, 'disabled_reason': None,
                'forced_down': False})

    # --- list ---------------------------------------------------------------

    def test_list_at_2_1(self, cloud, api):
        resp = api.get('/v2.1/os-services')
        assert resp.status == 200
        assert list(resp.body) == ['services']
        services = resp.body['services']
        assert sorted(s['binary'] for s in services) == sorted(BINARIES)
        for service in services:
            assert set(service) == LIST_KEYS_2_1
            assert isinstance(service['id'], int)
            assert service['state'] == 'up'
            assert service['status'] == 'enabled'
            assert service['disabled_reason'] is None
            assert _recent(service['updated_at'])
        by_binary = {s['binary']: s for s in services}
        assert by_binary['nova-conductor']['zone'] == 'internal'
        assert by_binary['nova-scheduler']['zone'] == 'internal'
        assert by_binary['nova-compute']['zone'] == 'nova'
        assert by_binary['nova-compute']['host'] == 'compute1'
        assert by_binary['nova-conductor']['host'] == \
            'conductor-' + cloud.suffix
        assert by_binary['nova-scheduler']['host'] == \
            'scheduler-' + cloud.suffix
        assert len({s['id'] for s in services}) == 3

    def test_list_at_2_11_has_forced_down(self, api):
        services = _services(api, version='2.11')
        for service in services:
            assert set(service) == LIST_KEYS_2_1 | {'forced_down'}
            assert service['forced_down'] is False
            assert isinstance(service['id'], int)
        for service in _services(api, version='2.10'):
            assert 'forced_down' not in service

    def test_list_at_2_53_has_uuids(self, api):
        services = _services(api, version='2.53')
        assert len(services) == 3
        for service in services:
            assert set(service) == LIST_KEYS_2_1 | {'forced_down'}
            assert _is_uuid(service['id']), service['id']
            assert service['state'] == 'up'
        assert len({s['id'] for s in services}) == 3
        for service in _services(api, version='2.52'):
            assert isinstance(service['id'], int)

    def test_filter_by_host(self, api):
        services = _services(api, query='?host=compute1')
        assert [s['binary'] for s in services] == ['nova-compute']
        assert services[0]['host'] == 'compute1'
        assert _services(api, query='?host=nosuch') == []

    def test_filter_by_binary(self, cloud, api):
        services = _services(api, query='?binary=nova-scheduler')
        assert [s['host'] for s in services] == ['scheduler-' + cloud.suffix]
        services = _services(api, version='2.1',
                             query='?binary=nova-conductor')
        assert [s['zone'] for s in services] == ['internal']
        assert _services(api, query='?binary=nova-api') == []

    def test_filter_by_host_and_binary(self, api):
        services = _services(api, query='?host=compute1&binary=nova-compute')
        assert len(services) == 1
        assert _services(
            api, query='?host=compute1&binary=nova-scheduler') == []

    def test_list_as_non_admin_is_403(self, api):
        demo = api.as_user('demo:demo')
        resp = demo.get('/v2.1/os-services')
        _fault(resp, 403, 'forbidden',
               "Policy doesn't allow os_compute_api:os-services:list to be "
               "performed.")

    # --- PUT /os-services/{uuid} (2.53) -------------------------------------

    def test_disable_and_enable_by_uuid(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53',
                       body={'status': 'disabled',
                             'disabled_reason': 'maintenance'})
        assert resp.status == 200, resp
        assert list(resp.body) == ['service']
        service = resp.body['service']
        assert set(service) == LIST_KEYS_2_1 | {'forced_down'}
        assert service['id'] == compute['id']
        assert service['host'] == 'compute1'
        assert service['binary'] == 'nova-compute'
        assert service['zone'] == 'nova'
        assert service['status'] == 'disabled'
        assert service['disabled_reason'] == 'maintenance'
        assert service['state'] == 'up'
        assert service['forced_down'] is False
        listed = _by_binary(api, 'nova-compute')
        assert listed['status'] == 'disabled'
        assert listed['disabled_reason'] == 'maintenance'
        # Others untouched.
        assert _by_binary(api, 'nova-scheduler')['status'] == 'enabled'

        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={'status': 'enabled'})
        assert resp.status == 200
        assert resp.body['service']['status'] == 'enabled'
        assert resp.body['service']['disabled_reason'] is None
        listed = _by_binary(api, 'nova-compute')
        assert listed['status'] == 'enabled'
        assert listed['disabled_reason'] is None

    def test_disable_without_reason(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={'status': 'disabled'})
        assert resp.status == 200
        assert resp.body['service']['status'] == 'disabled'
        assert resp.body['service']['disabled_reason'] is None

    def test_forced_down_by_uuid(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={'forced_down': True})
        assert resp.status == 200, resp
        service = resp.body['service']
        assert service['forced_down'] is True
        assert service['state'] == 'down'
        assert service['status'] == 'enabled'
        listed = _by_binary(api, 'nova-compute')
        assert listed['state'] == 'down'
        assert listed['forced_down'] is True
        assert _by_binary(api, 'nova-conductor')['state'] == 'up'

        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={'forced_down': False})
        assert resp.status == 200
        assert resp.body['service']['forced_down'] is False
        assert resp.body['service']['state'] == 'up'

    def test_status_and_forced_down_together(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53',
                       body={'status': 'disabled', 'disabled_reason': 'x',
                             'forced_down': True})
        assert resp.status == 200
        service = resp.body['service']
        assert (service['status'], service['disabled_reason'],
                service['forced_down'], service['state']) == \
            ('disabled', 'x', True, 'down')

    def test_reason_with_enabled_is_400(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53',
                       body={'status': 'enabled', 'disabled_reason': 'x'})
        _fault(resp, 400, 'badRequest',
               "Specifying 'disabled_reason' with status other than "
               "'disabled' is invalid.")
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53',
                       body={'forced_down': True, 'disabled_reason': 'x'})
        _fault(resp, 400, 'badRequest')
        listed = _by_binary(api, 'nova-compute')
        assert listed['forced_down'] is False
        assert listed['disabled_reason'] is None

    def test_empty_update_is_400(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={})
        _fault(resp, 400, 'badRequest',
               "At least one of 'status' or 'forced_down' must be "
               "specified in the request body.")

    @pytest.mark.parametrize('body', [
        {'status': 'maybe'},
        {'status': 'disabled', 'host': 'compute1'},
        {'forced_down': 'yes'},
        {'status': 'disabled', 'disabled_reason': ''},
        {'status': 'disabled', 'disabled_reason': 'x' * 256},
    ])
    def test_invalid_update_body_is_400(self, api, body):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body=body)
        _fault(resp, 400, 'badRequest')
        assert _by_binary(api, 'nova-compute')['status'] == 'enabled'

    def test_malformed_body_is_400(self, api):
        compute = _by_binary(api, 'nova-compute')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', raw_body=b'{"status": ')
        msg = _fault(resp, 400, 'badRequest')
        assert msg.startswith('Malformed request body')

    def test_non_uuid_id_at_2_53_is_400(self, api):
        compute = _by_binary(api, 'nova-compute', version='2.1')
        resp = api.put('/v2.1/os-services/%s' % compute['id'],
                       version='2.53', body={'status': 'disabled'})
        msg = _fault(resp, 400, 'badRequest')
        assert str(compute['id']) in msg
        resp = api.put('/v2.1/os-services/disable', version='2.53',
                       body={'host': 'compute1', 'binary': 'nova-compute'})
        _fault(resp, 400, 'badRequest')
        assert _by_binary(api, 'nova-compute')['status'] == 'enabled'

    def test_unknown_uuid_is_404(self, api):
        missing = str(uuid.uuid4())
        resp = api.put('/v2.1/os-services/%s' % missing, version='2.53',
                       body={'status': 'disabled'})
        _fault(resp, 404, 'itemNotFound',
               'Service %s could not be found.' % missing)

    @pytest.mark.parametrize('binary', ['nova-conductor', 'nova-scheduler'])
    def test_update_non_compute_is_400(self, api, binary):
        service = _by_binary(api, binary)
        resp = api.put('/v2.1/os-services/%s' % service['id'],
                       version='2.53', body={'status': 'disabled'})
        msg = _fault(resp, 400, 'badRequest')
        assert binary in msg
        assert _by_binary(api, binary)['status'] == 'enabled'

    def test_update_as_non_admin_is_403(self, api):
        compute = _by_binary(api, 'nova-compute')
        demo = api.as_user('demo:demo')
        resp = demo.put('/v2.1/os-services/%s' % compute['id'],
                        version='2.53', body={'status': 'disabled'})
        _fault(resp, 403, 'forbidden',
               "Policy doesn't allow os_compute_api:os-services:update to "
               "be performed.")
        assert _by_binary(api, 'nova-compute')['status'] == 'enabled'

    # --- legacy actions (< 2.53) --------------------------------------------

    def test_legacy_disable_and_enable(self, api):
        host_binary = {'host': 'compute1', 'binary': 'nova-compute'}
        resp = api.put('/v2.1/os-services/disable', body=host_binary)
        assert resp.status == 200, resp
        assert resp.body == {'service': {'host': 'compute1',
                                         'binary': 'nova-compute',
                                         'status': 'disabled'}}
        listed = _by_binary(api, 'nova-compute', version='2.1')
        assert listed['status'] == 'disabled'
        assert listed['disabled_reason'] is None

        resp = api.put('/v2.1/os-services/enable', body=host_binary)
        assert resp.status == 200
        assert resp.body == {'service': {'host': 'compute1',
                                         'binary': 'nova-compute',
                                         'status': 'enabled'}}
        assert _by_binary(api, 'nova-compute')['status'] == 'enabled'

    def test_legacy_disable_log_reason(self, api):
        resp = api.put('/v2.1/os-services/disable-log-reason', version='2.52',
                       body={'host': 'compute1', 'binary': 'nova-compute',
                             'disabled_reason': 'broken disk'})
        assert resp.status == 200, resp
        assert resp.body == {'service': {
            'host': 'compute1', 'binary': 'nova-compute',
            'status': 'disabled', 'disabled_reason': 'broken disk'}}
        listed = _by_binary(api, 'nova-compute')
        assert listed['status'] == 'disabled'
        assert listed['disabled_reason'] == 'broken disk'
        resp = api.put('/v2.1/os-services/enable',
                       body={'host': 'compute1', 'binary': 'nova-compute'})
        assert resp.status == 200
        assert _by_binary(api, 'nova-compute')['disabled_reason'] is None

    def test_legacy_force_down_at_2_11(self, api):
        body = {'host': 'compute1', 'binary': 'nova-compute',
                'forced_down': True}
        resp = api.put('/v2.1/os-services/force-down', version='2.11',
                       body=body)
        assert resp.status == 200, resp
        assert resp.body == {'service': body}
        listed = _by_binary(api, 'nova-compute', version='2.11')
        assert listed['forced_down'] is True
        assert listed['state'] == 'down'
        body['forced_down'] = False
        resp = api.put('/v2.1/os-services/force-down', version='2.11',
                       body=body)
        assert resp.status == 200
        assert resp.body == {'service': body}
        assert _by_binary(api, 'nova-compute')['state'] == 'up'

    def test_legacy_force_down_before_2_11_is_404(self, api):
        resp = api.put('/v2.1/os-services/force-down', version='2.10',
                       body={'host': 'compute1', 'binary': 'nova-compute',
                             'forced_down': True})
        _fault(resp, 404, 'itemNotFound')
        assert _by_binary(api, 'nova-compute')['forced_down'] is False

    def test_legacy_unknown_action_is_404(self, api):
        resp = api.put('/v2.1/os-services/reboot',
                       body={'host': 'compute1', 'binary': 'nova-compute'})
        _fault(resp, 404, 'itemNotFound')

    def test_legacy_unknown_host_is_404(self, api):
        resp = api.put('/v2.1/os-services/disable',
                       body={'host': 'nosuch', 'binary': 'nova-compute'})
        _fault(resp, 404, 'itemNotFound',
               'Compute host nosuch could not be found.')
        resp = api.put('/v2.1/os-services/enable',
                       body={'host': 'compute1', 'binary': 'nova-nothing'})
        _fault(resp, 404, 'itemNotFound')

    @pytest.mark.parametrize('body', [
        {'host': 'compute1'},
        {'binary': 'nova-compute'},
        {'host': 'compute1', 'binary': 'nova-compute', 'extra': 1},
        {'host': 'compute1', 'binary': 'nova-compute',
         'disabled_reason': 'only for disable-log-reason'},
    ])
    def test_legacy_invalid_body_is_400(self, api, body):
        resp = api.put('/v2.1/os-services/disable', body=body)
        _fault(resp, 400, 'badRequest')
        assert _by_binary(api, 'nova-compute')['status'] == 'enabled'

    def test_legacy_force_down_requires_flag(self, api):
        resp = api.put('/v2.1/os-services/force-down', version='2.11',
                       body={'host': 'compute1', 'binary': 'nova-compute'})
        msg = _fault(resp, 400, 'badRequest')
        assert 'forced_down' in msg

    # --- delete (errors only; success needs its own cloud) -----------------

    def test_delete_errors(self, api):
        resp = api.delete('/v2.1/os-services/not-a-uuid', version='2.53')
        _fault(resp, 400, 'badRequest')
        resp = api.delete('/v2.1/os-services/abc')
        _fault(resp, 400, 'badRequest')
        missing = str(uuid.uuid4())
        resp = api.delete('/v2.1/os-services/%s' % missing, version='2.53')
        _fault(resp, 404, 'itemNotFound',
               'Service %s could not be found.' % missing)
        resp = api.delete('/v2.1/os-services/99999')
        _fault(resp, 404, 'itemNotFound')
        compute = _by_binary(api, 'nova-compute')
        resp = api.as_user('demo:demo').delete(
            '/v2.1/os-services/%s' % compute['id'], version='2.53')
        _fault(resp, 403, 'forbidden',
               "Policy doesn't allow os_compute_api:os-services:delete to "
               "be performed.")
        assert len(_services(api)) == 3


# --- tests with a cloud of their own ---------------------------------------

def _find_service(cloud, binary):
    return [s for s in cloud.services if s.binary == binary][0]


def test_delete_service_by_uuid():
    cloud = fixtures.Cloud(computes=('compute1', 'compute2'),
                           overrides=QUIET).start()
    try:
        api = cloud.api
        services = _services(api)
        assert sorted(s['host'] for s in services
                      if s['binary'] == 'nova-compute') == ['compute1',
                                                            'compute2']
        victim = [s for s in services if s['host'] == 'compute2'][0]
        # Stop it first so that it does not heartbeat into a deleted row.
        cloud.stop_service([s for s in cloud.services
                            if s.host == 'compute2'][0])
        resp = api.delete('/v2.1/os-services/%s' % victim['id'],
                          version='2.53')
        assert resp.status == 204
        assert resp.text == ''
        remaining = _services(api)
        assert victim['id'] not in [s['id'] for s in remaining]
        assert [s['host'] for s in remaining
                if s['binary'] == 'nova-compute'] == ['compute1']
        assert len(remaining) == 3
        resp = api.delete('/v2.1/os-services/%s' % victim['id'],
                          version='2.53')
        _fault(resp, 404, 'itemNotFound')
        resp = api.put('/v2.1/os-services/disable',
                       body={'host': 'compute2', 'binary': 'nova-compute'})
        _fault(resp, 404, 'itemNotFound',
               'Compute host compute2 could not be found.')

        # At 2.1 the integer id deletes.
        compute1 = [s for s in _services(api, version='2.1')
                    if s['host'] == 'compute1'][0]
        resp = api.delete('/v2.1/os-services/%d' % compute1['id'])
        assert resp.status == 204
        assert [s['binary'] for s in _services(api, version='2.1')] == [
            'nova-conductor', 'nova-scheduler']
    finally:
        cloud.stop()


def test_service_without_heartbeat_goes_down():
    cloud = fixtures.Cloud(
        overrides={'report_interval': 1, 'service_down_time': 2}).start()
    try:
        api = cloud.api
        services = _services(api)
        assert {s['binary']: s['state'] for s in services} == {
            b: 'up' for b in BINARIES}
        before = {s['binary']: s for s in services}
        compute = _find_service(cloud, 'nova-compute')
        cloud.stop_service(compute)
        deadline = time.monotonic() + 10
        state = None
        while time.monotonic() < deadline:
            state = _by_binary(api, 'nova-compute')['state']
            if state == 'down':
                break
            time.sleep(0.25)
        assert state == 'down'
        by_binary = {s['binary']: s for s in _services(api)}
        assert by_binary['nova-compute']['state'] == 'down'
        # Down is not disabled, nor forced down.
        assert by_binary['nova-compute']['status'] == 'enabled'
        assert by_binary['nova-compute']['forced_down'] is False
        assert by_binary['nova-conductor']['state'] == 'up'
        assert by_binary['nova-scheduler']['state'] == 'up'
        # updated_at is the last heartbeat: the compute's stopped, the
        # conductor's went on.
        def updated(services, binary):
            return datetime.datetime.fromisoformat(
                services[binary]['updated_at'])

        assert updated(by_binary, 'nova-compute') >= \
            updated(before, 'nova-compute')
        assert updated(by_binary, 'nova-conductor') > \
            updated(before, 'nova-conductor')
        assert updated(by_binary, 'nova-conductor') > \
            updated(by_binary, 'nova-compute')
    finally:
        cloud.stop()


def test_a_conductor_that_does_not_answer_is_a_503_not_a_500():
    cloud = fixtures.Cloud(overrides={'rpc_response_timeout': 1}).start()
    try:
        cloud.stop_service([s for s in cloud.services
                            if s.binary == 'nova-conductor'][0])
        resp = cloud.api.get('/v2.1/servers')
        assert resp.status == 503, resp
        assert resp.body['serviceUnavailable']['message'] == \
            faults.SERVICE_UNAVAILABLE_MESSAGE
    finally:
        cloud.stop()
