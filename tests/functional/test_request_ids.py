"""One request's id reaches the conductor's log lines over RPC."""

import io
import logging as py_logging
import re

from oslo_log import formatters
import pytest

from nova import conf as nova_conf


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    handler = py_logging.StreamHandler(stream)
    handler.setFormatter(formatters.ContextFormatter(
        project='nova', version='test', config=nova_conf.CONF))
    logger = py_logging.getLogger('nova')
    old_level = logger.level
    logger.setLevel(py_logging.DEBUG)
    logger.addHandler(handler)
    yield lambda: stream.getvalue().splitlines()
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_conductor_logs_the_api_request_id(api, log_lines):
    resp = api.as_user('demo:demo').get('/v2.1/flavors')
    assert resp.status == 200
    request_id = resp.headers['x-openstack-request-id']
    lines = [line for line in log_lines() if request_id in line]
    api_lines = [line for line in lines if 'nova.api.requestlog' in line]
    conductor_lines = [line for line in lines
                       if 'nova.conductor.manager' in line]
    assert any('"GET /v2.1/flavors" status: 200' in line
               for line in api_lines), lines
    assert any('flavor_get_all took' in line for line in conductor_lines)
    # [global_request_id request_id user project]
    assert all(re.search(r'\[None %s demo demo\]' % request_id, line)
               for line in conductor_lines)


def test_inbound_global_request_id_travels_to_the_conductor(api, log_lines):
    global_id = 'req-12345678-1234-1234-1234-123456789abc'
    resp = api.get('/v2.1/flavors',
                   headers={'X-OpenStack-Request-ID': global_id})
    request_id = resp.headers['x-openstack-request-id']
    assert request_id != global_id
    conductor_lines = [line for line in log_lines()
                       if 'nova.conductor.manager' in line
                       and request_id in line]
    assert conductor_lines
    assert all('[%s %s admin admin]' % (global_id, request_id) in line
               for line in conductor_lines)


def test_invalid_inbound_global_request_id_is_ignored(api, log_lines):
    resp = api.get('/v2.1/flavors',
                   headers={'X-OpenStack-Request-ID': 'not-a-request-id'})
    request_id = resp.headers['x-openstack-request-id']
    lines = [line for line in log_lines() if request_id in line]
    assert lines and all('not-a-request-id' not in line for line in lines)
    assert all('[None %s' % request_id in line for line in lines)
