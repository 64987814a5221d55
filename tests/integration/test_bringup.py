"""stack.sh's deployment, driven with the unmodified openstack client."""

import os
import re
import signal

RPC_SERVICES = {'nova-conductor': 'up', 'nova-scheduler': 'up',
                'nova-compute': 'up'}
REQUEST_ID = re.compile(r'x-openstack-request-id: (req-[0-9a-f-]{36})',
                        re.IGNORECASE)


def test_rpc_services_report_up(deployment):
    assert deployment.service_states() == RPC_SERVICES


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
    # The conductor logs the caller's identity too: [None req-... demo demo]
    assert all('%s demo demo]' % request_id in line for line in cond_lines)


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


def test_unstack_stops_only_its_processes(deployment):
    pids = [deployment.pid(s) for s in ('n-api', 'n-cond', 'n-cpu')]
    result = deployment.unstack()
    assert result.returncode == 0, result.stderr
    for pid in pids:
        assert not os.path.exists('/proc/%d' % pid) or \
            open('/proc/%d/stat' % pid).read().split()[2] == 'Z'
    assert os.listdir(deployment.piddir) == []
