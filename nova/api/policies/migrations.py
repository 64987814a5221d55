from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-migrations:index'
SERVER_MIGRATIONS = 'os_compute_api:servers:migrations:index'

rules = [
    policy.DocumentedRuleDefault(
        LIST, base.ADMIN, 'List migrations',
        [{'method': 'GET', 'path': '/os-migrations'}]),
    policy.DocumentedRuleDefault(
        SERVER_MIGRATIONS, base.ADMIN,
        "List a server's in-progress live migrations",
        [{'method': 'GET', 'path': '/servers/{server_id}/migrations'}]),
]


def list_rules():
    return rules
