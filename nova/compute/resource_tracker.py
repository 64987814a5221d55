"""What this host offers, reported to the conductor.

Usage is not reported: it is derived from the allocations the scheduler
claims, so it cannot drift from what was promised.
"""

from oslo_log import log as logging

LOG = logging.getLogger(__name__)


def inventory(conf, driver, nodename):
    resources = driver.get_available_resource(nodename)
    resources.update(
        cpu_allocation_ratio=conf.cpu_allocation_ratio,
        ram_allocation_ratio=conf.ram_allocation_ratio,
        disk_allocation_ratio=conf.disk_allocation_ratio,
        reserved_host_cpus=conf.reserved_host_cpus,
        reserved_host_memory_mb=conf.reserved_host_memory_mb,
        reserved_host_disk_mb=conf.reserved_host_disk_mb)
    return resources


def update_available_resource(conductor, context, conf, driver, host,
                              nodename):
    resources = inventory(conf, driver, nodename)
    node, created = conductor.compute_node_update_or_create(
        context, host, nodename, resources)
    if created:
        LOG.info('Compute node record created for %s:%s with uuid: %s',
                 host, nodename, node['uuid'])
    LOG.debug('Inventory of %s: vcpus=%s memory_mb=%s local_gb=%s '
              'ratios cpu=%s ram=%s disk=%s', nodename, node['vcpus'],
              node['memory_mb'], node['local_gb'],
              node['cpu_allocation_ratio'], node['ram_allocation_ratio'],
              node['disk_allocation_ratio'])
    return node
