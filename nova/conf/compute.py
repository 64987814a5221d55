"""Options of nova-compute."""

from oslo_config import cfg

compute_opts = [
    cfg.StrOpt('compute_driver',
               default='fake.FakeDriver',
               help="""
Virt driver of this compute node, relative to nova.virt.

Possible values: fake.FakeDriver (tests and scale benchmarks).
"""),
]


def register_opts(conf):
    conf.register_opts(compute_opts)


def list_opts():
    return {'DEFAULT': compute_opts}
