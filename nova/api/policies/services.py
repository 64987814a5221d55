"""Compute services: upstream's nova/policies/services.py."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-services:%s'
LIST = PREFIX % 'list'
UPDATE = PREFIX % 'update'
DELETE = PREFIX % 'delete'

rules = [
    policy.DocumentedRuleDefault(
        rule, base.ADMIN, description, [{'method': method, 'path': path}],
        scope_types=base.SCOPE_TYPES)
    for rule, description, method, path in (
        (LIST, 'List compute services', 'GET', '/os-services'),
        (UPDATE, 'Enable, disable or force down a compute service (2.53)',
         'PUT', '/os-services/{service_id}'),
        (DELETE, 'Delete a compute service', 'DELETE',
         '/os-services/{service_id}'))
]


def list_rules():
    return rules
