"""A real guest's VNC console through the real nova-novncproxy.

stack.sh with the libvirt driver (one compute: the main libvirtd) runs
nova-novncproxy (n-novnc) on a port of this deployment's own; a tiny-linux
guest gets a VNC graphics device on 127.0.0.1.  Through the console URL
the API gives, the proxy serves the distribution's noVNC page and, with
Tempest's own websocket client as its test_novnc uses it, QEMU's RFB
handshake comes back up to ServerInit.  Horizon's Console tab embeds that
console.  A bad token is refused (and logged); unstack.sh stops the proxy.
"""

import os
import re
import struct
import subprocess
import time
import urllib.request
from urllib import parse as urlparse

import pytest
import requests
from tempest.common import compute as tempest_compute

from tests.integration import conftest
from tests.integration import consoles
from tests.integration import horizon_browser

BOOT_TIMEOUT = 240
# The page consoles open: noVNC's own lightweight one (Debian's
# vnc_auto.html is its full app, which waits for a click on Connect).
PAGE = 'vnc_lite.html'


@pytest.fixture(scope='module')
def cloud(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('stack-novnc')
    database = conftest.Database('sqlite', tmp_path)
    deploy = conftest.Deployment(tmp_path, database, virt_driver='libvirt',
                                 env={'NOVA_COMPUTES': '1',
                                      'NOVA_ENABLE_HORIZON': 'True'})
    result = deploy.stack()
    try:
        assert result.returncode == 0, (
            'stack.sh failed:\n%s\n%s' % (result.stdout[-3000:],
                                          result.stderr[-3000:]))
        assert 'consoles: noVNC at http://127.0.0.1:%d/%s' % (
            deploy.novnc_port, PAGE) in result.stdout, result.stdout[-2000:]
        deploy.openstack('flavor', 'create', '--ram', '256', '--disk', '1',
                         '--vcpus', '1', 'lv.tiny', cloud='devstack-admin')
        yield deploy
    finally:
        deploy.unstack()
        deploy.delete_vhost()


@pytest.fixture(scope='module')
def server(cloud):
    created = cloud.openstack_json('server', 'create', '--image',
                                   'tiny-linux', '--flavor', 'lv.tiny',
                                   '--wait', 'vm1')
    # By id: the admin looks names up in its own project.
    return cloud.openstack_json('server', 'show', created['id'],
                                cloud='devstack-admin')


def test_the_guest_has_a_vnc_server_on_server_listen(cloud, server):
    xml = subprocess.run(
        ['virsh', '-c', 'qemu:///system', 'dumpxml',
         server['OS-EXT-SRV-ATTR:instance_name']],
        capture_output=True, text=True, check=True).stdout
    graphics = re.search(r"<graphics type='vnc' port='(\d+)'[^>]*"
                         r"listen='127.0.0.1'", xml)
    assert graphics and int(graphics.group(1)) >= 5900, xml


def test_the_console_url_serves_novnc(cloud, server):
    url = consoles.console_url(cloud, server)
    assert url.startswith('http://127.0.0.1:%d/%s?path='
                          % (cloud.novnc_port, PAGE)), url
    # Tempest's validate_novnc_html.
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert resp.status == 200
        page = resp.read().decode()
    assert re.search('<html.*>', page) and '</html>' in page
    assert 'noVNC' in page and '<script' in page


def test_rfb_from_qemu_through_the_proxy(cloud, server):
    """Tempest's test_novnc: websocket upgrade, then RFB up to
    ServerInit, from QEMU's VNC server."""
    websocket = tempest_compute.create_websocket(consoles.console_url(cloud,
                                                              server))
    try:
        assert websocket.response.startswith(
            b'HTTP/1.1 101 Switching Protocols'), websocket.response
        data = websocket.receive_frame()
        assert data in (b'RFB 003.008\n', b'RFB 003.003\n'), data
        websocket.send_frame(b'RFB 003.008\n')
        data = websocket.receive_frame()
        assert 1 in data[1:1 + data[0]], data  # security type None
        websocket.send_frame(bytes((1,)))
        assert websocket.receive_frame() == bytes(4)
        websocket.send_frame(bytes((1,)))
        data = websocket.receive_frame()
        assert len(data) > 24
        assert len(data) == struct.unpack('>L', data[20:24])[0] + 24
        width, height = struct.unpack('>HH', data[:4])
        assert width > 0 and height > 0
    finally:
        websocket.close()
    log = cloud.log('n-novnc')
    accepted = re.search(r'(req-[0-9a-f-]{36}) [^\]]*\] \[instance: %s\] '
                         r'Console connection from 127\.0\.0\.1 accepted: '
                         r'novnc console at 127\.0\.0\.1:59\d\d'
                         % server['id'], log)
    assert accepted, log[-3000:]
    # The proxy's request id is in the conductor's lines of the check.
    assert accepted.group(1) in cloud.log('n-cond'), accepted.group(1)
    # Tokens open consoles: none in the log.
    assert not re.search(r'token(=|%3D)(?!\*\*\*)', log), log[-3000:]


def _horizon_login(cloud, user='demo', password='secret'):
    session = requests.Session()
    login = cloud.horizon_url + 'auth/login/'
    page = session.get(login, timeout=60)
    assert page.status_code == 200, page.text[-2000:]
    fields = dict(re.findall(
        r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    fields.update(username=user, password=password)
    resp = session.post(login, data=fields, headers={'Referer': login},
                        timeout=60)
    assert resp.status_code == 200 and 'auth/login' not in resp.url, (
        resp.url, resp.text[-2000:])
    return session


def test_horizon_s_console_tab_shows_the_guest_s_screen(cloud, server):
    """The Console tab of the instance's page embeds noVNC from the
    proxy (an iframe); through its URL the guest's RFB banner comes."""
    session = _horizon_login(cloud)
    tab = session.get(
        cloud.horizon_url + 'project/instances/%s/' % server['id'],
        params={'tab': 'instance_details__console'},
        headers={'X-Requested-With': 'XMLHttpRequest'}, timeout=120)
    assert tab.status_code == 200, tab.text[-2000:]
    frame = re.search(r'<iframe id="console_embed" src="([^"]+)"', tab.text)
    assert frame, tab.text[-3000:]
    url = frame.group(1).replace('&amp;', '&')
    assert url.startswith('http://127.0.0.1:%d/%s?path='
                          % (cloud.novnc_port, PAGE)), url
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert 'noVNC' in resp.read().decode()
    assert consoles.rfb_banner(url) in (b'RFB 003.008\n', b'RFB 003.003\n')


def test_the_console_tab_connects_in_a_browser(cloud, server):
    """In a real browser the Console tab's noVNC connects by itself to
    the guest's screen: QEMU's desktop name in its status bar, a canvas
    of the guest's size."""
    dash = horizon_browser.Dashboard(cloud.horizon_url, cloud.logdir,
                                     'horizon-console')
    try:
        dash.login('demo', cloud.env.get('ADMIN_PASSWORD', 'secret'))
        dash.open_page('project/instances/%s/?tab=instance_details__console'
                       % server['id'], server['name'])
        dash.driver.switch_to.frame(dash.visible(
            '//iframe[@id="console_embed"]', timeout=60,
            what='the console iframe'))
        status = dash.visible('//*[@id="status"][starts-with('
                              'normalize-space(), "Connected")]',
                              timeout=60, what='noVNC connected')
        assert server['OS-EXT-SRV-ATTR:instance_name'] in status.text, \
            status.text
        canvas = dash.visible('//canvas', what='the screen')
        assert int(canvas.get_attribute('width')) >= 640, \
            canvas.get_attribute('width')
    finally:
        dash.quit()


def test_a_bad_token_is_refused(cloud, server):
    url = consoles.console_url(cloud, server)
    parts = urlparse.urlparse(url)
    bad = parts._replace(query=urlparse.urlencode(
        {'path': '?token=bad'})).geturl()
    websocket = tempest_compute.create_websocket(bad)
    try:
        assert websocket.response.startswith(
            b'HTTP/1.1 403 The console token is invalid or has expired.'), \
            websocket.response
        assert not websocket.receive_frame()
    finally:
        websocket.close()
    assert 'refused: The console token is invalid or has expired.' in \
        cloud.log('n-novnc')


def test_unstack_stops_the_proxy(cloud, server):
    pid = cloud.pid('n-novnc')
    os.kill(pid, 0)
    result = cloud.unstack()
    assert result.returncode == 0, result.stderr[-2000:]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        pytest.fail('nova-novncproxy (pid %d) still runs' % pid)
    assert 'stopped n-novnc' in result.stdout, result.stdout[-2000:]
