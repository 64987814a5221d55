"""Fixed IPs from the one flat network ([network] options).

The compute asks the conductor for an address when it builds an instance
and gives it back when the instance goes; the result is the instance's
network_info, the source of the server's addresses.
"""

import functools
import ipaddress
import uuid

from oslo_log import log as logging

from nova import exception
from nova.network import model

LOG = logging.getLogger(__name__)

# system_metadata of a shelved-offloaded instance: the address it had, to
# ask for again at unshelve ('' for none).
SHELVED_ADDRESS = 'shelved_address'


def fixed_ip_request(conf, requested_networks):
    """What the conductor needs to give an instance an address of the flat
    network ({'network', 'cidr', 'reserved', 'network_id', 'bridge'
    [, 'address'[, 'or_any']]}); None when networks is 'none'.
    requested_networks: 'auto', 'none', or [{'fixed_ip': address}] for that
    address (the API checked it), with 'or_any': True when any other will
    do if it is taken (an unshelve)."""
    if requested_networks == 'none':
        return None
    net = conf.network
    request = {'network': net.flat_network_name, 'cidr': net.fixed_range_v4,
               'reserved': list(net.reserved_addresses),
               'network_id': net.flat_network_id, 'bridge': net.flat_bridge}
    if isinstance(requested_networks, list):
        for item in requested_networks:
            if item.get('fixed_ip'):
                request['address'] = item['fixed_ip']
                request['or_any'] = bool(item.get('or_any'))
    return request


def validate_requested_networks(conf, requested, max_count):
    """'auto', 'none', or the flat network, maybe with the address asked
    for ([{'fixed_ip': address}]); anything else is a 400."""
    if requested in (None, 'auto', 'none'):
        return requested or 'auto'
    if not requested:
        return 'none'
    fixed_ips = []
    for item in requested:
        if item.get('port'):
            raise exception.Invalid('Ports are not supported: there is no '
                                    'network service.')
        if item.get('uuid') not in (None, conf.network.flat_network_id,
                                    conf.network.flat_network_name):
            raise exception.Invalid('Network %s could not be found.'
                                    % item.get('uuid'))
        if 'fixed_ip' in item:
            fixed_ips.append(item['fixed_ip'])
    if not fixed_ips:
        return 'auto'
    if len(fixed_ips) > 1:
        raise exception.Invalid('Only one fixed_ip may be asked for: an '
                                'instance has one address of the flat '
                                'network.')
    if max_count > 1:
        raise exception.Invalid('max_count cannot be greater than 1 if a '
                                'fixed_ip is specified.')
    address = fixed_ips[0]
    net = ipaddress.ip_network(conf.network.fixed_range_v4, strict=False)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        raise exception.Invalid('Invalid fixed IP address %r' % address)
    if ip not in net or (net.num_addresses > 2 and ip in (
            net.network_address, net.broadcast_address)) or \
            address in conf.network.reserved_addresses:
        raise exception.Invalid(
            'Fixed IP address %s is not an address instances may have on '
            'network %s (%s, less %s).' % (
                address, conf.network.flat_network_name, net,
                ', '.join(conf.network.reserved_addresses) or 'nothing'))
    return [{'fixed_ip': address}]


def network_description(conf):
    """The flat network as the (deprecated) os-networks API shows it."""
    net = conf.network
    cidr = ipaddress.ip_network(net.fixed_range_v4, strict=False)
    reserved = list(net.reserved_addresses)
    return {'id': net.flat_network_id, 'label': net.flat_network_name,
            'cidr': str(cidr), 'netmask': str(cidr.netmask),
            'gateway': reserved[0] if reserved else None,
            'broadcast': str(cidr.broadcast_address),
            'bridge': net.flat_bridge,
            'bridge_interface': net.flat_interface,
            'dhcp_server': net.flat_dhcp_host or None,
            'enable_dhcp': bool(net.flat_dhcp_host)}


def network_info(request, fixed_ip):
    """The network_info (nova.network.model) of an instance given fixed_ip
    (a fixed_ips row) by request (fixed_ip_request): one VIF on the
    bridge, whose id follows from the network and the MAC."""
    vif_id = str(uuid.uuid5(uuid.NAMESPACE_URL, 'nova-flat:%s:%s' % (
        request.get('network_id'), fixed_ip['mac_address'])))
    reserved = request.get('reserved') or ()
    gateway = model.fixed_ip(reserved[0], 'gateway') if reserved else None
    subnet = model.subnet(request['cidr'], gateway=gateway,
                          ips=[model.fixed_ip(fixed_ip['address'])])
    net = model.network(request.get('network_id'), request['network'],
                        bridge=request.get('bridge'), subnets=[subnet])
    return [model.vif(vif_id, fixed_ip['mac_address'], net,
                      details={'port_filter': False})]


def allocate_for_instance(conductor, context, conf, instance_uuid,
                          requested_networks):
    """network_info for the instance; [] when networks is 'none'."""
    request = fixed_ip_request(conf, requested_networks)
    if request is None:
        return []
    allocate = functools.partial(
        conductor.fixed_ip_allocate, context, request['network'],
        request['cidr'], instance_uuid, reserved=request['reserved'])
    try:
        fixed_ip = allocate(address=request.get('address'))
    except exception.FixedIpAlreadyInUse:
        if not request.get('or_any'):
            raise
        LOG.warning('Address %s was taken meanwhile: giving another one',
                    request['address'], instance_uuid=instance_uuid)
        fixed_ip = allocate()
    return network_info(request, fixed_ip)


def deallocate_for_instance(conductor, context, instance_uuid):
    return conductor.fixed_ips_release(context, instance_uuid)
