"""Server password: upstream's nova/policies/server_password.py."""

from nova.api.policies import base

PREFIX = 'os_compute_api:os-server-password:%s'
SHOW = PREFIX % 'show'
CLEAR = PREFIX % 'clear'

rules = [
    base.rule(SHOW, base.PROJECT_READER_OR_ADMIN,
              "Show a server's encrypted administrative password",
              ('GET', '/servers/{server_id}/os-server-password')),
    base.rule(CLEAR, base.PROJECT_MEMBER_OR_ADMIN,
              "Clear a server's encrypted administrative password",
              ('DELETE', '/servers/{server_id}/os-server-password')),
]


def list_rules():
    return rules
