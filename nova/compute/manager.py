"""Server side of the compute RPC API: one per hypervisor host.

Each endpoint hands off to a workflow module (build, delete); the manager
holds what they share: configuration, the driver, the conductor client.
"""

import collections
import os
import threading

import oslo_messaging as messaging
from oslo_log import log as logging
from oslo_utils import timeutils

from nova.compute import backup
from nova.compute import build
from nova.compute import delete
from nova.compute import evacuate
from nova.compute import external_events
from nova.compute import interface_attach
from nova.compute import live_migrate
from nova.compute import power
from nova.compute import recovery
from nova.compute import resize
from nova.compute import resource_tracker
from nova.compute import rpcapi as compute_rpcapi
from nova.compute import shelve
from nova.compute import states
from nova.conductor import rpcapi as conductor_rpcapi
from nova import context as nova_context
from nova import exception
from nova.image import glance
from nova.network import api as network_api
from nova.virt import driver as virt_driver

LOG = logging.getLogger(__name__)


class ComputeManager:

    target = messaging.Target(version='1.19')

    def __init__(self, conf, host, driver=None, conductor=None):
        self.conf = conf
        self.host = host
        self.driver = driver or virt_driver.load_driver(conf.compute_driver,
                                                        conf)
        self._conductor = conductor
        self._image_api = None
        self._network_api = None
        self._compute_api = None
        self._stop = threading.Event()
        self._periodic = None
        self.dhcp_server = None
        self._instance_locks = collections.defaultdict(threading.Lock)
        # What spawns wait for (network-vif-plugged), delivered by
        # external_instance_event.
        self.instance_events = external_events.InstanceEvents()
        # uuid -> {'migration', 'aborted'}: live migrations this host (the
        # source) is running, for abort and force complete.
        self.live_migrations = {}

    @property
    def conductor(self):
        if self._conductor is None:
            self._conductor = conductor_rpcapi.ConductorAPI()
        return self._conductor

    @property
    def image_api(self):
        if self._image_api is None:
            self._image_api = glance.API(self.conf)
        return self._image_api

    @property
    def network_api(self):
        if self._network_api is None:
            self._network_api = network_api.API(self.conf, self.conductor)
        return self._network_api

    @property
    def image_cache_dir(self):
        return os.path.join(self.conf.instances_path, '_base')

    @property
    def nodename(self):
        return self.driver.get_nodename(self.host)

    def init_host(self):
        self.driver.init_host(self.host)
        LOG.info('Compute host %s uses virt driver %s', self.host,
                 type(self.driver).__name__)

    def after_start(self):
        """Once registered: report inventory, resolve what a restart left
        half done, then keep both up to date periodically."""
        self.update_available_resource()
        self.dhcp_server = self.network_api.dhcp_server(self.host)
        if self.dhcp_server is not None:
            self._setup_dhcp()
        recovery.init_instances(self)
        self.driver.register_event_listener(
            lambda uuid, event_name: recovery.handle_lifecycle_event(
                self, uuid, event_name))
        self._periodic = [
            threading.Thread(target=self._every, daemon=True,
                             name='resource-tracker',
                             args=(self.conf.update_resources_interval,
                                   self.update_available_resource)),
            threading.Thread(target=self._every, daemon=True,
                             name='power-state-sync',
                             args=(self.conf.sync_power_state_interval,
                                   lambda: recovery.sync_power_states(self))),
        ]
        if self.conf.shelved_offload_time > 0 and \
                self.conf.shelved_poll_interval > 0:
            self._periodic.append(threading.Thread(
                target=self._every, daemon=True, name='shelved-offload',
                args=(self.conf.shelved_poll_interval,
                      lambda: shelve.offload_expired(
                          self, nova_context.get_admin_context))))
        if self.conf.reclaim_instance_interval > 0:
            # Upstream's _reclaim_queued_deletes runs every minute; a
            # shorter interval is looked at as often as it asks.
            self._periodic.append(threading.Thread(
                target=self._every, daemon=True, name='reclaim-deletes',
                args=(min(60, self.conf.reclaim_instance_interval),
                      self.reclaim_queued_deletes)))
        if self.conf.image_cache.manager_interval > 0:
            self._periodic.append(threading.Thread(
                target=self._every, daemon=True, name='image-cache-manager',
                args=(self.conf.image_cache.manager_interval,
                      self.driver.manage_image_cache)))
        if self.dhcp_server is not None and \
                self.conf.network.dhcp_sync_interval > 0:
            self._periodic.append(threading.Thread(
                target=self._every, daemon=True, name='flat-dhcp-sync',
                args=(self.conf.network.dhcp_sync_interval,
                      self._setup_dhcp)))
        for thread in self._periodic:
            thread.start()

    def _setup_dhcp(self):
        # A host that cannot serve DHCP still runs its guests: the error
        # is logged and the periodic sync tries again.
        try:
            self.dhcp_server.setup(nova_context.get_admin_context())
        except Exception:
            LOG.exception('Setting up DHCP for the flat network failed')

    def external_instance_event(self, context, instance_uuid, events):
        external_events.handle(self, context, instance_uuid, events)

    def refresh_flat_dhcp(self, context):
        if self.dhcp_server is None:
            LOG.warning('Asked to refresh DHCP, but this host (%s) is not '
                        '[network] flat_dhcp_host', self.host)
            return
        self.dhcp_server.refresh(context)

    def cleanup_host(self):
        self._stop.set()
        self.driver.cleanup_host(self.host)

    def _every(self, interval, task):
        while not self._stop.wait(interval):
            try:
                task()
            except Exception:
                LOG.exception('Periodic task %s failed',
                              threading.current_thread().name)

    def update_available_resource(self):
        return resource_tracker.update_available_resource(
            self.conductor, nova_context.get_admin_context(), self.conf,
            self.driver, self.host, self.nodename)

    def build_and_run_instance(self, context, instance_uuid, request_spec,
                               node, alternates, attempt):
        build.build_and_run(self, context, instance_uuid, request_spec, node,
                            alternates, attempt)

    def terminate_instance(self, context, instance_uuid):
        delete.terminate(self, context, instance_uuid)

    def reclaim_queued_deletes(self):
        return delete.reclaim_queued_deletes(
            self, nova_context.get_admin_context)

    def instance_lock(self, instance_uuid):
        """One operation at a time per instance on this host."""
        return self._instance_locks[instance_uuid]

    def _power(self, context, instance_uuid, operation, event, work,
               on_failure=None):
        power.perform(self, context, instance_uuid, operation, event, work,
                      on_failure)

    def stop_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'stop', 'compute_stop_instance',
                    self.driver.power_off)

    def start_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'start',
                    'compute_start_instance', self.driver.power_on)

    def reboot_instance(self, context, instance_uuid, reboot_type):
        hard = reboot_type == 'HARD'
        self._power(context, instance_uuid,
                    'reboot_hard' if hard else 'reboot',
                    'compute_reboot_instance',
                    lambda instance: self.driver.reboot(instance,
                                                        reboot_type))

    def pause_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'pause',
                    'compute_pause_instance', self.driver.pause)

    def unpause_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'unpause',
                    'compute_unpause_instance', self.driver.unpause)

    def suspend_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'suspend',
                    'compute_suspend_instance', self.driver.suspend)

    def resume_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'resume',
                    'compute_resume_instance', self.driver.resume)

    def rescue_instance(self, context, instance_uuid, rescue_password,
                        rescue_image_ref):
        self._power(context, instance_uuid, 'rescue',
                    'compute_rescue_instance',
                    lambda instance: self.driver.rescue(
                        context, instance, rescue_image_ref,
                        rescue_password))

    def unrescue_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'unrescue',
                    'compute_unrescue_instance', self.driver.unrescue)

    def get_console_output(self, context, instance_uuid):
        instance = self.conductor.instance_get(context, instance_uuid)
        return self.driver.get_console_output(instance)

    def get_vnc_console(self, context, instance_uuid):
        """Where the guest's VNC server is: {'host': the address the
        proxy connects to, 'port', 'access_url_base': the proxy's URL}."""
        if not self.conf.vnc.enabled:
            raise exception.ConsoleTypeUnavailable(console_type='novnc')
        instance = self.conductor.instance_get(context, instance_uuid)
        port = self.driver.get_vnc_port(instance)
        return {'host': self.conf.vnc.server_proxyclient_address,
                'port': port,
                'access_url_base': self.conf.vnc.novncproxy_base_url}

    def get_instance_diagnostics(self, context, instance_uuid,
                                 legacy=False):
        """The guest's figures, standard (or legacy: the driver's own);
        a guest that is not running has none (409)."""
        instance = self.conductor.instance_get(context, instance_uuid)
        power = self.driver.get_power_state(instance)
        if power != states.power.RUNNING:
            raise exception.InstanceInvalidState(
                attr='power state', instance_uuid=instance_uuid,
                state=states.power.NAMES.get(power, power),
                method='get_diagnostics')
        LOG.info('Retrieving diagnostics of %s', instance_uuid)
        try:
            if legacy:
                return self.driver.get_diagnostics(instance)
            return self.driver.get_instance_diagnostics(instance)
        except NotImplementedError:
            raise exception.NotSupportedByDriver()

    def get_host_uptime(self, context):
        try:
            return self.driver.get_host_uptime()
        except NotImplementedError:
            raise exception.NotSupportedByDriver()

    def soft_delete_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'softDelete',
                    'compute_soft_delete_instance', self.driver.soft_delete)

    def restore_instance(self, context, instance_uuid):
        self._power(context, instance_uuid, 'restore',
                    'compute_restore_instance', self.driver.restore)

    def backup_instance(self, context, instance_uuid, image_id, backup_type,
                        rotation):
        backup.backup(self, context, instance_uuid, image_id, backup_type,
                      rotation)

    def trigger_crash_dump(self, context, instance_uuid):
        power.trigger_crash_dump(self, context, instance_uuid)

    def inject_network_info(self, context, instance_uuid):
        instance = self.conductor.instance_get(context, instance_uuid)
        LOG.info('Plugging the VIFs of the instance again',
                 instance=instance)
        self.driver.plug_vifs(instance, instance.get('network_info'))

    def attach_interface(self, context, instance_uuid, requested):
        return interface_attach.attach(self, context, instance_uuid,
                                       requested)

    def detach_interface(self, context, instance_uuid, port_id):
        interface_attach.detach(self, context, instance_uuid, port_id)

    def snapshot_instance(self, context, instance_uuid, image_id):
        def upload(data):
            self.image_api.upload(context, image_id, data)

        def discard(error):
            self.image_api.delete(context, image_id)

        self._power(context, instance_uuid, 'createImage',
                    'compute_snapshot_instance',
                    lambda instance: self.driver.snapshot(
                        context, instance, image_id, upload),
                    on_failure=discard)

    def rebuild_instance(self, context, instance_uuid, image_meta,
                         admin_password, recreate=False,
                         migration_uuid=None):
        if recreate:
            evacuate.rebuild_here(self, context, instance_uuid, image_meta,
                                  admin_password, migration_uuid)
            return

        def rebuild(instance):
            was_stopped = instance['power_state'] != states.power.RUNNING \
                and instance['vm_state'] == states.STOPPED
            if self.driver.uses_image_cache:
                image_meta['path'] = glance.fetch_to_cache(
                    context, image_meta['id'], self.image_cache_dir,
                    api=self.image_api)
            self.driver.rebuild(context, instance, image_meta,
                                admin_password)
            if was_stopped:
                # A rebuilt stopped server is powered off again.
                self.driver.power_off(instance)
                return {'vm_state': states.STOPPED}
            return {'launched_at': timeutils.utcnow()}

        self._power(context, instance_uuid, 'rebuild',
                    'compute_rebuild_instance', rebuild)

    def shelve_instance(self, context, instance_uuid, image_id):
        shelve.shelve(self, context, instance_uuid, image_id)

    def shelve_offload_instance(self, context, instance_uuid):
        shelve.shelve_offload(self, context, instance_uuid)

    def unshelve_instance(self, context, instance_uuid, request_spec):
        shelve.unshelve(self, context, instance_uuid, request_spec)

    @property
    def compute_api(self):
        """For the steps one compute hands to another."""
        if self._compute_api is None:
            self._compute_api = compute_rpcapi.ComputeAPI()
        return self._compute_api

    def resize_instance(self, context, instance_uuid, migration_uuid):
        resize.resize_instance(self, context, instance_uuid, migration_uuid)

    def finish_resize(self, context, instance_uuid, migration_uuid,
                      disk_info=None):
        resize.finish_resize(self, context, instance_uuid, migration_uuid,
                             disk_info)

    def delete_moved_disks(self, context, instance_uuid):
        delete.delete_moved_disks(self, context, instance_uuid)

    def confirm_resize(self, context, instance_uuid, migration_uuid):
        resize.confirm_resize(self, context, instance_uuid, migration_uuid)

    def revert_resize(self, context, instance_uuid, migration_uuid):
        resize.revert_resize(self, context, instance_uuid, migration_uuid)

    def finish_revert_resize(self, context, instance_uuid, migration_uuid):
        resize.finish_revert_resize(self, context, instance_uuid,
                                    migration_uuid)

    # Live migration (nova.compute.live_migrate).

    @messaging.expected_exceptions(exception.NovaException)
    def check_can_live_migrate_destination(self, context, instance_uuid,
                                           block_migration, migration_uuid):
        return live_migrate.check_can_live_migrate_destination(
            self, context, instance_uuid, block_migration, migration_uuid)

    @messaging.expected_exceptions(exception.NovaException)
    def check_can_live_migrate_source(self, context, instance_uuid,
                                      dest_check_data):
        return live_migrate.check_can_live_migrate_source(
            self, context, instance_uuid, dest_check_data)

    def live_migration(self, context, instance_uuid, migration_uuid, dest,
                       migrate_data):
        live_migrate.live_migration(self, context, instance_uuid,
                                    migration_uuid, dest, migrate_data)

    @messaging.expected_exceptions(exception.NovaException)
    def pre_live_migration(self, context, instance_uuid, migration_uuid,
                           migrate_data):
        return live_migrate.pre_live_migration(
            self, context, instance_uuid, migration_uuid, migrate_data)

    def post_live_migration_at_destination(self, context, instance_uuid,
                                           migration_uuid, migrate_data):
        live_migrate.post_live_migration_at_destination(
            self, context, instance_uuid, migration_uuid, migrate_data)

    def rollback_live_migration_at_destination(self, context, instance_uuid,
                                               migrate_data):
        live_migrate.rollback_live_migration_at_destination(
            self, context, instance_uuid, migrate_data)

    def live_migration_force_complete(self, context, instance_uuid,
                                      migration_uuid):
        live_migrate.live_migration_force_complete(
            self, context, instance_uuid, migration_uuid)

    def live_migration_abort(self, context, instance_uuid, migration_uuid):
        live_migrate.live_migration_abort(self, context, instance_uuid,
                                          migration_uuid)
