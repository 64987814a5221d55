"""Tenant usage: upstream's nova/policies/simple_tenant_usage.py.  Every
project's usage is the admin's; a project's own usage its reader's (another
project's: 403, the rule's target being the project asked for)."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-simple-tenant-usage:%s'
SHOW = PREFIX % 'show'
LIST = PREFIX % 'list'

rules = [
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show usage statistics for a specific tenant',
              ('GET', '/os-simple-tenant-usage/{tenant_id}')),
    base.rule(LIST, base.ADMIN,
              'List per tenant usage statistics for all tenants',
              ('GET', '/os-simple-tenant-usage')),
]


def list_rules():
    return rules
