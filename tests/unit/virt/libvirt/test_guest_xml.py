"""The domain XML builder."""

from xml.etree import ElementTree as ET

from nova.virt.libvirt import guest_xml


def _spec(**values):
    spec = dict(name='instance-00000001',
                uuid='6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a0001',
                virt_type='qemu', memory_mb=256, vcpus=1,
                disks=[guest_xml.Disk('/i/disk')],
                console_log='/i/console.log', display_name='vm1',
                flavor_name='m1.tiny', project_id='p1', user_id='u1',
                root_gb=1)
    spec.update(values)
    return guest_xml.GuestSpec(**spec)


def _parse(spec):
    return ET.fromstring(guest_xml.to_xml(spec))


def test_sizes_identity_and_acpi_come_from_the_spec():
    root = _parse(_spec(memory_mb=512, vcpus=2))
    assert root.get('type') == 'qemu'
    assert root.findtext('name') == 'instance-00000001'
    assert root.findtext('uuid') == '6f1b7d2c-3c4b-4d0e-9a55-0c6f2b9a0001'
    assert root.find('memory').attrib == {'unit': 'MiB'}
    assert root.findtext('memory') == '512'
    assert root.findtext('vcpu') == '2'
    assert root.find('features/acpi') is not None
    assert root.findtext('on_poweroff') == 'destroy'
    assert root.find('cpu') is None  # TCG: QEMU's default CPU model


def test_kvm_guests_get_the_host_cpu_model():
    assert _parse(_spec(virt_type='kvm')).find('cpu').get('mode') == \
        'host-model'


def test_whole_disk_images_boot_from_the_disk():
    os_element = _parse(_spec()).find('os')
    assert os_element.find('boot').get('dev') == 'hd'
    assert os_element.find('kernel') is None


def test_direct_kernel_boot():
    xml = guest_xml.to_xml(_spec(kernel='/c/k', ramdisk='/c/r',
                                 cmdline='console=ttyS0'))
    assert guest_xml.boot_files(xml) == ('/c/k', '/c/r', 'console=ttyS0')
    assert ET.fromstring(xml).find('os/boot') is None


def test_disks_in_order_and_the_console_log():
    xml = guest_xml.to_xml(_spec(disks=[
        guest_xml.Disk('/i/disk.rescue'),
        guest_xml.Disk('/i/disk', target='vdb')]))
    assert guest_xml.disk_paths(xml) == {'vda': '/i/disk.rescue',
                                         'vdb': '/i/disk'}
    serial = ET.fromstring(xml).find('devices/serial')
    assert serial.find('log').attrib == {'file': '/i/console.log',
                                         'append': 'on'}


def test_nova_metadata_names_the_flavor_and_owner():
    root = _parse(_spec())
    ns = {'nova': guest_xml.NOVA_NS}
    instance = root.find('metadata/nova:instance', ns)
    assert instance.findtext('nova:name', namespaces=ns) == 'vm1'
    assert instance.find('nova:flavor', ns).get('name') == 'm1.tiny'
    assert instance.find('nova:owner/nova:project', ns).get('uuid') == 'p1'


def test_each_interface_is_a_virtio_nic_on_its_bridge():
    nics = [guest_xml.Interface('fa:16:3e:00:00:01', 'br100', 'tap0123'),
            guest_xml.Interface('fa:16:3e:00:00:02', 'br200', 'tap4567')]
    xml = guest_xml.to_xml(_spec(interfaces=nics))
    (first, second) = ET.fromstring(xml).findall('devices/interface')
    assert first.get('type') == 'bridge'
    assert first.find('mac').get('address') == 'fa:16:3e:00:00:01'
    assert first.find('source').get('bridge') == 'br100'
    assert first.find('target').get('dev') == 'tap0123'
    assert first.find('model').get('type') == 'virtio'
    assert guest_xml.interfaces(xml) == [
        ('fa:16:3e:00:00:01', 'br100', 'tap0123'),
        ('fa:16:3e:00:00:02', 'br200', 'tap4567')]


def test_no_network_info_no_nic():
    assert _parse(_spec()).find('devices/interface') is None


def test_a_vnc_console_listens_where_asked_on_a_port_qemu_picks():
    (graphics,) = _parse(_spec(vnc_listen='192.0.2.5')).findall(
        'devices/graphics')
    assert graphics.attrib == {'type': 'vnc', 'autoport': 'yes',
                               'listen': '192.0.2.5'}


def test_no_vnc_console_without_a_listen_address():
    assert _parse(_spec()).find('devices/graphics') is None


def test_vnc_port_of_a_live_domain():
    live = ("<domain><devices><graphics type='spice' port='5930'/>"
            "<graphics type='vnc' port='5901' autoport='yes' "
            "listen='127.0.0.1'/></devices></domain>")
    assert guest_xml.vnc_port(live) == 5901


def test_a_domain_not_running_has_no_vnc_port():
    assert guest_xml.vnc_port(
        "<domain><devices><graphics type='vnc' port='-1' autoport='yes'/>"
        "</devices></domain>") is None
    assert guest_xml.vnc_port(guest_xml.to_xml(_spec())) is None


def test_a_migrating_guests_vnc_listens_on_the_destinations_address():
    live = guest_xml.to_xml(_spec(vnc_listen='192.0.2.5')).replace(
        "listen=\"192.0.2.5\" />",
        "listen=\"192.0.2.5\"><listen type=\"address\" "
        "address=\"192.0.2.5\" /></graphics>")
    moved = ET.fromstring(guest_xml.with_vnc_listen(live, '192.0.2.9'))
    graphics = moved.find("devices/graphics[@type='vnc']")
    assert graphics.get('listen') == '192.0.2.9'
    assert [e.get('address') for e in graphics.findall('listen')] == [
        '192.0.2.9']
    # The rest as it was, the nova metadata with its own prefix.
    assert 'nova:instance' in guest_xml.with_vnc_listen(live, '192.0.2.9')
    assert moved.find('name').text == ET.fromstring(live).find('name').text


def test_no_vnc_device_or_address_no_change():
    plain = guest_xml.to_xml(_spec())
    assert guest_xml.with_vnc_listen(plain, '192.0.2.9') == plain
    assert guest_xml.with_vnc_listen('<domain/>', None) == '<domain/>'
