"""/os-instance_usage_audit_log (admin): no usage audit runs here, so
every compute host is one that has not run it."""

import pytest
from tempest.lib.api_schema.response.compute.v2_1 import \
    instance_usage_audit_logs as schemas

from tests.functional import fixtures
from tests.functional import tempest_oracle as oracle

QUIET = {'report_interval': 50}


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides=QUIET,
                           computes=('compute1', 'compute2')).start()
    yield cloud
    cloud.stop()


def _no_audit(log, begin, end):
    assert log == {
        'period_beginning': begin, 'period_ending': end,
        'num_hosts': 2, 'num_hosts_done': 0, 'num_hosts_running': 0,
        'num_hosts_not_run': 2, 'hosts_not_run': ['compute1', 'compute2'],
        'total_instances': 0, 'total_errors': 0,
        'overall_status': '0 of 2 hosts done. 0 errors.', 'log': {}}


@pytest.mark.parametrize('version', ['2.1', '2.42', 'latest'])
def test_list_is_the_last_completed_month(cloud, version):
    import datetime
    resp = cloud.api.get('/v2.1/os-instance_usage_audit_log',
                         version=version)
    log = oracle.validate(schemas.list_instance_usage_audit_log,
                          resp)['instance_usage_audit_logs']
    today = datetime.datetime.utcnow()
    end = datetime.datetime(today.year, today.month, 1)
    begin = (end - datetime.timedelta(days=1)).replace(day=1)
    _no_audit(log, str(begin), str(end))


@pytest.mark.parametrize('before,begin,end', [
    ('2024-05-03 10:00:00', '2024-04-01 00:00:00', '2024-05-01 00:00:00'),
    ('2024-01-15 00:00:00.123456', '2023-12-01 00:00:00',
     '2024-01-01 00:00:00'),
    # The first moment of a month: that month is not completed yet.
    ('2024-03-01 00:00:00', '2024-02-01 00:00:00', '2024-03-01 00:00:00')])
def test_show_is_the_month_completed_before(cloud, before, begin, end):
    resp = cloud.api.get('/v2.1/os-instance_usage_audit_log/' + before)
    log = oracle.validate(schemas.get_instance_usage_audit_log,
                          resp)['instance_usage_audit_log']
    _no_audit(log, begin, end)


def test_show_of_a_bad_timestamp_is_400(cloud):
    resp = cloud.api.get('/v2.1/os-instance_usage_audit_log/yesterday')
    assert resp.status == 400, resp
    assert resp.body['badRequest']['message'] == \
        'Invalid timestamp for date yesterday'


def test_non_admins_are_refused(cloud):
    demo = cloud.api.as_user('demo:demo')
    for path, rule in (('', 'list'), ('/2024-05-03 10:00:00', 'show')):
        resp = demo.get('/v2.1/os-instance_usage_audit_log' + path)
        assert resp.status == 403, resp
        assert resp.body['forbidden']['message'] == (
            "Policy doesn't allow os_compute_api:os-instance-usage-audit-"
            "log:%s to be performed." % rule)
