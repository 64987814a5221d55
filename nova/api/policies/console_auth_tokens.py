"""Console auth tokens: upstream's nova/policies/console_auth_tokens.py."""

from nova.api.policies import base

SHOW = 'os_compute_api:os-console-auth-tokens'

rules = [
    base.rule(SHOW, base.ADMIN,
              'Show console connection information for a given console '
              'authentication token',
              ('GET', '/os-console-auth-tokens/{console_token}')),
]


def list_rules():
    return rules
