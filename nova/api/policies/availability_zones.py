from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-availability-zone:list'
DETAIL = 'os_compute_api:os-availability-zone:detail'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ANY, 'List availability zones',
        [{'method': 'GET', 'path': '/os-availability-zone'}]),
    policy.DocumentedRuleDefault(
        DETAIL, base.ADMIN, 'List availability zones with their hosts',
        [{'method': 'GET', 'path': '/os-availability-zone/detail'}]),
]


def list_rules():
    return rules
