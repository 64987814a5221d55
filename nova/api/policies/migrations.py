from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-migrations:index'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ADMIN, 'List migrations',
        [{'method': 'GET', 'path': '/os-migrations'}]),
]


def list_rules():
    return rules
