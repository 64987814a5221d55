"""A port per VIF of an instance on the flat network.

They are read from the instances' network_info (what the compute gave
each), so they come and go with the servers.  A project sees its own; the
admin sees every project's, as in Neutron.
"""

from nova.api.networking import networks

_COLUMNS = ['uuid', 'project_id', 'host', 'availability_zone',
            'network_info', 'security_groups', 'vm_state', 'created_at',
            'updated_at']


def _time(value):
    if value is None:
        return None
    text = value if isinstance(value, str) else value.isoformat()
    return text.split('+')[0].split('.')[0] + 'Z'


def list_ports(ctxt, api):
    filters = {} if ctxt.is_admin else {'project_id': ctxt.project_id}
    instances = api.conductor.instance_get_all(
        ctxt, filters=filters, columns=_COLUMNS)
    groups = {}
    result = []
    for instance in instances:
        project_id = instance['project_id']
        if project_id not in groups:
            groups[project_id] = {g['name']: g['id'] for g in
                                  api.security_groups(ctxt, project_id)}
        group_ids = [groups[project_id][name]
                     for name in instance.get('security_groups') or ()
                     if name in groups[project_id]]
        for vif in instance.get('network_info') or ():
            result.append(_port(ctxt, api, instance, vif, group_ids))
    return result


def _port(ctxt, api, instance, vif, group_ids):
    subnet_id = networks.subnet_id(api.conf)
    fixed_ips = [{'subnet_id': subnet_id, 'ip_address': ip['address']}
                 for subnet in vif['network'].get('subnets') or ()
                 for ip in subnet.get('ips') or ()]
    port = {
        'id': vif['id'], 'name': '', 'description': '',
        'network_id': vif['network']['id'],
        'tenant_id': instance['project_id'],
        'project_id': instance['project_id'],
        'mac_address': vif['address'], 'admin_state_up': True,
        'status': 'ACTIVE' if vif.get('active', True) else 'DOWN',
        'device_id': instance['uuid'],
        'device_owner': 'compute:%s' % (instance.get('availability_zone')
                                        or 'nova'),
        'fixed_ips': fixed_ips, 'security_groups': group_ids,
        'port_security_enabled': False, 'allowed_address_pairs': [],
        'extra_dhcp_opts': [], 'dns_name': '', 'tags': [],
        'binding:vnic_type': vif.get('vnic_type') or 'normal',
        'created_at': _time(instance.get('created_at')),
        'updated_at': _time(instance.get('updated_at')),
        'revision_number': 0}
    if ctxt.is_admin:
        port.update({'binding:host_id': instance.get('host') or '',
                     'binding:vif_type': vif.get('type') or 'bridge',
                     'binding:vif_details': vif.get('details') or {},
                     'binding:profile': {}})
    return port
