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
]


def register_opts(conf):
    groups.register(conf, conductor_group, conductor_opts)


def list_opts():
    return {conductor_group.name: conductor_opts}
