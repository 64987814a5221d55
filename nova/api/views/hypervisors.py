"""Hypervisor (compute node) representations, per microversion."""

from oslo_serialization import jsonutils

from nova.api.views import common
from nova import servicegroup

CPU_INFO_OBJECT = (2, 28)
PAGINATION = (2, 33)
UUID_IDS = (2, 53)
NO_RESOURCES = (2, 88)


def _state(req, node):
    service = node.get('service') or {}
    up = bool(service) and servicegroup.service_is_up(
        service, req.conf.service_down_time)
    return ('up' if up else 'down',
            'disabled' if service.get('disabled') else 'enabled')


def basic(req, node):
    state, status = _state(req, node)
    return {'id': node['uuid'] if req.is_version(UUID_IDS) else node['id'],
            'hypervisor_hostname': node['hypervisor_hostname'],
            'state': state, 'status': status}


def detail(req, node, servers=None):
    view = basic(req, node)
    service = node.get('service') or {}
    view.update({
        'hypervisor_type': node['hypervisor_type'],
        'hypervisor_version': node['hypervisor_version'],
        'host_ip': node['host_ip'],
        'service': {'id': (service.get('uuid') if req.is_version(UUID_IDS)
                           else service.get('id')),
                    'host': node['host'],
                    'disabled_reason': service.get('disabled_reason')},
    })
    if req.is_version(NO_RESOURCES):
        view['uptime'] = None
    else:
        free_ram = node['memory_mb'] - node['memory_mb_used']
        free_disk = node['local_gb'] - node['disk_gb_used']
        cpu_info = node['cpu_info'] or '{}'
        if req.is_version(CPU_INFO_OBJECT):
            try:
                cpu_info = jsonutils.loads(cpu_info)
            except ValueError:
                cpu_info = {}
        view.update({
            'vcpus': node['vcpus'], 'memory_mb': node['memory_mb'],
            'local_gb': node['local_gb'],
            'vcpus_used': node['vcpus_used'],
            'memory_mb_used': node['memory_mb_used'],
            'local_gb_used': node['disk_gb_used'],
            'free_ram_mb': free_ram, 'free_disk_gb': free_disk,
            'current_workload': 0, 'running_vms': node['running_vms'],
            'disk_available_least': free_disk, 'cpu_info': cpu_info})
    if servers is not None:
        view['servers'] = servers
    return view


def collection(req, nodes, builder, limit):
    body = {'hypervisors': [builder(req, n) for n in nodes]}
    if limit is not None:
        links = common.next_links(
            req, nodes, limit, 'uuid' if req.is_version(UUID_IDS) else 'id')
        if links:
            body['hypervisors_links'] = links
    return body


def statistics(nodes):
    keys = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
            'memory_mb_used', 'running_vms')
    totals = {k: sum(n[k] for n in nodes) for k in keys}
    used_disk = sum(n['disk_gb_used'] for n in nodes)
    return {'hypervisor_statistics': dict(
        totals, count=len(nodes), local_gb_used=used_disk,
        free_ram_mb=totals['memory_mb'] - totals['memory_mb_used'],
        free_disk_gb=totals['local_gb'] - used_disk, current_workload=0,
        disk_available_least=totals['local_gb'] - used_disk)}
