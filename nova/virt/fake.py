"""An in-memory virt driver for tests and scale benchmarks.

Each operation may be slowed down ([fake_driver] operation_delays) or made
to fail ([fake_driver] fail_operations, or the driver's
``fail_operations`` set by a test), on every instance of the host, to
exercise timing and error paths.

Its guests live in memory: a restarted nova-compute finds none, as a host
that rebooted without resuming its guests, unless [fake_driver]
persist_guests keeps them in a file under state_path.  A start (or a hard
reboot) of a guest it does not have re-creates it, as the libvirt driver
redefines a missing domain from the instance's disk.
"""

import json
import os
import threading
import time

from oslo_log import log as logging

from nova.compute import states
from nova import exception
from nova.virt import driver

LOG = logging.getLogger(__name__)


class FakeDriverError(exception.NovaException):
    msg_fmt = 'Fake driver: %(operation)s failed on purpose'


class FakeDriver(driver.ComputeDriver):

    # host -> its driver, while its nova-compute runs: where a live
    # migration hands the guest (as the source's libvirtd connects to the
    # destination's).  A stopped compute's host takes no guest.
    hosts = {}
    # How often a running live migration reports progress and looks for
    # an abort or a force complete (seconds).
    LIVE_MIGRATION_TICK = 0.05

    def __init__(self, conf=None):
        options = conf.fake_driver if conf is not None else None
        self.vcpus = options.vcpus if options else 64
        self.memory_mb = options.memory_mb if options else 131072
        self.local_gb = options.local_gb if options else 2048
        self.delays = {k: float(v) for k, v in
                       (options.operation_delays if options else {}).items()}
        self.fail_operations = set(options.fail_operations if options
                                   else ())
        self.uses_image_cache = bool(options and options.fetch_images)
        self.state_dir = (conf.state_path if options and
                          options.persist_guests else None)
        self.state_file = None
        self.guests = {}  # uuid -> power state
        self.moved_away = {}  # uuid -> power state, until confirm/revert
        # uuid -> the VIFs plugged for the guest, as a real host has them.
        self.plugged_vifs = {}
        # uuids of the guests sent an NMI (trigger_crash_dump), in order.
        self.crash_dumps = []
        # uuid -> the admin password the guest was last spawned with.
        self.admin_passwords = {}
        # uuid -> the VNC port of the guest, given when first asked (a
        # test may set the port of a VNC server of its own).
        self.vnc_ports = {}
        # The destination address of the last move from here.
        self.last_move_dest = None
        self._lock = threading.Lock()
        self.host = None
        # What get_available_resource reports: live migration needs the
        # same on both hosts (a test makes them differ).
        self.cpu_info = '{}'
        # What live migrations did, in order (tests read it): dicts with
        # 'step', 'uuid' and the step's arguments.
        self.live_migration_log = []
        # uuid -> {'abort', 'complete'}: threading.Events of a running
        # live migration (this host its source).
        self._migrating = {}

    def _operation(self, name):
        delay = self.delays.get(name)
        if delay:
            time.sleep(delay)
        if name in self.fail_operations:
            raise FakeDriverError(operation=name)

    def init_host(self, host):
        self.host = host
        FakeDriver.hosts[host] = self
        if self.state_dir:
            # One file per host: the functional tests run several fake
            # computes under one state_path.
            self.state_file = os.path.join(self.state_dir,
                                           'fake-guests-%s.json' % host)
            try:
                with open(self.state_file) as f:
                    saved = json.load(f)
            except FileNotFoundError:
                saved = {}
            self.guests = saved.get('guests', {})
            self.moved_away = saved.get('moved_away', {})
            LOG.info('Fake driver: %d guest(s) of %s read from %s',
                     len(self.guests), host, self.state_file)

    def _changed(self):
        """Called with the lock held after guests or moved_away changed."""
        if self.state_file is None:
            return
        os.makedirs(self.state_dir, exist_ok=True)
        part = self.state_file + '.part'
        with open(part, 'w') as f:
            json.dump({'guests': self.guests,
                       'moved_away': self.moved_away}, f)
        os.replace(part, self.state_file)

    def cleanup_host(self, host):
        if FakeDriver.hosts.get(host) is self:
            del FakeDriver.hosts[host]

    def get_available_resource(self, nodename):
        return {'vcpus': self.vcpus, 'memory_mb': self.memory_mb,
                'local_gb': self.local_gb, 'hypervisor_type': 'fake',
                'hypervisor_version': 1000, 'host_ip': '127.0.0.1',
                'cpu_info': self.cpu_info,
                'supported_instances': [['x86_64', 'fake', 'hvm'],
                                        ['x86_64', 'qemu', 'hvm']]}

    def spawn(self, context, instance, image_meta, network_info,
              admin_password, network_ready=None):
        self._operation('spawn')
        self.plug_vifs(instance, network_info)
        if network_ready is not None:
            try:
                network_ready()
            except Exception:
                self.unplug_vifs(instance, network_info)
                raise
        with self._lock:
            self.guests[instance['uuid']] = states.power.RUNNING
            self.admin_passwords[instance['uuid']] = admin_password
            self._changed()

    def destroy(self, context, instance):
        self._operation('destroy')
        with self._lock:
            self.guests.pop(instance['uuid'], None)
            self.plugged_vifs.pop(instance['uuid'], None)
            self._changed()

    def plug_vifs(self, instance, network_info):
        with self._lock:
            self.plugged_vifs[instance['uuid']] = [
                dict(vif) for vif in network_info or ()]

    def unplug_vifs(self, instance, network_info):
        with self._lock:
            self.plugged_vifs.pop(instance['uuid'], None)

    def attach_interface(self, instance, vif):
        self._operation('attach_interface')
        with self._lock:
            self.plugged_vifs.setdefault(instance['uuid'], []).append(
                dict(vif))

    def detach_interface(self, instance, vif):
        self._operation('detach_interface')
        with self._lock:
            plugged = self.plugged_vifs.get(instance['uuid']) or []
            self.plugged_vifs[instance['uuid']] = [
                v for v in plugged if v['id'] != vif['id']]

    def _set_power(self, instance, operation, power_state, create=False):
        """create: a guest this host does not have is created (from the
        instance's disk, as a real hypervisor would define it again)."""
        self._operation(operation)
        with self._lock:
            if instance['uuid'] not in self.guests:
                if not create:
                    raise exception.InstanceNotFound(
                        instance_id=instance['uuid'])
                LOG.info('Fake driver: %s of a guest this host does not '
                         'have: created again', operation, instance=instance)
            self.guests[instance['uuid']] = power_state
            self._changed()

    def instance_exists(self, instance):
        return instance['uuid'] in self.guests

    def power_off(self, instance):
        self._set_power(instance, 'power_off', states.power.SHUTDOWN)

    def power_on(self, instance):
        self._set_power(instance, 'power_on', states.power.RUNNING,
                        create=True)

    def reboot(self, instance, reboot_type):
        self._set_power(instance, 'reboot', states.power.RUNNING,
                        create=reboot_type == 'HARD')

    def pause(self, instance):
        self._set_power(instance, 'pause', states.power.PAUSED)

    def unpause(self, instance):
        self._set_power(instance, 'unpause', states.power.RUNNING)

    def suspend(self, instance):
        self._set_power(instance, 'suspend', states.power.SUSPENDED)

    def resume(self, instance):
        self._set_power(instance, 'resume', states.power.RUNNING)

    def trigger_crash_dump(self, instance):
        self._operation('trigger_crash_dump')
        with self._lock:
            if self.guests.get(instance['uuid']) is None:
                raise exception.InstanceNotRunning(
                    instance_id=instance['uuid'])
            self.crash_dumps.append(instance['uuid'])

    def rescue(self, context, instance, rescue_image_ref, rescue_password):
        self._set_power(instance, 'rescue', states.power.RUNNING)

    def unrescue(self, instance):
        self._set_power(instance, 'unrescue', states.power.RUNNING)

    def snapshot(self, context, instance, image_id, upload):
        self._operation('snapshot')
        if instance['uuid'] not in self.guests:
            raise exception.InstanceNotFound(instance_id=instance['uuid'])
        upload(b'fake disk of ' + instance['uuid'].encode())

    def rebuild(self, context, instance, image_meta, admin_password):
        self._operation('rebuild')
        with self._lock:
            self.guests[instance['uuid']] = states.power.RUNNING
            self._changed()

    def migrate_disk_and_power_off(self, context, instance, migration):
        self._operation('migrate_disk_and_power_off')
        # Where a real driver would copy the disk to.
        self.last_move_dest = migration.get('dest_host_ip')
        try:
            # The disk copy to the destination, before the guest leaves:
            # a failure leaves it as it was, as the libvirt driver does.
            self._operation('migrate_disk_copy')
        except FakeDriverError as error:
            raise exception.InstanceFaultRollback(error)
        with self._lock:
            # Kept aside until confirm (deleted) or revert (restored).
            self.moved_away[instance['uuid']] = self.guests.pop(
                instance['uuid'], states.power.SHUTDOWN)
            self._changed()
        self.unplug_vifs(instance, instance.get('network_info'))

    def finish_migration(self, context, instance, migration, power_on,
                         disk_info=None):
        self._operation('finish_migration')
        self.plug_vifs(instance, instance.get('network_info'))
        with self._lock:
            self.guests[instance['uuid']] = (
                states.power.RUNNING if power_on else states.power.SHUTDOWN)
            self._changed()

    def confirm_migration(self, context, instance, migration):
        self._operation('confirm_migration')
        with self._lock:
            self.moved_away.pop(instance['uuid'], None)
            self._changed()

    def finish_revert_migration(self, context, instance, migration,
                                power_on):
        self._operation('finish_revert_migration')
        self.plug_vifs(instance, instance.get('network_info'))
        with self._lock:
            self.moved_away.pop(instance['uuid'], None)
            self.guests[instance['uuid']] = (
                states.power.RUNNING if power_on else states.power.SHUTDOWN)
            self._changed()

    # Live migration.  [fake_driver] operation_delays 'live_migration'
    # makes the move take that long (progress reported meanwhile);
    # fail_operations of a step's name makes it fail.

    def _log(self, step, instance, **details):
        self.live_migration_log.append(dict(details, step=step,
                                            uuid=instance['uuid']))

    def check_can_live_migrate_destination(self, context, instance,
                                           src_compute_info,
                                           dst_compute_info,
                                           block_migration=None):
        self._operation('check_can_live_migrate_destination')
        if src_compute_info.get('cpu_info') != \
                dst_compute_info.get('cpu_info'):
            raise exception.InvalidCPUInfo(
                reason='the CPU of %s is not compatible with that of %s' % (
                    dst_compute_info.get('host'),
                    src_compute_info.get('host')))
        self._log('check_destination', instance,
                  block_migration=block_migration)
        return {'block_migration': block_migration}

    def check_can_live_migrate_source(self, context, instance,
                                      dest_check_data):
        self._operation('check_can_live_migrate_source')
        if instance['uuid'] not in self.guests:
            raise exception.MigrationPreCheckError(
                reason='the guest is not on %s' % self.host)
        data = dict(dest_check_data)
        # No shared storage between fake hosts: auto means block.
        if data.get('block_migration') is None:
            data['block_migration'] = True
        self._log('check_source', instance, **data)
        return data

    def pre_live_migration(self, context, instance, network_info,
                           migrate_data):
        self._operation('pre_live_migration')
        self.plug_vifs(instance, network_info)
        self._log('pre', instance)
        return migrate_data

    def live_migration(self, context, instance, dest, migrate_data,
                       progress):
        uuid = instance['uuid']
        flags = {'abort': threading.Event(), 'complete': threading.Event()}
        self._migrating[uuid] = flags
        try:
            duration = self.delays.get('live_migration', 0)
            total = (instance.get('memory_mb') or 512) * 1024 * 1024
            start = time.monotonic()
            while True:
                elapsed = time.monotonic() - start
                done = min(1.0, elapsed / duration) if duration else 1.0
                progress({'memory_total': total,
                          'memory_processed': int(total * done),
                          'memory_remaining': total - int(total * done),
                          'disk_total': 0, 'disk_processed': 0,
                          'disk_remaining': 0})
                if flags['abort'].is_set():
                    raise exception.LiveMigrationAborted(instance_uuid=uuid)
                if done >= 1.0 or flags['complete'].is_set():
                    break
                if FakeDriver.hosts.get(dest) is None:
                    raise exception.LiveMigrationFailed(
                        instance_uuid=uuid,
                        reason='lost the connection to %s' % dest)
                time.sleep(self.LIVE_MIGRATION_TICK)
            if 'live_migration' in self.fail_operations:
                raise FakeDriverError(operation='live_migration')
            target = FakeDriver.hosts.get(dest)
            if target is None:
                raise exception.LiveMigrationFailed(
                    instance_uuid=uuid,
                    reason='lost the connection to %s' % dest)
            with self._lock:
                power = self.guests.pop(uuid)
                self._changed()
            with target._lock:
                target.guests[uuid] = power
                target._changed()
            self._log('migrated', instance, dest=dest,
                      forced=flags['complete'].is_set())
        finally:
            self._migrating.pop(uuid, None)

    def _running(self, instance):
        flags = self._migrating.get(instance['uuid'])
        if flags is None:
            raise exception.NovaException(
                'No live migration of %s is running' % instance['uuid'])
        return flags

    def live_migration_abort(self, instance):
        self._running(instance)['abort'].set()
        self._log('abort', instance)

    def live_migration_force_complete(self, instance):
        self._running(instance)['complete'].set()
        self._log('force_complete', instance)

    def post_live_migration(self, context, instance, migrate_data):
        self._operation('post_live_migration')
        self.unplug_vifs(instance, instance.get('network_info'))
        self._log('post_source', instance)

    def post_live_migration_at_destination(self, context, instance,
                                           network_info, migrate_data):
        self._operation('post_live_migration_at_destination')
        self.plug_vifs(instance, network_info)
        self._log('post_destination', instance)

    def rollback_live_migration_at_destination(self, context, instance,
                                               network_info, migrate_data):
        self._operation('rollback_live_migration_at_destination')
        self.unplug_vifs(instance, network_info)
        with self._lock:
            self.guests.pop(instance['uuid'], None)
            self._changed()
        self._log('rollback_destination', instance)

    def get_console_output(self, instance):
        self._operation('get_console_output')
        return ''.join('fake console line %d of %s\n' % (i, instance['uuid'])
                       for i in range(1, 11))

    # The first VNC port given out, as QEMU's autoport starts at 5900.
    VNC_PORT_BASE = 5900

    def get_vnc_port(self, instance):
        self._operation('get_vnc_port')
        uuid = instance['uuid']
        with self._lock:
            if self.guests.get(uuid) != states.power.RUNNING:
                raise exception.ConsoleTypeUnavailable(console_type='vnc')
            if uuid not in self.vnc_ports:
                self.vnc_ports[uuid] = self.VNC_PORT_BASE + len(
                    self.vnc_ports)
            return self.vnc_ports[uuid]

    def get_power_state(self, instance):
        return self.guests.get(instance['uuid'], states.power.NOSTATE)

    def list_instances(self):
        return list(self.guests)

    # A fixed uptime line in the format of the uptime command.
    UPTIME = (' 08:32:11 up 93 days, 18:25, 12 users,  load average: '
              '0.20, 0.12, 0.14')

    def get_host_uptime(self):
        self._operation('get_host_uptime')
        return self.UPTIME

    @staticmethod
    def _macs(instance):
        return [vif.get('address') for vif in
                instance.get('network_info') or ()]

    def get_instance_diagnostics(self, instance):
        """Plausible figures of a guest of the instance's flavor: a
        vCPU each, its memory, one disk and its NICs."""
        self._operation('get_instance_diagnostics')
        power = self.get_power_state(instance)
        memory_mb = instance.get('memory_mb') or 512
        return {
            # 'libvirt', as upstream's fake driver: the API's enum of
            # drivers has no 'fake'.
            'state': states.power.NAMES.get(power, 'pending'),
            'driver': 'libvirt', 'hypervisor': 'fake',
            'hypervisor_os': 'linux', 'uptime': 46664,
            'config_drive': bool(instance.get('config_drive')),
            'memory_details': {'maximum': memory_mb,
                               'used': memory_mb // 2},
            'cpu_details': [{'id': n, 'time': 17300000000 + n,
                             'utilisation': 15}
                            for n in range(instance.get('vcpus') or 1)],
            'nic_details': [{
                'mac_address': mac, 'rx_octets': 2070139,
                'rx_errors': 0, 'rx_drop': 0, 'rx_packets': 26701,
                'rx_rate': None, 'tx_octets': 140208, 'tx_errors': 0,
                'tx_drop': 0, 'tx_packets': 662, 'tx_rate': None}
                for mac in self._macs(instance)],
            'disk_details': [{'read_bytes': 262144, 'read_requests': 112,
                              'write_bytes': 5778432,
                              'write_requests': 488, 'errors_count': 0}],
        }

    def get_diagnostics(self, instance):
        """The same figures, flat, named as libvirt's are."""
        standard = self.get_instance_diagnostics(instance)
        flat = {'memory': standard['memory_details']['maximum'] * 1024}
        for cpu in standard['cpu_details']:
            flat['cpu%d_time' % cpu['id']] = cpu['time']
        disk = standard['disk_details'][0]
        flat.update(vda_read=disk['read_bytes'],
                    vda_read_req=disk['read_requests'],
                    vda_write=disk['write_bytes'],
                    vda_write_req=disk['write_requests'],
                    vda_errors=disk['errors_count'])
        for n, nic in enumerate(standard['nic_details']):
            for key in ('rx', 'tx'):
                flat['vnet%d_%s' % (n, key)] = nic[key + '_octets']
                for stat in ('packets', 'errors', 'drop'):
                    flat['vnet%d_%s_%s' % (n, key, stat)] = \
                        nic['%s_%s' % (key, stat)]
        return flat
