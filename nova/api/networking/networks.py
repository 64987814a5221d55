"""The flat network and its one subnet, in Neutron's fields.

Both are made by nova.conf's [network] options; their ids are stable (the
network's is ``flat_network_id``, the subnet's follows from it and the
range), so a client may keep them.
"""

import ipaddress
import uuid

_CREATED = '2026-01-01T00:00:00Z'


def subnet_id(conf):
    net = conf.network
    return str(uuid.uuid5(uuid.NAMESPACE_URL, 'nova-flat-subnet:%s:%s' % (
        net.flat_network_id, net.fixed_range_v4)))


def _standard(**fields):
    """Neutron's standard attributes, for what never changes."""
    return dict(fields, description='', tags=[], created_at=_CREATED,
                updated_at=_CREATED, revision_number=0)


def list_networks(ctxt, api):
    net = api.conf.network
    network = _standard(
        id=net.flat_network_id, name=net.flat_network_name,
        tenant_id='', project_id='', status='ACTIVE',
        subnets=[subnet_id(api.conf)], shared=True, admin_state_up=True,
        mtu=1500, port_security_enabled=False, is_default=False,
        availability_zones=['nova'], availability_zone_hints=[],
        ipv4_address_scope=None, ipv6_address_scope=None,
        **{'router:external': False})
    if ctxt.is_admin:  # as Neutron: the provider fields are the admin's
        network.update({'provider:network_type': 'flat',
                        'provider:physical_network': net.flat_bridge,
                        'provider:segmentation_id': None})
    return [network]


def _allocation_pool(cidr, reserved):
    hosts = [ip for ip in cidr.hosts() if str(ip) not in reserved]
    if not hosts:
        return []
    return [{'start': str(hosts[0]), 'end': str(hosts[-1])}]


def list_subnets(ctxt, api):
    net = api.conf.network
    cidr = ipaddress.ip_network(net.fixed_range_v4, strict=False)
    reserved = list(net.reserved_addresses)
    return [_standard(
        id=subnet_id(api.conf), name='%s-subnet' % net.flat_network_name,
        network_id=net.flat_network_id, tenant_id='', project_id='',
        ip_version=cidr.version, cidr=str(cidr),
        gateway_ip=reserved[0] if reserved else None,
        enable_dhcp=bool(net.flat_dhcp_host),
        allocation_pools=_allocation_pool(cidr, set(reserved)),
        dns_nameservers=[], host_routes=[], service_types=[],
        ipv6_ra_mode=None, ipv6_address_mode=None, subnetpool_id=None)]
