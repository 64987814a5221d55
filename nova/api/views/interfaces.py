"""The interfaceAttachment documents of os-interface (Neutron ports)."""


def attachment(port, tag=None, with_tag=False):
    view = {'net_id': port['network_id'], 'port_id': port['id'],
            'mac_addr': port['mac_address'], 'port_state': port['status'],
            'fixed_ips': [{'subnet_id': ip.get('subnet_id'),
                           'ip_address': ip['ip_address']}
                          for ip in port.get('fixed_ips') or ()]}
    if with_tag:
        view['tag'] = tag
    return view


def show(port, tag=None, with_tag=False):
    return {'interfaceAttachment': attachment(port, tag, with_tag)}


def index(ports, with_tag=False):
    return {'interfaceAttachments': [attachment(port, tag, with_tag)
                                     for port, tag in ports]}
