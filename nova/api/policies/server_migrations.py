"""/servers/{server_id}/migrations: upstream's
nova/policies/servers_migrations.py (a server's live migrations in
progress: list, show, force complete, abort)."""

from oslo_policy import policy

from nova.api.policies import base

_ROOT = 'os_compute_api:servers:migrations:%s'
INDEX = _ROOT % 'index'
INDEX_HOST = _ROOT % 'index:host'
SHOW = _ROOT % 'show'
FORCE_COMPLETE = _ROOT % 'force_complete'
DELETE = _ROOT % 'delete'

_PATH = '/servers/{server_id}/migrations'
_ITEM = _PATH + '/{migration_id}'


def _rule(name, check_str, description, method, path):
    return policy.DocumentedRuleDefault(
        name, check_str, description, [{'method': method, 'path': path}],
        scope_types=base.SCOPE_TYPES)


rules = [
    _rule(SHOW, base.ADMIN, 'Show details for an in-progress live '
          'migration for a given server (2.23)', 'GET', _ITEM),
    _rule(FORCE_COMPLETE, base.PROJECT_MANAGER_OR_ADMIN,
          'Force an in-progress live migration for a given server to '
          'complete (2.22)', 'POST', _ITEM + '/action (force_complete)'),
    _rule(DELETE, base.PROJECT_MANAGER_OR_ADMIN,
          'Delete (abort) an in-progress live migration (2.24)', 'DELETE',
          _ITEM),
    _rule(INDEX, base.PROJECT_MANAGER_OR_ADMIN,
          'Lists in-progress live migrations for a given server without '
          'host info (2.23)', 'GET', _PATH),
    _rule(INDEX_HOST, base.ADMIN,
          'Lists in-progress live migrations for a given server with host '
          'info', 'GET', _PATH),
]


def list_rules():
    return rules
