"""os-migrateLive: upstream's nova/policies/migrate_server.py (its
live-migration rules; the cold ones are in server_actions here)."""

from oslo_policy import policy

from nova.api.policies import base

MIGRATE_LIVE = 'os_compute_api:os-migrate-server:migrate_live'
MIGRATE_LIVE_HOST = 'os_compute_api:os-migrate-server:migrate_live:host'

rules = [
    policy.DocumentedRuleDefault(
        MIGRATE_LIVE, base.PROJECT_MANAGER_OR_ADMIN,
        'Live migrate a server to a new host without a reboot, the '
        'scheduler choosing the host',
        [{'method': 'POST',
          'path': '/servers/{server_id}/action (os-migrateLive)'}],
        scope_types=base.SCOPE_TYPES),
    policy.DocumentedRuleDefault(
        MIGRATE_LIVE_HOST, base.ADMIN,
        'Live migrate a server to a specified host without a reboot',
        [{'method': 'POST',
          'path': '/servers/{server_id}/action (os-migrateLive)'}],
        scope_types=base.SCOPE_TYPES),
]


def list_rules():
    return rules
