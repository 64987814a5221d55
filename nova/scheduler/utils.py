"""Helpers shared by the scheduler and the conductor."""


def flavor_resources(flavor):
    """(vcpus, memory_mb, disk_gb) a flavor claims on a host.

    Disk is root + ephemeral + swap (MB, rounded up to whole GB).
    """
    swap_gb = -(-(flavor.get('swap') or 0) // 1024)
    disk = (flavor.get('root_gb') or 0) + (flavor.get('ephemeral_gb') or 0)
    return flavor['vcpus'], flavor['memory_mb'], disk + swap_gb


def needs_instances(request_spec):
    """Whether the host states must list their instances (same_host and
    different_host hints, a server group)."""
    hints = request_spec.get('scheduler_hints') or {}
    return bool(hints.get('same_host') or hints.get('different_host') or
                hints.get('group'))


def group_members_per_host(hosts, group):
    """{host name: how many of group's members it runs} (hosts running
    none left out); group: the request spec's instance_group."""
    members = frozenset((group or {}).get('members') or ())
    counts = {}
    if not members:
        return counts
    for host in hosts:
        found = len(members.intersection(host.get('instance_uuids') or ()))
        if found:
            counts[host['host']] = counts.get(host['host'], 0) + found
    return counts
