"""Hypervisors: upstream's nova/policies/hypervisors.py (list, detail,
show, statistics: the APIs this project has)."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-hypervisors:%s'
LIST = PREFIX % 'list'
LIST_DETAIL = PREFIX % 'list-detail'
SHOW = PREFIX % 'show'
STATISTICS = PREFIX % 'statistics'

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
         '2.88)', '/os-hypervisors/statistics'))
]


def list_rules():
    return rules
