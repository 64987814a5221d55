"""Live migration for the libvirt driver: libvirtd to libvirtd, peer to
peer (virDomainMigrateToURI3 with VIR_MIGRATE_PEER2PEER: the source's
libvirtd connects to the destination's itself, so nova-compute needs no
connection to the other host's daemon).

The destination's check leaves a file in its instances_path; the source
looking for it tells whether the hosts share that directory (then only
memory moves) or not (block migration: the destination makes an empty
overlay over its own copy of the image in pre_live_migration, and
VIR_MIGRATE_NON_SHARED_INC copies the guest's writes into it).  The
domain's migratable XML goes with the migration, its paths rewritten to
the destination's instances_path, which may differ from the source's.

Progress is read from the running job (virDomainGetJobInfo); an abort
is virDomainAbortJob; a forced completion pauses the guest (or switches
to post-copy when [libvirt] live_migration_permit_post_copy) and the
destination resumes it once it has arrived.
"""

import json
import os
import shutil
import tempfile
import threading
from xml.etree import ElementTree

import libvirt
from oslo_log import log as logging

from nova.compute import states
from nova import exception
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import images

LOG = logging.getLogger(__name__)

CHECK_FILE_PREFIX = '.live-migration-check-'
BASE_FLAGS = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER |
              libvirt.VIR_MIGRATE_PERSIST_DEST |
              libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)
# virDomainGetJobInfo's list: type, time elapsed and remaining, then
# (total, processed, remaining) of data, memory and file (disk) bytes.
_JOB_MEMORY = slice(6, 9)
_JOB_DISK = slice(9, 12)


def _socket_dir(connect_addr):
    """The directory of a destination reached by unix sockets (hosts on
    one machine in separate network namespaces), or None."""
    return connect_addr if connect_addr and connect_addr.startswith('/') \
        else None


def dest_uri(options, dest_host, connect_addr=None):
    """The destination libvirtd's URI, as the source's connects to it."""
    address = dest_host if _socket_dir(connect_addr) else \
        connect_addr or dest_host
    if options.live_migration_uri:
        uri = options.live_migration_uri
        return uri % address if '%s' in uri else uri
    scheme = options.live_migration_scheme or 'tcp'
    return 'qemu+%s://%s/system' % (scheme, address)


def migration_flags(block_migration, has_backing_file, tunnelled=False):
    flags = BASE_FLAGS
    if block_migration:
        # Only the overlay's data when the destination has the image it
        # is backed by; the whole disk otherwise.
        flags |= (libvirt.VIR_MIGRATE_NON_SHARED_INC if has_backing_file
                  else libvirt.VIR_MIGRATE_NON_SHARED_DISK)
    if tunnelled:
        flags |= libvirt.VIR_MIGRATE_TUNNELLED
    return flags


def migration_params(dest_xml, block_migration, disk_targets,
                     connect_addr=None, bandwidth=0, name='guest'):
    """name: what tells this migration's unix sockets apart."""
    params = {libvirt.VIR_MIGRATE_PARAM_DEST_XML: dest_xml}
    if block_migration:
        params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] = list(disk_targets)
    socket_dir = _socket_dir(connect_addr)
    if socket_dir:
        # QEMU to QEMU through the filesystem: no network between them.
        params[libvirt.VIR_MIGRATE_PARAM_URI] = 'unix://%s/%s.memory' % (
            socket_dir, name)
        if block_migration:
            params[libvirt.VIR_MIGRATE_PARAM_DISKS_URI] = \
                'unix://%s/%s.disks' % (socket_dir, name)
    elif connect_addr:
        params[libvirt.VIR_MIGRATE_PARAM_URI] = 'tcp://%s' % connect_addr
    if bandwidth:
        params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = bandwidth
    return params


def rewrite_paths(xml, source_path, dest_path):
    """The domain's XML with files under source_path (disks, console
    log, kernel and ramdisk in the image cache) under dest_path."""
    if not dest_path or dest_path == source_path:
        return xml
    return xml.replace(source_path.rstrip('/') + '/',
                       dest_path.rstrip('/') + '/')


def progress_figures(job_info):
    memory, disk = job_info[_JOB_MEMORY], job_info[_JOB_DISK]
    return dict(zip(('memory_total', 'memory_processed', 'memory_remaining',
                     'disk_total', 'disk_processed', 'disk_remaining'),
                    list(memory) + list(disk)))


def host_cpu(capabilities_xml):
    """{'arch', 'model', 'vendor', 'features'} of the host's CPU."""
    cpu = ElementTree.fromstring(capabilities_xml).find('host/cpu')
    if cpu is None:
        return {}
    found = {'arch': cpu.findtext('arch'), 'model': cpu.findtext('model'),
             'vendor': cpu.findtext('vendor')}
    found['features'] = sorted(f.get('name') for f in cpu.findall('feature')
                               if f.get('name'))
    return found


def cpu_xml(cpu_info):
    """libvirt's <cpu> of a host's cpu_info, for virConnectCompareCPU."""
    cpu = ElementTree.Element('cpu')
    for tag in ('arch', 'model', 'vendor'):
        if cpu_info.get(tag):
            ElementTree.SubElement(cpu, tag).text = cpu_info[tag]
    for name in cpu_info.get('features') or ():
        ElementTree.SubElement(cpu, 'feature', policy='require', name=name)
    return ElementTree.tostring(cpu, encoding='unicode')


def _json(text):
    try:
        return json.loads(text or '{}')
    except ValueError:
        return {}


class _Job:
    """A migrateToURI3 running in its own thread (it blocks until the
    guest has moved)."""

    def __init__(self, dom, uri, params, flags):
        self.dom = dom
        self.aborted = False
        self.paused = False
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       args=(uri, params, flags),
                                       name='live-migration')

    def _run(self, uri, params, flags):
        try:
            self.dom.migrateToURI3(uri, params, flags)
        except libvirt.libvirtError as e:
            self.error = e


class LiveMigrationMixin:
    """The ComputeDriver live migration methods of LibvirtDriver."""

    def _live_jobs(self):
        if not hasattr(self, '_running_migrations'):
            self._running_migrations = {}
        return self._running_migrations

    def check_can_live_migrate_destination(self, context, instance,
                                           src_compute_info,
                                           dst_compute_info,
                                           block_migration=None):
        self._compare_cpu(src_compute_info.get('cpu_info'),
                          dst_compute_info.get('cpu_info'))
        os.makedirs(self.instances_path, exist_ok=True)
        fd, path = tempfile.mkstemp(dir=self.instances_path,
                                    prefix=CHECK_FILE_PREFIX)
        os.close(fd)
        return {'block_migration': block_migration,
                'shared_check_file': os.path.basename(path),
                'dest_instances_path': self.instances_path,
                'target_connect_addr':
                    self.conf.libvirt.live_migration_inbound_addr,
                'graphics_listen_addr_vnc': self.vnc_listen_address()}

    def check_can_live_migrate_destination_cleanup(self, context,
                                                   dest_check_data):
        name = (dest_check_data or {}).get('shared_check_file')
        if name:
            try:
                os.unlink(os.path.join(self.instances_path, name))
            except FileNotFoundError:
                pass

    def _compare_cpu(self, source_cpu_info, dest_cpu_info):
        """InvalidCPUInfo when the source host's CPU (its cpu_info) is
        one this host's cannot stand in for.  QEMU's emulation (TCG) runs
        any guest CPU: only the architecture must match."""
        source, here = _json(source_cpu_info), _json(dest_cpu_info)
        if source.get('arch') and here.get('arch') and \
                source['arch'] != here['arch']:
            raise exception.InvalidCPUInfo(
                reason='the source host is %s, this host %s'
                       % (source['arch'], here['arch']))
        if self.virt_type == 'qemu' or not source.get('model'):
            return
        result = self.host.get_connection().compareCPU(cpu_xml(source), 0)
        if result == libvirt.VIR_CPU_COMPARE_INCOMPATIBLE:
            raise exception.InvalidCPUInfo(
                reason='the CPU of the source host (%s %s) is not '
                       'compatible with this host\'s (%s %s)' % (
                           source.get('vendor'), source.get('model'),
                           here.get('vendor'), here.get('model')))

    def check_can_live_migrate_source(self, context, instance,
                                      dest_check_data):
        self._domain(instance)
        check_file = dest_check_data.get('shared_check_file')
        shared = bool(check_file) and os.path.exists(
            os.path.join(self.instances_path, check_file))
        block = dest_check_data.get('block_migration')
        uuid = instance['uuid']
        if block is None:
            block = not shared
        elif block and shared:
            raise exception.MigrationPreCheckError(
                reason='Cannot block migrate instance %s: its disks are on '
                       'storage shared with the destination' % uuid)
        elif not block and not shared:
            raise exception.MigrationPreCheckError(
                reason='Live migration of instance %s without block '
                       'migration needs storage shared with the '
                       'destination; %s is not shared' % (
                           uuid, self.instances_path))
        if block and self.conf.libvirt.live_migration_tunnelled:
            raise exception.MigrationPreCheckError(
                reason='A tunnelled live migration cannot copy disks; '
                       'block migration needs [libvirt] '
                       'live_migration_tunnelled = False')
        return dict(dest_check_data, block_migration=block,
                    is_shared_instance_path=shared,
                    source_instances_path=self.instances_path)

    def pre_live_migration(self, context, instance, network_info,
                           migrate_data):
        os.makedirs(self._dir(instance), exist_ok=True)
        if not migrate_data.get('is_shared_instance_path'):
            # What the guest's disk is backed by, here; the block
            # migration fills the overlay.
            if instance.get('image_ref'):
                self._create_disk(context, instance,
                                  {'id': instance['image_ref']},
                                  self._path(instance, 'disk'))
            self._boot_files(context, instance, {})
        self.plug_vifs(instance, network_info)
        return migrate_data

    def live_migration(self, context, instance, dest, migrate_data,
                       progress):
        options = self.conf.libvirt
        dom = self._domain(instance)
        block = migrate_data.get('block_migration')
        connect_addr = migrate_data.get('target_connect_addr')
        xml = guest_xml.with_vnc_listen(rewrite_paths(
            dom.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE),
            self.instances_path, migrate_data.get('dest_instances_path')),
            migrate_data.get('graphics_listen_addr_vnc'))
        disks = guest_xml.disk_paths(xml)
        backing = block and any(
            images.info(path).get('full-backing-filename')
            for path in guest_xml.disk_paths(dom.XMLDesc()).values()
            if os.path.exists(path))
        uri = dest_uri(options, dest, connect_addr)
        flags = migration_flags(block, backing,
                                options.live_migration_tunnelled)
        params = migration_params(xml, block, sorted(disks), connect_addr,
                                  options.live_migration_bandwidth,
                                  name=instance['uuid'])
        LOG.info('Live migrating to %s (%s), flags %#x%s', dest, uri, flags,
                 ', copying disks %s' % ', '.join(sorted(disks))
                 if block else '', instance=instance)
        job = _Job(dom, uri, params, flags)
        self._live_jobs()[instance['uuid']] = job
        try:
            job.thread.start()
            while job.thread.is_alive():
                job.thread.join(options.live_migration_progress_interval)
                self._report(dom, progress)
        finally:
            self._live_jobs().pop(instance['uuid'], None)
        migrate_data['paused_for_completion'] = job.paused
        if job.error is not None:
            if job.paused and dom.isActive():
                # Paused for a forced completion that did not come: the
                # guest runs on here as it did.
                dom.resume()
            if job.aborted:
                raise exception.LiveMigrationAborted(
                    instance_uuid=instance['uuid'])
            raise exception.LiveMigrationFailed(
                instance_uuid=instance['uuid'],
                reason=job.error.get_error_message() or str(job.error))

    @staticmethod
    def _report(dom, progress):
        try:
            info = dom.jobInfo()
        except libvirt.libvirtError:
            return  # the job (or the domain, gone with it) just ended
        if info and info[0] != libvirt.VIR_DOMAIN_JOB_NONE:
            progress(progress_figures(info))

    def _running_job(self, instance):
        job = self._live_jobs().get(instance['uuid'])
        if job is None:
            raise exception.NovaException(
                'No live migration of instance %s is running on this host'
                % instance['uuid'])
        return job

    def live_migration_abort(self, instance):
        job = self._running_job(instance)
        job.aborted = True
        job.dom.abortJob()

    def live_migration_force_complete(self, instance):
        job = self._running_job(instance)
        if self.conf.libvirt.live_migration_permit_post_copy:
            job.dom.migrateStartPostCopy(0)
            return
        job.paused = True
        job.dom.suspend()

    def post_live_migration(self, context, instance, migrate_data):
        self.unplug_vifs(instance, instance.get('network_info'))
        # Only what is known not to be shared with the destination.
        if migrate_data.get('is_shared_instance_path') is False:
            shutil.rmtree(self._dir(instance), ignore_errors=True)
        LOG.info('Source side of the live migration cleaned up',
                 instance=instance)

    def post_live_migration_at_destination(self, context, instance,
                                           network_info, migrate_data):
        dom = self._domain(instance)
        self.plug_vifs(instance, network_info)
        # For a hard reboot's redefinition, as spawn leaves it.
        with open(self._path(instance, 'libvirt.xml'), 'w') as f:
            f.write(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_MIGRATABLE))
        if migrate_data.get('paused_for_completion') and \
                instance.get('vm_state') != states.PAUSED:
            dom.resume()

    def rollback_live_migration_at_destination(self, context, instance,
                                               network_info, migrate_data):
        dom = self.host.find_domain(instance['uuid'])
        if dom is not None:
            self._undefine(dom)
        self.unplug_vifs(instance, network_info)
        # Only what is known not to be shared with the source: on shared
        # storage the directory is the guest's own.
        if (migrate_data or {}).get('is_shared_instance_path') is False:
            shutil.rmtree(self._dir(instance), ignore_errors=True)
