"""Migrations: upstream's nova/policies/migrations.py (/os-migrations);
/servers/{server_id}/migrations' are in server_migrations."""

from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-migrations:index'
LIST_ALL_PROJECTS = 'os_compute_api:os-migrations:index:all_projects'
LIST_HOST = 'os_compute_api:os-migrations:index:host'


def _rule(name, check_str, description, path):
    return policy.DocumentedRuleDefault(
        name, check_str, description, [{'method': 'GET', 'path': path}],
        scope_types=base.SCOPE_TYPES)


rules = [
    _rule(LIST, base.PROJECT_MANAGER_OR_ADMIN,
          "List migrations without host info (a project's own need "
          '?project_id=<it>, otherwise ' + LIST_ALL_PROJECTS + ')',
          '/os-migrations'),
    _rule(LIST_ALL_PROJECTS, base.ADMIN,
          'List the migrations of all projects or of another project '
          '(checked after ' + LIST + ' passes)', '/os-migrations'),
    _rule(LIST_HOST, base.ADMIN,
          'List migrations with host info (source and destination '
          'computes and nodes)', '/os-migrations'),
]


def list_rules():
    return rules
