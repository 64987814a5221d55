"""Launch and terminate with the unmodified openstack client."""

import json
import os
import re
import subprocess

from tests.integration import conftest

REQUEST_ID = re.compile(
    r'POST call to compute for \S+/servers used request id (req-[0-9a-f-]+)',
    re.IGNORECASE)
ANY_REQUEST_ID = re.compile(r'(req-[0-9a-f]{8}-[0-9a-f-]{27})')
LOGS = ('n-api', 'n-cond', 'n-sch', 'n-cpu')


def _create_request_id(stderr):
    match = REQUEST_ID.search(stderr)
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
