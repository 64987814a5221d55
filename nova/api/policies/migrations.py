"""Migrations: upstream's nova/policies/migrations.py (/os-migrations) and
servers_migrations.py (the index of /servers/{server_id}/migrations, the
one server migrations API this project has)."""

from oslo_policy import policy

from nova.api.policies import base

LIST = 'os_compute_api:os-migrations:index'
LIST_ALL_PROJECTS = 'os_compute_api:os-migrations:index:all_projects'
LIST_HOST = 'os_compute_api:os-migrations:index:host'
SERVER_MIGRATIONS = 'os_compute_api:servers:migrations:index'
SERVER_MIGRATIONS_HOST = 'os_compute_api:servers:migrations:index:host'


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
    _rule(SERVER_MIGRATIONS, base.PROJECT_MANAGER_OR_ADMIN,
          "List a server's in-progress live migrations without host info "
          '(2.23)', '/servers/{server_id}/migrations'),
    _rule(SERVER_MIGRATIONS_HOST, base.ADMIN,
          "List a server's in-progress live migrations with host info",
          '/servers/{server_id}/migrations'),
]


def list_rules():
    return rules
