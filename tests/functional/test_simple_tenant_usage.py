"""/os-simple-tenant-usage: a project's usage within a period (its own, or
every project's for the admin), deleted servers included, detailed or not;
the period's errors; another project's usage; 2.40's pages; the bodies
against Tempest's schemas."""

import datetime
from urllib import parse
import uuid

import pytest
import sqlalchemy as sa
from tempest.lib.api_schema.response.compute.v2_1 import tenant_usages

from nova.db import instances as db_instances
from nova.db import models
from nova.db import session as db_session
from tests.functional import fixtures
from tests.functional import tempest_oracle

URL = '/v2.1/os-simple-tenant-usage'
# A period in the past (the end is cut at now), to the second.
T0 = datetime.datetime(2025, 6, 1)
HOUR = datetime.timedelta(hours=1)
PERIOD = {'start': T0.isoformat(), 'end': (T0 + 10 * HOUR).isoformat()}
FLAVOR = {'flavorid': '1', 'name': 'm1.tiny', 'memory_mb': 512, 'vcpus': 1,
          'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0, 'extra_specs': {}}
BIG = dict(FLAVOR, flavorid='42', name='big', memory_mb=1024, vcpus=2,
           root_gb=10, ephemeral_gb=5)


@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(overrides={'report_interval': 50}).start()
    yield cloud
    cloud.stop()


def _instance(project_id, flavor, launched_at, terminated_at=None,
              name='vm'):
    """An instance of project_id's, created in the database as the build
    flow leaves it, deleted (as instance_destroy does) when
    terminated_at."""
    values = {'uuid': str(uuid.uuid4()), 'user_id': 'u',
              'project_id': project_id, 'display_name': name,
              'vm_state': 'active', 'flavor': flavor,
              'memory_mb': flavor['memory_mb'], 'vcpus': flavor['vcpus'],
              'root_gb': flavor['root_gb'],
              'ephemeral_gb': flavor['ephemeral_gb'],
              'launched_at': launched_at}
    (instance,) = db_instances.instances_create([values])
    if terminated_at is not None:
        db_instances.instance_destroy(instance['uuid'])
        # When it was deleted: in the period, not now.
        with db_session.writer() as session:
            session.execute(sa.update(models.Instance).where(
                models.Instance.uuid == instance['uuid']).values(
                    terminated_at=terminated_at))
    return instance['uuid']


@pytest.fixture(scope='module')
def usage(cloud):
    """Project 'usage': a server running all the period (2 vCPUs, 1024 MB,
    15 GB: 10 hours) and one deleted in it (1 vCPU, 512 MB, 1 GB: from
    2 h to 5 h in); project 'usage2': one running all the period; one
    deleted before it and one launched after it count for nothing."""
    project = 'usage-' + uuid.uuid4().hex[:6]
    other = project + '-2'
    ids = {
        'active': _instance(project, BIG, T0 - 2 * HOUR, name='web'),
        'deleted': _instance(project, FLAVOR, T0 + 2 * HOUR,
                             terminated_at=T0 + 5 * HOUR, name='db'),
        'other': _instance(other, FLAVOR, T0),
    }
    _instance(project, FLAVOR, T0 - 5 * HOUR, terminated_at=T0 - HOUR)
    _instance(project, FLAVOR, T0 + 11 * HOUR)
    return {'project': project, 'other': other, 'ids': ids}


def _url(tenant_id=None, **params):
    url = URL if tenant_id is None else URL + '/' + tenant_id
    return url + '?' + parse.urlencode(params) if params else url


def _fault(resp, code, message=None):
    name = {400: 'badRequest', 403: 'forbidden', 404: 'itemNotFound'}[code]
    assert resp.status == code, resp
    assert list(resp.body) == [name], resp.body
    if message is not None:
        assert resp.body[name]['message'] == message, resp.body
    return resp.body[name]['message']


def _as_project(cloud, project):
    return cloud.api.as_user('someone:' + project)


def test_show_totals_and_each_servers_usage(cloud, usage):
    resp = _as_project(cloud, usage['project']).get(
        _url(usage['project'], **PERIOD))
    body = tempest_oracle.validate(tenant_usages.get_tenant_usage, resp)
    tenant_usage = body['tenant_usage']
    servers = {s['instance_id']: s for s in tenant_usage.pop(
        'server_usages')}
    assert tenant_usage == {
        'tenant_id': usage['project'],
        'start': '2025-06-01T00:00:00.000000',
        'stop': '2025-06-01T10:00:00.000000',
        'total_hours': 13.0,
        'total_vcpus_usage': 2 * 10 + 1 * 3.0,
        'total_memory_mb_usage': 1024 * 10 + 512 * 3.0,
        'total_local_gb_usage': 15 * 10 + 1 * 3.0,
    }
    active = servers.pop(usage['ids']['active'])
    uptime = active.pop('uptime')
    assert active == {
        'instance_id': usage['ids']['active'], 'name': 'web',
        'tenant_id': usage['project'], 'flavor': 'big', 'hours': 10.0,
        'memory_mb': 1024, 'vcpus': 2, 'local_gb': 15,
        'started_at': '2025-05-31T22:00:00.000000', 'ended_at': None,
        'state': 'active'}
    # Since it launched, not within the period.
    assert uptime >= (datetime.datetime.utcnow() - T0).total_seconds()
    assert servers == {usage['ids']['deleted']: {
        'instance_id': usage['ids']['deleted'], 'name': 'db',
        'tenant_id': usage['project'], 'flavor': 'm1.tiny', 'hours': 3.0,
        'memory_mb': 512, 'vcpus': 1, 'local_gb': 1,
        'started_at': '2025-06-01T02:00:00.000000',
        'ended_at': '2025-06-01T05:00:00.000000',
        'state': 'terminated', 'uptime': 3 * 3600}}


def test_a_window_within_a_servers_life_counts_that_part(cloud, usage):
    resp = cloud.api.get(_url(usage['project'],
                              start=(T0 + 4 * HOUR).isoformat(),
                              end=(T0 + 4.5 * HOUR).isoformat()))
    body = tempest_oracle.validate(tenant_usages.get_tenant_usage, resp)
    hours = {s['instance_id']: s['hours']
             for s in body['tenant_usage']['server_usages']}
    assert hours == {usage['ids']['active']: 0.5,
                     usage['ids']['deleted']: 0.5}
    assert body['tenant_usage']['total_hours'] == 1.0


def test_upstreams_time_formats(cloud, usage):
    for start, end in (('2025-06-01T00:00:00', '2025-06-01T10:00:00'),
                       ('2025-06-01T00:00:00.000000',
                        '2025-06-01 10:00:00.000000')):
        resp = cloud.api.get(_url(usage['project'], start=start, end=end))
        assert resp.status == 200, resp
        assert resp.body['tenant_usage']['total_hours'] == 13.0


def test_a_project_without_usage_is_an_empty_object(cloud, usage):
    resp = cloud.api.get(_url('nobody-' + usage['project'], **PERIOD))
    assert resp.status == 200, resp
    assert resp.body == {'tenant_usage': {}}


def test_the_end_is_cut_at_now(cloud, usage):
    resp = cloud.api.get(_url(usage['project'], start=T0.isoformat(),
                              end='2999-01-01T00:00:00'))
    assert resp.status == 200, resp
    stop = datetime.datetime.fromisoformat(resp.body['tenant_usage']['stop'])
    assert stop <= datetime.datetime.utcnow()


def test_admin_lists_every_projects_usage_not_detailed(cloud, usage):
    resp = cloud.api.get(_url(**PERIOD))
    body = tempest_oracle.validate(tenant_usages.list_tenant_usage, resp)
    mine = {u['tenant_id']: u for u in body['tenant_usages']
            if u['tenant_id'] in (usage['project'], usage['other'])}
    assert set(mine) == {usage['project'], usage['other']}
    assert 'server_usages' not in mine[usage['project']]
    assert mine[usage['project']]['total_hours'] == 13.0
    assert mine[usage['other']]['total_hours'] == 10.0
    assert mine[usage['other']]['total_memory_mb_usage'] == 5120.0


def test_admin_lists_detailed(cloud, usage):
    resp = cloud.api.get(_url(detailed='1', **PERIOD))
    body = tempest_oracle.validate(tenant_usages.list_tenant_usage, resp)
    (mine,) = [u for u in body['tenant_usages']
               if u['tenant_id'] == usage['project']]
    assert {s['instance_id'] for s in mine['server_usages']} == {
        usage['ids']['active'], usage['ids']['deleted']}


@pytest.mark.parametrize('params,message', [
    ({'start': 'yesterday', 'end': '2025-06-01T10:00:00'},
     'Invalid datetime string: Datetime is in invalid format'),
    ({'start': '2025-06-01T00:00:00', 'end': '2025-06-01T10:00:00Z'},
     'Invalid datetime string: Datetime is in invalid format'),
    ({'start': '2025-06-01T10:00:00', 'end': '2025-06-01T00:00:00'},
     'Invalid start time. The start time cannot occur after the end time.'),
    ({'start': '2025-06-01T10:00:00', 'end': '2025-06-01T10:00:00'},
     'Invalid start time. The start time cannot occur after the end time.'),
])
def test_bad_periods_are_400(cloud, usage, params, message):
    _fault(cloud.api.get(_url(**params)), 400, message)
    _fault(cloud.api.get(_url(usage['project'], **params)), 400, message)


def test_another_projects_usage_and_the_list_are_403(cloud, usage):
    client = _as_project(cloud, usage['other'])
    _fault(client.get(_url(usage['project'], **PERIOD)), 403,
           "Policy doesn't allow os_compute_api:os-simple-tenant-usage:show "
           "to be performed.")
    _fault(client.get(_url(**PERIOD)), 403,
           "Policy doesn't allow os_compute_api:os-simple-tenant-usage:list "
           "to be performed.")


def _pages(cloud, url, key, version='2.40'):
    """The bodies of url's pages, following their 'next' links."""
    bodies = []
    while url:
        resp = cloud.api.get(url, version=version)
        assert resp.status == 200, resp
        bodies.append(resp.body)
        links = resp.body.get(key + '_links')
        url = None
        if links:
            (link,) = links
            assert link['rel'] == 'next'
            href = parse.urlsplit(link['href'])
            url = href.path + '?' + href.query
    return bodies


def test_2_40_pages_of_every_projects_usage(cloud, usage):
    bodies = _pages(cloud, _url(detailed='1', limit='1', **PERIOD),
                    'tenant_usages')
    seen = []
    for body in bodies[:-1]:
        (tenant_usage,) = body['tenant_usages']
        (server,) = tenant_usage['server_usages']
        assert body['tenant_usages_links'][0]['href'].endswith(
            'marker=' + server['instance_id'])
        seen.append(server['instance_id'])
    assert bodies[-1]['tenant_usages'] == []
    assert set(usage['ids'].values()) <= set(seen)
    assert len(seen) == len(set(seen))


def test_2_40_pages_of_one_projects_usage(cloud, usage):
    bodies = _pages(cloud, _url(usage['project'], limit='1', **PERIOD),
                    'tenant_usage')
    assert len(bodies) == 3
    hours = [b['tenant_usage']['total_hours'] for b in bodies[:-1]]
    assert sorted(hours) == [3.0, 10.0]
    assert bodies[-1] == {'tenant_usage': {}}
    (one_page,) = _pages(cloud, _url(usage['project'], limit='5',
                                     **PERIOD), 'tenant_usage')
    assert one_page['tenant_usage']['total_hours'] == 13.0
    assert 'tenant_usage_links' not in one_page


def test_before_2_40_there_are_no_pages(cloud, usage):
    resp = cloud.api.get(_url(usage['project'], limit='1', **PERIOD),
                         version='2.39')
    assert resp.status == 200, resp
    assert resp.body['tenant_usage']['total_hours'] == 13.0
    assert 'tenant_usage_links' not in resp.body


def test_an_unknown_marker_is_400(cloud, usage):
    marker = str(uuid.uuid4())
    for url in (_url(marker=marker, **PERIOD),
                _url(usage['project'], marker=marker, **PERIOD)):
        _fault(cloud.api.get(url, version='2.40'), 400,
               'marker [%s] not found' % marker)


def test_unknown_parameters_are_400_from_2_75(cloud, usage):
    url = _url(usage['project'], bogus='1', **PERIOD)
    assert cloud.api.get(url, version='2.74').status == 200
    _fault(cloud.api.get(url, version='2.75'), 400)


def test_servers_booted_and_deleted_through_the_api(cloud):
    demo = cloud.api.as_user('demo:tenant-usage-demo')
    before = datetime.datetime.utcnow() - datetime.timedelta(seconds=1)
    ids = []
    for name in ('kept', 'gone'):
        resp = demo.post('/v2.1/servers', {'server': {
            'name': name, 'imageRef': fixtures.IMAGE_ID, 'flavorRef': '1'}})
        assert resp.status == 202, resp
        ids.append(resp.body['server']['id'])
        cloud.wait_for_server(ids[-1], 'ACTIVE', api=demo)
    assert demo.delete('/v2.1/servers/' + ids[1]).status == 204
    resp = demo.get('/v2.1/servers/' + ids[1])
    while resp.status != 404:
        resp = demo.get('/v2.1/servers/' + ids[1])
    resp = demo.get(_url('tenant-usage-demo', start=before.isoformat(),
                         end='2999-01-01T00:00:00'))
    body = tempest_oracle.validate(tenant_usages.get_tenant_usage, resp)
    servers = {s['instance_id']: s
               for s in body['tenant_usage']['server_usages']}
    assert set(servers) == set(ids)
    assert servers[ids[0]]['state'] == 'active'
    assert servers[ids[0]]['ended_at'] is None
    assert servers[ids[1]]['state'] == 'terminated'
    assert servers[ids[1]]['ended_at'] is not None
    assert servers[ids[0]]['flavor'] == 'm1.tiny'
    assert servers[ids[0]]['memory_mb'] == 512
    assert all(s['hours'] >= 0 for s in servers.values())
