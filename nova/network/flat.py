"""Fixed IPs from the one flat network ([network] options).

The compute asks the conductor for an address when it builds an instance
and gives it back when the instance goes; the result is the instance's
network_info, the source of the server's addresses.
"""

import ipaddress


def allocate_for_instance(conductor, context, conf, instance_uuid,
                          requested_networks):
    """network_info for the instance; [] when networks is 'none'."""
    if requested_networks == 'none':
        return []
    net = conf.network
    fixed_ip = conductor.fixed_ip_allocate(
        context, net.flat_network_name, net.fixed_range_v4, instance_uuid,
        reserved=net.reserved_addresses)
    return [{'network': net.flat_network_name,
             'address': fixed_ip['address'],
             'version': ipaddress.ip_address(fixed_ip['address']).version,
             'mac_address': fixed_ip['mac_address'],
             'type': 'fixed'}]


def deallocate_for_instance(conductor, context, instance_uuid):
    return conductor.fixed_ips_release(context, instance_uuid)
