from oslo_policy import policy

PREFIX = 'os_compute_api:os-keypairs:%s'
INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

rules = [
    policy.DocumentedRuleDefault(
        INDEX, 'rule:admin_or_owner', 'List key pairs',
        [{'method': 'GET', 'path': '/os-keypairs'}]),
    policy.DocumentedRuleDefault(
        CREATE, 'rule:admin_or_owner', 'Create or import a key pair',
        [{'method': 'POST', 'path': '/os-keypairs'}]),
    policy.DocumentedRuleDefault(
        SHOW, 'rule:admin_or_owner', 'Show a key pair',
        [{'method': 'GET', 'path': '/os-keypairs/{keypair_name}'}]),
    policy.DocumentedRuleDefault(
        DELETE, 'rule:admin_or_owner', 'Delete a key pair',
        [{'method': 'DELETE', 'path': '/os-keypairs/{keypair_name}'}]),
]


def list_rules():
    return rules
