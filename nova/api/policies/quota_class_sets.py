"""Quota class sets: upstream's nova/policies/quota_class_sets.py, the
admin's (the class 'default' holds every project's defaults)."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-quota-class-sets:%s'
SHOW = PREFIX % 'show'
UPDATE = PREFIX % 'update'

_ITEM = '/os-quota-class-sets/{quota_class}'

rules = [
    base.rule(SHOW, base.ADMIN, 'List quotas for specific quota classes',
              ('GET', _ITEM)),
    base.rule(UPDATE, base.ADMIN, 'Update quotas for specific quota class',
              ('PUT', _ITEM)),
]


def list_rules():
    return rules
