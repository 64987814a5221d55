"""/os-instance_usage_audit_log (admin): how far the usage audit of the
last completed audit period got on each compute host.

The audit period is upstream's default, a calendar month.  No periodic
usage audit runs here, so no host has a record of it: every compute host
is among ``hosts_not_run`` and ``log`` is empty.
"""

import datetime

from oslo_utils import timeutils

from nova.api.policies import instance_usage_audit_log as policies
from nova.api import policy
from nova.api.views import instance_usage_audit_log as views
from nova.api import wsgi
from nova import exception


def last_completed_month(before=None):
    """(begin, end) of the last calendar month that ended at or before
    before (now by default)."""
    before = before or timeutils.utcnow()
    end = datetime.datetime(before.year, before.month, 1)
    if end.month == 1:
        begin = datetime.datetime(end.year - 1, 12, 1)
    else:
        begin = datetime.datetime(end.year, end.month - 1, 1)
    return begin, end


def _audit(req, before=None):
    begin, end = last_completed_month(before)
    # Disabled compute services count: their hosts may have instances.
    services = req.conductor.service_get_all(req.context,
                                             binary='nova-compute')
    return views.audit(begin, end, [s['host'] for s in services], [])


def list_audits(req):
    policy.authorize(req.context, policies.LIST, {})
    return wsgi.json_response({'instance_usage_audit_logs': _audit(req)})


def show_audit(req, before_timestamp):
    policy.authorize(req.context, policies.SHOW, {})
    fmt = ('%Y-%m-%d %H:%M:%S.%f' if '.' in before_timestamp
           else '%Y-%m-%d %H:%M:%S')
    try:
        before = datetime.datetime.strptime(before_timestamp, fmt)
    except ValueError:
        raise exception.Invalid('Invalid timestamp for date %s'
                                % before_timestamp)
    return wsgi.json_response(
        {'instance_usage_audit_log': _audit(req, before)})
