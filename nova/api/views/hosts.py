"""os-hosts representations: the host list and a host's resources."""

TOTAL = '(total)'
USED_NOW = '(used_now)'
USED_MAX = '(used_max)'


def host(service, zone):
    return {'host_name': service['host'], 'service': service['topic'],
            'zone': zone}


def _resource(host_name, project, cpu, memory_mb, disk_gb):
    return {'resource': {'host': host_name, 'project': project, 'cpu': cpu,
                         'memory_mb': memory_mb, 'disk_gb': disk_gb}}


def _instances_usage(instances):
    return (sum(i['vcpus'] or 0 for i in instances),
            sum(i['memory_mb'] or 0 for i in instances),
            sum((i['root_gb'] or 0) + (i['ephemeral_gb'] or 0)
                for i in instances))


def resources(host_name, node, instances):
    """The host's total, used now, what its instances may use, then what
    each project's instances may use."""
    body = [
        _resource(host_name, TOTAL, node['vcpus'], node['memory_mb'],
                  node['local_gb']),
        _resource(host_name, USED_NOW, node['vcpus_used'],
                  node['memory_mb_used'], node['disk_gb_used']),
        _resource(host_name, USED_MAX, *_instances_usage(instances)),
    ]
    by_project = {}
    for instance in instances:
        by_project.setdefault(instance['project_id'], []).append(instance)
    for project in sorted(by_project):
        body.append(_resource(host_name, project,
                              *_instances_usage(by_project[project])))
    return body
