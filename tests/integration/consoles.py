"""A server's VNC console through the deployment's nova-novncproxy, as
Tempest's test_novnc reaches it."""

from tempest.common import compute as tempest_compute


def console_url(cloud, server):
    token = cloud.token(user='demo', project='demo')
    status, _headers, body = cloud.api(
        'POST', '/servers/%s/remote-consoles' % server['id'], token,
        {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}},
        version='2.6')
    assert status == 200, body
    return body['remote_console']['url']


def rfb_banner(url):
    websocket = tempest_compute.create_websocket(url)
    try:
        assert websocket.response.startswith(
            b'HTTP/1.1 101 Switching Protocols'), websocket.response
        return websocket.receive_frame()
    finally:
        websocket.close()
