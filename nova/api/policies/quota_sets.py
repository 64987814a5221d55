"""Quota sets: upstream's nova/policies/quota_sets.py.  A project's reader
reads its project's limits, anyone the defaults, the admin sets them."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-quota-sets:%s'
UPDATE = PREFIX % 'update'
DEFAULTS = PREFIX % 'defaults'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'
DETAIL = PREFIX % 'detail'

_ITEM = '/os-quota-sets/{tenant_id}'

rules = [
    base.rule(name, check_str, description, (method, path))
    for name, check_str, description, method, path in (
        (UPDATE, base.ADMIN, 'Update the quotas', 'PUT', _ITEM),
        (DEFAULTS, base.ANY, 'List default quotas', 'GET',
         _ITEM + '/defaults'),
        (SHOW, base.PROJECT_READER_OR_ADMIN, 'Show a quota', 'GET', _ITEM),
        (DELETE, base.ADMIN, 'Revert quotas to defaults', 'DELETE', _ITEM),
        (DETAIL, base.PROJECT_READER_OR_ADMIN, 'Show the detail of quota',
         'GET', _ITEM + '/detail'))
]


def list_rules():
    return rules
