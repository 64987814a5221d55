"""Server IPs: upstream's nova/policies/ips.py.  A project's reader reads
its servers' addresses."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:ips:%s'
INDEX = PREFIX % 'index'
SHOW = PREFIX % 'show'

rules = [
    policy.DocumentedRuleDefault(
        SHOW, base.PROJECT_READER_OR_ADMIN,
        'Show IP addresses details for a network label of a server',
        [{'method': 'GET',
          'path': '/servers/{server_id}/ips/{network_label}'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        INDEX, base.PROJECT_READER_OR_ADMIN,
        'List IP addresses that are assigned to a server',
        [{'method': 'GET', 'path': '/servers/{server_id}/ips'}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
