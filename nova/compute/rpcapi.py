"""Client side of the compute RPC API.

Messages go to topic ``compute`` with ``server=<host>``: the one
nova-compute that owns the instance or the host.

Version history:

    1.0 - Initial version.
    1.1 - build_and_run_instance, terminate_instance.
    1.2 - stop, start, reboot, pause, unpause, suspend, resume, rescue,
          unrescue (casts); get_console_output (call).
    1.3 - snapshot_instance, rebuild_instance.
    1.4 - shelve_instance, shelve_offload_instance, unshelve_instance.
    1.5 - resize_instance, finish_resize, confirm_resize, revert_resize,
          finish_revert_resize.
    1.6 - finish_resize takes disk_info: where the source left the disk.
    1.7 - delete_moved_disks: a server deleted while its resize awaited
          confirmation leaves nothing on the source host.
    1.8 - refresh_flat_dhcp (cast to the flat network's DHCP host).
    1.9 - soft_delete_instance, restore_instance, backup_instance,
          trigger_crash_dump, inject_network_info (casts).
    1.11 - get_instance_diagnostics (call; legacy=True for the driver's
           own form), get_host_uptime (call).
    1.12 - external_instance_event (os-server-external-events).
    1.15 - rebuild_instance takes recreate and migration_uuid: an
           evacuation, the instance rebuilt on this (destination) host.
    1.17 - Live migration: check_can_live_migrate_destination,
           check_can_live_migrate_source, pre_live_migration,
           post_live_migration_at_destination (calls); live_migration,
           rollback_live_migration_at_destination,
           live_migration_force_complete, live_migration_abort (casts).
    1.18 - get_vnc_console (call): where the guest's VNC server is.
    1.19 - attach_interface (call: the new VIF), detach_interface (cast):
           os-interface.
"""

from nova import rpc

TOPIC = 'compute'
VERSION = '1.19'


class ComputeAPI:

    def __init__(self, timeout=None):
        self.client = rpc.get_client(TOPIC, VERSION, timeout=timeout)

    def _prepare(self, host):
        return self.client.prepare(server=host)

    def build_and_run_instance(self, ctxt, host, instance_uuid, request_spec,
                               node, alternates, attempt):
        self._prepare(host).cast(
            ctxt, 'build_and_run_instance', instance_uuid=instance_uuid,
            request_spec=request_spec, node=node, alternates=alternates,
            attempt=attempt)

    def terminate_instance(self, ctxt, host, instance_uuid):
        self._prepare(host).cast(ctxt, 'terminate_instance',
                                 instance_uuid=instance_uuid)

    def _cast_instance(self, ctxt, host, method, instance_uuid, **kwargs):
        self._prepare(host).cast(ctxt, method, instance_uuid=instance_uuid,
                                 **kwargs)

    def stop_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'stop_instance', instance_uuid)

    def start_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'start_instance', instance_uuid)

    def reboot_instance(self, ctxt, host, instance_uuid, reboot_type):
        self._cast_instance(ctxt, host, 'reboot_instance', instance_uuid,
                            reboot_type=reboot_type)

    def pause_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'pause_instance', instance_uuid)

    def unpause_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'unpause_instance', instance_uuid)

    def suspend_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'suspend_instance', instance_uuid)

    def resume_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'resume_instance', instance_uuid)

    def rescue_instance(self, ctxt, host, instance_uuid, rescue_password,
                        rescue_image_ref):
        self._cast_instance(ctxt, host, 'rescue_instance', instance_uuid,
                            rescue_password=rescue_password,
                            rescue_image_ref=rescue_image_ref)

    def unrescue_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'unrescue_instance', instance_uuid)

    def get_console_output(self, ctxt, host, instance_uuid):
        return self._prepare(host).call(ctxt, 'get_console_output',
                                        instance_uuid=instance_uuid)

    def snapshot_instance(self, ctxt, host, instance_uuid, image_id):
        self._cast_instance(ctxt, host, 'snapshot_instance', instance_uuid,
                            image_id=image_id)

    def rebuild_instance(self, ctxt, host, instance_uuid, image_meta,
                         admin_password, recreate=False,
                         migration_uuid=None):
        """recreate (1.15): an evacuation to host, the destination of
        the migration migration_uuid."""
        if not recreate:
            self._cast_instance(ctxt, host, 'rebuild_instance',
                                instance_uuid, image_meta=image_meta,
                                admin_password=admin_password)
            return
        self.client.prepare(server=host, version='1.15').cast(
            ctxt, 'rebuild_instance', instance_uuid=instance_uuid,
            image_meta=image_meta, admin_password=admin_password,
            recreate=True, migration_uuid=migration_uuid)

    def shelve_instance(self, ctxt, host, instance_uuid, image_id):
        self._cast_instance(ctxt, host, 'shelve_instance', instance_uuid,
                            image_id=image_id)

    def shelve_offload_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'shelve_offload_instance',
                            instance_uuid)

    def unshelve_instance(self, ctxt, host, instance_uuid, request_spec):
        self._cast_instance(ctxt, host, 'unshelve_instance', instance_uuid,
                            request_spec=request_spec)

    def resize_instance(self, ctxt, host, instance_uuid, migration_uuid):
        self._cast_instance(ctxt, host, 'resize_instance', instance_uuid,
                            migration_uuid=migration_uuid)

    def finish_resize(self, ctxt, host, instance_uuid, migration_uuid,
                      disk_info=None):
        self._cast_instance(ctxt, host, 'finish_resize', instance_uuid,
                            migration_uuid=migration_uuid,
                            disk_info=disk_info)

    def delete_moved_disks(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'delete_moved_disks', instance_uuid)

    def confirm_resize(self, ctxt, host, instance_uuid, migration_uuid):
        self._cast_instance(ctxt, host, 'confirm_resize', instance_uuid,
                            migration_uuid=migration_uuid)

    def revert_resize(self, ctxt, host, instance_uuid, migration_uuid):
        self._cast_instance(ctxt, host, 'revert_resize', instance_uuid,
                            migration_uuid=migration_uuid)

    def finish_revert_resize(self, ctxt, host, instance_uuid, migration_uuid):
        self._cast_instance(ctxt, host, 'finish_revert_resize', instance_uuid,
                            migration_uuid=migration_uuid)

    def external_instance_event(self, ctxt, host, instance_uuid, events):
        """events: [{name, tag, status}] another service sent about the
        instance."""
        self._cast_instance(ctxt, host, 'external_instance_event',
                            instance_uuid, events=events)

    def refresh_flat_dhcp(self, ctxt, host):
        """Fixed IPs of the flat network changed: host (its DHCP host)
        serves them again."""
        self._prepare(host).cast(ctxt, 'refresh_flat_dhcp')

    def get_instance_diagnostics(self, ctxt, host, instance_uuid,
                                 legacy=False):
        return self.client.prepare(server=host, version='1.11').call(
            ctxt, 'get_instance_diagnostics', instance_uuid=instance_uuid,
            legacy=legacy)

    def get_vnc_console(self, ctxt, host, instance_uuid):
        """{'host', 'port', 'access_url_base'} of the guest's VNC
        console on host."""
        return self.client.prepare(server=host, version='1.18').call(
            ctxt, 'get_vnc_console', instance_uuid=instance_uuid)

    def attach_interface(self, ctxt, host, instance_uuid, requested):
        """The VIF of a new port for the instance (requested: one entry
        of Neutron's requested networks), plugged into its guest."""
        return self.client.prepare(server=host, version='1.19').call(
            ctxt, 'attach_interface', instance_uuid=instance_uuid,
            requested=requested)

    def detach_interface(self, ctxt, host, instance_uuid, port_id):
        self.client.prepare(server=host, version='1.19').cast(
            ctxt, 'detach_interface', instance_uuid=instance_uuid,
            port_id=port_id)

    def get_host_uptime(self, ctxt, host):
        return self.client.prepare(server=host, version='1.11').call(
            ctxt, 'get_host_uptime')

    def soft_delete_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'soft_delete_instance',
                            instance_uuid)

    def restore_instance(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'restore_instance', instance_uuid)

    def backup_instance(self, ctxt, host, instance_uuid, image_id,
                        backup_type, rotation):
        self._cast_instance(ctxt, host, 'backup_instance', instance_uuid,
                            image_id=image_id, backup_type=backup_type,
                            rotation=rotation)

    def trigger_crash_dump(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'trigger_crash_dump', instance_uuid)

    def inject_network_info(self, ctxt, host, instance_uuid):
        self._cast_instance(ctxt, host, 'inject_network_info',
                            instance_uuid)

    # Live migration (1.17).  The checks and the destination's steps are
    # calls: the caller's next step depends on them; they may take long
    # (a hypervisor preparing disks), so they wait long_rpc_timeout.

    def _call_long(self, ctxt, host, method, **kwargs):
        return self.client.prepare(
            server=host, version='1.17',
            timeout=self.client.conf.long_rpc_timeout).call(
            ctxt, method, **kwargs)

    def _cast_17(self, ctxt, host, method, **kwargs):
        self.client.prepare(server=host, version='1.17').cast(
            ctxt, method, **kwargs)

    def check_can_live_migrate_destination(self, ctxt, host, instance_uuid,
                                           block_migration, migration_uuid):
        """On the destination host; it asks the source in turn.  Returns
        migrate_data (a dict) for the migration."""
        return self._call_long(
            ctxt, host, 'check_can_live_migrate_destination',
            instance_uuid=instance_uuid, block_migration=block_migration,
            migration_uuid=migration_uuid)

    def check_can_live_migrate_source(self, ctxt, host, instance_uuid,
                                      dest_check_data):
        return self._call_long(
            ctxt, host, 'check_can_live_migrate_source',
            instance_uuid=instance_uuid, dest_check_data=dest_check_data)

    def live_migration(self, ctxt, host, instance_uuid, migration_uuid,
                       dest, migrate_data):
        """On the source host: move the running guest to dest."""
        self._cast_17(ctxt, host, 'live_migration',
                      instance_uuid=instance_uuid,
                      migration_uuid=migration_uuid, dest=dest,
                      migrate_data=migrate_data)

    def pre_live_migration(self, ctxt, host, instance_uuid, migration_uuid,
                           migrate_data):
        """On the destination: get ready for the guest (VIFs, disks)."""
        return self._call_long(
            ctxt, host, 'pre_live_migration',
            instance_uuid=instance_uuid, migration_uuid=migration_uuid,
            migrate_data=migrate_data)

    def post_live_migration_at_destination(self, ctxt, host, instance_uuid,
                                           migration_uuid, migrate_data):
        return self._call_long(
            ctxt, host, 'post_live_migration_at_destination',
            instance_uuid=instance_uuid, migration_uuid=migration_uuid,
            migrate_data=migrate_data)

    def rollback_live_migration_at_destination(self, ctxt, host,
                                               instance_uuid, migrate_data):
        self._cast_17(ctxt, host, 'rollback_live_migration_at_destination',
                      instance_uuid=instance_uuid, migrate_data=migrate_data)

    def live_migration_force_complete(self, ctxt, host, instance_uuid,
                                      migration_uuid):
        self._cast_17(ctxt, host, 'live_migration_force_complete',
                      instance_uuid=instance_uuid,
                      migration_uuid=migration_uuid)

    def live_migration_abort(self, ctxt, host, instance_uuid,
                             migration_uuid):
        self._cast_17(ctxt, host, 'live_migration_abort',
                      instance_uuid=instance_uuid,
                      migration_uuid=migration_uuid)
