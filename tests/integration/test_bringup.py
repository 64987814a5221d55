"""stack.sh's deployment, driven with the unmodified openstack client."""

import os
import re
import signal
import subprocess

RPC_SERVICES = {'nova-conductor': 'up', 'nova-scheduler': 'up',
                'nova-compute': 'up'}
REQUEST_ID = re.compile(r'x-openstack-request-id: (req-[0-9a-f-]{36})',
                        re.IGNORECASE)


def test_rpc_services_report_up(deployment):
    assert deployment.service_states() == RPC_SERVICES


def test_nova_api_lets_thousands_of_connections_wait(deployment):
    # The listen backlog ([DEFAULT] osapi_compute_listen_backlog, 4096,
    # capped by the kernel), not cheroot's 5: a burst of clients waits
    # instead of being reset.  ss shows a listener's backlog as Send-Q.
    with open('/proc/sys/net/core/somaxconn') as f:
        expected = min(4096, int(f.read()))
    out = subprocess.run(['ss', '-ltnH', 'sport = :%d' % deployment.port],
                         capture_output=True, text=True, check=True).stdout
    (line,) = out.splitlines()
    assert int(line.split()[2]) == expected, line


def test_flavor_list_shows_default_flavors(deployment):
    flavors = deployment.openstack_json('flavor', 'list')
    assert sorted((f['ID'], f['Name'], f['RAM'], f['VCPUs'], f['Disk'])
                  for f in flavors) == [
        ('1', 'm1.tiny', 512, 1, 1), ('2', 'm1.small', 2048, 1, 20),
        ('3', 'm1.medium', 4096, 2, 40), ('4', 'm1.large', 8192, 4, 80),
        ('5', 'm1.xlarge', 16384, 8, 160)]


def test_flavor_request_id_in_api_and_conductor_logs(deployment):
    result = deployment.openstack('flavor', 'list', debug=True)
    request_ids = REQUEST_ID.findall(result.stderr)
    assert request_ids, 'the client saw no x-openstack-request-id'
    api_log = deployment.log('n-api')
    flavor_ids = [r for r in request_ids
                  if re.search(r'%s.*"GET /v2.1/flavors/detail' % r, api_log)]
    assert len(flavor_ids) == 1, (request_ids, api_log[-2000:])
    request_id = flavor_ids[0]
    cond_lines = [line for line in deployment.log('n-cond').splitlines()
                  if request_id in line]
    assert any('flavor_get_all' in line for line in cond_lines), cond_lines
    # The conductor logs the caller's identity too, [None req-... <user id>
    # <project id>]: demo's ids in Keystone.
    issued = deployment.openstack_json('token', 'issue')
    identity = '%s %s %s]' % (request_id, issued['user_id'],
                              issued['project_id'])
    assert all(identity in line for line in cond_lines), (identity,
                                                          cond_lines)


def _server_id(deployment, name, cloud='devstack'):
    return deployment.openstack_json('server', 'show', name,
                                     cloud=cloud)['id']


def test_keystone_personas_with_the_unmodified_client(deployment):
    # demo (member of demo) creates and acts, demo-reader reads but may
    # not act, alt_demo (another project) does not see it at all.
    deployment.openstack('server', 'create', '--image',
                         deployment.image_name, '--flavor', 'm1.tiny',
                         '--wait', 'persona-vm')
    server_id = _server_id(deployment, 'persona-vm')
    listed = deployment.openstack_json('server', 'list',
                                       cloud='devstack-reader')
    assert [s['ID'] for s in listed] == [server_id]
    refused = deployment.openstack('server', 'stop', server_id,
                                   cloud='devstack-reader', check=False)
    assert refused.returncode != 0
    assert '403' in refused.stderr, refused.stderr
    assert 'os_compute_api:servers:stop' in refused.stderr, refused.stderr
    hidden = deployment.openstack('server', 'show', server_id,
                                  cloud='devstack-alt', check=False)
    assert hidden.returncode != 0
    assert 'No Server found' in hidden.stderr, hidden.stderr
    assert deployment.openstack_json('server', 'list',
                                     cloud='devstack-alt') == []
    # The same refusals at the API itself: 403 for the reader, 404 for
    # the other project.
    reader = deployment.token('demo-reader', 'demo')
    status, _, body = deployment.api(
        'POST', '/servers/%s/action' % server_id, reader, {'os-stop': None})
    assert status == 403, body
    alt = deployment.token('alt_demo', 'alt_demo')
    status, _, body = deployment.api('GET', '/servers/%s' % server_id, alt)
    assert status == 404, body
    deployment.openstack('server', 'stop', server_id)
    deployment.openstack('server', 'delete', '--wait', server_id)
    assert deployment.openstack_json('server', 'list') == []


def test_keystone_token_checks(deployment):
    # Version documents need no token; the API needs a valid one, and a
    # refusal points at Keystone.
    for path in ('', '/'):
        status, _, _ = deployment.api('GET', path, None)
        assert status == 200
    status, headers, body = deployment.api('GET', '/servers', None)
    assert status == 401, body
    assert headers['WWW-Authenticate'] == (
        'Keystone uri="%s"' % deployment.auth_url)
    assert body['unauthorized']['code'] == 401
    status, headers, body = deployment.api('GET', '/servers', 'not-a-token')
    assert status == 401, body
    assert 'x-openstack-request-id' in headers
    status, _, body = deployment.api('GET', '/servers',
                                     deployment.token('demo', 'demo'))
    assert status == 200 and body == {'servers': []}
    issued = deployment.openstack_json('token', 'issue')
    assert issued['project_id'] and issued['user_id']


def test_stack_again_keeps_running_services(deployment):
    pids = {s: deployment.pid(s) for s in ('n-api', 'n-cond', 'n-sch',
                                           'n-cpu')}
    result = deployment.stack()
    assert result.returncode == 0, result.stderr[-2000:]
    assert 'already running' in result.stdout
    assert {s: deployment.pid(s) for s in pids} == pids
    assert deployment.service_states() == RPC_SERVICES


def test_killed_service_shows_down(deployment):
    os.kill(deployment.pid('n-sch'), signal.SIGKILL)
    # service_down_time is 4 s in this deployment.
    deployment.wait_for_states(dict(RPC_SERVICES, **{'nova-scheduler':
                                                     'down'}), timeout=30)


def _children(pid):
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(child) for child in f.read().split()]
    except OSError:
        return []


def _gone(pid):
    return not os.path.exists('/proc/%d' % pid) or \
        open('/proc/%d/stat' % pid).read().split()[2] == 'Z'


def test_unstack_stops_only_its_processes(deployment):
    pids = [deployment.pid(s) for s in ('n-api', 'n-cond', 'n-cpu')]
    # Keystone's and Glance's gunicorn masters and their workers too.
    for short in ('k-api', 'g-api'):
        pid = deployment.pid(short)
        pids += [pid] + _children(pid)
    assert len(pids) >= 7
    result = deployment.unstack()
    assert result.returncode == 0, result.stderr
    assert [pid for pid in pids if not _gone(pid)] == []
    assert os.listdir(deployment.piddir) == []

