"""/os-simple-tenant-usage: the hours, vCPU, memory and disk hours each
project's instances (deleted ones too) used within a period.

Every project's usage is the admin's (list), one project's its reader's
or the admin's (show; another project's is a 403, as upstream).  The
period is ``start`` and ``end`` (naive UTC, upstream's formats; either
missing is now), cut at now; an ``end`` not after ``start`` is a 400.
From 2.40 the instances behind a page come ``limit`` at a time after
``marker`` (an instance's uuid), with a 'next' link when the page is full.
"""

import datetime

from nova.api.policies import simple_tenant_usage as policies
from nova.api import policy
from nova.api.schemas import simple_tenant_usage as schemas
from nova.api.views import simple_tenant_usage as views
from nova.api import wsgi
from nova import exception

STRICT_QUERY = (2, 75)
# What upstream's _parse_datetime accepts.
TIME_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f',
                '%Y-%m-%d %H:%M:%S.%f')


def _utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def parse_time(value):
    """A query's time (naive UTC); missing or empty: now."""
    if not value:
        return _utcnow()
    for fmt in TIME_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            pass
    raise exception.InvalidStrTime(reason='Datetime is in invalid format')


def _first(params, name):
    # Upstream reads each of these parameters' first value.
    values = params.get(name)
    return values[0] if values else None


def _period(params):
    start = parse_time(_first(params, 'start'))
    stop = parse_time(_first(params, 'end'))
    if not start < stop:
        raise exception.Invalid('Invalid start time. The start time cannot '
                                'occur after the end time.')
    return start, stop


def _usages(req, params, project_id, detailed):
    start, stop = _period(params)
    now = _utcnow()
    stop = min(stop, now)
    limit, marker = req.conf.api.max_limit, None
    if req.is_version(views.PAGINATION):
        limit = req.limit_param(params)
        marker = req.last_query_value(params, 'marker')
    instances = req.conductor.instance_get_active_by_window(
        req.context, start, stop, project_id=project_id, limit=limit,
        marker=marker)
    tenant_usages, servers = views.usages(instances, start, stop, now,
                                          detailed)
    return tenant_usages, servers, limit


def _query(req, detailed):
    return req.query(schemas.query(
        detailed, req.is_version(views.PAGINATION),
        req.is_version(STRICT_QUERY)))


def list_usages(req):
    params = _query(req, detailed=True)
    policy.authorize(req.context, policies.LIST)
    detailed = _first(params, 'detailed') == '1'
    tenant_usages, servers, limit = _usages(req, params, None, detailed)
    return wsgi.json_response(
        views.collection(req, tenant_usages, servers, limit))


def show_usage(req, tenant_id):
    params = _query(req, detailed=False)
    policy.authorize(req.context, policies.SHOW, {'project_id': tenant_id})
    tenant_usages, servers, limit = _usages(req, params, tenant_id, True)
    return wsgi.json_response(
        views.show(req, tenant_usages, servers, limit))
