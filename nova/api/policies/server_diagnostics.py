"""Server diagnostics: upstream's nova/policies/server_diagnostics.py."""

from nova.api.policies import base

DIAGNOSTICS = 'os_compute_api:os-server-diagnostics'

rules = [
    base.rule(DIAGNOSTICS, base.ADMIN, "Show a server's diagnostics",
              ('GET', '/servers/{server_id}/diagnostics')),
]


def list_rules():
    return rules
