"""Hypervisors: upstream's nova/policies/hypervisors.py (list, detail,
show, statistics, uptime, search, servers)."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-hypervisors:%s'
LIST = PREFIX % 'list'
LIST_DETAIL = PREFIX % 'list-detail'
SHOW = PREFIX % 'show'
STATISTICS = PREFIX % 'statistics'
UPTIME = PREFIX % 'uptime'
SEARCH = PREFIX % 'search'
SERVERS = PREFIX % 'servers'

rules = [
    policy.DocumentedRuleDefault(
        rule, base.ADMIN, description, [{'method': 'GET', 'path': path}],
        scope_types=base.SCOPE_TYPES)
    for rule, description, path in (
        (LIST, 'List hypervisors', '/os-hypervisors'),
        (LIST_DETAIL, 'List hypervisors with details',
         '/os-hypervisors/detail'),
        (SHOW, 'Show a hypervisor', '/os-hypervisors/{hypervisor_id}'),
        (STATISTICS, 'Hypervisor totals over all compute nodes (before '
         '2.88)', '/os-hypervisors/statistics'),
        (UPTIME, 'The uptime of a hypervisor (before 2.88)',
         '/os-hypervisors/{hypervisor_id}/uptime'),
        (SEARCH, 'Search hypervisors by hostname pattern (before 2.53)',
         '/os-hypervisors/{hypervisor_hostname_pattern}/search'),
        (SERVERS, 'List the servers of the hypervisors matching a '
         'hostname pattern (before 2.53)',
         '/os-hypervisors/{hypervisor_hostname_pattern}/servers'))
]


def list_rules():
    return rules
