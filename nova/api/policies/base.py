"""The base rules the resource policies are written in.

The names and check strings are upstream Nova's secure-RBAC personas
(nova/policies/base.py), so an operator's policy.yaml written for Nova
means the same here:

project reader
    ``reader`` role in the target project: reads its project's resources.
project member
    ``member`` role in the target project: acts on its project's servers.
project manager
    ``manager`` role in the target project: a few project management
    operations besides (cold migrating, listing migrations).
admin
    ``admin`` role, in any project: everything, every project.
service
    ``service`` role: service-to-service APIs.

Keystone's implied roles (admin implies manager, manager implies member,
member implies reader) put the lesser roles in every token; the rules
below still name each role they need.
"""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MANAGER = 'rule:project_manager_api'
PROJECT_MEMBER = 'rule:project_member_api'
PROJECT_READER = 'rule:project_reader_api'
PROJECT_MANAGER_OR_ADMIN = 'rule:project_manager_or_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
SERVICE = 'rule:service_api'
SERVICE_OR_ADMIN = 'rule:service_or_admin'
ANY = '@'
NOBODY = '!'
# The legacy (pre secure-RBAC) rules, kept for operators' overrides.
RULE_ADMIN_API = 'rule:admin_api'
RULE_ADMIN_OR_OWNER = 'rule:admin_or_owner'
# Older names of the aliases above.
RULE_ANY = ANY
RULE_NOBODY = NOBODY

SCOPE_TYPES = ['project']


def rule(name, check_str, description, operations, scope_types=None):
    """A documented rule; project scope unless scope_types says other.

    operations: [{'method', 'path'}], or one (method, path) pair.
    """
    if isinstance(operations, tuple):
        operations = [{'method': operations[0], 'path': operations[1]}]
    return policy.DocumentedRuleDefault(
        name, check_str, description, operations,
        scope_types=scope_types or SCOPE_TYPES)

# Nova's release that deprecated them (Wallaby).
_LEGACY_SINCE = '21.0.0'
_LEGACY = ('Legacy rule from before the reader/member/manager personas; '
           'no default uses it any more.')

rules = [
    policy.RuleDefault(
        'context_is_admin', 'role:admin',
        "Decides who is an administrator (what 'is_admin:True' checks)."),
    policy.RuleDefault(
        'admin_or_owner', 'is_admin:True or project_id:%(project_id)s',
        'Legacy default rule of the project APIs.',
        deprecated_for_removal=True, deprecated_reason=_LEGACY,
        deprecated_since=_LEGACY_SINCE),
    policy.RuleDefault(
        'admin_api', 'is_admin:True',
        'Legacy default rule of the admin APIs.',
        deprecated_for_removal=True, deprecated_reason=_LEGACY,
        deprecated_since=_LEGACY_SINCE),
    policy.RuleDefault(
        'project_manager_api', 'role:manager and project_id:%(project_id)s',
        'A manager of the target project: project management APIs.'),
    policy.RuleDefault(
        'project_member_api', 'role:member and project_id:%(project_id)s',
        'A member of the target project: its non-admin APIs.'),
    policy.RuleDefault(
        'project_reader_api', 'role:reader and project_id:%(project_id)s',
        'A reader of the target project: its read-only APIs.'),
    policy.RuleDefault(
        'service_api', 'role:service',
        'Another OpenStack service: service-to-service APIs.'),
    policy.RuleDefault(
        'project_manager_or_admin',
        'rule:project_manager_api or rule:context_is_admin',
        'A manager of the target project, or an admin.'),
    policy.RuleDefault(
        'project_member_or_admin',
        'rule:project_member_api or rule:context_is_admin',
        'A member of the target project, or an admin.'),
    policy.RuleDefault(
        'project_reader_or_admin',
        'rule:project_reader_api or rule:context_is_admin',
        'A reader of the target project, or an admin.'),
    policy.RuleDefault(
        'service_or_admin', 'rule:service_api or rule:context_is_admin',
        'Another OpenStack service, or an admin.'),
]


def list_rules():
    return rules
