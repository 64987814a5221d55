"""Availability zones: upstream's nova/policies/availability_zone.py."""

from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-availability-zone:list'
DETAIL = 'os_compute_api:os-availability-zone:detail'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ANY, 'List availability zones without their hosts',
        [{'method': 'GET', 'path': '/os-availability-zone'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        DETAIL, base.ADMIN, 'List availability zones with their hosts',
        [{'method': 'GET', 'path': '/os-availability-zone/detail'}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
