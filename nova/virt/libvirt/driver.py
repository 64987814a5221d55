"""nova-compute's libvirt driver: QEMU/KVM guests through libvirt-python.

Each instance has a directory ``$instances_path/<uuid>`` holding its root
disk (``disk``, a qcow2 overlay on a base image in ``_base``), its console
log, and the domain XML it was defined with (``libvirt.xml``).  Domains are
persistent, named by ``instance_name_template`` (``instance-%08x`` of the
instance's id, as upstream) and always looked up by the instance's uuid.

Moves between hosts (resize, cold migration): the source powers the guest
off and renames its directory ``<uuid>_resize``.  When the destination does
not share the source's instances_path (a probe file written there over ssh
is not seen here: remotefs), the source copies the disk over ssh to the
same path on the destination, verified by size and sha256; when it does,
the destination copies the file itself.  Only then is the guest undefined
here; a failed copy puts everything back, the guest running again if it
was, and raises InstanceFaultRollback.  The destination rebases the disk on
its own image cache and defines the guest; confirm deletes
``<uuid>_resize``, revert renames it back.  Every host addresses the others
by their [libvirt] migration_inbound_addr (the compute node's host_ip).
"""

import json
import os
import shutil
import time

import libvirt
from oslo_concurrency import processutils
from oslo_log import log as logging

from nova.compute import names
from nova.compute import states
from nova import exception
from nova.image import glance
from nova.virt import driver
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import host as libvirt_host
from nova.virt.libvirt import imagecache
from nova.virt.libvirt import images
from nova.virt.libvirt import migration
from nova.virt.libvirt import remotefs
from nova.virt.libvirt import vif

LOG = logging.getLogger(__name__)

_p = states.power

# Seconds between ACPI power button presses while waiting for a shutdown.
SHUTDOWN_RETRY_INTERVAL = 10

VIRT_TYPE_DESCRIPTIONS = {
    'kvm': 'hardware virtualization (KVM)',
    'qemu': 'software emulation (QEMU TCG): guests run much slower than '
            'under KVM',
}


class LibvirtDriverError(exception.NovaException):
    msg_fmt = '%(reason)s'


class LibvirtDriver(migration.LiveMigrationMixin, driver.ComputeDriver):

    uses_image_cache = True

    def __init__(self, conf):
        self.conf = conf
        options = conf.libvirt
        self.virt_type = options.virt_type
        self.uri = options.connection_uri or 'qemu:///system'
        self.instances_path = conf.instances_path
        self.cache_dir = os.path.join(self.instances_path, '_base')
        self.host = libvirt_host.Host(
            self.uri, retry_interval=options.connection_retry_interval)
        self._image_api = None
        self.remotefs = remotefs.RemoteFilesystem(
            options.remote_filesystem_transport,
            options.remote_filesystem_ssh_config)

    # -- host ---------------------------------------------------------

    def init_host(self, host):
        self.host.host_name = host
        conn = self.host.get_connection()
        if "<domain type='%s'" % self.virt_type not in \
                conn.getCapabilities():
            raise LibvirtDriverError(reason=(
                '[libvirt] virt_type = %s but libvirt at %s cannot run '
                '%s guests; use virt_type = qemu on hosts without working '
                'KVM' % (self.virt_type, self.uri, self.virt_type)))
        os.makedirs(self.cache_dir, exist_ok=True)
        LOG.info('libvirt driver: virt_type = %s, %s; connected to %s '
                 '(libvirt %s, %s %s)', self.virt_type,
                 VIRT_TYPE_DESCRIPTIONS[self.virt_type], self.uri,
                 _version(conn.getLibVersion()), conn.getType(),
                 _version(conn.getVersion()))

    def register_event_listener(self, listener):
        self.host.set_event_listener(listener)

    def get_available_resource(self, nodename):
        conn = self.host.get_connection()
        model, memory_mb, cpus, _mhz, nodes, sockets, cores, threads = \
            conn.getInfo()
        disk = os.statvfs(self.instances_path)
        return {
            'vcpus': cpus, 'memory_mb': memory_mb,
            'local_gb': disk.f_blocks * disk.f_frsize // images.GiB,
            'hypervisor_type': 'QEMU',
            'hypervisor_version': conn.getVersion(),
            'host_ip': self.conf.libvirt.migration_inbound_addr,
            # The host CPU's model, vendor and features too: the
            # destination of a live migration compares them with its own.
            'cpu_info': json.dumps(dict(
                migration.host_cpu(conn.getCapabilities()), arch=model,
                topology={'sockets': sockets * nodes, 'cores': cores,
                          'threads': threads})),
            'supported_instances': [['x86_64', self.virt_type, 'hvm']],
        }

    def manage_image_cache(self):
        options = self.conf.image_cache
        return imagecache.prune(
            self.instances_path, self.cache_dir,
            options.remove_unused_original_minimum_age_seconds,
            remove=options.remove_unused_base_images)

    def list_instances(self):
        prefix = names.name_prefix(self.conf.instance_name_template)
        return [dom.UUIDString() for dom in
                self.host.get_connection().listAllDomains()
                if dom.name().startswith(prefix)]

    def get_power_state(self, instance):
        dom = self.host.find_domain(instance['uuid'])
        return _p.NOSTATE if dom is None else self.host.power_state(dom)

    def instance_exists(self, instance):
        return self.host.find_domain(instance['uuid']) is not None

    # -- paths and images ---------------------------------------------

    def _dir(self, instance, suffix=''):
        return os.path.join(self.instances_path, instance['uuid'] + suffix)

    def _path(self, instance, name):
        return os.path.join(self._dir(instance), name)

    @property
    def image_api(self):
        if self._image_api is None:
            self._image_api = glance.API(self.conf)
        return self._image_api

    def _fetch(self, context, image_id):
        return glance.fetch_to_cache(context, image_id, self.cache_dir,
                                     api=self.image_api)

    def _boot_files(self, context, instance, properties):
        """(kernel, ramdisk, cmdline) for direct kernel boot when the
        image (or, for images without the properties, the instance) names
        a kernel; (None, None, None) for whole-disk images."""
        kernel_id = properties.get('kernel_id') or instance.get('kernel_id')
        if not kernel_id:
            return None, None, None
        ramdisk_id = (properties.get('ramdisk_id')
                      or instance.get('ramdisk_id'))
        system_metadata = instance.get('system_metadata') or {}
        cmdline = (properties.get('os_command_line')
                   or system_metadata.get('image_os_command_line')
                   or self.conf.libvirt.default_kernel_cmdline)
        return (self._fetch(context, kernel_id),
                self._fetch(context, ramdisk_id) if ramdisk_id else None,
                cmdline)

    def _create_disk(self, context, instance, image_meta, path):
        base = image_meta.get('path') or self._fetch(context,
                                                     image_meta['id'])
        base_format, _size = images.check_base(base, image_meta['id'])
        if os.path.exists(path):
            os.unlink(path)
        images.create_overlay(base, base_format, path,
                              instance.get('root_gb') or 0)

    # -- domains ------------------------------------------------------

    def _spec(self, instance, disks, kernel=None, ramdisk=None,
              cmdline=None):
        """The guest of instance, with a NIC per VIF of its
        network_info."""
        flavor = instance.get('flavor') or {}
        return guest_xml.GuestSpec(
            name=names.instance_name(self.conf.instance_name_template,
                                     instance),
            uuid=instance['uuid'],
            virt_type=self.virt_type,
            memory_mb=instance.get('memory_mb') or flavor['memory_mb'],
            vcpus=instance.get('vcpus') or flavor['vcpus'], disks=disks,
            console_log=self._path(instance, 'console.log'),
            kernel=kernel, ramdisk=ramdisk, cmdline=cmdline,
            display_name=instance.get('display_name') or '',
            flavor_name=flavor.get('name') or '',
            project_id=instance.get('project_id') or '',
            user_id=instance.get('user_id') or '',
            root_gb=instance.get('root_gb') or 0,
            interfaces=vif.interfaces(instance.get('network_info'),
                                      self.conf),
            vnc_listen=self.vnc_listen_address())

    def _guest_xml(self, instance, kernel=None, ramdisk=None, cmdline=None):
        disk = guest_xml.Disk(self._path(instance, 'disk'))
        return guest_xml.to_xml(self._spec(instance, [disk], kernel, ramdisk,
                                           cmdline))

    def _define(self, instance, xml, saved_as='libvirt.xml'):
        with open(self._path(instance, saved_as), 'w') as f:
            f.write(xml)
        try:
            return self.host.get_connection().defineXML(xml)
        except libvirt.libvirtError as e:
            self.host.connection_broken(e)
            raise LibvirtDriverError(reason='Defining the guest failed: %s'
                                     % e.get_error_message())

    def _domain(self, instance):
        dom = self.host.find_domain(instance['uuid'])
        if dom is None:
            raise exception.InstanceNotFound(instance_id=instance['uuid'])
        return dom

    def _domain_or_defined(self, instance):
        """The guest's domain; one libvirt lost (undefined by hand, a
        libvirtd that lost its state) is defined again from the
        instance's libvirt.xml, over its disk, as upstream's hard reboot
        does."""
        dom = self.host.find_domain(instance['uuid'])
        if dom is not None:
            return dom
        try:
            with open(self._path(instance, 'libvirt.xml')) as f:
                xml = f.read()
        except FileNotFoundError:
            raise exception.InstanceNotFound(instance_id=instance['uuid'])
        LOG.warning('The guest\'s domain was gone; defining it again from '
                    '%s', self._path(instance, 'libvirt.xml'),
                    instance=instance)
        return self._define(instance, xml)

    def _start(self, dom):
        if not dom.isActive():
            dom.create()

    def _kill(self, dom):
        """Stop the guest now (no shutdown inside it)."""
        if dom.isActive():
            dom.destroy()

    def _undefine(self, dom):
        """The domain gone, and the taps nova plugged for it (libvirt
        removes only those it made)."""
        try:
            taps = guest_xml.unmanaged_taps(dom.XMLDesc())
        except libvirt.libvirtError:
            taps = []
        self._kill(dom)
        try:
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE)
        except libvirt.libvirtError as e:
            if e.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
        if taps:
            vif.unplug_taps(taps, self.conf)

    def _clean_shutdown(self, dom, instance):
        """ACPI power button, then wait up to [libvirt] shutdown_timeout;
        True if the guest went off by itself."""
        timeout = self.conf.libvirt.shutdown_timeout
        if not dom.isActive():
            return True
        if timeout <= 0:
            return False
        start = pressed = time.monotonic()
        try:
            dom.shutdownFlags(libvirt.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN)
        except libvirt.libvirtError as e:
            LOG.warning('ACPI shutdown request failed: %s',
                        e.get_error_message(), instance=instance)
            return False
        while time.monotonic() - start < timeout:
            if not dom.isActive():
                LOG.info('Instance shut down cleanly after %.1f seconds',
                         time.monotonic() - start, instance=instance)
                return True
            if time.monotonic() - pressed >= SHUTDOWN_RETRY_INTERVAL:
                # A guest still booting misses the button: press it again,
                # as upstream does.
                pressed = time.monotonic()
                try:
                    dom.shutdownFlags(
                        libvirt.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN)
                except libvirt.libvirtError:
                    pass  # it went off meanwhile
            time.sleep(0.25)
        LOG.warning('Instance did not shut down within %d seconds; '
                    'destroying it', timeout, instance=instance)
        return False

    # -- lifecycle ----------------------------------------------------

    def spawn(self, context, instance, image_meta, network_info,
              admin_password, network_ready=None):
        begin = time.monotonic()
        instance = dict(instance, network_info=network_info or [])
        # An unsupported VIF type is refused before anything is made.
        vif.interfaces(network_info, self.conf)
        self.plug_vifs(instance, network_info)
        try:
            os.makedirs(self._dir(instance), exist_ok=True)
            self._create_disk(context, instance, image_meta,
                              self._path(instance, 'disk'))
            kernel, ramdisk, cmdline = self._boot_files(
                context, instance, image_meta.get('properties') or {})
            dom = self._define(instance, self._guest_xml(
                instance, kernel, ramdisk, cmdline))
            # Neutron's ports come up while the disk is made; the guest
            # starts once they are (upstream starts it paused until then).
            if network_ready is not None:
                network_ready()
        except Exception:
            self.unplug_vifs(instance, network_info)
            raise
        start = time.monotonic()
        dom.create()
        end = time.monotonic()
        # tests/perf/bench_servers.py --compute-logs reads this line.
        LOG.info('Guest %s started in %.3f s (disk and definition %.3f s, '
                 'domain start %.3f s); console log %s', dom.name(),
                 end - begin, start - begin, end - start,
                 self._path(instance, 'console.log'), instance=instance)

    def plug_vifs(self, instance, network_info):
        vif.plug(network_info, self.conf, instance_uuid=instance['uuid'])

    def unplug_vifs(self, instance, network_info):
        """The taps nova made (ovs VIFs); libvirt removes its own with the
        guest, and the bridges serve the host's other guests."""
        vif.unplug(network_info, self.conf)

    def vnc_listen_address(self):
        """Where this host's guests' VNC servers listen; None: no
        console."""
        return self.conf.vnc.server_listen if self.conf.vnc.enabled \
            else None

    # -- os-interface ---------------------------------------------------

    # How long a detach waits for the running guest to let its NIC go
    # (PCI hot-unplug needs the guest's consent).
    DETACH_WAIT = 20

    @staticmethod
    def _device_flags(live):
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        if live:
            flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
        return flags

    def _save_definition(self, instance, dom):
        # libvirt.xml is what a guest libvirt lost is defined again from.
        with open(self._path(instance, 'libvirt.xml'), 'w') as f:
            f.write(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))

    def attach_interface(self, instance, vif_):
        (nic,) = vif.interfaces([vif_], self.conf)
        dom = self._domain(instance)
        vif.plug([vif_], self.conf, instance_uuid=instance['uuid'])
        try:
            dom.attachDeviceFlags(guest_xml.interface_xml(nic),
                                  self._device_flags(dom.isActive()))
        except libvirt.libvirtError as e:
            vif.unplug([vif_], self.conf)
            raise LibvirtDriverError(reason='Attaching the NIC of port %s '
                                     'failed: %s' % (vif_['id'],
                                                     e.get_error_message()))
        self._save_definition(instance, dom)
        LOG.info('NIC %s (port %s) attached', nic.mac, vif_['id'],
                 instance=instance)

    def detach_interface(self, instance, vif_):
        (nic,) = vif.interfaces([vif_], self.conf)
        dom = self._domain(instance)
        live = dom.isActive()
        try:
            dom.detachDeviceFlags(guest_xml.interface_xml(nic),
                                  self._device_flags(live))
        except libvirt.libvirtError as e:
            raise LibvirtDriverError(reason='Detaching the NIC of port %s '
                                     'failed: %s' % (vif_['id'],
                                                     e.get_error_message()))
        deadline = time.monotonic() + self.DETACH_WAIT
        while live and nic.mac in (mac for mac, _bridge, _dev in
                                   guest_xml.interfaces(dom.XMLDesc())):
            if time.monotonic() >= deadline:
                LOG.warning('The guest kept NIC %s after %d s; it is gone '
                            'from its definition (the next reboot drops '
                            'it)', nic.mac, self.DETACH_WAIT,
                            instance=instance)
                break
            time.sleep(0.25)
        vif.unplug([vif_], self.conf)
        self._save_definition(instance, dom)
        LOG.info('NIC %s (port %s) detached', nic.mac, vif_['id'],
                 instance=instance)

    def destroy(self, context, instance):
        dom = self.host.find_domain(instance['uuid'])
        if dom is not None:
            self._undefine(dom)
        else:
            # No guest (yet): taps plugged for it may still be there.
            self.unplug_vifs(instance, instance.get('network_info'))
        shutil.rmtree(self._dir(instance), ignore_errors=True)
        LOG.info('Guest and instance files deleted',
                 instance_uuid=instance['uuid'])

    def power_off(self, instance):
        dom = self._domain(instance)
        if not self._clean_shutdown(dom, instance):
            self._kill(dom)

    def power_on(self, instance):
        self._start(self._domain_or_defined(instance))

    def reboot(self, instance, reboot_type):
        dom = (self._domain_or_defined(instance) if reboot_type == 'HARD'
               else self._domain(instance))
        if reboot_type == 'SOFT' and dom.isActive() and \
                self.host.power_state(dom) == _p.RUNNING:
            if self._clean_shutdown(dom, instance):
                dom.create()
                return
            LOG.warning('Soft reboot failed; rebooting hard',
                        instance=instance)
        self._kill(dom)
        if dom.hasManagedSaveImage(0):
            dom.managedSaveRemove(0)  # a hard reboot boots afresh
        dom.create()

    def trigger_crash_dump(self, instance):
        """An NMI to the guest: a kernel configured for it dumps."""
        dom = self._domain(instance)
        try:
            dom.injectNMI(0)
        except libvirt.libvirtError as e:
            code = e.get_error_code()
            if code == libvirt.VIR_ERR_NO_SUPPORT:
                raise exception.TriggerCrashDumpNotSupported()
            if code == libvirt.VIR_ERR_OPERATION_INVALID:
                raise exception.InstanceNotRunning(
                    instance_id=instance['uuid'])
            raise LibvirtDriverError(
                reason='Injecting an NMI into the guest failed: %s'
                % e.get_error_message())

    def pause(self, instance):
        self._domain(instance).suspend()

    def unpause(self, instance):
        self._domain(instance).resume()

    def suspend(self, instance):
        # Memory to disk (managed save): the host's RAM is freed.
        self._domain(instance).managedSave(0)

    def resume(self, instance):
        self._start(self._domain(instance))

    def rescue(self, context, instance, rescue_image_ref, rescue_password):
        """Boot a fresh disk of the rescue image (the instance's own image
        unless one is given) with the instance's disk second (vdb)."""
        image_id = rescue_image_ref or instance['image_ref']
        properties = {}
        if rescue_image_ref:
            properties = self.image_api.show(context, image_id).get(
                'properties') or {}
        rescue_disk = self._path(instance, 'disk.rescue')
        self._create_disk(context, instance, {'id': image_id}, rescue_disk)
        kernel, ramdisk, cmdline = self._boot_files(context, instance,
                                                    properties)
        if cmdline:
            cmdline = '%s %s' % (
                cmdline, self.conf.libvirt.rescue_kernel_cmdline_suffix)
        disks = [guest_xml.Disk(rescue_disk),
                 guest_xml.Disk(self._path(instance, 'disk'),
                                target='vdb')]
        xml = guest_xml.to_xml(self._spec(instance, disks, kernel, ramdisk,
                                          cmdline))
        self._kill(self._domain(instance))
        # libvirt.xml keeps the normal definition for unrescue.
        self._define(instance, xml, saved_as='libvirt-rescue.xml').create()

    def unrescue(self, instance):
        self._kill(self._domain(instance))
        with open(self._path(instance, 'libvirt.xml')) as f:
            dom = self._define(instance, f.read())
        dom.create()
        for name in ('disk.rescue', 'libvirt-rescue.xml'):
            try:
                os.unlink(self._path(instance, name))
            except FileNotFoundError:
                pass

    def snapshot(self, context, instance, image_id, upload):
        """The root disk flattened (base + overlay) into the snapshot
        image's format, taken while the guest is paused for a moment if
        it runs (consistent qcow2 metadata), then uploaded."""
        dom = self._domain(instance)
        system_metadata = instance.get('system_metadata') or {}
        out_format = images.QEMU_FORMATS.get(
            system_metadata.get('image_disk_format'), 'qcow2')
        workdir = os.path.join(self.instances_path, 'snapshots')
        os.makedirs(workdir, exist_ok=True)
        target = os.path.join(workdir, image_id)
        paused = False
        try:
            if self.host.power_state(dom) == _p.RUNNING:
                dom.suspend()
                paused = True
            try:
                images.convert(self._path(instance, 'disk'), target,
                               out_format)
            finally:
                if paused:
                    dom.resume()
            LOG.info('Snapshot of the root disk taken (%s); uploading it '
                     'to image %s', out_format, image_id, instance=instance)
            upload(target)
        finally:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass

    def rebuild(self, context, instance, image_meta, admin_password):
        dom = self.host.find_domain(instance['uuid'])
        if dom is not None:
            self._undefine(dom)
        self.spawn(context, instance, image_meta,
                   instance.get('network_info'), admin_password)

    def get_console_output(self, instance, max_bytes=100 * 1024):
        path = self._path(instance, 'console.log')
        try:
            with open(path, 'rb') as f:
                f.seek(max(0, os.fstat(f.fileno()).st_size - max_bytes))
                return f.read().decode('utf-8', 'replace')
        except FileNotFoundError:
            return ''

    def get_vnc_port(self, instance):
        dom = self._domain(instance)
        try:
            port = guest_xml.vnc_port(dom.XMLDesc())
        except libvirt.libvirtError as e:
            if e.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                raise exception.InstanceNotFound(
                    instance_id=instance['uuid'])
            raise
        if port is None:
            raise exception.ConsoleTypeUnavailable(console_type='vnc')
        return port

    # -- diagnostics --------------------------------------------------

    def get_host_uptime(self):
        out, _err = processutils.execute('env', 'LANG=C', 'uptime')
        return out.strip()

    def _guest_figures(self, instance):
        """What libvirt tells of the guest: (domain, state, info, vcpus,
        [(target dev, blockStats)], [(mac, target dev, interfaceStats)])."""
        dom = self._domain(instance)
        try:
            xml = dom.XMLDesc()
            state, _ = dom.state()
            info = dom.info()
            running = dom.isActive()
            vcpus = dom.vcpus()[0] if running else []
            disks = []
            for target in sorted(guest_xml.disk_paths(xml)):
                stats = dom.blockStats(target) if running else None
                disks.append((target, stats))
            nics = []
            for mac, _bridge, target in guest_xml.interfaces(xml):
                stats = dom.interfaceStats(target) if running else None
                nics.append((mac, target, stats))
        except libvirt.libvirtError as e:
            self.host.connection_broken(e)
            raise LibvirtDriverError(reason='Reading the guest figures '
                                     'failed: %s' % e.get_error_message())
        return dom, self.host.power_state(dom), info, vcpus, disks, nics

    def get_instance_diagnostics(self, instance):
        _dom, power, info, vcpus, disks, nics = self._guest_figures(
            instance)
        _state, max_kib, used_kib, _n, _cpu_time = info
        nic_keys = ('rx_octets', 'rx_packets', 'rx_errors', 'rx_drop',
                    'tx_octets', 'tx_packets', 'tx_errors', 'tx_drop')
        nic_details = []
        for mac, _target, stats in nics:
            details = dict(zip(nic_keys, stats or (None,) * 8),
                           mac_address=mac, rx_rate=None, tx_rate=None)
            nic_details.append(details)
        disk_details = []
        for _target, stats in disks:
            rd_req, rd_bytes, wr_req, wr_bytes, errs = \
                stats or (None,) * 5
            disk_details.append({
                'read_bytes': rd_bytes, 'read_requests': rd_req,
                'write_bytes': wr_bytes, 'write_requests': wr_req,
                'errors_count': errs})
        return {
            'state': _p.NAMES.get(power, 'pending'), 'driver': 'libvirt',
            'hypervisor': self.virt_type, 'hypervisor_os': 'linux',
            'uptime': None,
            'config_drive': bool(instance.get('config_drive')),
            'memory_details': {'maximum': max_kib // 1024,
                               'used': used_kib // 1024},
            'cpu_details': [{'id': number, 'time': cpu_time,
                             'utilisation': None}
                            for number, _s, cpu_time, _cpu in vcpus],
            'nic_details': nic_details, 'disk_details': disk_details,
        }

    def get_diagnostics(self, instance):
        dom, _power, info, vcpus, disks, nics = self._guest_figures(
            instance)
        flat = {'memory': info[1]}
        for number, _s, cpu_time, _cpu in vcpus:
            flat['cpu%d_time' % number] = cpu_time
        try:
            memory = dom.memoryStats() if dom.isActive() else {}
        except libvirt.libvirtError:
            memory = {}  # no balloon: only the maximum
        for key, value in memory.items():
            flat['memory-' + key] = value
        for target, stats in disks:
            if stats is None:
                continue
            for suffix, value in zip(('_read_req', '_read', '_write_req',
                                      '_write', '_errors'), stats):
                flat[target + suffix] = value
        for _mac, target, stats in nics:
            if stats is None:
                continue
            for suffix, value in zip(
                    ('_rx', '_rx_packets', '_rx_errors', '_rx_drop', '_tx',
                     '_tx_packets', '_tx_errors', '_tx_drop'), stats):
                flat[target + suffix] = value
        return flat

    # -- resize and cold migration ------------------------------------

    def _shares_instances_path(self, migration, dest):
        """Whether the destination sees this host's instances_path: the
        same host, the same address, or a probe file says so."""
        if migration.get('source_compute') == migration.get('dest_compute'):
            return True
        if not dest or dest == self.conf.libvirt.migration_inbound_addr:
            return True
        return self.remotefs.is_path_shared_with(dest, self.instances_path)

    def migrate_disk_and_power_off(self, context, instance, migration):
        dom = self._domain(instance)
        # The destination's address (its compute node's host_ip).
        dest = migration.get('dest_host_ip')
        shared = self._shares_instances_path(migration, dest)
        was_running = bool(dom.isActive())
        if not self._clean_shutdown(dom, instance):
            self._kill(dom)
        source_dir, moved_dir = self._dir(instance), \
            self._dir(instance, '_resize')
        shutil.rmtree(moved_dir, ignore_errors=True)
        os.rename(source_dir, moved_dir)
        disk = os.path.join(moved_dir, 'disk')
        try:
            base = images.info(disk).get('full-backing-filename')
            with open(os.path.join(moved_dir, 'libvirt.xml')) as f:
                kernel, ramdisk, _cmdline = guest_xml.boot_files(f.read())
            if not shared:
                self.remotefs.create_dir(dest, source_dir)
                self.remotefs.copy_file(disk, dest,
                                        os.path.join(source_dir, 'disk'))
            self._undefine(dom)
        except Exception as error:
            self._roll_back_move(instance, dom, dest, shared, was_running)
            raise exception.InstanceFaultRollback(error)
        LOG.info('Guest powered off and its disk set aside in %s%s',
                 moved_dir, '' if shared else
                 ' and copied to %s' % dest, instance=instance)
        return {'disk': disk, 'base': base, 'kernel': kernel,
                'ramdisk': ramdisk, 'copied': not shared}

    def _roll_back_move(self, instance, dom, dest, shared, was_running):
        """The guest as it was before the move: its directory, whatever
        reached the destination gone, running again if it was."""
        source_dir = self._dir(instance)
        os.rename(self._dir(instance, '_resize'), source_dir)
        if not shared:
            try:
                self.remotefs.remove_dir(dest, source_dir)
            except Exception as e:
                LOG.warning('Could not remove %s from %s after the failed '
                            'copy: %s', source_dir, dest, e,
                            instance=instance)
        if was_running:
            self._start(dom)
        LOG.warning('Move failed; the guest stays here%s',
                    ' and runs again' if was_running else '',
                    instance=instance)

    def _bring_to_cache(self, context, source_path):
        """The local cache copy of a file in the source's image cache:
        already here, copied from the source, or downloaded again."""
        if not source_path:
            return None
        name = os.path.basename(source_path)
        local = os.path.join(self.cache_dir, name)
        if os.path.exists(local):
            return local
        if os.path.exists(source_path):
            os.makedirs(self.cache_dir, exist_ok=True)
            images.copy_file(source_path, local)
            return local
        return self._fetch(context, name)

    def finish_migration(self, context, instance, migration, power_on,
                         disk_info=None):
        disk = self._path(instance, 'disk')
        # The source copied the disk here, or left it where this host
        # sees it (a shared instances_path).
        have = disk if (disk_info or {}).get('copied') else \
            (disk_info or {}).get('disk')
        if not have or not os.path.exists(have):
            raise LibvirtDriverError(reason=(
                'The disk of instance %s is not on this host (%s): the '
                'source neither copied it here nor shares its '
                'instances_path with this host'
                % (instance['uuid'], have)))
        self.plug_vifs(instance, instance.get('network_info'))
        os.makedirs(self._dir(instance), exist_ok=True)
        if have != disk:
            images.copy_file(have, disk)
        base = self._bring_to_cache(context, disk_info.get('base'))
        if base:
            base_format, _size = images.check_base(
                base, os.path.basename(base))
            images.rebase(disk, base, base_format)
        images.resize(disk, instance.get('root_gb') or 0)
        kernel = self._bring_to_cache(context, disk_info.get('kernel'))
        ramdisk = self._bring_to_cache(context, disk_info.get('ramdisk'))
        cmdline = None
        if kernel:
            _k, _r, cmdline = self._boot_files(context, instance, {})
        dom = self._define(instance, self._guest_xml(instance, kernel,
                                                     ramdisk, cmdline))
        if power_on:
            dom.create()
        LOG.info('Guest defined here from the disk of %s%s',
                 os.path.dirname(disk_info['disk']),
                 ' and started' if power_on else '', instance=instance)

    def confirm_migration(self, context, instance, migration):
        shutil.rmtree(self._dir(instance, '_resize'), ignore_errors=True)

    def finish_revert_migration(self, context, instance, migration,
                                power_on):
        """Back as it was before the move: directory, definition, power."""
        moved_dir = self._dir(instance, '_resize')
        if os.path.isdir(moved_dir):
            shutil.rmtree(self._dir(instance), ignore_errors=True)
            os.rename(moved_dir, self._dir(instance))
        # The move unplugged the taps nova makes: here again.
        self.plug_vifs(instance, instance.get('network_info'))
        with open(self._path(instance, 'libvirt.xml')) as f:
            dom = self._define(instance, f.read())
        if power_on:
            self._start(dom)


def _version(number):
    """libvirt's packed versions: 9000000 -> 9.0.0."""
    return '%d.%d.%d' % (number // 1000000, number // 1000 % 1000,
                         number % 1000)
