"""Instance states: vm_state, task_state, power_state, and API status.

The values are the database strings (and integers) upstream Nova uses; the
status a client sees is a pure function of them (``status``).
"""

# vm_state: what the instance is.
ACTIVE = 'active'
BUILDING = 'building'
PAUSED = 'paused'
SUSPENDED = 'suspended'
STOPPED = 'stopped'
RESCUED = 'rescued'
RESIZED = 'resized'
SOFT_DELETED = 'soft-delete'
DELETED = 'deleted'
ERROR = 'error'
SHELVED = 'shelved'
SHELVED_OFFLOADED = 'shelved_offloaded'


class task:
    """task_state: what is being done to the instance (None when idle)."""
    SCHEDULING = 'scheduling'
    BLOCK_DEVICE_MAPPING = 'block_device_mapping'
    NETWORKING = 'networking'
    SPAWNING = 'spawning'
    IMAGE_SNAPSHOT = 'image_snapshot'
    IMAGE_SNAPSHOT_PENDING = 'image_snapshot_pending'
    IMAGE_PENDING_UPLOAD = 'image_pending_upload'
    IMAGE_UPLOADING = 'image_uploading'
    IMAGE_BACKUP = 'image_backup'
    UPDATING_PASSWORD = 'updating_password'
    RESIZE_PREP = 'resize_prep'
    RESIZE_MIGRATING = 'resize_migrating'
    RESIZE_MIGRATED = 'resize_migrated'
    RESIZE_FINISH = 'resize_finish'
    RESIZE_REVERTING = 'resize_reverting'
    RESIZE_CONFIRMING = 'resize_confirming'
    REBOOTING = 'rebooting'
    REBOOT_PENDING = 'reboot_pending'
    REBOOT_STARTED = 'reboot_started'
    REBOOTING_HARD = 'rebooting_hard'
    REBOOT_PENDING_HARD = 'reboot_pending_hard'
    REBOOT_STARTED_HARD = 'reboot_started_hard'
    PAUSING = 'pausing'
    UNPAUSING = 'unpausing'
    SUSPENDING = 'suspending'
    RESUMING = 'resuming'
    POWERING_OFF = 'powering-off'
    POWERING_ON = 'powering-on'
    RESCUING = 'rescuing'
    UNRESCUING = 'unrescuing'
    REBUILDING = 'rebuilding'
    REBUILD_BLOCK_DEVICE_MAPPING = 'rebuild_block_device_mapping'
    REBUILD_SPAWNING = 'rebuild_spawning'
    MIGRATING = 'migrating'
    DELETING = 'deleting'
    SOFT_DELETING = 'soft-deleting'
    RESTORING = 'restoring'
    SHELVING = 'shelving'
    SHELVING_IMAGE_PENDING_UPLOAD = 'shelving_image_pending_upload'
    SHELVING_IMAGE_UPLOADING = 'shelving_image_uploading'
    SHELVING_OFFLOADING = 'shelving_offloading'
    UNSHELVING = 'unshelving'


class power:
    """power_state: what the hypervisor says (an integer in DB and API)."""
    NOSTATE = 0
    RUNNING = 1
    PAUSED = 3
    SHUTDOWN = 4
    CRASHED = 6
    SUSPENDED = 7
    # Upstream's names of the states (error messages, diagnostics).
    NAMES = {NOSTATE: 'pending', RUNNING: 'running', PAUSED: 'paused',
             SHUTDOWN: 'shutdown', CRASHED: 'crashed',
             SUSPENDED: 'suspended'}


SOFT_REBOOT_STATES = (task.REBOOTING, task.REBOOT_PENDING,
                      task.REBOOT_STARTED)
HARD_REBOOT_STATES = (task.REBOOTING_HARD, task.REBOOT_PENDING_HARD,
                      task.REBOOT_STARTED_HARD)
RESIZING_STATES = (task.RESIZE_PREP, task.RESIZE_MIGRATING,
                   task.RESIZE_MIGRATED, task.RESIZE_FINISH)
REBUILD_STATES = (task.REBUILDING, task.REBUILD_BLOCK_DEVICE_MAPPING,
                  task.REBUILD_SPAWNING)
BUILD_STATES = (task.SCHEDULING, task.BLOCK_DEVICE_MAPPING, task.NETWORKING,
                task.SPAWNING)


def _overrides(states, status):
    return {state: status for state in states}


# vm_state -> (default status, {task_state: status})
STATUS_MAP = {
    ACTIVE: ('ACTIVE', {
        **_overrides(SOFT_REBOOT_STATES, 'REBOOT'),
        **_overrides(HARD_REBOOT_STATES, 'HARD_REBOOT'),
        task.UPDATING_PASSWORD: 'PASSWORD',
        **_overrides(REBUILD_STATES, 'REBUILD'),
        task.MIGRATING: 'MIGRATING',
        **_overrides(RESIZING_STATES, 'RESIZE'),
    }),
    BUILDING: ('BUILD', {}),
    STOPPED: ('SHUTOFF', {
        **_overrides(RESIZING_STATES, 'RESIZE'),
        **_overrides(REBUILD_STATES, 'REBUILD'),
    }),
    RESIZED: ('VERIFY_RESIZE', {task.RESIZE_REVERTING: 'REVERT_RESIZE'}),
    PAUSED: ('PAUSED', {task.MIGRATING: 'MIGRATING'}),
    SUSPENDED: ('SUSPENDED', {}),
    RESCUED: ('RESCUE', {}),
    ERROR: ('ERROR', _overrides(REBUILD_STATES, 'REBUILD')),
    DELETED: ('DELETED', {}),
    SOFT_DELETED: ('SOFT_DELETED', {}),
    SHELVED: ('SHELVED', {}),
    SHELVED_OFFLOADED: ('SHELVED_OFFLOADED', {}),
}

ALL_STATUSES = frozenset(
    ['UNKNOWN'] + [default for default, _ in STATUS_MAP.values()] +
    [s for _, overrides in STATUS_MAP.values() for s in overrides.values()])


def status(vm_state, task_state, deleted=False):
    """The API status of an instance (fact sheet section 2.4)."""
    if deleted:
        return 'DELETED'
    default, overrides = STATUS_MAP.get(vm_state, ('UNKNOWN', {}))
    return overrides.get(task_state, default)


def states_for_status(status_name):
    """{vm_state: task_states or None (any)} that show as status_name.

    Used to filter server lists by status.
    """
    result = {}
    for vm_state, (default, overrides) in STATUS_MAP.items():
        tasks = [t for t, s in overrides.items() if s == status_name]
        if default == status_name:
            # Every task state except those that map elsewhere.
            result[vm_state] = ('not', [t for t, s in overrides.items()
                                        if s != status_name])
        elif tasks:
            result[vm_state] = ('in', tasks)
    return result
