from oslo_policy import policy

from nova.api.policies import base

SHOW = 'os_compute_api:limits'
OTHER_PROJECT = 'os_compute_api:limits:other_project'

rules = [
    policy.DocumentedRuleDefault(
        SHOW, base.ANY, "Show the project's limits and usage",
        [{'method': 'GET', 'path': '/limits'}]),
    policy.DocumentedRuleDefault(
        OTHER_PROJECT, base.ADMIN, "Show another project's limits",
        [{'method': 'GET', 'path': '/limits?tenant_id={project_id}'}]),
]


def list_rules():
    return rules
