"""GET /servers/{server_id}/os-security-groups: upstream's
security_groups.py list rule (add and remove are server actions, in
server_actions.py)."""

from nova.api.policies import base

LIST = 'os_compute_api:os-security-groups:list'

rules = [
    base.rule(LIST, base.PROJECT_READER_OR_ADMIN,
              'List the security groups of a server',
              ('GET', '/servers/{server_id}/os-security-groups')),
]


def list_rules():
    return rules
