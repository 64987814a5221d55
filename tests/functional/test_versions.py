"""Version documents, microversion negotiation, request ids and routing.

Contract: compute-api-facts.md sections 0, 4.1, 5.6, 5.7 and 7.1.
"""

import logging
import re
import uuid

from oslo_context import context as oslo_context
import pytest

from nova.api import microversion
from tests.functional import fixtures

MAX = '%d.%d' % microversion.MAX_VERSION
REQ_ID_RE = re.compile(
    r'^req-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$')
STD = 'OpenStack-API-Version'
LEGACY = 'X-OpenStack-Nova-API-Version'


# Heartbeats only at start (report_interval far beyond the module's run
# time, within service_down_time so services stay 'up'): periodic heartbeat
# writes racing the API's writes hit the shared-SQLite-connection bug that
# test_keypairs.test_concurrent_writes_by_different_users shows.
QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    """One cloud for the module: these tests leave no state behind."""
    cloud = fixtures.Cloud(overrides=QUIET).start()
    yield cloud
    cloud.stop()


def _vary(resp):
    return [v.strip() for v in resp.headers.get('Vary', '').split(',')
            if v.strip()]


def _assert_request_ids(resp):
    local = resp.headers.get('x-openstack-request-id')
    compat = resp.headers.get('x-compute-request-id')
    assert local is not None, resp.headers
    assert REQ_ID_RE.match(local), local
    assert compat == local
    return local


def _assert_fault(resp, code, name, message=None):
    assert resp.status == code, resp
    assert resp.headers['Content-Type'].startswith('application/json')
    body = resp.body
    assert list(body) == [name], body
    assert body[name]['code'] == code
    assert isinstance(body[name]['message'], str)
    assert body[name]['message']
    if message is not None:
        assert body[name]['message'] == message
    return body[name]['message']


# --- Version documents ------------------------------------------------------

def test_max_version_is_sane():
    assert microversion.MIN_VERSION == (2, 1)
    assert microversion.MAX_VERSION >= (2, 92)


def test_versions_list_without_auth(api):
    resp = api.get('/', token='')
    assert resp.status == 200
    versions = resp.body['versions']
    v21 = [v for v in versions if v['id'] == 'v2.1']
    assert len(v21) == 1
    v21 = v21[0]
    assert v21['status'] == 'CURRENT'
    assert v21['version'] == MAX
    assert v21['min_version'] == '2.1'
    assert v21['updated'] == '2013-07-23T11:33:21Z'
    assert v21['links'] == [{'rel': 'self',
                             'href': 'http://localhost/v2.1/'}]
    _assert_request_ids(resp)


def test_versions_list_has_v2_0_first_then_v2_1(api):
    from tempest.lib.api_schema.response.compute.v2_1 import versions
    from tests.functional import tempest_oracle
    resp = api.get('/', token='')
    body = tempest_oracle.validate(versions.list_versions, resp)
    assert [v['id'] for v in body['versions']] == ['v2.0', 'v2.1']
    assert body['versions'][0] == {
        'id': 'v2.0', 'status': 'SUPPORTED', 'version': '',
        'min_version': '', 'updated': '2011-01-21T11:33:21Z',
        'links': [{'rel': 'self', 'href': 'http://localhost/v2/'}]}


def test_versions_list_ignores_bad_token_and_microversion(api):
    # The root is not versioned: a bogus microversion does not matter.
    resp = api.get('/', token='', version='9.9')
    assert resp.status == 200
    assert resp.body['versions'][1]['version'] == MAX


def _check_version_doc(resp):
    assert resp.status == 200, resp
    version = resp.body['version']
    assert version['id'] == 'v2.1'
    assert version['status'] == 'CURRENT'
    assert version['version'] == MAX
    assert version['min_version'] == '2.1'
    assert version['updated'] == '2013-07-23T11:33:21Z'
    assert version['media-types'] == [{
        'base': 'application/json',
        'type': 'application/vnd.openstack.compute+json;version=2.1'}]
    links = {link['rel']: link for link in version['links']}
    assert links['self']['href'] == 'http://localhost/v2.1/'
    assert links['describedby'] == {
        'rel': 'describedby', 'type': 'text/html',
        'href': 'http://docs.openstack.org/'}


def test_version_document_without_slash(api):
    _check_version_doc(api.get('/v2.1', token=''))


def test_version_document_with_slash(api):
    resp = api.get('/v2.1/', token='')
    _check_version_doc(resp)
    _assert_request_ids(resp)


def test_every_listed_version_has_its_document(api):
    # As Tempest's test_get_version_details: each self link answers.
    from tempest.lib.api_schema.response.compute.v2_1 import versions
    from tests.functional import tempest_oracle
    for path in ('/v2', '/v2/'):
        body = tempest_oracle.validate(versions.get_one_version,
                                       api.get(path, token=''))
        assert body['version']['id'] == 'v2.0'
        assert body['version']['status'] == 'SUPPORTED'
        assert body['version']['links'][0] == {
            'rel': 'self', 'href': 'http://localhost/v2/'}
    tempest_oracle.validate(versions.get_one_version,
                            api.get('/v2.1/', token=''))
    # Anything under /v2/ is not served: the choices point at v2.1.
    assert api.get('/v2/servers', token='').status == 300


def test_unknown_root_path_is_multiple_choices(api):
    resp = api.get('/v3/servers', token='')
    assert resp.status == 300
    choices = resp.body['choices']
    assert choices[0]['id'] == 'v2.1'
    assert choices[0]['status'] == 'CURRENT'
    assert choices[0]['links'][0]['href'] == \
        'http://localhost/v2.1/v3/servers'


# --- Microversion negotiation -----------------------------------------------

def test_default_microversion_is_2_1(api):
    resp = api.get('/v2.1/flavors')
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.1'
    assert resp.headers[LEGACY] == '2.1'
    vary = _vary(resp)
    assert STD in vary and LEGACY in vary
    # 2.1 view: no description
    assert 'description' not in resp.body['flavors'][0]


def test_standard_header_accepted_and_echoed(api):
    resp = api.get('/v2.1/flavors', version='2.55')
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.55'
    assert resp.headers[LEGACY] == '2.55'
    vary = _vary(resp)
    assert STD in vary and LEGACY in vary
    # The version took effect: 2.55 adds description.
    assert 'description' in resp.body['flavors'][0]


def test_legacy_header_accepted_and_echoed(api):
    resp = api.get('/v2.1/flavors', headers={LEGACY: '2.55'})
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.55'
    assert resp.headers[LEGACY] == '2.55'
    vary = _vary(resp)
    assert STD in vary and LEGACY in vary
    assert 'description' in resp.body['flavors'][0]


def test_standard_header_wins_over_legacy(api):
    resp = api.get('/v2.1/flavors', version='2.60',
                   headers={LEGACY: '2.2'})
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.60'
    assert resp.headers[LEGACY] == '2.60'


def test_latest_is_max(api):
    resp = api.get('/v2.1/flavors/1', version='latest')
    assert resp.status == 200
    assert resp.headers[STD] == 'compute %s' % MAX
    assert resp.headers[LEGACY] == MAX
    # 2.75: swap is an integer.
    assert resp.body['flavor']['swap'] == 0


def test_legacy_latest_is_max(api):
    resp = api.get('/v2.1/flavors', headers={LEGACY: 'latest'})
    assert resp.status == 200
    assert resp.headers[LEGACY] == MAX


def test_microversion_headers_on_fault(api):
    resp = api.get('/v2.1/flavors/nope', version='2.60')
    _assert_fault(resp, 404, 'itemNotFound')
    assert resp.headers[STD] == 'compute 2.60'
    assert resp.headers[LEGACY] == '2.60'
    vary = _vary(resp)
    assert STD in vary and LEGACY in vary


def test_min_and_max_versions_accepted(api):
    for version in ('2.1', MAX):
        resp = api.get('/v2.1/flavors', version=version)
        assert resp.status == 200
        assert resp.headers[LEGACY] == version


def test_version_out_of_range_is_406(api):
    resp = api.get('/v2.1/flavors', version='3.0')
    _assert_fault(resp, 406, 'computeFault',
                  'Version 3.0 is not supported by the API. Minimum is 2.1 '
                  'and maximum is %s.' % MAX)
    _assert_request_ids(resp)


def test_version_above_max_is_406(api):
    too_high = '2.%d' % (microversion.MAX_VERSION[1] + 1)
    resp = api.get('/v2.1/flavors', version=too_high)
    _assert_fault(resp, 406, 'computeFault',
                  'Version %s is not supported by the API. Minimum is 2.1 '
                  'and maximum is %s.' % (too_high, MAX))


def test_version_below_min_is_406(api):
    resp = api.get('/v2.1/flavors', version='2.0')
    _assert_fault(resp, 406, 'computeFault',
                  'Version 2.0 is not supported by the API. Minimum is 2.1 '
                  'and maximum is %s.' % MAX)


def test_legacy_header_out_of_range_is_406(api):
    resp = api.get('/v2.1/flavors', headers={LEGACY: '3.0'})
    _assert_fault(resp, 406, 'computeFault',
                  'Version 3.0 is not supported by the API. Minimum is 2.1 '
                  'and maximum is %s.' % MAX)


def test_malformed_versions_are_400(api):
    for bad in ('2.x', '2.01', 'two', '2', '02.1', '2.1.1'):
        resp = api.get('/v2.1/flavors', version=bad)
        _assert_fault(
            resp, 400, 'badRequest',
            'API Version String %s is of invalid format. Must be of format '
            'MajorNum.MinorNum.' % bad)


def test_other_service_type_ignored(api):
    # A version for another service is not ours: default 2.1.
    resp = api.get('/v2.1/flavors',
                   headers={STD: 'volume 3.50'})
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.1'


def test_header_listing_several_services(api):
    resp = api.get('/v2.1/flavors',
                   headers={STD: 'volume 3.50, compute 2.55'})
    assert resp.status == 200
    assert resp.headers[STD] == 'compute 2.55'
    assert 'description' in resp.body['flavors'][0]


# --- Request ids ------------------------------------------------------------

def test_request_ids_on_success(api):
    first = _assert_request_ids(api.get('/v2.1/flavors'))
    second = _assert_request_ids(api.get('/v2.1/flavors'))
    assert first != second


def test_request_ids_on_404(api):
    resp = api.get('/v2.1/flavors/missing')
    _assert_fault(resp, 404, 'itemNotFound',
                  'Flavor missing could not be found.')
    _assert_request_ids(resp)


def test_request_ids_on_401(api):
    resp = api.get('/v2.1/flavors', token='')
    _assert_fault(resp, 401, 'unauthorized', 'Authentication required')
    _assert_request_ids(resp)


def test_request_ids_on_400(api):
    resp = api.get('/v2.1/flavors?minRam=abc')
    _assert_fault(resp, 400, 'badRequest')
    _assert_request_ids(resp)


def test_request_ids_on_406_and_405(api):
    _assert_request_ids(api.get('/v2.1/flavors', version='9.0'))
    resp = api.delete('/v2.1/flavors')
    assert resp.status == 405
    _assert_request_ids(resp)


class _ContextCapture(logging.Handler):
    """Records the request context current when each line is logged."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        ctxt = getattr(record, 'context', None) or \
            oslo_context.get_current()
        self.records.append((record.getMessage(),
                             getattr(ctxt, 'request_id', None),
                             getattr(ctxt, 'global_request_id', None)))


def _capture_requestlog():
    logger = logging.getLogger('nova.api.requestlog')
    handler = _ContextCapture()
    old_level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)

    def restore():
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return handler, restore


def test_inbound_request_id_becomes_global_id(api):
    inbound = 'req-%s' % uuid.uuid4()
    handler, restore = _capture_requestlog()
    try:
        resp = api.get('/v2.1/flavors',
                       headers={'X-OpenStack-Request-ID': inbound})
    finally:
        restore()
    assert resp.status == 200
    assert len(resp.body['flavors']) == 5
    local = _assert_request_ids(resp)
    # The local id is fresh; the inbound one is never echoed back.
    assert local != inbound
    assert inbound not in resp.headers.values()
    lines = [r for r in handler.records if 'GET /v2.1/flavors' in r[0]]
    assert lines, handler.records
    status_lines = [r for r in lines if 'status: 200' in r[0]]
    assert status_lines, lines
    for _message, request_id, global_id in status_lines:
        assert request_id == local
        assert global_id == inbound


def test_invalid_inbound_request_id_is_ignored(api):
    handler, restore = _capture_requestlog()
    try:
        resp = api.get('/v2.1/flavors',
                       headers={'X-OpenStack-Request-ID': 'not-an-id'})
    finally:
        restore()
    assert resp.status == 200
    local = _assert_request_ids(resp)
    assert local != 'not-an-id'
    status_lines = [r for r in handler.records if 'status: 200' in r[0]]
    assert status_lines
    for _message, request_id, global_id in status_lines:
        assert request_id == local
        assert global_id is None


def test_request_log_line_format(api):
    handler, restore = _capture_requestlog()
    try:
        resp = api.get('/v2.1/flavors/1', version='2.55')
    finally:
        restore()
    assert resp.status == 200
    messages = [r[0] for r in handler.records]
    matching = [m for m in messages
                if re.match(r'^\S+ "GET /v2\.1/flavors/1" status: 200 len: '
                            r'\d+ microversion: 2\.55 time: \d+\.\d{6}$', m)]
    assert matching, messages


# --- Routing and auth -------------------------------------------------------

def test_unknown_path_is_404(api):
    resp = api.get('/v2.1/os-nothing-here')
    msg = _assert_fault(resp, 404, 'itemNotFound')
    assert 'could not be found' in msg
    assert resp.headers[STD] == 'compute 2.1'


def test_unknown_nested_path_is_404(api):
    resp = api.get('/v2.1/flavors/1/os-nothing/x/y')
    _assert_fault(resp, 404, 'itemNotFound')


def test_wrong_method_is_405_with_allow(api):
    resp = api.delete('/v2.1/flavors')
    _assert_fault(resp, 405, 'badMethod',
                  'The method DELETE is not allowed for this resource.')
    allowed = sorted(m.strip() for m in resp.headers['Allow'].split(','))
    assert allowed == ['GET', 'POST']


def test_wrong_method_on_item_is_405(api):
    resp = api.post('/v2.1/flavors/1', body={})
    _assert_fault(resp, 405, 'badMethod')
    allowed = sorted(m.strip() for m in resp.headers['Allow'].split(','))
    assert allowed == ['DELETE', 'GET', 'PUT']
    resp = api.put('/v2.1/os-services', body={})
    _assert_fault(resp, 405, 'badMethod')
    assert resp.headers['Allow'].strip() == 'GET'


def test_unknown_path_without_token_is_401(api):
    resp = api.get('/v2.1/os-nothing-here', token='')
    _assert_fault(resp, 401, 'unauthorized')


def test_oversized_body_is_413(cloud, api):
    limit = cloud.conf.api.max_request_body_size
    resp = api.post('/v2.1/flavors', raw_body=b' ' * (limit + 1))
    msg = _assert_fault(resp, 413, 'overLimit')
    assert str(limit) in msg
    _assert_request_ids(resp)


def test_missing_token_is_401(api):
    resp = api.get('/v2.1/flavors', token='')
    _assert_fault(resp, 401, 'unauthorized')
    assert resp.headers['WWW-Authenticate'] == 'Token'


def test_blank_token_is_401(api):
    resp = api.get('/v2.1/os-keypairs', token='',
                   headers={'X-Auth-Token': '   '})
    _assert_fault(resp, 401, 'unauthorized')


def test_project_id_prefix_for_matching_project(api):
    demo = api.as_user('demo:demo')
    resp = demo.get('/v2.1/demo/flavors')
    assert resp.status == 200
    assert [f['id'] for f in resp.body['flavors']] == \
        ['1', '2', '3', '4', '5']
    resp = demo.get('/v2.1/demo/flavors/detail')
    assert resp.status == 200
    assert resp.body['flavors'][0]['ram'] == 512
    resp = demo.get('/v2.1/demo/flavors/2')
    assert resp.status == 200
    assert resp.body['flavor']['name'] == 'm1.small'


def test_project_id_prefix_for_other_project_refused(api):
    demo = api.as_user('demo:demo')
    resp = demo.get('/v2.1/other/flavors')
    msg = _assert_fault(resp, 400, 'badRequest')
    assert 'other' in msg and 'demo' in msg
    resp = demo.get('/v2.1/other/flavors/1')
    _assert_fault(resp, 400, 'badRequest')


def test_project_id_prefix_other_project_allowed_for_admin(api):
    resp = api.get('/v2.1/someproject/flavors')
    assert resp.status == 200
    assert len(resp.body['flavors']) == 5


def test_project_id_prefix_does_not_shadow_resource_paths(api):
    """A key pair named 'flavors' is a key pair, not a prefixed /flavors.

    /os-keypairs/flavors must reach the key pair handlers rather than
    be read as /{project_id}/flavors with project_id 'os-keypairs'.
    """
    resp = api.post('/v2.1/os-keypairs', body={'keypair': {
        'name': 'flavors'}})
    assert resp.status == 200, resp
    resp = api.get('/v2.1/os-keypairs/flavors')
    assert resp.status == 200, resp
    assert resp.body['keypair']['name'] == 'flavors'
    resp = api.delete('/v2.1/os-keypairs/flavors')
    assert resp.status == 202, resp
    assert resp.text == ''
