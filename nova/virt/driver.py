"""The interface every virt driver implements, and how one is loaded."""

import importlib

from nova import exception


class ComputeDriver:
    """A hypervisor as nova-compute sees it.

    Instances are the dicts the conductor returns (uuid, id, flavor, ...).
    """

    # Whether spawn needs the image's data: the compute then downloads it
    # into its image cache and passes image_meta['path'].
    uses_image_cache = False

    def init_host(self, host):
        """Prepare the driver for this host; called once at start."""

    def cleanup_host(self, host):
        """nova-compute is stopping."""

    def get_nodename(self, host):
        """The hypervisor_hostname of this host's one node."""
        return host

    def get_available_resource(self, nodename):
        """{'vcpus', 'memory_mb', 'local_gb', 'hypervisor_type',
        'hypervisor_version', 'host_ip', 'cpu_info',
        'supported_instances'} of this node."""
        raise NotImplementedError()

    def spawn(self, context, instance, image_meta, network_info,
              admin_password, network_ready=None):
        """Create and start the guest, with a NIC per VIF of
        network_info (nova/network/model.py), plugged first.

        network_ready (None, or a callable): called once the VIFs are
        plugged and before the guest starts running; it returns when the
        network is ready for the guest (the compute waits there for
        Neutron's network-vif-plugged events) and raises when it will not
        be, which fails the spawn."""
        raise NotImplementedError()

    def plug_vifs(self, instance, network_info):
        """Make the host side of each VIF ready for the guest's NIC (a
        move's target, a restart); spawn plugs its own."""

    def unplug_vifs(self, instance, network_info):
        """Undo plug_vifs; fine for VIFs not plugged."""

    def attach_interface(self, instance, vif):
        """Plug vif's host side and give the guest its NIC: live when it
        runs, and in its definition (os-interface)."""
        raise exception.NotSupportedByDriver()

    def detach_interface(self, instance, vif):
        """Take vif's NIC out of the guest (live and defined) and unplug
        its host side."""
        raise exception.NotSupportedByDriver()

    def destroy(self, context, instance):
        """Remove the guest and its files; fine if it does not exist."""
        raise NotImplementedError()

    def get_power_state(self, instance):
        raise NotImplementedError()

    def instance_exists(self, instance):
        """Whether this host's hypervisor has the instance's guest."""
        return instance['uuid'] in self.list_instances()

    def power_off(self, instance):
        raise NotImplementedError()

    def power_on(self, instance):
        """Start the guest; one the hypervisor lost is created again from
        the instance's disk (a start is how a user gets it back)."""
        raise NotImplementedError()

    def reboot(self, instance, reboot_type):
        raise NotImplementedError()

    def soft_delete(self, instance):
        """Keep the guest, stopped, for a restore (a soft delete)."""
        self.power_off(instance)

    def restore(self, instance):
        """Run a soft-deleted guest again."""
        self.power_on(instance)

    def trigger_crash_dump(self, instance):
        """Make the guest dump its kernel (an NMI); raises
        TriggerCrashDumpNotSupported where the hypervisor cannot."""
        raise exception.TriggerCrashDumpNotSupported()

    def pause(self, instance):
        raise NotImplementedError()

    def unpause(self, instance):
        raise NotImplementedError()

    def suspend(self, instance):
        raise NotImplementedError()

    def resume(self, instance):
        raise NotImplementedError()

    def rescue(self, context, instance, rescue_image_ref, rescue_password):
        raise NotImplementedError()

    def unrescue(self, instance):
        raise NotImplementedError()

    def snapshot(self, context, instance, image_id, upload):
        """Capture the root disk; upload(data) sends it to the image."""
        raise NotImplementedError()

    def rebuild(self, context, instance, image_meta, admin_password):
        """Recreate the guest's disk from image_meta and boot it."""
        raise NotImplementedError()

    def migrate_disk_and_power_off(self, context, instance, migration):
        """Stop the guest and set its disk aside for the destination;
        returns disk_info (JSON-able) for finish_migration there."""
        raise NotImplementedError()

    def finish_migration(self, context, instance, migration, power_on,
                         disk_info=None):
        """Bring the disk disk_info names here, define the guest with the
        instance's (new) flavor; start it if power_on."""
        raise NotImplementedError()

    def confirm_migration(self, context, instance, migration):
        """Delete what the move left on the source."""
        raise NotImplementedError()

    def finish_revert_migration(self, context, instance, migration,
                                power_on):
        """Bring the guest back on the source as it was."""
        raise NotImplementedError()

    # Live migration: the guest keeps running while it moves.  The source
    # drives it (live_migration); the destination prepares for it
    # (pre_live_migration) and takes it over
    # (post_live_migration_at_destination), or forgets it
    # (rollback_live_migration_at_destination).  migrate_data is a dict
    # the checks return and each step passes on.

    def check_can_live_migrate_destination(self, context, instance,
                                           src_compute_info,
                                           dst_compute_info,
                                           block_migration=None):
        """On the destination: can the guest run here (CPU, hypervisor)?
        block_migration None means auto.  Returns dest_check_data;
        raises MigrationPreCheckError (or InvalidCPUInfo) saying why
        not."""
        raise exception.MigrationPreCheckError(
            reason='%s cannot live migrate' % type(self).__name__)

    def check_can_live_migrate_destination_cleanup(self, context,
                                                   dest_check_data):
        """On the destination, once the source checked: remove what
        check_can_live_migrate_destination left for it to find."""

    def check_can_live_migrate_source(self, context, instance,
                                      dest_check_data):
        """On the source: can the guest leave (storage shared or block
        migration, the guest there)?  Returns migrate_data."""
        raise exception.MigrationPreCheckError(
            reason='%s cannot live migrate' % type(self).__name__)

    def pre_live_migration(self, context, instance, network_info,
                           migrate_data):
        """On the destination, before the guest comes: its VIFs plugged
        (the flat network's bridge, Neutron's ports' taps), its disks'
        directory ready.  Returns migrate_data."""
        raise NotImplementedError()

    def live_migration(self, context, instance, dest, migrate_data,
                       progress):
        """On the source: move the running guest to dest and return once
        it runs there.  progress({'memory_total', 'memory_processed',
        'memory_remaining', 'disk_total', 'disk_processed',
        'disk_remaining'}) is called while it goes.  Raises
        LiveMigrationAborted after live_migration_abort, any other error
        when it failed: the guest then still runs here."""
        raise NotImplementedError()

    def live_migration_abort(self, instance):
        """Stop the instance's live migration under way; live_migration
        raises LiveMigrationAborted."""
        raise NotImplementedError()

    def live_migration_force_complete(self, instance):
        """Make the instance's live migration under way finish (pause the
        guest so its memory stops changing, or switch to post-copy)."""
        raise NotImplementedError()

    def post_live_migration(self, context, instance, migrate_data):
        """On the source, once the guest runs on the destination: clean
        up what it left here (VIFs, local disks of a block
        migration)."""
        raise NotImplementedError()

    def post_live_migration_at_destination(self, context, instance,
                                           network_info, migrate_data):
        """On the destination: the guest is here now; make it this host's
        (persistent definition, VIFs as network_info says)."""
        raise NotImplementedError()

    def rollback_live_migration_at_destination(self, context, instance,
                                               network_info, migrate_data):
        """On the destination after a failed or aborted migration: remove
        what pre_live_migration (and a partial copy) left here."""
        raise NotImplementedError()

    def get_console_output(self, instance):
        """The guest's console log (text)."""
        raise NotImplementedError()

    def get_vnc_port(self, instance):
        """The TCP port of the running guest's VNC server on this host;
        ConsoleTypeUnavailable when it has none."""
        raise exception.NotSupportedByDriver()

    def list_instances(self):
        """uuids of the guests on this host."""
        raise NotImplementedError()

    def get_host_uptime(self):
        """The host's uptime, as the ``uptime`` command prints it."""
        raise NotImplementedError()

    def get_instance_diagnostics(self, instance):
        """The guest's figures in the standard form (API 2.48):
        {'state', 'driver', 'hypervisor', 'hypervisor_os', 'uptime',
        'config_drive', 'memory_details': {'maximum', 'used'} (MiB),
        'cpu_details': [{'id', 'time' (ns), 'utilisation'}],
        'nic_details': [{'mac_address', 'rx_octets', 'rx_errors',
        'rx_drop', 'rx_packets', 'rx_rate', 'tx_octets', 'tx_errors',
        'tx_drop', 'tx_packets', 'tx_rate'}], 'disk_details':
        [{'read_bytes', 'read_requests', 'write_bytes', 'write_requests',
        'errors_count'}]}; None for a figure the driver cannot tell."""
        raise NotImplementedError()

    def get_diagnostics(self, instance):
        """The guest's figures in the driver's own flat form (the API
        before 2.48): {name: number}."""
        raise NotImplementedError()

    def manage_image_cache(self):
        """Delete cached base images no instance here uses any more
        ([image_cache] options); drivers without a cache do nothing."""

    def register_event_listener(self, listener):
        """listener(instance_uuid, event_name) on guest lifecycle events
        (Started, Stopped, Paused, Resumed, Crashed); drivers without
        events rely on the periodic power-state sync alone."""


def load_driver(name, conf=None):
    """Load ``module.Class`` relative to nova.virt (``fake.FakeDriver``)."""
    module_name, _, class_name = name.rpartition('.')
    try:
        module = importlib.import_module('nova.virt.' + module_name)
        driver_cls = getattr(module, class_name)
    except (ImportError, AttributeError, ValueError) as e:
        raise exception.NovaException(
            'Unable to load the virtualization driver %s: %s' % (name, e))
    return driver_cls(conf)
