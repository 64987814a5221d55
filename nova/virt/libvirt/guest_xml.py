"""Libvirt domain XML for an instance, built from plain data.

``GuestSpec`` says what the guest is (flavor sizes, disks, boot method,
console log); ``to_xml`` renders it.  Nothing here talks to libvirt, so the
XML can be checked in unit tests and read back by operators in the
instance directory (libvirt.xml), as upstream Nova keeps it.
"""

import dataclasses
import typing
from xml.etree import ElementTree as ET

NOVA_NS = 'http://openstack.org/xmlns/libvirt/nova/1.1'

# Disk targets in the order a guest sees them: vda is the boot disk.
DISK_TARGETS = ('vda', 'vdb', 'vdc', 'vdd')


@dataclasses.dataclass
class Disk:
    path: str
    format: str = 'qcow2'
    target: str = 'vda'
    bus: str = 'virtio'


@dataclasses.dataclass
class Interface:
    """A guest NIC.

    type 'bridge': on a bridge; libvirt makes the tap (target), adds it
    to the bridge and removes it with the guest.  A Linux bridge, or an
    Open vSwitch one with ovs_interfaceid (<virtualport
    type='openvswitch'>: libvirt adds the port with that iface-id).

    type 'ethernet': on a tap (target) made beforehand by nova (an OVS
    port plugged by nova/virt/libvirt/vif.py): libvirt neither makes nor
    removes it (managed='no').
    """
    mac: str
    bridge: typing.Optional[str]
    target: str
    model: str = 'virtio'
    type: str = 'bridge'
    ovs_interfaceid: typing.Optional[str] = None


@dataclasses.dataclass
class GuestSpec:
    name: str
    uuid: str
    virt_type: str
    memory_mb: int
    vcpus: int
    disks: typing.List[Disk]
    console_log: str
    kernel: typing.Optional[str] = None
    ramdisk: typing.Optional[str] = None
    cmdline: typing.Optional[str] = None
    # nova:instance metadata, for operators reading virsh dumpxml.
    display_name: str = ''
    flavor_name: str = ''
    project_id: str = ''
    user_id: str = ''
    root_gb: int = 0
    interfaces: typing.List[Interface] = dataclasses.field(
        default_factory=list)
    # The address the guest's VNC server listens on ([vnc] server_listen),
    # None for no graphical console.
    vnc_listen: typing.Optional[str] = None


def _sub(parent, tag, text=None, **attrs):
    element = ET.SubElement(parent, tag, {k.rstrip('_'): str(v)
                                          for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def _metadata(domain, spec):
    ET.register_namespace('nova', NOVA_NS)
    metadata = _sub(domain, 'metadata')
    instance = _sub(metadata, '{%s}instance' % NOVA_NS)
    _sub(instance, '{%s}name' % NOVA_NS, spec.display_name)
    flavor = _sub(instance, '{%s}flavor' % NOVA_NS, name=spec.flavor_name)
    _sub(flavor, '{%s}memory' % NOVA_NS, spec.memory_mb)
    _sub(flavor, '{%s}disk' % NOVA_NS, spec.root_gb)
    _sub(flavor, '{%s}vcpus' % NOVA_NS, spec.vcpus)
    owner = _sub(instance, '{%s}owner' % NOVA_NS)
    _sub(owner, '{%s}user' % NOVA_NS, uuid=spec.user_id)
    _sub(owner, '{%s}project' % NOVA_NS, uuid=spec.project_id)


def _os(domain, spec):
    os_element = _sub(domain, 'os')
    _sub(os_element, 'type', 'hvm', arch='x86_64', machine='pc')
    if spec.kernel:
        # Direct kernel boot (AKI/ARI-style images): no bootloader runs.
        _sub(os_element, 'kernel', spec.kernel)
        if spec.ramdisk:
            _sub(os_element, 'initrd', spec.ramdisk)
        if spec.cmdline:
            _sub(os_element, 'cmdline', spec.cmdline)
    else:
        _sub(os_element, 'boot', dev='hd')


def _interface(parent, nic):
    element = _sub(parent, 'interface', type=nic.type)
    _sub(element, 'mac', address=nic.mac)
    if nic.type == 'ethernet':
        _sub(element, 'target', dev=nic.target, managed='no')
    else:
        _sub(element, 'source', bridge=nic.bridge)
        if nic.ovs_interfaceid:
            port = _sub(element, 'virtualport', type='openvswitch')
            _sub(port, 'parameters', interfaceid=nic.ovs_interfaceid)
        _sub(element, 'target', dev=nic.target)
    _sub(element, 'model', type=nic.model)
    return element


def interface_xml(nic):
    """One <interface> element, as a string (a device to attach)."""
    holder = ET.Element('devices')
    return ET.tostring(_interface(holder, nic), encoding='unicode')


def _devices(domain, spec):
    devices = _sub(domain, 'devices')
    for disk in spec.disks:
        element = _sub(devices, 'disk', type='file', device='disk')
        _sub(element, 'driver', name='qemu', type=disk.format,
             cache='none' if spec.virt_type == 'kvm' else 'writeback')
        _sub(element, 'source', file=disk.path)
        _sub(element, 'target', dev=disk.target, bus=disk.bus)
    for nic in spec.interfaces:
        _interface(devices, nic)
    # The serial console goes through virtlogd into console.log, kept
    # across boots: what `openstack console log show` returns.
    serial = _sub(devices, 'serial', type='pty')
    _sub(serial, 'log', file=spec.console_log, append='on')
    _sub(serial, 'target', port=0)
    console = _sub(devices, 'console', type='pty')
    _sub(console, 'target', type='serial', port=0)
    _sub(devices, 'input', type='tablet', bus='usb')
    if spec.vnc_listen:
        # QEMU picks a free port from 5900 at each start (autoport): the
        # live domain's XML tells which (vnc_port).
        # (libvirt adds the machine's default video card with it.)
        _sub(devices, 'graphics', type='vnc', autoport='yes',
             listen=spec.vnc_listen)
    _sub(devices, 'memballoon', model='virtio')
    return devices


def to_xml(spec):
    """The <domain> document for spec, as a string."""
    domain = ET.Element('domain', type=spec.virt_type)
    _sub(domain, 'name', spec.name)
    _sub(domain, 'uuid', spec.uuid)
    _metadata(domain, spec)
    _sub(domain, 'memory', spec.memory_mb, unit='MiB')
    _sub(domain, 'currentMemory', spec.memory_mb, unit='MiB')
    _sub(domain, 'vcpu', spec.vcpus)
    _os(domain, spec)
    features = _sub(domain, 'features')
    _sub(features, 'acpi')
    _sub(features, 'apic')
    if spec.virt_type == 'kvm':
        _sub(domain, 'cpu', mode='host-model')
    _sub(domain, 'clock', offset='utc')
    _sub(domain, 'on_poweroff', 'destroy')
    _sub(domain, 'on_reboot', 'restart')
    _sub(domain, 'on_crash', 'destroy')
    _devices(domain, spec)
    ET.indent(domain)
    return ET.tostring(domain, encoding='unicode')


def disk_paths(xml):
    """{target dev: source file} of a domain XML's file disks."""
    root = ET.fromstring(xml)
    paths = {}
    for disk in root.findall('./devices/disk'):
        source, target = disk.find('source'), disk.find('target')
        if source is not None and target is not None:
            paths[target.get('dev')] = source.get('file')
    return paths


def interfaces(xml):
    """[(mac, bridge, target dev)] of a domain XML's NICs (bridge None for
    one on a tap of its own)."""
    root = ET.fromstring(xml)
    nics = []
    for nic in root.findall('./devices/interface'):
        source = nic.find('source')
        nics.append((nic.find('mac').get('address'),
                     source.get('bridge') if source is not None else None,
                     nic.find('target').get('dev')))
    return nics


def unmanaged_taps(xml):
    """The target devs of a domain XML's NICs on taps libvirt does not
    manage: those nova plugged (and unplugs)."""
    root = ET.fromstring(xml)
    return [nic.find('target').get('dev')
            for nic in root.findall("./devices/interface[@type='ethernet']")
            if nic.find('target') is not None and
            nic.find('target').get('managed') == 'no']


def boot_files(xml):
    """(kernel, initrd, cmdline) of a domain XML; None where absent."""
    root = ET.fromstring(xml)
    return tuple(root.findtext('./os/' + tag)
                 for tag in ('kernel', 'initrd', 'cmdline'))


def with_vnc_listen(xml, address):
    """The domain XML with its VNC server listening on address (the
    destination host's [vnc] server_listen for a live migration: the
    source's address may not exist there); unchanged without a VNC
    device or an address."""
    if not address:
        return xml
    ET.register_namespace('nova', NOVA_NS)
    root = ET.fromstring(xml)
    graphics = root.find("./devices/graphics[@type='vnc']")
    if graphics is None:
        return xml
    graphics.set('listen', address)
    for listen in graphics.findall("./listen[@type='address']"):
        listen.set('address', address)
    return ET.tostring(root, encoding='unicode')


def vnc_port(xml):
    """The port of a live domain XML's VNC graphics, None when it has
    none (no VNC device, or the domain is not running: port -1)."""
    graphics = ET.fromstring(xml).find("./devices/graphics[@type='vnc']")
    if graphics is None:
        return None
    port = int(graphics.get('port') or -1)
    return port if port > 0 else None
