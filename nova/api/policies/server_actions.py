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
RESIZE = 'os_compute_api:servers:resize'
CONFIRM_RESIZE = 'os_compute_api:servers:confirm_resize'
REVERT_RESIZE = 'os_compute_api:servers:revert_resize'
MIGRATE = 'os_compute_api:os-migrate-server:migrate'
MIGRATE_HOST = 'os_compute_api:os-migrate-server:migrate:host'
SHELVE_OFFLOAD = 'os_compute_api:os-shelve:shelve_offload'
UNSHELVE = 'os_compute_api:os-shelve:unshelve'

_MEMBER_ACTIONS = (
    (STOP, 'Stop a server', 'os-stop'),
    (START, 'Start a server', 'os-start'),
    (REBOOT, 'Reboot a server', 'reboot'),
    (PAUSE, 'Pause a server', 'pause'),
    (UNPAUSE, 'Unpause a server', 'unpause'),
    (SUSPEND, 'Suspend a server', 'suspend'),
    (RESUME, 'Resume a server', 'resume'),
    (RESCUE, 'Rescue a server', 'rescue'),
    (UNRESCUE, 'Unrescue a server', 'unrescue'),
    (LOCK, 'Lock a server', 'lock'),
    (UNLOCK, 'Unlock a server', 'unlock'),
    (CONSOLE_OUTPUT, "Show a server's console output",
     'os-getConsoleOutput'),
    (CREATE_IMAGE, 'Snapshot a server into an image', 'createImage'),
    (REBUILD, 'Rebuild a server from an image', 'rebuild'),
    (SHELVE, 'Shelve a server', 'shelve'),
    (UNSHELVE, 'Unshelve a server', 'unshelve'),
    (RESIZE, 'Resize a server to another flavor', 'resize'),
    (CONFIRM_RESIZE, 'Confirm a resize or migration', 'confirmResize'),
    (REVERT_RESIZE, 'Revert a resize or migration', 'revertResize'),
    (MIGRATE, 'Cold migrate a server (the scheduler picks the host)',
     'migrate'),
)

rules = [
    policy.DocumentedRuleDefault(
        rule, base.PROJECT_MEMBER_OR_ADMIN, description,
        [{'method': 'POST',
          'path': '/servers/{server_id}/action (%s)' % action}])
    for rule, description, action in _MEMBER_ACTIONS
] + [
    policy.DocumentedRuleDefault(
        UNLOCK_OVERRIDE, base.ADMIN,
        'Unlock a server an administrator locked',
        [{'method': 'POST', 'path': '/servers/{server_id}/action (unlock)'}]),
    policy.DocumentedRuleDefault(
        MIGRATE_HOST, base.ADMIN, 'Cold migrate a server to a given host',
        [{'method': 'POST', 'path': '/servers/{server_id}/action (migrate)'}]),
    policy.DocumentedRuleDefault(
        SHELVE_OFFLOAD, base.ADMIN, 'Offload a shelved server now',
        [{'method': 'POST',
          'path': '/servers/{server_id}/action (shelveOffload)'}]),
]


def list_rules():
    return rules
