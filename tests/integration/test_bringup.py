"""stack.sh's deployment, driven with the unmodified openstack client:
its services, a server launched and terminated (its request followed
through every service's log), Keystone's personas, stack.sh again,
a killed service, unstack.sh."""

import json
import os
import re
import signal
import subprocess

from tests.integration import conftest

RPC_SERVICES = {'nova-conductor': 'up', 'nova-scheduler': 'up',
                'nova-compute': 'up'}
REQUEST_ID = re.compile(r'x-openstack-request-id: (req-[0-9a-f-]{36})',
                        re.IGNORECASE)

CREATE_REQUEST_ID = re.compile(
    r'POST call to compute for \S+/servers used request id (req-[0-9a-f-]+)',
    re.IGNORECASE)
ANY_REQUEST_ID = re.compile(r'(req-[0-9a-f]{8}-[0-9a-f-]{27})')
LOGS = ('n-api', 'n-cond', 'n-sch', 'n-cpu')


def _create_request_id(stderr):
    match = CREATE_REQUEST_ID.search(stderr)
    if match:
        return match.group(1)
    # Fall back on the response headers of the POST /servers.
    post = stderr.index('POST ')
    return ANY_REQUEST_ID.search(stderr, post).group(1)


def _log_lines(deployment, request_id):
    """(time, log, line); both computes' logs count as n-cpu."""
    lines = []
    for log in LOGS + ('n-cpu-2',):
        for line in deployment.log(log).splitlines():
            if request_id in line:
                label = 'n-cpu' if log.startswith('n-cpu') else log
                lines.append((line[:23], label, line))
    return lines


def test_rpc_services_report_up(deployment):
    assert deployment.service_states() == RPC_SERVICES


def test_secrets_readable_by_the_services_user_alone(deployment):
    # nova.conf has the broker's and the service users' passwords,
    # nova-db.conf the database's; a SQLite file is the whole database.
    etc = os.path.join(deployment.tmp, 'etc')
    paths = [os.path.join(etc, 'nova.conf'), os.path.join(etc, 'nova-db.conf')]
    if deployment.database.url.startswith('sqlite:///'):
        paths.append(deployment.database.url[len('sqlite:///'):])
    modes = {path: oct(os.stat(path).st_mode & 0o777) for path in paths}
    assert set(modes.values()) == {'0o600'}, modes


def test_server_create_list_show_delete(deployment):
    image = deployment.image_name
    result = deployment.openstack(
        'server', 'create', '--image', image, '--flavor', 'm1.tiny',
        '--wait', '-f', 'json', 'vm1', debug=True)
    server = json.loads(result.stdout)
    assert server['status'] == 'ACTIVE'
    assert server['addresses'], server
    request_id = _create_request_id(result.stderr)
    # The compute downloaded the image from Glance into its cache.
    image_id = deployment.openstack_json('image', 'show', image)['id']
    cached = os.path.join(deployment.tmp, 'data', 'nova', 'instances',
                          '_base', image_id)
    assert os.path.getsize(cached) > 0

    listed = deployment.openstack_json('server', 'list')
    assert [(s['Name'], s['Status']) for s in listed] == [('vm1', 'ACTIVE')]
    assert listed[0]['Networks'] and 'private' in json.dumps(
        listed[0]['Networks'])
    shown = deployment.openstack_json('server', 'show', 'vm1')
    assert shown['id'] == server['id']
    assert shown['flavor']['name'] == 'm1.tiny' or 'm1.tiny' in json.dumps(
        shown['flavor'])

    # The launch, in every service's log, in order: API, then conductor,
    # scheduler, conductor again and compute.
    lines = _log_lines(deployment, request_id)
    seen = [log for _, log, _ in sorted(lines)]
    assert set(seen) == set(LOGS), seen
    assert seen[0] == 'n-api'
    assert seen.index('n-cond') < seen.index('n-sch') < seen.index('n-cpu')
    after_scheduling = seen[seen.index('n-sch'):]
    assert 'n-cond' in after_scheduling[:after_scheduling.index('n-cpu')]
    assert any('Selected host' in line for _, log, line in lines
               if log == 'n-sch')
    assert any('[instance: %s]' % server['id'] in line
               for _, log, line in lines if log == 'n-cpu')

    # nova-manage trace puts the same story in one timeline, with the
    # create's action events.
    etc = os.path.join(deployment.tmp, 'etc')
    trace = subprocess.run(
        [os.path.join(conftest.BIN, 'nova-manage'),
         '--config-file', os.path.join(etc, 'nova.conf'),
         '--config-file', os.path.join(etc, 'nova-db.conf'),
         'trace', request_id, '--logs', deployment.logdir],
        capture_output=True, text=True, timeout=60)
    assert trace.returncode == 0, trace.stderr
    timeline = trace.stdout.splitlines()
    # Either compute may have built it: n-cpu or n-cpu-2.
    services = [re.sub(r'^n-cpu-\d+$', 'n-cpu', line.split()[1])
                for line in timeline[1:]
                if line.startswith(' ') and line.split()[0][0] in '+-']
    assert services[0] == 'n-api' and set(LOGS) <= set(services), services
    assert 'action create of instance %s' % server['id'] in trace.stdout
    assert 'event compute__do_build_and_run_instance finished' in \
        trace.stdout
    assert 'Per service (first line to last):' in timeline

    deployment.openstack('server', 'delete', '--wait', 'vm1')
    assert deployment.openstack_json('server', 'list') == []


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

