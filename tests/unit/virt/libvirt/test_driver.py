"""LibvirtDriver operations against libvirt's test driver."""

import json
import os
import threading
import time
from unittest import mock
from xml.etree import ElementTree

import libvirt
import pytest

from nova.compute import states
from nova import exception
from nova.virt.libvirt import driver as libvirt_driver
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import host as libvirt_host
from nova.virt.libvirt import images

_p = states.power

UUID = '6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a0001'


def _instance(image_id, **values):
    instance = {
        'uuid': UUID, 'id': 42, 'display_name': 'vm1',
        'project_id': 'demo', 'user_id': 'demo', 'image_ref': image_id,
        'kernel_id': None, 'ramdisk_id': None,
        'memory_mb': 256, 'vcpus': 1, 'root_gb': 1,
        'flavor': {'name': 'm1.tiny', 'memory_mb': 256, 'vcpus': 1,
                   'root_gb': 1},
        'system_metadata': {'image_disk_format': 'qcow2'}}
    instance.update(values)
    return instance


def _spawn(driver, fake_images, **image_properties):
    image_id = fake_images.add(b'BASE-A marker', **image_properties)
    instance = _instance(image_id)
    # As the API records them at create.
    instance['system_metadata'].update(
        ('image_' + key, value) for key, value in image_properties.items())
    driver.spawn(None, instance, {'id': image_id,
                                  'properties': image_properties}, [], None)
    return instance


def _domain_xml(driver, instance):
    return driver.host.find_domain(instance['uuid']).XMLDesc()


def _read(path, length=64):
    with open(path, 'rb') as f:
        return f.read(length)


def test_spawn_runs_a_guest_on_an_overlay_of_the_cached_image(
        driver, fake_images):
    instance = _spawn(driver, fake_images)
    dom = driver.host.find_domain(UUID)
    assert dom.name() == 'instance-0000002a'
    assert driver.get_power_state(instance) == _p.RUNNING
    assert driver.list_instances() == [UUID]
    disk = os.path.join(driver.instances_path, UUID, 'disk')
    details = images.info(disk)
    assert details['format'] == 'qcow2'
    assert details['full-backing-filename'] == os.path.join(
        driver.cache_dir, instance['image_ref'])
    # The flavor's 1 GB root disk, although the image is 1 MB.
    assert details['virtual-size'] == images.GiB
    assert guest_xml.disk_paths(dom.XMLDesc()) == {'vda': disk}
    with open(os.path.join(driver.instances_path, UUID,
                           'libvirt.xml')) as f:
        assert '<name>instance-0000002a</name>' in f.read()


def test_the_image_is_downloaded_once_per_host(driver, fake_images):
    image_id = fake_images.add(b'x')
    for n in range(2):
        instance = _instance(image_id, uuid=UUID[:-1] + str(n), id=n + 1)
        driver.spawn(None, instance, {'id': image_id, 'properties': {}},
                     [], None)
    assert fake_images.downloads == [image_id]


def test_direct_kernel_boot_from_kernel_id_and_ramdisk_id(
        driver, fake_images):
    kernel = fake_images.add(b'kernel', fmt='raw')
    ramdisk = fake_images.add(b'ramdisk', fmt='raw')
    instance = _spawn(driver, fake_images, kernel_id=kernel,
                      ramdisk_id=ramdisk, os_command_line='console=ttyS0')
    assert guest_xml.boot_files(_domain_xml(driver, instance)) == (
        os.path.join(driver.cache_dir, kernel),
        os.path.join(driver.cache_dir, ramdisk), 'console=ttyS0')


def test_kernel_ids_on_the_instance_are_used_when_the_image_has_none(
        driver, fake_images):
    # An unshelve boots the shelve image, which has no kernel_id.
    kernel = fake_images.add(b'kernel', fmt='raw')
    image_id = fake_images.add(b'disk')
    instance = _instance(image_id, kernel_id=kernel)
    driver.spawn(None, instance, {'id': image_id, 'properties': {}}, [],
                 None)
    kernel_path, initrd, cmdline = guest_xml.boot_files(
        _domain_xml(driver, instance))
    assert kernel_path == os.path.join(driver.cache_dir, kernel)
    assert initrd is None
    assert cmdline == driver.conf.libvirt.default_kernel_cmdline


def test_an_image_with_a_backing_file_is_refused(driver, fake_images,
                                                 tmp_path):
    image_id = fake_images.add(b'x')
    evil = str(tmp_path / 'evil.qcow2')
    images._qemu_img('create', '-f', 'qcow2', '-F', 'qcow2', '-b',
                     fake_images.files[image_id], evil)
    fake_images.files[image_id] = evil
    with pytest.raises(images.ImageUnacceptable, match='backing file'):
        driver.spawn(None, _instance(image_id),
                     {'id': image_id, 'properties': {}}, [], None)


def test_destroy_removes_the_domain_and_the_files(driver, fake_images):
    instance = _spawn(driver, fake_images)
    driver.destroy(None, instance)
    assert driver.host.find_domain(UUID) is None
    assert not os.path.exists(os.path.join(driver.instances_path, UUID))
    assert driver.get_power_state(instance) == _p.NOSTATE
    driver.destroy(None, instance)  # gone already: fine


def test_power_operations_give_the_expected_power_states(driver,
                                                         fake_images):
    instance = _spawn(driver, fake_images)
    steps = [(driver.pause, _p.PAUSED), (driver.unpause, _p.RUNNING),
             (driver.suspend, _p.SUSPENDED), (driver.resume, _p.RUNNING),
             (driver.power_off, _p.SHUTDOWN), (driver.power_on, _p.RUNNING),
             (lambda i: driver.reboot(i, 'SOFT'), _p.RUNNING),
             (lambda i: driver.reboot(i, 'HARD'), _p.RUNNING)]
    for operation, expected in steps:
        operation(instance)
        assert driver.get_power_state(instance) == expected, operation


def test_suspend_keeps_memory_in_a_managed_save_image(driver, fake_images):
    instance = _spawn(driver, fake_images)
    driver.suspend(instance)
    assert driver.host.find_domain(UUID).hasManagedSaveImage(0)
    driver.resume(instance)
    assert not driver.host.find_domain(UUID).hasManagedSaveImage(0)


def test_power_off_destroys_a_guest_that_ignores_acpi(driver, fake_images):
    instance = _spawn(driver, fake_images)
    driver.conf.set_override('shutdown_timeout', 1, group='libvirt')
    with mock.patch.object(libvirt.virDomain, 'shutdownFlags') as acpi, \
            mock.patch.object(libvirt.virDomain, 'destroy',
                              autospec=True,
                              side_effect=libvirt.virDomain.destroy) as kill:
        driver.power_off(instance)
    acpi.assert_called_once_with(libvirt.VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN)
    assert kill.called
    assert driver.get_power_state(instance) == _p.SHUTDOWN


def test_the_acpi_button_is_pressed_again_while_waiting(driver,
                                                       fake_images):
    # A guest that was still booting missed the first press.
    instance = _spawn(driver, fake_images)
    presses = []

    def press(dom, flags):
        presses.append(flags)
        if len(presses) == 2:
            libvirt.virDomain.destroy(dom)  # answers the second press

    driver.conf.set_override('shutdown_timeout', 5, group='libvirt')
    with mock.patch.object(libvirt_driver, 'SHUTDOWN_RETRY_INTERVAL', 0.5), \
            mock.patch.object(libvirt.virDomain, 'shutdownFlags',
                              autospec=True, side_effect=press):
        driver.power_off(instance)
    assert len(presses) == 2
    assert driver.get_power_state(instance) == _p.SHUTDOWN


def test_hard_reboot_of_a_suspended_guest_boots_afresh(driver, fake_images):
    instance = _spawn(driver, fake_images)
    driver.suspend(instance)
    driver.reboot(instance, 'HARD')
    dom = driver.host.find_domain(UUID)
    assert not dom.hasManagedSaveImage(0)
    assert driver.get_power_state(instance) == _p.RUNNING


def test_a_start_defines_a_lost_domain_again_from_its_xml(driver,
                                                         fake_images):
    instance = _spawn(driver, fake_images)
    dom = driver.host.find_domain(UUID)
    dom.destroy()
    dom.undefine()
    assert not driver.instance_exists(instance)
    assert driver.get_power_state(instance) == _p.NOSTATE
    driver.power_on(instance)
    assert driver.instance_exists(instance)
    assert driver.get_power_state(instance) == _p.RUNNING
    assert guest_xml.disk_paths(_domain_xml(driver, instance)) == {
        'vda': os.path.join(driver.instances_path, UUID, 'disk')}


def test_rescue_boots_a_fresh_image_disk_with_the_instance_disk_second(
        driver, fake_images):
    kernel = fake_images.add(b'kernel', fmt='raw')
    instance = _spawn(driver, fake_images, kernel_id=kernel,
                      os_command_line='console=ttyS0')
    instance['kernel_id'] = kernel
    instance_dir = os.path.join(driver.instances_path, UUID)
    driver.rescue(None, instance, None, 'secret')
    xml = _domain_xml(driver, instance)
    assert guest_xml.disk_paths(xml) == {
        'vda': os.path.join(instance_dir, 'disk.rescue'),
        'vdb': os.path.join(instance_dir, 'disk')}
    assert guest_xml.boot_files(xml)[2] == 'console=ttyS0 rescue=1'
    assert driver.get_power_state(instance) == _p.RUNNING

    driver.unrescue(instance)
    xml = _domain_xml(driver, instance)
    assert guest_xml.disk_paths(xml) == {
        'vda': os.path.join(instance_dir, 'disk')}
    assert guest_xml.boot_files(xml)[2] == 'console=ttyS0'
    assert not os.path.exists(os.path.join(instance_dir, 'disk.rescue'))
    assert driver.get_power_state(instance) == _p.RUNNING


def test_rescue_with_another_image_uses_that_image(driver, fake_images):
    instance = _spawn(driver, fake_images)
    rescue_image = fake_images.add(b'RESCUE marker')
    driver.rescue(None, instance, rescue_image, 'secret')
    rescue_disk = os.path.join(driver.instances_path, UUID, 'disk.rescue')
    assert images.info(rescue_disk)['full-backing-filename'] == \
        os.path.join(driver.cache_dir, rescue_image)


@pytest.mark.parametrize('prepare,expected_power', [
    (lambda driver, instance: None, _p.RUNNING),
    (lambda driver, instance: driver.pause(instance), _p.PAUSED),
    (lambda driver, instance: driver.power_off(instance), _p.SHUTDOWN),
])
def test_snapshot_uploads_a_standalone_copy_of_the_disk(
        driver, fake_images, tmp_path, prepare, expected_power):
    instance = _spawn(driver, fake_images)
    prepare(driver, instance)
    uploaded = []

    def upload(path):
        details = images.info(path)
        uploaded.append((details['format'], details.get('backing-filename'),
                         _raw_start(path, tmp_path)))

    driver.snapshot(None, instance, 'snap-1', upload)
    [(fmt, backing, data)] = uploaded
    assert fmt == 'qcow2' and backing is None
    assert data.startswith(b'BASE-A marker')
    assert driver.get_power_state(instance) == expected_power
    assert os.listdir(os.path.join(driver.instances_path, 'snapshots')) == []


def _raw_start(path, tmp_path):
    raw = str(tmp_path / 'check.raw')
    images._qemu_img('convert', '-O', 'raw', path, raw)
    return _read(raw, 13)


def test_snapshot_of_a_raw_image_instance_is_raw(driver, fake_images):
    instance = _spawn(driver, fake_images)
    instance['system_metadata']['image_disk_format'] = 'raw'
    formats = []
    driver.snapshot(None, instance, 'snap-2',
                    lambda path: formats.append(images.info(path)['format']))
    assert formats == ['raw']


def test_rebuild_puts_a_new_overlay_on_the_new_image(driver, fake_images):
    instance = _spawn(driver, fake_images)
    new_image = fake_images.add(b'BASE-B marker')
    instance['image_ref'] = new_image
    driver.rebuild(None, instance, {'id': new_image, 'properties': {}},
                   'secret')
    disk = os.path.join(driver.instances_path, UUID, 'disk')
    assert images.info(disk)['full-backing-filename'] == os.path.join(
        driver.cache_dir, new_image)
    assert driver.get_power_state(instance) == _p.RUNNING


def test_console_output_is_the_tail_of_the_console_log(driver, fake_images):
    instance = _spawn(driver, fake_images)
    with open(os.path.join(driver.instances_path, UUID, 'console.log'),
              'wb') as f:
        f.write(b'x' * 10 + b'\nline two\n')
    assert driver.get_console_output(instance) == 'x' * 10 + '\nline two\n'
    assert driver.get_console_output(instance, max_bytes=9) == 'line two\n'
    driver.destroy(None, instance)
    assert driver.get_console_output(instance) == ''


def _migrate(source, dest, instance, new_flavor=None):
    disk_info = source.migrate_disk_and_power_off(None, instance, {})
    if new_flavor:
        instance.update(new_flavor, flavor=new_flavor)
    dest.finish_migration(None, instance, {}, True, disk_info)
    return disk_info


def test_resize_to_another_host_moves_the_disk_and_rebases_it(
        make_driver, fake_images):
    source, dest = make_driver('src'), make_driver('dst')
    instance = _spawn(source, fake_images)
    _migrate(source, dest, instance,
             {'name': 'm1.small', 'memory_mb': 512, 'vcpus': 2,
              'root_gb': 2})

    assert source.host.find_domain(UUID) is None
    assert os.path.isdir(os.path.join(source.instances_path,
                                      UUID + '_resize'))
    dom = dest.host.find_domain(UUID)
    assert dest.get_power_state(instance) == _p.RUNNING
    assert dom.info()[1] == 512 * 1024 and dom.info()[3] == 2
    disk = os.path.join(dest.instances_path, UUID, 'disk')
    details = images.info(disk)
    assert details['full-backing-filename'] == os.path.join(
        dest.cache_dir, instance['image_ref'])
    assert details['virtual-size'] == 2 * images.GiB
    # The base came from the source's cache, not from Glance again.
    assert fake_images.downloads == [instance['image_ref']]

    source.confirm_migration(None, instance, {})
    assert not os.path.exists(os.path.join(source.instances_path,
                                           UUID + '_resize'))


def test_revert_brings_the_guest_back_as_it_was(make_driver, fake_images):
    source, dest = make_driver('src'), make_driver('dst')
    instance = _spawn(source, fake_images)
    old_flavor = dict(instance['flavor'])
    _migrate(source, dest, instance,
             {'name': 'm1.small', 'memory_mb': 512, 'vcpus': 2,
              'root_gb': 2})

    dest.destroy(None, instance)
    instance.update(old_flavor, flavor=old_flavor)
    source.finish_revert_migration(None, instance, {}, True)

    assert dest.host.find_domain(UUID) is None
    dom = source.host.find_domain(UUID)
    assert dom.info()[1] == 256 * 1024
    assert source.get_power_state(instance) == _p.RUNNING
    disk = os.path.join(source.instances_path, UUID, 'disk')
    assert images.info(disk)['virtual-size'] == images.GiB
    assert not os.path.exists(os.path.join(source.instances_path,
                                           UUID + '_resize'))


def test_resize_on_the_same_host(driver, fake_images):
    instance = _spawn(driver, fake_images)
    _migrate(driver, driver, instance,
             {'name': 'm1.small', 'memory_mb': 512, 'vcpus': 2,
              'root_gb': 2})
    assert driver.host.find_domain(UUID).info()[1] == 512 * 1024
    driver.confirm_migration(None, instance, {})
    assert driver.get_power_state(instance) == _p.RUNNING
    assert os.path.exists(os.path.join(driver.instances_path, UUID, 'disk'))


def test_a_stopped_guest_stays_stopped_after_the_move(make_driver,
                                                      fake_images):
    source, dest = make_driver('src'), make_driver('dst')
    instance = _spawn(source, fake_images)
    source.power_off(instance)
    disk_info = source.migrate_disk_and_power_off(None, instance, {})
    dest.finish_migration(None, instance, {}, False, disk_info)
    assert dest.get_power_state(instance) == _p.SHUTDOWN


def test_finish_migration_says_why_when_the_disk_is_not_reachable(
        make_driver, fake_images):
    dest = make_driver('dst')
    instance = _instance('img')
    with pytest.raises(libvirt_driver.LibvirtDriverError,
                       match='nor shares its instances_path'):
        dest.finish_migration(None, instance, {}, True,
                              {'disk': '/nonexistent/disk'})


def test_revert_after_a_crash_before_the_disk_was_moved(make_driver,
                                                        fake_images):
    # Recovery calls finish_revert_migration when the source died in
    # resize_migrating: the directory may not have been renamed yet.
    source = make_driver('src')
    instance = _spawn(source, fake_images)
    source.power_off(instance)
    source.finish_revert_migration(None, instance, None, True)
    assert source.get_power_state(instance) == _p.RUNNING


def test_available_resources_come_from_the_host(driver):
    resources = driver.get_available_resource('host1')
    assert resources['vcpus'] == 4
    assert resources['memory_mb'] == 16384
    assert resources['local_gb'] > 0
    assert resources['hypervisor_type'] == 'QEMU'
    assert resources['supported_instances'] == [['x86_64', 'qemu', 'hvm']]
    # Stored as text in compute_nodes.cpu_info.
    assert json.loads(resources['cpu_info'])['topology'] == {
        'sockets': 1, 'cores': 4, 'threads': 1}


def test_init_host_refuses_a_virt_type_libvirt_cannot_run(driver):
    # The test driver only runs 'test' domains: as KVM on a host without it.
    with pytest.raises(libvirt_driver.LibvirtDriverError,
                       match='virt_type = qemu but libvirt'):
        driver.init_host('host1')


def test_init_host_logs_which_virt_type_it_uses(driver, caplog):
    driver.virt_type = 'test'
    libvirt_driver.VIRT_TYPE_DESCRIPTIONS['test'] = 'libvirt test driver'
    try:
        with caplog.at_level('INFO'):
            driver.init_host('host1')
    finally:
        del libvirt_driver.VIRT_TYPE_DESCRIPTIONS['test']
    assert 'virt_type = test' in caplog.text
    assert os.path.isdir(driver.cache_dir)


def test_a_lost_connection_is_reopened(driver, fake_images):
    first = driver.host.get_connection()
    driver.host._closed(first, libvirt.VIR_CONNECT_CLOSE_REASON_EOF, None)
    second = driver.host.get_connection()
    assert second is not first
    assert second.isAlive()


def test_an_unreachable_libvirt_raises_and_retries_at_intervals(tmp_path):
    host = libvirt_host.Host('test:///%s/missing.xml' % tmp_path,
                             retry_interval=60, host_name='host1')
    with mock.patch.object(libvirt, 'open',
                           side_effect=libvirt.libvirtError('no')) as opener:
        for _ in range(3):
            with pytest.raises(libvirt_host.HypervisorUnavailable):
                host.get_connection()
    assert opener.call_count == 1  # no new attempt within the interval


def test_lifecycle_events_reach_the_listener(driver, fake_images):
    seen = []
    done = threading.Event()

    def listener(uuid, event):
        seen.append((uuid, event))
        if event == 'Resumed':
            done.set()

    driver.register_event_listener(listener)
    instance = _spawn(driver, fake_images)
    driver.pause(instance)
    driver.unpause(instance)
    assert done.wait(10), seen
    assert (UUID, 'Started') in seen
    assert seen.index((UUID, 'Paused')) < seen.index((UUID, 'Resumed'))


def _age(path, seconds):
    past = time.time() - seconds
    os.utime(path, (past, past))


def test_the_image_cache_keeps_what_instances_use_and_prunes_the_rest(
        driver, fake_images):
    kernel = fake_images.add(b'kernel', fmt='raw')
    instance = _spawn(driver, fake_images, kernel_id=kernel)
    unused = fake_images.add(b'old')
    driver._fetch(None, unused)
    cache = driver.cache_dir
    for name in (instance['image_ref'], kernel, unused):
        _age(os.path.join(cache, name), 2 * 86400)

    assert driver.manage_image_cache() == [unused]
    assert sorted(os.listdir(cache)) == sorted(
        ['.locks', instance['image_ref'], kernel])
    # In use: "last used" is now, so a later deletion waits a full day.
    assert time.time() - os.stat(os.path.join(
        cache, kernel)).st_mtime < 60

    driver.destroy(None, instance)
    assert driver.manage_image_cache() == []  # unused, but only just
    for name in (instance['image_ref'], kernel):
        _age(os.path.join(cache, name), 2 * 86400)
    assert sorted(driver.manage_image_cache()) == sorted(
        [instance['image_ref'], kernel])


def test_the_image_cache_keeps_the_base_of_a_disk_set_aside_for_revert(
        make_driver, fake_images):
    source, dest = make_driver('src'), make_driver('dst')
    instance = _spawn(source, fake_images)
    _migrate(source, dest, instance)
    base = os.path.join(source.cache_dir, instance['image_ref'])
    _age(base, 2 * 86400)
    assert source.manage_image_cache() == []
    assert os.path.exists(base)


def test_a_cached_image_handed_out_again_is_not_pruned(driver, fake_images):
    image_id = fake_images.add(b'x')
    path = driver._fetch(None, image_id)
    _age(path, 2 * 86400)
    assert driver._fetch(None, image_id) == path  # used again: renewed
    assert driver.manage_image_cache() == []
    assert fake_images.downloads == [image_id]


def test_pruning_can_be_turned_off(driver, fake_images):
    image_id = fake_images.add(b'x')
    _age(driver._fetch(None, image_id), 2 * 86400)
    driver.conf.set_override('remove_unused_base_images', False,
                             group='image_cache')
    assert driver.manage_image_cache() == []
    assert os.path.exists(os.path.join(driver.cache_dir, image_id))


def test_domains_are_named_by_the_instance_name_template(driver,
                                                         fake_images):
    # Another deployment's guest on the same libvirtd, named by the default
    # template: not one of ours.
    other = guest_xml.to_xml(guest_xml.GuestSpec(
        name='instance-0000002a',
        uuid='6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a00ff', virt_type='qemu',
        memory_mb=64, vcpus=1, disks=[], console_log='/dev/null'))
    driver.host.get_connection().defineXML(other)
    driver.conf.set_override('instance_name_template', 'lab1-%08x')

    _spawn(driver, fake_images)

    assert driver.host.find_domain(UUID).name() == 'lab1-0000002a'
    assert driver.list_instances() == [UUID]


def _network_info(vif_type='bridge'):
    from nova.network import model
    return [model.vif('0123456789abcdef', 'fa:16:3e:00:00:07', model.network(
        'net-1', 'private', bridge='brtest', subnets=[model.subnet(
            '10.0.0.0/24', ips=[model.fixed_ip('10.0.0.7')])]),
        vif_type=vif_type)]


NIC = ('fa:16:3e:00:00:07', 'brtest', 'tap0123456789a')


def test_spawn_plugs_the_bridge_and_gives_the_guest_its_nic(driver,
                                                            fake_images):
    image_id = fake_images.add(b'BASE')
    instance = _instance(image_id, network_info=_network_info())
    with mock.patch('nova.network.linux_net.ensure_bridge') as ensure:
        driver.spawn(None, instance, {'id': image_id, 'properties': {}},
                     instance['network_info'], None)
    ensure.assert_called_once_with('brtest', None)
    assert guest_xml.interfaces(_domain_xml(driver, instance)) == [NIC]
    # Rebuild and rescue keep it.
    with mock.patch('nova.network.linux_net.ensure_bridge'):
        driver.rebuild(None, instance, {'id': image_id, 'properties': {}},
                       None)
    assert guest_xml.interfaces(_domain_xml(driver, instance)) == [NIC]
    driver.rescue(None, instance, None, None)
    assert guest_xml.interfaces(_domain_xml(driver, instance)) == [NIC]


def test_spawn_refuses_a_vif_it_cannot_plug_before_defining_anything(
        driver, fake_images):
    from nova.virt.libvirt import vif
    image_id = fake_images.add(b'BASE')
    instance = _instance(image_id)
    with pytest.raises(vif.UnsupportedVifType):
        driver.spawn(None, instance, {'id': image_id, 'properties': {}},
                     _network_info('vhostuser'), None)
    assert driver.host.find_domain(UUID) is None


# -- diagnostics ------------------------------------------------------------

GUEST_XML = """<domain type='test'>
  <name>instance-0000002a</name><uuid>%s</uuid>
  <memory unit='MiB'>256</memory><currentMemory unit='MiB'>256</currentMemory>
  <vcpu>2</vcpu><os><type arch='x86_64'>hvm</type></os>
  <devices>
    <disk type='file' device='disk'><source file='/guest/disk'/>
      <target dev='vda' bus='virtio'/></disk>
    <interface type='bridge'><mac address='%s'/><source bridge='%s'/>
      <target dev='%s'/></interface>
    <memballoon model='virtio'/>
  </devices>
</domain>""" % ((UUID,) + NIC)


def _spawn_with_nic(driver, fake_images):
    """A running guest with a disk and a NIC, defined straight in the
    test driver (no image, no qemu-img)."""
    dom = driver.host.get_connection().defineXML(GUEST_XML)
    dom.create()
    return _instance(None, network_info=_network_info())


def _between(before, value, after):
    """The test driver's counters grow with time: a figure read between
    two reads of libvirt lies between them."""
    assert isinstance(value, int)
    assert before <= value <= after, (before, value, after)


def _domain_figures(dom):
    return {'vcpus': [v[2] for v in dom.vcpus()[0]],
            'vda': dom.blockStats('vda'),
            'nic': dom.interfaceStats(NIC[2])}


def test_instance_diagnostics_are_the_domains_figures(driver, fake_images):
    instance = _spawn_with_nic(driver, fake_images)
    dom = driver.host.find_domain(UUID)
    before = _domain_figures(dom)
    diags = driver.get_instance_diagnostics(instance)
    after = _domain_figures(dom)
    _state, max_kib, used_kib, vcpus, _time = dom.info()
    assert diags['state'] == 'running'
    assert diags['driver'] == 'libvirt'
    assert diags['hypervisor'] == 'qemu'
    assert diags['memory_details'] == {'maximum': max_kib // 1024,
                                       'used': used_kib // 1024}
    assert diags['memory_details']['maximum'] == 256
    assert [c['id'] for c in diags['cpu_details']] == [0, 1] == list(
        range(vcpus))
    for n, cpu in enumerate(diags['cpu_details']):
        _between(before['vcpus'][n], cpu['time'], after['vcpus'][n])
        assert cpu['utilisation'] is None
    (disk,) = diags['disk_details']
    for n, key in enumerate(('read_requests', 'read_bytes',
                             'write_requests', 'write_bytes',
                             'errors_count')):
        _between(before['vda'][n], disk[key], after['vda'][n])
    (nic,) = diags['nic_details']
    assert nic['mac_address'] == NIC[0]
    for n, key in enumerate(('rx_octets', 'rx_packets', 'rx_errors',
                             'rx_drop', 'tx_octets', 'tx_packets',
                             'tx_errors', 'tx_drop')):
        _between(before['nic'][n], nic[key], after['nic'][n])
    assert nic['rx_rate'] is None and nic['tx_rate'] is None


def test_legacy_diagnostics_are_flat(driver, fake_images):
    instance = _spawn_with_nic(driver, fake_images)
    dom = driver.host.find_domain(UUID)
    before = _domain_figures(dom)
    flat = driver.get_diagnostics(instance)
    after = _domain_figures(dom)
    assert flat['memory'] == dom.info()[1] == 256 * 1024
    _between(before['vcpus'][0], flat['cpu0_time'], after['vcpus'][0])
    _between(before['vcpus'][1], flat['cpu1_time'], after['vcpus'][1])
    _between(before['vda'][1], flat['vda_read'], after['vda'][1])
    _between(before['vda'][3], flat['vda_write'], after['vda'][3])
    tap = NIC[2]
    _between(before['nic'][0], flat[tap + '_rx'], after['nic'][0])
    _between(before['nic'][7], flat[tap + '_tx_drop'], after['nic'][7])
    assert flat['memory-actual'] == dom.memoryStats()['actual']


def test_diagnostics_of_a_stopped_guest_have_no_io_figures(driver,
                                                           fake_images):
    instance = _spawn_with_nic(driver, fake_images)
    driver.power_off(instance)
    diags = driver.get_instance_diagnostics(instance)
    assert diags['state'] == 'shutdown'
    assert diags['cpu_details'] == []
    assert diags['disk_details'] == [dict.fromkeys(
        ('read_bytes', 'read_requests', 'write_bytes', 'write_requests',
         'errors_count'))]
    assert diags['nic_details'][0]['rx_octets'] is None


def test_diagnostics_of_an_unknown_guest(driver):
    from nova import exception
    with pytest.raises(exception.InstanceNotFound):
        driver.get_instance_diagnostics({'uuid': UUID})


def test_host_uptime_runs_uptime(driver):
    with mock.patch('oslo_concurrency.processutils.execute',
                    return_value=(' 10:00:00 up 1 day\n', '')) as execute:
        assert driver.get_host_uptime() == '10:00:00 up 1 day'
    execute.assert_called_once_with('env', 'LANG=C', 'uptime')


def test_trigger_crash_dump_injects_an_nmi(driver, fake_images):
    instance = _spawn(driver, fake_images)
    with mock.patch.object(libvirt.virDomain, 'injectNMI',
                           autospec=True) as inject:
        driver.trigger_crash_dump(instance)
    (dom, flags), = [call.args for call in inject.call_args_list]
    assert dom.UUIDString() == UUID and flags == 0
    # The test driver takes it for real too.
    driver.trigger_crash_dump(instance)
    assert driver.get_power_state(instance) == _p.RUNNING


@pytest.mark.parametrize('code,error', [
    (libvirt.VIR_ERR_NO_SUPPORT, 'TriggerCrashDumpNotSupported'),
    (libvirt.VIR_ERR_OPERATION_INVALID, 'InstanceNotRunning'),
    (libvirt.VIR_ERR_INTERNAL_ERROR, 'LibvirtDriverError'),
])
def test_trigger_crash_dump_errors(driver, fake_images, code, error):
    instance = _spawn(driver, fake_images)
    failure = libvirt.libvirtError('no NMI today')
    with mock.patch.object(failure, 'get_error_code', return_value=code), \
            mock.patch.object(libvirt.virDomain, 'injectNMI',
                              side_effect=failure):
        with pytest.raises(Exception) as raised:
            driver.trigger_crash_dump(instance)
    assert type(raised.value).__name__ == error


def test_soft_delete_powers_off_and_restore_on(driver, fake_images):
    instance = _spawn(driver, fake_images)
    driver.soft_delete(instance)
    assert driver.get_power_state(instance) == _p.SHUTDOWN
    assert driver.host.find_domain(UUID) is not None
    driver.restore(instance)
    assert driver.get_power_state(instance) == _p.RUNNING


def _ovs_network_info():
    from nova.network import model
    return [model.vif(
        '9a3c7f2e-5b1d-4c8a-b6e0-1f2d3c4b5a69', 'fa:16:3e:12:34:56',
        model.network('net-1', 'private', bridge='br-int', subnets=[
            model.subnet('10.1.0.0/24',
                         ips=[model.fixed_ip('10.1.0.5')])]),
        vif_type='ovs', active=False,
        details={'ovs_create_tap': True, 'bridge_name': 'br-int',
                 'datapath_type': 'netdev', 'port_filter': True})]


def test_an_ovs_vif_is_plugged_and_the_guest_waits_for_the_network(
        driver, fake_images):
    from nova.network import linux_net
    image_id = fake_images.add(b'BASE')
    instance = _instance(image_id, network_info=_ovs_network_info())
    seen = []

    def network_ready():
        # The taps are plugged, the guest is defined but not running.
        dom = driver.host.find_domain(UUID)
        seen.append((plug.call_count, dom.isActive()))

    with mock.patch.object(linux_net, 'ensure_ovs_bridge'), \
            mock.patch.object(linux_net, 'ensure_tap') as tap, \
            mock.patch.object(linux_net, 'ovs_add_port') as plug:
        driver.spawn(None, instance, {'id': image_id, 'properties': {}},
                     instance['network_info'], None,
                     network_ready=network_ready)
    assert seen == [(1, False)]
    tap.assert_called_once_with('tap9a3c7f2e-5b', mtu=None)
    plug.assert_called_once_with(
        'br-int', 'tap9a3c7f2e-5b', '9a3c7f2e-5b1d-4c8a-b6e0-1f2d3c4b5a69',
        'fa:16:3e:12:34:56', UUID, db=None)
    assert driver.get_power_state(instance) == _p.RUNNING
    xml = _domain_xml(driver, instance)
    assert guest_xml.unmanaged_taps(xml) == ['tap9a3c7f2e-5b']
    # The guest goes, and with it the tap and its OVS port.
    with mock.patch.object(linux_net, 'ovs_del_port') as del_port, \
            mock.patch.object(linux_net, 'delete_device') as delete:
        driver.destroy(None, {'uuid': UUID})
    del_port.assert_called_once_with('tap9a3c7f2e-5b', None, db=None)
    delete.assert_called_once_with('tap9a3c7f2e-5b')


def test_a_network_that_is_not_ready_fails_the_spawn_and_unplugs(
        driver, fake_images):
    from nova import exception
    from nova.network import linux_net
    image_id = fake_images.add(b'BASE')
    instance = _instance(image_id, network_info=_ovs_network_info())

    def network_ready():
        raise exception.VirtualInterfaceCreateException()

    with mock.patch.object(linux_net, 'ensure_ovs_bridge'), \
            mock.patch.object(linux_net, 'ensure_tap'), \
            mock.patch.object(linux_net, 'ovs_add_port'), \
            mock.patch.object(linux_net, 'ovs_del_port') as del_port, \
            mock.patch.object(linux_net, 'delete_device') as delete, \
            pytest.raises(exception.VirtualInterfaceCreateException):
        driver.spawn(None, instance, {'id': image_id, 'properties': {}},
                     instance['network_info'], None,
                     network_ready=network_ready)
    del_port.assert_called_once_with('tap9a3c7f2e-5b', 'br-int', db=None)
    delete.assert_called_once_with('tap9a3c7f2e-5b')
    # Never started.
    dom = driver.host.find_domain(UUID)
    assert dom is None or not dom.isActive()


def test_guests_get_a_vnc_console_on_server_listen(make_driver,
                                                   fake_images):
    driver = make_driver()
    driver.conf.set_override('server_listen', '127.0.0.2', group='vnc')
    instance = _spawn(driver, fake_images)
    graphics = ElementTree.fromstring(_domain_xml(driver, instance)).find(
        "devices/graphics[@type='vnc']")
    assert graphics.get('listen') == '127.0.0.2'
    assert graphics.get('autoport') == 'yes'


def test_vnc_port_comes_from_the_live_domain(driver, fake_images):
    instance = _spawn(driver, fake_images)
    live = ("<domain><devices><graphics type='vnc' port='5907'/>"
            "</devices></domain>")
    dom = driver.host.find_domain(instance['uuid'])
    with mock.patch.object(type(dom), 'XMLDesc', return_value=live):
        assert driver.get_vnc_port(instance) == 5907


def test_no_vnc_port_without_vnc(make_driver, fake_images):
    driver = make_driver()
    driver.conf.set_override('enabled', False, group='vnc')
    instance = _spawn(driver, fake_images)
    with pytest.raises(exception.ConsoleTypeUnavailable):
        driver.get_vnc_port(instance)


def _bridge_vif(vif_id, mac):
    return {'id': vif_id, 'address': mac, 'type': 'bridge',
            'devname': ('tap' + vif_id)[:14], 'active': True,
            'details': {}, 'network': {'id': 'n1', 'label': 'private',
                                       'bridge': 'br100', 'subnets': []}}


def test_an_interface_libvirt_refuses_is_unplugged_again(
        driver, fake_images, monkeypatch):
    """libvirt's test driver attaches no device (QEMU's hot-plug is
    tests/integration/test_neutron_devstack.py's): the refusal is the
    driver's error naming the port, and the host side is undone."""
    from nova.virt.libvirt import vif as libvirt_vif
    plugged = []
    monkeypatch.setattr(libvirt_vif, 'plug', lambda network_info, conf,
                        instance_uuid=None: plugged.extend(
                            v['id'] for v in network_info))
    monkeypatch.setattr(libvirt_vif, 'unplug', lambda network_info, conf:
                        [plugged.remove(v['id']) for v in network_info])
    instance = _spawn(driver, fake_images)
    vif = _bridge_vif('4b1f0c5e-2d9a-4f6e-8c1b-7a3d5e9f0b21',
                      'fa:16:3e:11:22:33')
    with pytest.raises(libvirt_driver.LibvirtDriverError) as error:
        driver.attach_interface(instance, vif)
    assert vif['id'] in str(error.value)
    assert plugged == []
    assert guest_xml.interfaces(_domain_xml(driver, instance)) == []


def test_the_nic_to_attach_is_the_vifs_interface_element():
    nic = guest_xml.Interface('fa:16:3e:11:22:33', None, 'tap4b1f0c5e-2d',
                              type='ethernet')
    element = ElementTree.fromstring(guest_xml.interface_xml(nic))
    assert element.tag == 'interface' and element.get('type') == 'ethernet'
    assert element.find('mac').get('address') == 'fa:16:3e:11:22:33'
    assert element.find('target').attrib == {'dev': 'tap4b1f0c5e-2d',
                                             'managed': 'no'}
    assert element.find('model').get('type') == 'virtio'
