"""Security groups: upstream's security_groups.py rules for a server's
groups and for the deprecated /os-security-groups proxy (add and remove
are server actions, in server_actions.py)."""

from nova.api.policies import base

LIST = 'os_compute_api:os-security-groups:list'
GET = 'os_compute_api:os-security-groups:get'
SHOW = 'os_compute_api:os-security-groups:show'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN,
              'List the security groups of a server',
              ('GET', '/servers/{server_id}/os-security-groups')),
    base.rule(GET, base.PROJECT_READER_OR_ADMIN,
              "List the project's security groups (deprecated proxy)",
              ('GET', '/os-security-groups')),
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              'Show a security group (deprecated proxy)',
              ('GET', '/os-security-groups/{security_group_id}')),
]


def list_rules():
    return rules
