from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-services:%s'
LIST = PREFIX % 'list'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ADMIN, 'List compute services',
        [{'method': 'GET', 'path': '/os-services'}]),
    policy.DocumentedRuleDefault(
        UPDATE, base.ADMIN, 'Enable, disable or force down a service',
        [{'method': 'PUT', 'path': '/os-services/{service_id}'}]),
    policy.DocumentedRuleDefault(
        DELETE, base.ADMIN, 'Delete a service',
        [{'method': 'DELETE', 'path': '/os-services/{service_id}'}]),
]


def list_rules():
    return rules
