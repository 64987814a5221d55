"""[conductor] options."""

from oslo_config import cfg

from nova.conf import groups

conductor_group = cfg.OptGroup('conductor', title='Conductor options')

conductor_opts = [
    cfg.IntOpt('workers',
               min=1,
               sample_default='<number of CPUs>',
               help="""
Number of nova-conductor worker processes.

Each consumes the conductor topic, so calls are spread over them and the
conductor's work is not limited to one CPU by Python's global interpreter
lock.  On SQLite the workers take turns to write (a lock file beside the
database); readers do not wait.  Default: the number of CPUs of the host.
"""),
    cfg.IntOpt('reap_interval',
               default=60,
               min=0,
               help="""
Seconds between two runs of the conductor's reaper, 0 to disable it.

The reaper ends operations whose owner died: a build whose conductor
stopped while scheduling, a task the API accepted but never sent on, a
move whose compute went down.  Every conductor runs it; a compare-and-swap
on the instance lets only one of them act on a given operation.

Related options: stuck_task_timeout.
"""),
    cfg.IntOpt('stuck_task_timeout',
               default=300,
               min=1,
               help="""
Seconds an operation may stay at one step before the reaper ends it.

It applies only where the operation's owner is gone: its compute service
is down, it has no host, its next step is the conductor's own (which never
takes this long), or no service ever began it (the API died before sending
it on).  The operation ends with a fault and an Error event, its
task_state cleared and its resource claims given back.

Related options: reap_interval, service_down_time.
"""),
    cfg.IntOpt('call_timeout',
               default=5,
               min=1,
               help="""
Seconds the other services wait for the conductor's answer to a call that is
safe to send again, before they send it again.

A conductor that dies (a restart, a crash) loses the calls it had taken; the
callers would otherwise wait rpc_response_timeout (60 s) and fail.  Reads
and the writes whose repetition changes nothing (nova.conductor.rpcapi
CALLS) are sent again instead: each retry waits twice as long as the one
before, the last one rpc_response_timeout, so a call that is merely slow is
answered as before.  Other calls are sent once and wait
rpc_response_timeout.

Related options: call_retries, [DEFAULT] rpc_response_timeout.
"""),
    cfg.IntOpt('call_retries',
               default=2,
               min=0,
               help="""
How many times a conductor call that is safe to repeat is sent again when no
answer came in time (0: never).

With the defaults (call_timeout 5, rpc_response_timeout 60), a call lost by a
conductor that restarted is answered after about 5 seconds; a conductor that
stays down is reported (503 at the API) after 5 + 10 + 60 seconds.

Related options: call_timeout.
"""),
]


def register_opts(conf):
    groups.register(conf, conductor_group, conductor_opts)


def list_opts():
    return {conductor_group.name: conductor_opts}
