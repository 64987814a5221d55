"""Options of nova-compute."""

from oslo_config import cfg

compute_opts = [
    cfg.StrOpt('compute_driver',
               default='fake.FakeDriver',
               help="""
Virt driver of this compute node, relative to nova.virt.

Possible values: libvirt.LibvirtDriver (QEMU/KVM guests through libvirt,
see the [libvirt] options), fake.FakeDriver (no guests: tests and scale
benchmarks).
"""),
    cfg.FloatOpt('cpu_allocation_ratio', default=4.0, min=0.0,
                 help='Virtual CPUs per physical CPU the scheduler allows.'),
    cfg.FloatOpt('ram_allocation_ratio', default=1.0, min=0.0,
                 help='Virtual RAM per physical RAM the scheduler allows.'),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help='Virtual disk per physical disk the scheduler '
                      'allows.'),
    cfg.IntOpt('reserved_host_cpus', default=0, min=0,
               help='CPUs kept for the host, never given to instances.'),
    cfg.IntOpt('reserved_host_memory_mb', default=512, min=0,
               help='Memory (MB) kept for the host.'),
    cfg.IntOpt('reserved_host_disk_mb', default=0, min=0,
               help='Disk (MB) kept for the host.'),
    cfg.IntOpt('update_resources_interval', default=60, min=1,
               help='Seconds between inventory reports of nova-compute.'),
    cfg.IntOpt('sync_power_state_interval', default=600, min=1,
               help='Seconds between comparisons of the hypervisor\'s '
                    'power states with the database.'),
    cfg.IntOpt('reclaim_instance_interval', default=0, min=0,
               help='Seconds a deleted server is kept, SOFT_DELETED and '
                    'powered off, for a restore: above 0, DELETE is a soft '
                    'delete and nova-compute reclaims (deletes for real, '
                    'freeing its resources) the servers soft-deleted this '
                    'long ago, looking every minute or every this many '
                    'seconds if fewer.  0 (the default): DELETE deletes '
                    'at once.  nova-api and nova-compute both read it.'),
    cfg.IntOpt('shelved_offload_time', default=0, min=-1,
               help='Seconds a shelved instance keeps its host before it '
                    'is offloaded: 0 offloads at once, -1 never.  Above '
                    '0, nova-compute offloads the expired ones every '
                    'shelved_poll_interval.'),
    cfg.IntOpt('shelved_poll_interval', default=3600, min=-1,
               help='Seconds between nova-compute\'s looks for shelved '
                    'instances past shelved_offload_time; 0 or -1 never '
                    'looks.'),
    cfg.StrOpt('instance_name_template', default='instance-%08x',
               help="""
The hypervisor's name of an instance (libvirt's domain name): a %-template
of the instance's database id, or of named fields %(id)d and %(uuid)s.
nova-api shows it as OS-EXT-SRV-ATTR:instance_name, so nova-api and every
nova-compute must agree on it.  Deployments that share one libvirtd need
templates of their own (their ids count from 1 each).
"""),
    cfg.BoolOpt('allow_resize_to_same_host', default=False,
                help="""
Allow a resize to land on the host the instance runs on.

When True the scheduler may pick the instance's own host for a resize (a
flavor change); the new flavor's resources are claimed there beside the
old ones until the resize is confirmed or reverted, which frees one of
the two.  Useful where there is a single compute host (DevStack turns it
on).  A cold migration (no flavor change) never stays on its host,
whatever this says.  nova-conductor reads it.
"""),
    cfg.IntOpt('migrate_max_retries', default=-1, min=-1,
               help="""
How many other hosts a live migration tries when the pre-checks fail on
the destination the scheduler chose (CPU, disks, free resources): -1 as
many as the scheduler offers, 0 none.  A host named in the request is
never replaced.  nova-conductor reads it.
"""),
    cfg.StrOpt('instances_path', default='$state_path/instances',
               help='Where instance directories (disks, console logs) '
                    'live.'),
    cfg.IntOpt('vif_plugging_timeout', default=300, min=0,
               help="""
Seconds a spawn waits, once the guest's VIFs are plugged and before the
guest starts, for the network service to say each port is up (the
network-vif-plugged event Neutron sends through
/os-server-external-events).  Only VIFs the network API reports as not
active yet are waited for: the flat network's never are.  0 waits for
nothing.
"""),
    cfg.BoolOpt('vif_plugging_is_fatal', default=True,
                help="""
Whether a spawn fails (the instance goes to ERROR, not rescheduled) when
vif_plugging_timeout passes without every network-vif-plugged event, or
when one comes with status 'failed'.  False: the guest starts anyway and a
warning is logged.
"""),
]


def register_opts(conf):
    conf.register_opts(compute_opts)


def list_opts():
    return {'DEFAULT': compute_opts}
