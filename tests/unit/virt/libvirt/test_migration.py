"""The libvirt driver's live migration: the URI, flags and parameters of
virDomainMigrateToURI3, progress, abort and force complete, against a
domain that records the calls (libvirt's test driver cannot migrate) over
a guest the test driver really defined."""

import os
import threading

import libvirt
import pytest

from nova import exception
from nova.virt.libvirt import images
from nova.virt.libvirt import migration
from tests.unit.virt.libvirt import test_driver

BASE = (libvirt.VIR_MIGRATE_LIVE | libvirt.VIR_MIGRATE_PEER2PEER |
        libvirt.VIR_MIGRATE_PERSIST_DEST |
        libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)


class Options:
    live_migration_uri = None
    live_migration_scheme = None


def test_the_destination_uri():
    options = Options()
    assert migration.dest_uri(options, 'host2') == 'qemu+tcp://host2/system'
    assert migration.dest_uri(options, 'host2', '10.0.0.2') == \
        'qemu+tcp://10.0.0.2/system'
    options.live_migration_scheme = 'ssh'
    assert migration.dest_uri(options, 'host2') == 'qemu+ssh://host2/system'
    options.live_migration_uri = 'qemu+ssh://nova@%s/system'
    assert migration.dest_uri(options, 'host2') == \
        'qemu+ssh://nova@host2/system'
    options.live_migration_uri = \
        'qemu+unix:///system?socket=/run/h2/libvirt/libvirt-sock'
    assert migration.dest_uri(options, 'host2') == options.live_migration_uri


def test_hosts_in_other_network_namespaces_use_unix_sockets():
    """What a real migration between two namespaced libvirtd on one
    machine needed (tried with start-host.sh's daemons)."""
    options = Options()
    options.live_migration_uri = 'qemu+unix:///system?socket=/h2/sock'
    assert migration.dest_uri(options, 'host2', '/srv/lm') == \
        'qemu+unix:///system?socket=/h2/sock'
    params = migration.migration_params('<domain/>', True, ['vda'],
                                        '/srv/lm', name='u1')
    assert params[libvirt.VIR_MIGRATE_PARAM_URI] == \
        'unix:///srv/lm/u1.memory'
    assert params[libvirt.VIR_MIGRATE_PARAM_DISKS_URI] == \
        'unix:///srv/lm/u1.disks'
    options.live_migration_uri = 'qemu+ssh://%s/system'
    assert migration.dest_uri(options, 'host2', '/srv/lm') == \
        'qemu+ssh://host2/system'


def test_flags():
    assert BASE == 27
    assert migration.migration_flags(False, True) == BASE
    assert migration.migration_flags(True, True) == \
        BASE | libvirt.VIR_MIGRATE_NON_SHARED_INC
    assert migration.migration_flags(True, False) == \
        BASE | libvirt.VIR_MIGRATE_NON_SHARED_DISK
    assert migration.migration_flags(False, False, tunnelled=True) == \
        BASE | libvirt.VIR_MIGRATE_TUNNELLED


def test_paths_move_to_the_destinations_instances_path():
    xml = ("<disk><source file='/a/inst/u/disk'/></disk>"
           "<log file='/a/inst/u/console.log'/><other file='/a/instx'/>")
    assert migration.rewrite_paths(xml, '/a/inst', '/b/i2') == (
        "<disk><source file='/b/i2/u/disk'/></disk>"
        "<log file='/b/i2/u/console.log'/><other file='/a/instx'/>")
    assert migration.rewrite_paths(xml, '/a/inst', '/a/inst') == xml


class RecordingDomain:
    """The spawned domain, with migration calls recorded; migrateToURI3
    blocks until finish (or abortJob) says how it ends."""

    def __init__(self, dom):
        self.dom = dom
        self.calls = []
        self.finish = threading.Event()
        self.error = None
        self.migrating = threading.Event()

    def __getattr__(self, name):
        return getattr(self.dom, name)

    def migrateToURI3(self, uri, params, flags):
        self.calls.append(('migrateToURI3', uri, params, flags))
        self.migrating.set()
        assert self.finish.wait(10)
        if self.error:
            raise libvirt.libvirtError(self.error)

    def jobInfo(self):
        total = 256 * 1024 * 1024
        return [libvirt.VIR_DOMAIN_JOB_UNBOUNDED, 1000, 0, total, total // 4,
                total * 3 // 4, total, total // 4, total * 3 // 4, 0, 0, 0]

    def abortJob(self):
        self.calls.append(('abortJob',))
        self.error = 'operation aborted: migration out job: canceled by '\
            'client'
        self.finish.set()

    def suspend(self):
        self.calls.append(('suspend',))
        self.finish.set()

    def resume(self):
        self.calls.append(('resume',))

    def isActive(self):
        return True


@pytest.fixture
def source(driver, fake_images):
    instance = test_driver._spawn(driver, fake_images)
    recording = RecordingDomain(driver.host.find_domain(instance['uuid']))
    driver.host.find_domain = lambda uuid: recording
    driver.conf.set_override('live_migration_progress_interval', 0.05,
                             group='libvirt')
    return driver, instance, recording


def _migrate_in_thread(driver, instance, migrate_data):
    outcome = {'progress': []}

    def run():
        try:
            driver.live_migration(None, instance, 'host2', migrate_data,
                                  outcome['progress'].append)
        except Exception as e:
            outcome['error'] = e
    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_a_block_migration_copies_the_overlay_peer_to_peer(source):
    driver, instance, dom = source
    driver.conf.set_override('live_migration_bandwidth', 100,
                             group='libvirt')
    data = {'block_migration': True, 'dest_instances_path': '/srv/host2',
            'target_connect_addr': '192.0.2.2',
            'is_shared_instance_path': False}
    thread, outcome = _migrate_in_thread(driver, instance, data)
    assert dom.migrating.wait(5)
    dom.finish.set()
    thread.join(5)
    assert 'error' not in outcome
    ((name, uri, params, flags),) = dom.calls
    assert uri == 'qemu+tcp://192.0.2.2/system'
    # The disk is an overlay of the cached image: only its data goes.
    assert flags == BASE | libvirt.VIR_MIGRATE_NON_SHARED_INC
    assert params[libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS] == ['vda']
    assert params[libvirt.VIR_MIGRATE_PARAM_URI] == 'tcp://192.0.2.2'
    assert params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] == 100
    xml = params[libvirt.VIR_MIGRATE_PARAM_DEST_XML]
    assert "/srv/host2/%s/disk" % instance['uuid'] in xml
    assert driver.instances_path + '/' not in xml
    assert data['paused_for_completion'] is False


def test_shared_storage_moves_memory_only_and_reports_progress(source):
    driver, instance, dom = source
    data = {'block_migration': False,
            'dest_instances_path': driver.instances_path,
            'is_shared_instance_path': True}
    thread, outcome = _migrate_in_thread(driver, instance, data)
    assert dom.migrating.wait(5)
    deadline = threading.Event()
    while not outcome['progress'] and not deadline.wait(0.02):
        pass
    dom.finish.set()
    thread.join(5)
    ((_name, uri, params, flags),) = dom.calls
    assert uri == 'qemu+tcp://host2/system'
    assert flags == BASE
    assert libvirt.VIR_MIGRATE_PARAM_MIGRATE_DISKS not in params
    assert libvirt.VIR_MIGRATE_PARAM_URI not in params
    total = 256 * 1024 * 1024
    assert outcome['progress'][0] == {
        'memory_total': total, 'memory_processed': total // 4,
        'memory_remaining': total * 3 // 4, 'disk_total': 0,
        'disk_processed': 0, 'disk_remaining': 0}


def test_abort_is_abortjob_and_raises_aborted(source):
    driver, instance, dom = source
    thread, outcome = _migrate_in_thread(driver, instance, {
        'block_migration': False, 'is_shared_instance_path': True})
    assert dom.migrating.wait(5)
    driver.live_migration_abort(instance)
    thread.join(5)
    assert ('abortJob',) in dom.calls
    assert isinstance(outcome['error'], exception.LiveMigrationAborted)
    with pytest.raises(exception.NovaException):
        driver.live_migration_abort(instance)  # nothing running now


def test_a_failure_raises_with_libvirts_message(source):
    driver, instance, dom = source
    thread, outcome = _migrate_in_thread(driver, instance, {
        'block_migration': False, 'is_shared_instance_path': True})
    assert dom.migrating.wait(5)
    dom.error = 'unable to connect to server at host2:49152'
    dom.finish.set()
    thread.join(5)
    assert isinstance(outcome['error'], exception.LiveMigrationFailed)
    assert 'unable to connect' in outcome['error'].format_message()


def test_force_complete_pauses_and_the_destination_resumes(source):
    driver, instance, dom = source
    data = {'block_migration': False, 'is_shared_instance_path': True}
    thread, outcome = _migrate_in_thread(driver, instance, data)
    assert dom.migrating.wait(5)
    driver.live_migration_force_complete(instance)
    thread.join(5)
    assert ('suspend',) in dom.calls
    assert data['paused_for_completion'] is True
    driver.post_live_migration_at_destination(
        None, dict(instance, vm_state='active'), [], data)
    assert dom.calls[-1] == ('resume',)


def test_force_complete_switches_to_post_copy_when_permitted(source):
    driver, instance, dom = source
    driver.conf.set_override('live_migration_permit_post_copy', True,
                             group='libvirt')
    started = []
    dom.migrateStartPostCopy = lambda flags: (started.append(flags),
                                              dom.finish.set())
    thread, _outcome = _migrate_in_thread(driver, instance, {
        'block_migration': False, 'is_shared_instance_path': True})
    assert dom.migrating.wait(5)
    driver.live_migration_force_complete(instance)
    thread.join(5)
    assert started == [0] and ('suspend',) not in dom.calls


def test_checks_find_whether_the_instances_path_is_shared(make_driver,
                                                          fake_images):
    source = make_driver('host1')
    instance = test_driver._spawn(source, fake_images)
    elsewhere = make_driver('host2')
    resources = source.get_available_resource('host1')
    dest_data = elsewhere.check_can_live_migrate_destination(
        None, instance, resources, resources, None)
    data = source.check_can_live_migrate_source(None, instance, dest_data)
    assert (data['block_migration'], data['is_shared_instance_path']) == (
        True, False)
    assert data['dest_instances_path'] == elsewhere.instances_path
    with pytest.raises(exception.MigrationPreCheckError,
                       match='needs storage shared'):
        source.check_can_live_migrate_source(
            None, instance, dict(dest_data, block_migration=False))
    elsewhere.check_can_live_migrate_destination_cleanup(None, dest_data)
    assert not [n for n in os.listdir(elsewhere.instances_path)
                if n.startswith(migration.CHECK_FILE_PREFIX)]
    # The same directory (shared storage): memory only; auto picks it.
    same = source.check_can_live_migrate_destination(
        None, instance, resources, resources, None)
    data = source.check_can_live_migrate_source(None, instance, same)
    assert (data['block_migration'], data['is_shared_instance_path']) == (
        False, True)
    with pytest.raises(exception.MigrationPreCheckError,
                       match='Cannot block migrate'):
        source.check_can_live_migrate_source(
            None, instance, dict(same, block_migration=True))


def test_cpu_of_another_architecture_or_model_is_refused(driver):
    x86 = '{"arch": "x86_64", "model": "Haswell", "vendor": "Intel"}'
    arm = '{"arch": "aarch64"}'
    with pytest.raises(exception.InvalidCPUInfo, match='aarch64'):
        driver.check_can_live_migrate_destination(
            None, {}, {'cpu_info': arm}, {'cpu_info': x86})
    driver.virt_type = 'kvm'
    compared = []

    class Conn:
        def compareCPU(self, xml, flags):
            compared.append(xml)
            return libvirt.VIR_CPU_COMPARE_INCOMPATIBLE

    driver.host.get_connection = lambda: Conn()
    with pytest.raises(exception.InvalidCPUInfo, match='Haswell'):
        driver.check_can_live_migrate_destination(
            None, {}, {'cpu_info': x86}, {'cpu_info': x86})
    assert '<model>Haswell</model>' in compared[0]


def test_pre_live_migration_makes_an_overlay_over_this_hosts_image(
        make_driver, fake_images):
    source = make_driver('host1')
    instance = test_driver._spawn(source, fake_images)
    dest = make_driver('host2')
    dest.pre_live_migration(None, instance, [], {
        'is_shared_instance_path': False})
    disk = os.path.join(dest.instances_path, instance['uuid'], 'disk')
    assert images.info(disk)['full-backing-filename'] == os.path.join(
        dest.cache_dir, instance['image_ref'])
    dest.rollback_live_migration_at_destination(None, instance, [], {
        'is_shared_instance_path': False})
    assert not os.path.exists(os.path.dirname(disk))
