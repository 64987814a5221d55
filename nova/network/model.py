"""network_info: an instance's network interfaces, in upstream Nova's shape.

A list of VIFs, each::

    {'id': <port uuid>, 'address': <MAC>, 'type': 'bridge' | 'ovs' | ...,
     'devname': 'tap<first 11 of id>', 'active': bool, 'vnic_type': 'normal',
     'details': {...},                      # backend specific (vif_details)
     'network': {'id', 'label', 'bridge',
                 'subnets': [{'cidr', 'version', 'gateway', 'dns',
                              'ips': [{'address', 'type', 'version'}]}]}}

This is what is stored in the instance's ``network_info`` column, what
drivers render as guest NICs and what the server views show as
``addresses``.  Plain dicts: it travels over RPC and into JSON columns.
"""

import ipaddress

# Linux limits interface names to 15 characters; upstream's taps are 14.
DEVNAME_LENGTH = 14


def devname(vif_id, prefix='tap'):
    return (prefix + vif_id)[:DEVNAME_LENGTH]


def vif(vif_id, mac, network, vif_type='bridge', details=None, active=True):
    return {'id': vif_id, 'address': mac, 'type': vif_type,
            'devname': devname(vif_id), 'active': active,
            'vnic_type': 'normal', 'details': details or {},
            'network': network}


def network(network_id, label, bridge=None, subnets=()):
    return {'id': network_id, 'label': label, 'bridge': bridge,
            'subnets': list(subnets)}


def subnet(cidr, gateway=None, ips=(), dns=()):
    version = ipaddress.ip_network(cidr, strict=False).version if cidr \
        else (_version(ips[0]['address']) if ips else 4)
    return {'cidr': cidr, 'version': version, 'gateway': gateway,
            'dns': list(dns), 'ips': list(ips)}


def fixed_ip(address, ip_type='fixed'):
    return {'address': address, 'type': ip_type,
            'version': _version(address)}


def _version(address):
    return ipaddress.ip_address(address).version


def ips(network_info):
    """(network label, ip dict, MAC) of every address of every VIF."""
    for vif_ in network_info or ():
        net = vif_.get('network') or {}
        for subnet_ in net.get('subnets') or ():
            for ip in subnet_.get('ips') or ():
                yield net.get('label'), ip, vif_.get('address')


def addresses(network_info):
    """What the server views show of network_info, one
    {'network', 'address', 'version', 'type', 'mac_address'} per address:
    the instance's ``addresses`` column, written with network_info."""
    return [{'network': label, 'address': ip['address'],
             'version': ip.get('version'), 'type': ip.get('type') or 'fixed',
             'mac_address': mac} for label, ip, mac in ips(network_info)]


def first_address(network_info):
    """The first fixed address, or None."""
    for _, ip, _ in ips(network_info):
        return ip['address']
    return None


def tags(network_info):
    """{VIF id: its tag} of the VIFs an attach (2.49) tagged: only nova
    keeps them."""
    return {vif['id']: vif['tag'] for vif in network_info or ()
            if vif.get('tag')}
