"""Rules the resource policies are written in."""

from oslo_policy import policy

ADMIN = 'rule:context_is_admin'
PROJECT_MEMBER_OR_ADMIN = 'rule:project_member_or_admin'
PROJECT_READER_OR_ADMIN = 'rule:project_reader_or_admin'
ANY = '@'

rules = [
    policy.RuleDefault('context_is_admin', 'role:admin',
                       'Decides what is an administrator.'),
    policy.RuleDefault('project_member_or_admin',
                       'rule:context_is_admin or '
                       '(role:member and project_id:%(project_id)s)',
                       'A member of the target project, or an admin.'),
    policy.RuleDefault('project_reader_or_admin',
                       'rule:context_is_admin or '
                       '(role:reader and project_id:%(project_id)s)',
                       'A reader of the target project, or an admin.'),
    policy.RuleDefault('admin_or_owner',
                       'rule:context_is_admin or user_id:%(user_id)s',
                       'The owning user, or an admin.'),
]


def list_rules():
    return rules
