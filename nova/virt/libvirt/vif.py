"""Guest NICs from network_info: the <interface> of each VIF, and the host
side it needs before the guest starts.

The flat network's VIFs are of type 'bridge': libvirt makes the tap and
adds it to the bridge, which must exist.  Other types (Neutron's 'ovs')
are refused with a clear error until the Neutron backend plugs them.
"""

from nova import exception
from nova.network import linux_net
from nova.virt.libvirt import guest_xml

SUPPORTED_TYPES = ('bridge',)


class UnsupportedVifType(exception.NovaException):
    msg_fmt = ('The libvirt driver cannot plug VIF %(vif_id)s of type '
               '%(vif_type)s (it plugs: %(supported)s)')


def _bridge(vif, conf):
    # VIFs converted from before network_info named the bridge (migration
    # 0005) have none: the host's flat bridge is theirs.
    return (vif.get('network') or {}).get('bridge') or \
        conf.network.flat_bridge


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
        nics.append(guest_xml.Interface(mac=vif['address'],
                                        bridge=_bridge(vif, conf),
                                        target=vif['devname']))
    return nics


def plug(network_info, conf):
    """The bridge of each VIF, made if missing (with [network]
    flat_interface as its port)."""
    for bridge in sorted({_bridge(vif, conf) for vif in network_info or ()
                          if _check(vif) is None}):
        linux_net.ensure_bridge(bridge, conf.network.flat_interface)
