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
        # The destination address of the last move from here.
        self.last_move_dest = None
        self._lock = threading.Lock()
        self.host = None

    def _operation(self, name):
        delay = self.delays.get(name)
        if delay:
            time.sleep(delay)
        if name in self.fail_operations:
            raise FakeDriverError(operation=name)

    def init_host(self, host):
        self.host = host
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

    def get_available_resource(self, nodename):
        return {'vcpus': self.vcpus, 'memory_mb': self.memory_mb,
                'local_gb': self.local_gb, 'hypervisor_type': 'fake',
                'hypervisor_version': 1000, 'host_ip': '127.0.0.1',
                'cpu_info': '{}',
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

    def get_console_output(self, instance):
        self._operation('get_console_output')
        return ''.join('fake console line %d of %s\n' % (i, instance['uuid'])
                       for i in range(1, 11))

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
