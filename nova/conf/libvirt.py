"""[libvirt] options: the libvirt/QEMU virt driver (nova.virt.libvirt)."""

from oslo_config import cfg

from nova.conf import groups

libvirt_group = cfg.OptGroup('libvirt', title='Libvirt virt driver')

libvirt_opts = [
    cfg.StrOpt('virt_type',
               default='kvm',
               choices=[('kvm', 'hardware virtualization through /dev/kvm'),
                        ('qemu', 'software emulation (TCG): slow but works '
                                 'where KVM does not')],
               help="""
Domain type of the guests this host runs.

kvm needs a CPU with vmx or svm and a working /dev/kvm; use qemu on hosts
without them (nested clouds, CI machines).  The driver logs which one it
uses at start.
"""),
    cfg.StrOpt('connection_uri',
               default='',
               help="""
libvirt URI to connect to; empty means qemu:///system.  A second libvirtd on
the same machine is reached with qemu:///system?socket=<its socket>.
"""),
    cfg.IntOpt('shutdown_timeout', default=60, min=0,
               help="""
Seconds a clean (ACPI) shutdown may take before the guest is destroyed, for
stop, soft reboot, shelve and resize.  0 destroys at once.
"""),
    cfg.IntOpt('connection_retry_interval', default=2, min=1,
               help='Seconds between attempts to reconnect to libvirt.'),
    cfg.StrOpt('default_kernel_cmdline',
               default='root=/dev/vda console=tty0 console=ttyS0',
               help="""
Kernel command line for images booted with kernel_id/ramdisk_id, unless the
image sets os_command_line.
"""),
    cfg.StrOpt('rescue_kernel_cmdline_suffix',
               default='rescue=1',
               help='Appended to the kernel command line of a rescue boot '
                    'so the rescue system knows it is one.'),
    # Live migration: between the hosts' libvirtd, peer to peer.
    cfg.StrOpt('live_migration_scheme',
               help="""
Transport of the source libvirtd's connection to the destination's during
a live migration: the URI is qemu+<scheme>://<destination>/system.  Unset
means tcp (the destination's libvirtd listening on TCP); ssh needs the
nova user's key on the other host; tls needs certificates.
live_migration_uri, when set, wins (devstack sets it: its hosts' libvirtds
reach each other's unix sockets).
"""),
    cfg.StrOpt('live_migration_uri',
               help="""
The destination libvirtd's URI as the source's connects to it for a live
migration, with %s for the destination's address (its
live_migration_inbound_addr, else its host name; its host name when that
is a socket directory), e.g. qemu+ssh://nova@%s/system, or for libvirtd
on one machine qemu+unix:///system?socket=/opt/stack/hosts/%s/libvirt-sock
(each daemon's socket where the others' namespaces see it).  Set, it wins
over live_migration_scheme.
"""),
    cfg.StrOpt('live_migration_inbound_addr',
               help="""
This host's address (IP or name) for incoming live migrations: the
source's libvirtd connects there, and QEMU sends the guest's memory and
disks there (migrate_uri tcp://<it>).  Unset: the host name.  For compute
hosts on one machine in separate network namespaces (a second libvirtd in
its own namespaces), an absolute directory both hosts' QEMUs see: memory
and disks then go over unix sockets there (libvirt 6.8 or later), and
live_migration_uri on the source names this host's libvirtd socket.
"""),
    cfg.BoolOpt('live_migration_tunnelled', default=False,
                help="""
Send the guest's memory through the libvirtd connection
(VIR_MIGRATE_TUNNELLED) instead of QEMU's own socket: encrypted with a
TLS or ssh transport, slower, and not possible with block migration.
"""),
    cfg.BoolOpt('live_migration_permit_post_copy', default=False,
                help="""
Let a forced completion (2.22 force_complete) switch the migration to
post-copy (the guest runs on the destination at once and pulls its
remaining memory) instead of pausing it until the copy ends.
"""),
    cfg.IntOpt('live_migration_bandwidth', default=0, min=0,
               help="""
Maximum bandwidth of a live migration in MiB/s; 0 means no limit.
"""),
    cfg.FloatOpt('live_migration_progress_interval', default=0.5, min=0.05,
                 help="""
Seconds between two readings of a running live migration's progress
(libvirt's job info), reported in /servers/{id}/migrations.
"""),
    cfg.StrOpt('migration_inbound_addr',
               default='127.0.0.1',
               help="""
The address other compute hosts reach this one at to move guests here: the
cold-migration and resize disk copy connects to it over ssh.  Reported as the
compute node's host_ip.  Hosts that see the same address as their own (one
host, or a resize to the same host) share their instances_path by
definition; the default suits a single host only.
"""),
    cfg.StrOpt('remote_filesystem_transport',
               default='ssh',
               choices=[('ssh', 'scp over ssh'),
                        ('rsync', 'rsync over ssh (sparse, compressed)')],
               help="""
How a cold migration or resize copies the guest's disk to a destination
host whose instances_path is not shared with this one.  Both need the user
nova-compute runs as to log in to the other hosts by key, without a
password or a host key prompt.
"""),
    cfg.StrOpt('remote_filesystem_ssh_config',
               default='',
               help="""
An ssh_config file for the connections to other hosts (ssh -F): their
port, user, key and known_hosts.  Empty uses the user's own (~/.ssh/config).
"""),
]


def register_opts(conf):
    groups.register(conf, libvirt_group, libvirt_opts)


def list_opts():
    return {libvirt_group.name: libvirt_opts}
