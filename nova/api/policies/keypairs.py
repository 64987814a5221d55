"""Key pairs: upstream's nova/policies/keypairs.py.  Key pairs belong to a
user, not a project: any user manages their own, an admin anyone's."""

from oslo_policy import policy

from nova.api.policies import base

PREFIX = 'os_compute_api:os-keypairs:%s'
INDEX = PREFIX % 'index'
CREATE = PREFIX % 'create'
SHOW = PREFIX % 'show'
DELETE = PREFIX % 'delete'

ADMIN_OR_KEYPAIR_OWNER = '(' + base.ADMIN + ') or user_id:%(user_id)s'

rules = [
    policy.DocumentedRuleDefault(
        rule, ADMIN_OR_KEYPAIR_OWNER, description,
        [{'method': method, 'path': path}], scope_types=base.SCOPE_TYPES)
    for rule, description, method, path in (
        (INDEX, 'List key pairs', 'GET', '/os-keypairs'),
        (CREATE, 'Create or import a key pair', 'POST', '/os-keypairs'),
        (SHOW, 'Show a key pair', 'GET', '/os-keypairs/{keypair_name}'),
        (DELETE, 'Delete a key pair', 'DELETE',
         '/os-keypairs/{keypair_name}'))
]


def list_rules():
    return rules
