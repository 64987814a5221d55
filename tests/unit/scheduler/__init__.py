"""Scheduler unit tests; shared builders for host states and request specs."""

import datetime

from oslo_config import cfg

import nova.conf

NOW = datetime.datetime(2026, 11, 22, 12, 0, 0)


def make_conf(**scheduler_overrides):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([])
    for name, value in scheduler_overrides.items():
        conf.set_override(name, value, group='scheduler')
    return conf


def make_host(name='host1', **fields):
    """A host state dict as the conductor sends it: 16 vCPUs, 32 GB RAM,
    500 GB disk, ratios 1.0, nothing reserved or used, service up."""
    host = {
        'uuid': 'uuid-%s' % name, 'id': 1, 'host': name,
        'hypervisor_hostname': name, 'hypervisor_type': 'QEMU',
        'hypervisor_version': 8002000,
        'vcpus': 16, 'memory_mb': 32768, 'local_gb': 500,
        'cpu_allocation_ratio': 1.0, 'ram_allocation_ratio': 1.0,
        'disk_allocation_ratio': 1.0,
        'reserved_host_cpus': 0, 'reserved_host_memory_mb': 0,
        'reserved_host_disk_mb': 0,
        'vcpus_used': 0, 'memory_mb_used': 0, 'disk_gb_used': 0,
        'instance_uuids': [],
        'supported_instances': [['x86_64', 'qemu', 'hvm']],
        'availability_zone': 'nova',
        'service': {'disabled': False, 'disabled_reason': None,
                    'forced_down': False,
                    'last_seen_up': NOW - datetime.timedelta(seconds=5),
                    'created_at': NOW - datetime.timedelta(days=1)},
    }
    host.update(fields)
    return host


def make_spec(vcpus=1, memory_mb=512, root_gb=1, ephemeral_gb=0, swap=0,
              **fields):
    spec = {
        'num_instances': 1, 'instance_uuids': ['inst-1'],
        'flavor': {'vcpus': vcpus, 'memory_mb': memory_mb,
                   'root_gb': root_gb, 'ephemeral_gb': ephemeral_gb,
                   'swap': swap, 'extra_specs': {}},
        'image': {'id': 'image-1', 'properties': {}},
        'availability_zone': None,
        'scheduler_hints': {},
        'ignore_hosts': [],
    }
    spec.update(fields)
    return spec
