"""Flavor access: upstream's nova/policies/flavor_access.py.  Who may use
a private flavor is the admin's to list and change."""

from nova.api.policies import base

LIST = 'os_compute_api:os-flavor-access'
ADD = 'os_compute_api:os-flavor-access:add_tenant_access'
REMOVE = 'os_compute_api:os-flavor-access:remove_tenant_access'

_ACTION = '/flavors/{flavor_id}/action (%s)'

rules = [
    base.rule(ADD, base.ADMIN, 'Add flavor access to a tenant',
              ('POST', _ACTION % 'addTenantAccess')),
    base.rule(REMOVE, base.ADMIN, 'Remove flavor access from a tenant',
              ('POST', _ACTION % 'removeTenantAccess')),
    base.rule(LIST, base.ADMIN,
              'List flavor access information\n\n'
              'Allows access to the full list of tenants that have access '
              'to a flavor via an os-flavor-access API.',
              ('GET', '/flavors/{flavor_id}/os-flavor-access')),
]


def list_rules():
    return rules
