"""[fake_driver] options: the in-memory virt driver for tests and scale."""

from oslo_config import cfg

from nova.conf import groups

fake_driver_group = cfg.OptGroup('fake_driver', title='Fake virt driver')

fake_driver_opts = [
    cfg.IntOpt('vcpus', default=64, min=1,
               help='vCPUs the fake hypervisor reports.'),
    cfg.IntOpt('memory_mb', default=131072, min=1,
               help='Memory (MB) the fake hypervisor reports.'),
    cfg.IntOpt('local_gb', default=2048, min=1,
               help='Disk (GB) the fake hypervisor reports.'),
    cfg.DictOpt('operation_delays',
                default={},
                help='Seconds each operation takes, e.g. '
                     'spawn:0.5,destroy:0.1.'),
    cfg.BoolOpt('fetch_images',
                default=False,
                help='Download each instance\'s image into the image cache '
                     'as a real driver would (needs the Image API).'),
    cfg.ListOpt('fail_operations',
                default=[],
                help='Operations that fail on this host, e.g. spawn (to '
                     'exercise rescheduling and error paths).'),
    cfg.BoolOpt('persist_guests',
                default=False,
                help="""
Keep the fake guests in a file (<state_path>/fake-guests-<host>.json), so a
restarted nova-compute still has them, as a real hypervisor keeps its guests
across a restart of nova-compute.  Without it a restart loses them all, as a
host that rebooted: startup recovery then stops the instances whose guest is
gone, and a start creates each again.
"""),
]


def register_opts(conf):
    groups.register(conf, fake_driver_group, fake_driver_opts)


def list_opts():
    return {fake_driver_group.name: fake_driver_opts}
