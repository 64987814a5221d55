"""Keystone at the edges: tokens that expire, service tokens, Keystone down.

Its own deployment (SQLite) whose Keystone issues tokens that live 10 s,
and whose fake driver waits 15 s before it uploads a snapshot: the user's
token has expired by the time nova-compute sends the image to Glance.
Nova has no Glance user of its own there ([glance] auth_type unset), so
only the user's token with nova's service token can make the upload.
"""

import os
import signal
import time

import pytest

from tests.integration import conftest

TOKEN_SECONDS = 10


@pytest.fixture(scope='module')
def deployment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-keystone')
    database = conftest.Database('sqlite', tmp_path)
    yield from conftest.stacked(conftest.Deployment(tmp_path, database, env={
        'KEYSTONE_TOKEN_EXPIRATION': str(TOKEN_SECONDS),
        # No [glance] user of nova's own: a call that lost the user's
        # token fails instead of succeeding as nova.
        'NOVA_EXTRA_CONF': '[fake_driver]\noperation_delays = snapshot:%d\n'
                           '[glance]\nauth_type =' % (TOKEN_SECONDS + 5),
        'NOVA_COMPUTES': '1'}))


def _wait_for(what, predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    pytest.fail('timed out after %ss waiting for %s' % (timeout, what))


def test_expired_token_is_refused(deployment):
    token = deployment.token('demo', 'demo')
    status, _, body = deployment.api('GET', '/servers', token)
    assert status == 200, body
    time.sleep(TOKEN_SECONDS + 1)
    # The validation nova-api cached ends with the token.
    status, headers, body = deployment.api('GET', '/servers', token)
    assert status == 401, body
    assert headers['WWW-Authenticate'].startswith('Keystone uri=')


def test_snapshot_uploads_after_the_users_token_expired(deployment):
    token = deployment.token('demo', 'demo')
    status, _, body = deployment.api('POST', '/servers', token, {'server': {
        'name': 'snap-vm', 'imageRef': _image_id(deployment, token),
        'flavorRef': '1', 'networks': 'none'}}, version='2.37')
    assert status == 202, body
    server_id = body['server']['id']
    # Each look with a fresh token: one lives 10 s, a loaded CI machine
    # may take longer than that to build.
    _wait_for('the server to be ACTIVE', lambda: deployment.api(
        'GET', '/servers/%s' % server_id, deployment.token('demo', 'demo'))[
            2]['server']['status'] == 'ACTIVE', 60)
    # A fresh token: it expires while the driver waits to upload.
    token = deployment.token('demo', 'demo')
    started = time.monotonic()
    status, _, body = deployment.api(
        'POST', '/servers/%s/action' % server_id, token,
        {'createImage': {'name': 'late-snapshot'}}, version='2.45')
    assert status == 202, body
    image_id = body['image_id']
    def image():
        import requests  # each look with a fresh token: they live 10 s
        resp = requests.get('%s/v2/images/%s' % (deployment.glance_endpoint,
                                                 image_id),
                            headers={'X-Auth-Token': deployment.token()},
                            timeout=30)
        assert resp.status_code == 200, resp.text
        return resp.json()

    done = _wait_for('the snapshot to be active',
                     lambda: image()['status'] == 'active' and image(), 60)
    assert time.monotonic() - started > TOKEN_SECONDS
    assert done['size'] > 0
    # ... and the user's own token really had expired by then.
    status, _, _ = deployment.api('GET', '/servers', token)
    assert status == 401
    server = deployment.api('GET', '/servers/%s' % server_id,
                            deployment.token('demo', 'demo'))[2]['server']
    assert server['status'] == 'ACTIVE'
    assert server['OS-EXT-STS:task_state'] is None
    assert 'Traceback' not in deployment.log('n-cpu')
    # Glance accepted the expired token because nova's service token came
    # with it: its auth_token asked Keystone to validate it allow_expired.
    assert 'allow_expired=1' in deployment.log('k-access')


def _image_id(deployment, token):
    import requests
    resp = requests.get('%s/v2/images?name=%s' % (deployment.glance_endpoint,
                                                  deployment.image_name),
                        headers={'X-Auth-Token': token}, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()['images'][0]['id']


def test_keystone_down_is_503_not_500(deployment):
    # A token nova-api has not validated yet, then Keystone goes away.
    token = deployment.token('demo', 'demo')
    os.kill(deployment.pid('k-api'), signal.SIGTERM)
    _wait_for('keystone to stop', lambda: not _alive(deployment.pid('k-api')),
              30)
    status, _, body = deployment.api('GET', '/servers', token)
    assert status == 503, body
    assert body['serviceUnavailable']['code'] == 503
    assert 'Keystone' in body['serviceUnavailable']['message']
    assert 'Traceback' not in str(body)


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
