"""Tenant usage: upstream's nova/policies/simple_tenant_usage.py.  Every
project's usage is the admin's; a project's own usage its reader's (another
project's: 403, the rule's target being the project asked for)."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-simple-tenant-usage:%s'
SHOW = PREFIX % 'show'
LIST = PREFIX % 'list'

rules = [
    policy.DocumentedRuleDefault(
        SHOW, base.PROJECT_READER_OR_ADMIN,
        'Show usage statistics for a specific tenant',
        [{'method': 'GET', 'path': '/os-simple-tenant-usage/{tenant_id}'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        LIST, base.ADMIN,
        'List per tenant usage statistics for all tenants',
        [{'method': 'GET', 'path': '/os-simple-tenant-usage'}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
