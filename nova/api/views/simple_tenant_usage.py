"""Tenant usage representations: upstream's os-simple-tenant-usage bodies.

An instance is billed for the hours of its life (launched_at to
terminated_at, or on) within the period; a project's totals are the sums
of its instances' hours, and of those hours times their vCPUs, memory
(MB) and disk (GB, root plus ephemeral).
"""

from nova.api.views import common

PAGINATION = (2, 40)
# As upstream's JSON shows its naive datetimes: always the microseconds.
_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S.%f'


def _time(value):
    return value.strftime(_TIME_FORMAT) if value is not None else None


def hours_within(instance, start, stop):
    """The hours instance ran within [start, stop]."""
    launched, terminated = instance['launched_at'], instance['terminated_at']
    if launched is None or launched > stop or (
            terminated is not None and terminated < start):
        return 0
    begin = max(launched, start)
    end = stop if terminated is None else min(stop, terminated)
    return max((end - begin).total_seconds(), 0) / 3600.0


def server_usage(instance, start, stop, now):
    """One instance's usage (upstream's server_usages item)."""
    launched, terminated = instance['launched_at'], instance['terminated_at']
    uptime = (terminated or now) - launched
    return {
        'instance_id': instance['uuid'],
        'name': instance['display_name'] or '',
        'hours': hours_within(instance, start, stop),
        'memory_mb': instance['memory_mb'] or 0,
        'local_gb': (instance['root_gb'] or 0) + (
            instance['ephemeral_gb'] or 0),
        'vcpus': instance['vcpus'] or 0,
        'tenant_id': instance['project_id'],
        'flavor': instance['flavor_name'] or '',
        'started_at': _time(launched),
        'ended_at': _time(terminated),
        # A deleted instance is 'terminated', not 'deleted'.
        'state': 'terminated' if terminated else instance['vm_state'],
        'uptime': max(int(uptime.total_seconds()), 0),
    }


def usages(instances, start, stop, now, detailed):
    """(tenant usages in the instances' project order, the server usages
    of every instance: what the page's 'next' link is made of)."""
    by_project = {}
    servers = []
    for instance in instances:
        info = server_usage(instance, start, stop, now)
        servers.append(info)
        summary = by_project.get(info['tenant_id'])
        if summary is None:
            summary = by_project[info['tenant_id']] = {
                'tenant_id': info['tenant_id'],
                'total_local_gb_usage': 0,
                'total_vcpus_usage': 0,
                'total_memory_mb_usage': 0,
                'total_hours': 0,
                'start': _time(start),
                'stop': _time(stop),
            }
            if detailed:
                summary['server_usages'] = []
        hours = info['hours']
        summary['total_local_gb_usage'] += info['local_gb'] * hours
        summary['total_vcpus_usage'] += info['vcpus'] * hours
        summary['total_memory_mb_usage'] += info['memory_mb'] * hours
        summary['total_hours'] += hours
        if detailed:
            summary['server_usages'].append(info)
    return list(by_project.values()), servers


def collection(req, tenant_usages, servers, limit):
    body = {'tenant_usages': tenant_usages}
    if req.is_version(PAGINATION):
        links = common.next_links(req, servers, limit, 'instance_id')
        if links:
            body['tenant_usages_links'] = links
    return body


def show(req, tenant_usages, servers, limit):
    """One project's usage; {} when it used nothing within the period."""
    body = {'tenant_usage': tenant_usages[0] if tenant_usages else {}}
    if req.is_version(PAGINATION):
        links = common.next_links(req, servers, limit, 'instance_id')
        if links:
            body['tenant_usage_links'] = links
    return body
