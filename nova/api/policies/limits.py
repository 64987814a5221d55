"""Limits: upstream's nova/policies/limits.py."""

from oslo_policy import policy

from nova.api.policies import base

SHOW = 'os_compute_api:limits'
OTHER_PROJECT = 'os_compute_api:limits:other_project'

rules = [
    policy.DocumentedRuleDefault(
        SHOW, base.ANY, "Show the current project's limits and usage",
        [{'method': 'GET', 'path': '/limits'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        OTHER_PROJECT, base.ADMIN,
        "Show another project's limits (?tenant_id=; checked after "
        + SHOW + ' passes)',
        [{'method': 'GET', 'path': '/limits'}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
