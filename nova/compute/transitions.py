"""The instance state machine, as data: one row per operation.

Each row says from which vm_states and task_states an operation may start,
whether the launch, the lock and the host are checked, the task_state set
when the API accepts it (the compute's compare-and-swap expects it back),
and the vm_state / power_state it ends in.  The API's 409 checks and the
compute's expected task states come from here; nothing else lists them.
Values follow the upstream contract (fact sheet section 3.2).
"""

import collections

from nova.compute import states
from nova import exception

ANY = None  # no check on this attribute

Transition = collections.namedtuple('Transition', [
    'vm_states',        # allowed starting vm_states, or ANY
    'task_states',      # allowed starting task_states, or ANY
    'accept_task',      # task_state set by the API on accept (or None)
    'final_vm_state',   # vm_state at the end (None: unchanged/special)
    'final_power',      # power_state at the end (None: unchanged)
    'check_lock',       # a locked instance refuses non-admins (409)
    'needs_host',       # the instance must be on a host (409 not ready)
    'must_have_launched',
])

_IDLE = (None,)
_t = states.task
_p = states.power

ALLOW_REBOOT = (None, _t.REBOOTING, _t.REBOOT_PENDING, _t.REBOOT_STARTED,
                _t.RESUMING, _t.REBOOTING_HARD, _t.UNPAUSING, _t.PAUSING,
                _t.SUSPENDING)


def _row(vm_states, accept, final_vm, final_power, task_states=_IDLE,
         lock=True, host=False, launched=True):
    return Transition(vm_states, task_states, accept, final_vm, final_power,
                      lock, host, launched)


# Where a server's metadata and tags may change (upstream's
# update_instance_metadata and server tags).
_CHANGEABLE = (states.ACTIVE, states.PAUSED, states.SUSPENDED,
               states.STOPPED)

TRANSITIONS = {
    'delete': _row(ANY, _t.DELETING, states.DELETED, None, task_states=ANY,
                   launched=False),
    'forceDelete': _row(ANY, _t.DELETING, states.DELETED, None,
                        task_states=ANY, launched=False),
    # DELETE when [DEFAULT] reclaim_instance_interval > 0: the guest is
    # powered off and kept until reclaimed, restored or force-deleted.
    # A server never launched is deleted at once instead (as upstream).
    'softDelete': _row(ANY, _t.SOFT_DELETING, states.SOFT_DELETED,
                       _p.SHUTDOWN, task_states=ANY),
    'restore': _row((states.SOFT_DELETED,), _t.RESTORING, states.ACTIVE,
                    _p.RUNNING),
    # os-resetState (admin): whatever the state, no lock check.
    'resetState': _row(ANY, None, None, None, task_states=ANY, lock=False,
                       launched=False),
    'stop': _row((states.ACTIVE, states.ERROR), _t.POWERING_OFF,
                 states.STOPPED, _p.SHUTDOWN, host=True),
    'start': _row((states.STOPPED,), _t.POWERING_ON, states.ACTIVE,
                  _p.RUNNING, host=True),
    'reboot': _row((states.ACTIVE,), _t.REBOOTING, states.ACTIVE,
                   _p.RUNNING),
    'reboot_hard': _row((states.ACTIVE, states.STOPPED, states.PAUSED,
                         states.SUSPENDED, states.ERROR), _t.REBOOTING_HARD,
                        states.ACTIVE, _p.RUNNING,
                        task_states=ALLOW_REBOOT),
    'pause': _row((states.ACTIVE,), _t.PAUSING, states.PAUSED, _p.PAUSED),
    'unpause': _row((states.PAUSED,), _t.UNPAUSING, states.ACTIVE,
                    _p.RUNNING),
    'suspend': _row((states.ACTIVE,), _t.SUSPENDING, states.SUSPENDED,
                    _p.SUSPENDED),
    'resume': _row((states.SUSPENDED,), _t.RESUMING, states.ACTIVE,
                   _p.RUNNING),
    'rescue': _row((states.ACTIVE, states.STOPPED, states.ERROR),
                   _t.RESCUING, states.RESCUED, _p.RUNNING),
    'unrescue': _row((states.RESCUED,), _t.UNRESCUING, states.ACTIVE,
                     _p.RUNNING),
    'createImage': _row((states.ACTIVE, states.STOPPED, states.PAUSED,
                         states.SUSPENDED), _t.IMAGE_SNAPSHOT_PENDING, None,
                        None, lock=False),
    'createBackup': _row((states.ACTIVE, states.STOPPED, states.PAUSED,
                          states.SUSPENDED), _t.IMAGE_BACKUP, None, None,
                         lock=False),
    # 2.17; no task_state: the compute only injects an NMI.
    'trigger_crash_dump': _row((states.ACTIVE, states.PAUSED,
                                states.RESCUED, states.RESIZED,
                                states.ERROR), None, None, None),
    # Admin: the compute plugs the VIFs again; any state, on a host.
    'injectNetworkInfo': _row(ANY, None, None, None, task_states=ANY,
                              lock=False, host=True, launched=False),
    # os-security-groups' add/remove (no state check upstream either).
    'securityGroups': _row(ANY, None, None, None, task_states=ANY,
                           lock=False, launched=False),
    # os-interface (Neutron): no task_state; the compute serializes them
    # with the instance's other work (upstream's states).
    'attach_interface': _row((states.ACTIVE, states.PAUSED, states.STOPPED),
                             None, None, None, host=True),
    'detach_interface': _row((states.ACTIVE, states.PAUSED, states.STOPPED),
                             None, None, None, host=True),
    'rebuild': _row((states.ACTIVE, states.STOPPED, states.ERROR),
                    _t.REBUILDING, states.ACTIVE, _p.RUNNING),
    # Admin, from a host whose compute is down (the API checks it):
    # whatever the task (the dead host will never finish it), no lock
    # check; rebuilt on another host, stopped again if it was stopped.
    'evacuate': _row((states.ACTIVE, states.STOPPED, states.ERROR),
                     _t.REBUILDING, states.ACTIVE, _p.RUNNING,
                     task_states=ANY, lock=False, host=True),
    'shelve': _row((states.ACTIVE, states.STOPPED, states.PAUSED,
                    states.SUSPENDED), _t.SHELVING,
                   states.SHELVED_OFFLOADED, _p.SHUTDOWN),
    'shelveOffload': _row((states.SHELVED,), _t.SHELVING_OFFLOADING,
                          states.SHELVED_OFFLOADED, _p.SHUTDOWN),
    'unshelve': _row((states.SHELVED, states.SHELVED_OFFLOADED),
                     _t.UNSHELVING, states.ACTIVE, _p.RUNNING,
                     launched=False),
    'migrate': _row((states.ACTIVE, states.STOPPED), _t.RESIZE_PREP,
                    states.RESIZED, None, host=True),
    'resize': _row((states.ACTIVE, states.STOPPED), _t.RESIZE_PREP,
                   states.RESIZED, None, host=True),
    'confirmResize': _row((states.RESIZED,), None, None, None, host=True),
    'revertResize': _row((states.RESIZED,), _t.RESIZE_REVERTING, None,
                         None, host=True),
    # Live migration (admin, or a project manager without a host): the
    # guest keeps running (or paused) while it moves; on a host.
    'os-migrateLive': _row((states.ACTIVE, states.PAUSED), _t.MIGRATING,
                           None, None, host=True),
    # Steps of a live migration under way (2.22 force_complete, 2.24
    # abort): no new task, the migration's own status says where it is.
    'force_complete': _row((states.ACTIVE,), None, None, None,
                           task_states=(_t.MIGRATING,), host=True),
    'abort live migration': _row(ANY, None, None, None,
                                 task_states=(_t.MIGRATING,), host=True),
    'lock': _row(ANY, None, None, None, task_states=ANY, lock=False,
                 launched=False),
    'unlock': _row(ANY, None, None, None, task_states=ANY, lock=False,
                   launched=False),
    'os-getConsoleOutput': _row(ANY, None, None, None, task_states=ANY,
                                lock=False, host=True, launched=False),
    # A remote console (remote-consoles, os-getVNCConsole): a guest that
    # runs, on a host; no task or lock check (the console only reads).
    'remoteConsole': _row((states.ACTIVE, states.PAUSED, states.RESCUED),
                          None, None, None, task_states=ANY, lock=False,
                          host=True, launched=False),
    # Changes of a server's metadata (POST/PUT /metadata, PUT and DELETE
    # /metadata/{key}): a launched server, no task under way, not locked.
    # The 409 names them 'update metadata' / 'delete metadata'.
    'metadata': _row(_CHANGEABLE, None, None, None),
    # Changes of its tags (2.26): the vm_state alone; 'update tag(s)',
    # 'delete tag(s)'.
    'tags': _row(_CHANGEABLE, None, None, None, task_states=ANY,
                 lock=False, launched=False),
}


def check(operation, instance, is_admin, method=None):
    """Raise 409 unless operation may start on instance now."""
    row = TRANSITIONS[operation]
    method = method or operation
    uuid = instance['uuid']
    if row.vm_states is not ANY and instance['vm_state'] not in \
            row.vm_states:
        raise exception.InstanceInvalidState(
            method=method, instance_uuid=uuid, attr='vm_state',
            state=instance['vm_state'])
    if row.task_states is not ANY and instance['task_state'] not in \
            row.task_states:
        raise exception.InstanceInvalidState(
            method=method, instance_uuid=uuid, attr='task_state',
            state=instance['task_state'])
    if row.must_have_launched and not instance.get('launched_at'):
        raise exception.InstanceInvalidState(
            method=method, instance_uuid=uuid, attr='launched_at',
            state=None)
    if row.check_lock and instance.get('locked') and not is_admin:
        raise exception.InstanceIsLocked(instance_uuid=uuid)
    if row.needs_host and not instance.get('host'):
        raise exception.InstanceNotReady(instance_uuid=uuid)
    return row


def expected_task_state(operation):
    """What the compute expects to find when it picks the operation up."""
    return TRANSITIONS[operation].accept_task
