"""Guest NICs from network_info: the <interface> of each VIF, and the host
side it needs before the guest starts.

``bridge`` (the flat network): libvirt makes the tap and adds it to the
Linux bridge, which must exist (plug makes it).

``ovs`` (Neutron's ML2/OVS and ML2/OVN ports):

* with ``details.ovs_create_tap`` (Neutron's default since 2026.2, what
  ML2/OVN on the userspace datapath answers), nova plugs the VIF as os-vif's
  ovs plugin does: it makes the tap ``tap<port id[:11]>``, adds it to the
  bridge of the VIF (``vif_details.bridge_name``; the bridge is made with
  ``datapath_type`` if it is missing) with the external_ids OVN binds the
  logical port by (``iface-id`` = the port, ``attached-mac``,
  ``iface-status``, ``vm-uuid``) and sets it up; the guest's NIC is
  ``<interface type='ethernet'>`` on that tap, which libvirt leaves alone
  (``managed='no'``).  unplug removes the port and the tap.
* without it, ``<interface type='bridge'>`` with ``<virtualport
  type='openvswitch'>``: libvirt adds and removes the port itself.

The ovs-vsctl commands talk to ``[network] ovsdb_connection`` when it is
set.  Other types are refused with a clear error.
"""

from nova import exception
from nova.network import linux_net
from nova.virt.libvirt import guest_xml

SUPPORTED_TYPES = ('bridge', 'ovs')


class UnsupportedVifType(exception.NovaException):
    msg_fmt = ('The libvirt driver cannot plug VIF %(vif_id)s of type '
               '%(vif_type)s (it plugs: %(supported)s)')


def _bridge(vif, conf):
    # VIFs converted from before network_info named the bridge (migration
    # 0005) have none: the host's flat bridge is theirs.
    return (vif.get('network') or {}).get('bridge') or \
        conf.network.flat_bridge


def _ovs_bridge(vif, conf):
    return ((vif.get('network') or {}).get('bridge') or
            (vif.get('details') or {}).get('bridge_name') or
            conf.neutron.ovs_bridge)


def _creates_tap(vif):
    """An ovs VIF whose tap nova makes (and libvirt does not)."""
    return vif.get('type') == 'ovs' and bool(
        (vif.get('details') or {}).get('ovs_create_tap'))


def _check(vif):
    if vif.get('type') not in SUPPORTED_TYPES:
        raise UnsupportedVifType(vif_id=vif.get('id'),
                                 vif_type=vif.get('type'),
                                 supported=', '.join(SUPPORTED_TYPES))


def interfaces(network_info, conf):
    """A guest_xml.Interface per VIF, in order (eth0 is the first)."""
    nics = []
    for vif in network_info or ():
        _check(vif)
        if _creates_tap(vif):
            nic = guest_xml.Interface(mac=vif['address'], bridge=None,
                                      target=vif['devname'],
                                      type='ethernet')
        elif vif['type'] == 'ovs':
            nic = guest_xml.Interface(mac=vif['address'],
                                      bridge=_ovs_bridge(vif, conf),
                                      target=vif['devname'],
                                      ovs_interfaceid=vif['id'])
        else:
            nic = guest_xml.Interface(mac=vif['address'],
                                      bridge=_bridge(vif, conf),
                                      target=vif['devname'])
        nics.append(nic)
    return nics


def plug(network_info, conf, instance_uuid=None):
    """The host side of each VIF: the Linux bridge of each bridge VIF
    (made if missing, with [network] flat_interface as its port); the tap
    and OVS port of each ovs VIF nova makes the tap of."""
    for vif in network_info or ():
        _check(vif)
    for bridge in sorted({_bridge(vif, conf) for vif in network_info or ()
                          if vif['type'] == 'bridge'}):
        linux_net.ensure_bridge(bridge, conf.network.flat_interface)
    db = conf.network.ovsdb_connection
    for vif in network_info or ():
        if not _creates_tap(vif):
            continue
        bridge = _ovs_bridge(vif, conf)
        linux_net.ensure_ovs_bridge(
            bridge, (vif.get('details') or {}).get('datapath_type'), db=db)
        linux_net.ensure_tap(vif['devname'],
                             mtu=(vif.get('network') or {}).get('mtu'))
        linux_net.ovs_add_port(bridge, vif['devname'], vif['id'],
                               vif['address'], instance_uuid, db=db)


def unplug(network_info, conf):
    """Undo plug for the VIFs whose host side nova made (ovs taps); the
    bridges serve the host's other guests and stay."""
    for vif in network_info or ():
        if _creates_tap(vif):
            unplug_taps([vif['devname']], conf, _ovs_bridge(vif, conf))


def unplug_taps(devices, conf, bridge=None):
    """Remove these taps of ovs VIFs, and their OVS ports."""
    for dev in devices:
        linux_net.ovs_del_port(dev, bridge,
                               db=conf.network.ovsdb_connection)
        linux_net.delete_device(dev)
