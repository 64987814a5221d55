"""Representations of a server's addresses for /servers/{id}/ips: per
network label, each address's addr and version only (no OS-EXT-IPS keys).

As upstream's addresses view: a label's fixed addresses, then its
floating ones; the label as GET /servers/{id}'s ``addresses`` names it.
"""

import ipaddress

from nova.network import model as network_model

# The label a VIF whose network has none is shown under (as the servers
# view does).
DEFAULT_LABEL = 'private'


def _version(ip):
    if ip.get('version') in (4, 6):
        return ip['version']
    try:
        return ipaddress.ip_address(ip['address']).version
    except ValueError:
        return 4


def networks(network_info):
    """{label: [{addr, version}]} of every address in network_info."""
    fixed, floating = {}, {}
    for label, ip, _ in network_model.ips(network_info):
        label = label or DEFAULT_LABEL
        fixed.setdefault(label, [])
        target = floating if ip.get('type') == 'floating' else fixed
        target.setdefault(label, []).append(
            {'addr': ip['address'], 'version': _version(ip)})
    return {label: items + floating.get(label, [])
            for label, items in fixed.items()}


def collection(networks_):
    return {'addresses': networks_}


def network(label, items):
    return {label: items}
