"""POST /servers/{server_id}/action: upstream's nova/policies/servers.py
(stop, start, reboot, rebuild, resize, confirm/revert, create_image),
pause_server.py, suspend_server.py, rescue.py, lock_server.py,
console_output.py, shelve.py, migrate_server.py, admin_actions.py,
create_backup.py, deferred_delete.py (restore), evacuate.py and
security_groups.py (add, remove).  forceDelete's rule is
in servers.py here."""

from oslo_policy import policy

from nova.api.policies import base

STOP = 'os_compute_api:servers:stop'
START = 'os_compute_api:servers:start'
REBOOT = 'os_compute_api:servers:reboot'
PAUSE = 'os_compute_api:os-pause-server:pause'
UNPAUSE = 'os_compute_api:os-pause-server:unpause'
SUSPEND = 'os_compute_api:os-suspend-server:suspend'
RESUME = 'os_compute_api:os-suspend-server:resume'
RESCUE = 'os_compute_api:os-rescue'
UNRESCUE = 'os_compute_api:os-unrescue'
LOCK = 'os_compute_api:os-lock-server:lock'
UNLOCK = 'os_compute_api:os-lock-server:unlock'
UNLOCK_OVERRIDE = 'os_compute_api:os-lock-server:unlock:unlock_override'
CONSOLE_OUTPUT = 'os_compute_api:os-console-output'
CREATE_IMAGE = 'os_compute_api:servers:create_image'
REBUILD = 'os_compute_api:servers:rebuild'
SHELVE = 'os_compute_api:os-shelve:shelve'
SHELVE_OFFLOAD = 'os_compute_api:os-shelve:shelve_offload'
UNSHELVE = 'os_compute_api:os-shelve:unshelve'
UNSHELVE_TO_HOST = 'os_compute_api:os-shelve:unshelve_to_host'
RESIZE = 'os_compute_api:servers:resize'
CONFIRM_RESIZE = 'os_compute_api:servers:confirm_resize'
REVERT_RESIZE = 'os_compute_api:servers:revert_resize'
MIGRATE = 'os_compute_api:os-migrate-server:migrate'
MIGRATE_HOST = 'os_compute_api:os-migrate-server:migrate:host'
RESET_STATE = 'os_compute_api:os-admin-actions:reset_state'
INJECT_NETWORK_INFO = 'os_compute_api:os-admin-actions:inject_network_info'
CREATE_BACKUP = 'os_compute_api:os-create-backup'
RESTORE = 'os_compute_api:os-deferred-delete:restore'
EVACUATE = 'os_compute_api:os-evacuate'
TRIGGER_CRASH_DUMP = 'os_compute_api:servers:trigger_crash_dump'
ADD_SECURITY_GROUP = 'os_compute_api:os-security-groups:add'
REMOVE_SECURITY_GROUP = 'os_compute_api:os-security-groups:remove'

# (rule, default, description, action)
_ACTIONS = (
    (STOP, base.PROJECT_MEMBER_OR_ADMIN, 'Stop a server', 'os-stop'),
    (START, base.PROJECT_MEMBER_OR_ADMIN, 'Start a server', 'os-start'),
    (REBOOT, base.PROJECT_MEMBER_OR_ADMIN, 'Reboot a server', 'reboot'),
    (PAUSE, base.PROJECT_MEMBER_OR_ADMIN, 'Pause a server', 'pause'),
    (UNPAUSE, base.PROJECT_MEMBER_OR_ADMIN, 'Unpause a paused server',
     'unpause'),
    (SUSPEND, base.PROJECT_MEMBER_OR_ADMIN, 'Suspend a server', 'suspend'),
    (RESUME, base.PROJECT_MEMBER_OR_ADMIN, 'Resume a suspended server',
     'resume'),
    (RESCUE, base.PROJECT_MEMBER_OR_ADMIN, 'Rescue a server', 'rescue'),
    (UNRESCUE, base.PROJECT_MEMBER_OR_ADMIN, 'Unrescue a server',
     'unrescue'),
    (LOCK, base.PROJECT_MEMBER_OR_ADMIN, 'Lock a server', 'lock'),
    (UNLOCK, base.PROJECT_MEMBER_OR_ADMIN, 'Unlock a server', 'unlock'),
    (UNLOCK_OVERRIDE, base.ADMIN,
     'Unlock a server whoever locked it (checked after '
     + UNLOCK + ' passes, for a server an admin locked)', 'unlock'),
    (CONSOLE_OUTPUT, base.PROJECT_MEMBER_OR_ADMIN,
     'Show console output for a server', 'os-getConsoleOutput'),
    (CREATE_IMAGE, base.PROJECT_MEMBER_OR_ADMIN,
     'Create an image from a server', 'createImage'),
    (REBUILD, base.PROJECT_MEMBER_OR_ADMIN, 'Rebuild a server', 'rebuild'),
    (SHELVE, base.PROJECT_MEMBER_OR_ADMIN, 'Shelve a server', 'shelve'),
    (SHELVE_OFFLOAD, base.ADMIN,
     'Shelf-offload (remove from its host) a shelved server',
     'shelveOffload'),
    (UNSHELVE, base.PROJECT_MEMBER_OR_ADMIN,
     'Unshelve (restore) a shelved server', 'unshelve'),
    (UNSHELVE_TO_HOST, base.ADMIN,
     'Unshelve a shelved offloaded server to a given host (2.91)',
     'unshelve'),
    (RESIZE, base.PROJECT_MEMBER_OR_ADMIN, 'Resize a server', 'resize'),
    (CONFIRM_RESIZE, base.PROJECT_MEMBER_OR_ADMIN,
     'Confirm a server resize or cold migration', 'confirmResize'),
    (REVERT_RESIZE, base.PROJECT_MEMBER_OR_ADMIN,
     'Revert a server resize or cold migration', 'revertResize'),
    (MIGRATE, base.PROJECT_MANAGER_OR_ADMIN,
     'Cold migrate a server without specifying a host', 'migrate'),
    (MIGRATE_HOST, base.ADMIN,
     'Cold migrate a server to a specified host (2.56)', 'migrate'),
    (RESET_STATE, base.ADMIN,
     'Reset the state of a server (vm_state active or error, no task)',
     'os-resetState'),
    (INJECT_NETWORK_INFO, base.ADMIN,
     "Plug a server's VIFs again on its host", 'injectNetworkInfo'),
    (CREATE_BACKUP, base.PROJECT_MEMBER_OR_ADMIN,
     'Create a back up of a server (and rotate out the oldest)',
     'createBackup'),
    (RESTORE, base.PROJECT_MEMBER_OR_ADMIN,
     'Restore a soft deleted server', 'restore'),
    (EVACUATE, base.ADMIN,
     'Evacuate a server from a failed host to a new host', 'evacuate'),
    (TRIGGER_CRASH_DUMP, base.PROJECT_MEMBER_OR_ADMIN,
     'Trigger a crash dump in a server (2.17)', 'trigger_crash_dump'),
    (ADD_SECURITY_GROUP, base.PROJECT_MEMBER_OR_ADMIN,
     'Add a security group to a server', 'addSecurityGroup'),
    (REMOVE_SECURITY_GROUP, base.PROJECT_MEMBER_OR_ADMIN,
     'Remove a security group from a server', 'removeSecurityGroup'),
)

rules = [
    policy.DocumentedRuleDefault(
        rule, check_str, description,
        [{'method': 'POST',
          'path': '/servers/{server_id}/action (%s)' % action}],
        scope_types=base.SCOPE_TYPES)
    for rule, check_str, description, action in _ACTIONS
]


def list_rules():
    return rules
