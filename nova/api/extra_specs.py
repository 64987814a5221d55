"""Validation of flavor extra specs (microversion 2.86 and later).

One table, ``SPECS``: a name pattern and a value rule per known extra
spec.  A name matching a row must have a value that satisfies the row's
rule; a name in a known namespace (``NAMESPACES``, the part before the
first ``:``) that matches no row is refused as unknown; any other name
passes, so operators keep their own keys for their own filters.  The
messages are upstream Nova's (nova/api/validation/extra_specs).

The table is PARTIAL, on purpose where noted:

* ``trait*:`` accepts any upper-case trait name, where upstream accepts
  only os-traits' standard names and ``CUSTOM_*`` ones;
* ``resources*:`` knows os-resource-classes' standard classes as of its
  1.1 release, plus ``CUSTOM_*``;
* the ``vmware:`` (and long gone ``powervm:``) namespaces are not
  registered, so their keys pass unchecked;
* the un-namespaced ``group_policy`` and ``hide_hypervisor_id`` are
  checked, other un-namespaced keys (old AggregateInstanceExtraSpecs
  style) pass.

A new key is one row; a new namespace is a row and an entry of
NAMESPACES.
"""

import re

from oslo_utils import strutils

from nova import exception

# The longest value text (the column's size).
MAX_VALUE_LENGTH = 255


# Value rules --------------------------------------------------------------

def _bool():
    return {'type': 'bool'}


def _int(minimum=None, maximum=None):
    return {'type': 'int', 'min': minimum, 'max': maximum}


def _enum(*values):
    return {'type': 'enum', 'values': values}


def _pattern(regex):
    return {'type': 'pattern', 'regex': regex}


def _any():
    return {'type': 'str'}


# A CPU set: 0-3,^2,7
_CPU_SET = r'\^?\d+(-\d+|,\^?\d+(-\d+)?)*'
# A granular request group's suffix: resources1:VCPU, trait_gpu:...
_GROUP = r'[a-zA-Z0-9_-]{0,64}'
_RESOURCE_CLASSES = (
    'VCPU', 'MEMORY_MB', 'DISK_GB', 'PCI_DEVICE', 'SRIOV_NET_VF',
    'NUMA_SOCKET', 'NUMA_CORE', 'NUMA_THREAD', 'NUMA_MEMORY_MB',
    'IPV4_ADDRESS', 'VGPU', 'VGPU_DISPLAY_HEAD',
    'NET_BW_EGR_KILOBIT_PER_SEC', 'NET_BW_IGR_KILOBIT_PER_SEC', 'PCPU',
    'MEM_ENCRYPTION_CONTEXT', 'FPGA', 'PGPU',
    'NET_PACKET_RATE_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC',
    'NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC',
)
# What the ComputeCapabilitiesFilter matches: plain host state fields, and
# those with nested values (capabilities:stats:foo).
_CAPABILITIES = (
    'id', 'uuid', 'service_id', 'host', 'vcpus', 'memory_mb', 'local_gb',
    'vcpus_used', 'memory_mb_used', 'local_gb_used', 'hypervisor_type',
    'hypervisor_version', 'hypervisor_hostname', 'free_ram_mb',
    'free_disk_gb', 'current_workload', 'running_vms',
    'disk_available_least', 'host_ip', 'mapped', 'cpu_allocation_ratio',
    'ram_allocation_ratio', 'disk_allocation_ratio', 'total_usable_ram_mb',
    'total_usable_disk_gb', 'disk_mb_used', 'free_disk_mb', 'vcpus_total',
    'num_instances', 'num_io_ops', 'failed_builds', 'aggregates',
    'cell_uuid', 'updated',
)
_NESTED_CAPABILITIES = (
    'cpu_info', 'metrics', 'stats', 'numa_topology', 'supported_hv_specs',
    'pci_device_pools', 'nodename', 'pci_stats', 'supported_instances',
    'limits', 'instances',
)
_QUOTA_VMWARE = ('cpu', 'memory', 'disk_io', 'vif')

# (name regex, value rule), matched in order against the whole name.
SPECS = (
    # hw: the guest's virtual hardware (libvirt)
    (r'hw:cpu_policy', _enum('dedicated', 'shared', 'mixed')),
    (r'hw:cpu_thread_policy', _enum('prefer', 'isolate', 'require')),
    (r'hw:emulator_threads_policy', _enum('isolate', 'share')),
    (r'hw:cpu_realtime', _bool()),
    (r'hw:cpu_realtime_mask', _pattern(_CPU_SET)),
    (r'hw:cpu_dedicated_mask', _pattern(_CPU_SET)),
    (r'hw:cpu_(max_)?(sockets|cores|threads)', _int(1)),
    (r'hw:mem_page_size',
     _pattern(r'(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)')),
    (r'hw:locked_memory', _bool()),
    (r'hw:numa_nodes', _int(1)),
    (r'hw:numa_cpus\.\d+', _pattern(_CPU_SET)),
    (r'hw:numa_mem\.\d+', _int(1)),
    (r'hw:pci_numa_affinity_policy',
     _enum('required', 'preferred', 'legacy', 'socket')),
    (r'hw:hide_hypervisor_id', _bool()),
    (r'hw:boot_menu', _bool()),
    (r'hw:vif_multiqueue_enabled', _bool()),
    (r'hw:mem_encryption', _bool()),
    (r'hw:mem_encryption_model', _enum('amd-sev', 'amd-sev-es',
                                       'amd-sev-snp')),
    (r'hw:pmem', _pattern(r'([a-zA-Z0-9_]+(,)?)+')),
    (r'hw:pmu', _bool()),
    (r'hw:serial_port_count', _int(0)),
    (r'hw:tpm_model', _enum('tpm-tis', 'tpm-crb')),
    (r'hw:tpm_version', _enum('1.2', '2.0')),
    (r'hw:tpm_secret_security', _enum('user', 'host', 'deployment')),
    (r'hw:watchdog_action',
     _enum('none', 'pause', 'poweroff', 'reset', 'disabled')),
    (r'hw:viommu_model', _enum('intel', 'smmuv3', 'virtio', 'auto')),
    (r'hw:virtio_packed_ring', _bool()),
    (r'hw:sound_model', _enum('sb16', 'es1370', 'pcspk', 'ac97', 'ich6',
                              'ich9', 'usb', 'virtio')),
    (r'hw:usb_model', _enum('none', 'nec-xhci', 'qemu-xhci')),
    (r'hw:redirected_usb_ports', _int(0, 15)),
    (r'hw:ephemeral_encryption', _bool()),
    (r'hw:ephemeral_encryption_format', _enum('plain', 'luks', 'luksv2')),
    # hw_rng:, hw_video:
    (r'hw_rng:allowed', _bool()),
    (r'hw_rng:rate_(bytes|period)', _int(0)),
    (r'hw_video:ram_max_mb', _int(0)),
    # quota: libvirt's tunables, and the VMware driver's
    (r'quota:cpu_(shares|period)', _int(0)),
    (r'quota:cpu_quota', _int()),
    (r'quota:disk_(read|write|total)_(bytes|iops)_sec', _int(0)),
    (r'quota:vif_(inbound|outbound)_(average|peak|burst)', _int(0)),
    (r'quota:(%s)_(limit|shares_share)' % '|'.join(_QUOTA_VMWARE), _int(0)),
    (r'quota:(%s)_reservation' % '|'.join(_QUOTA_VMWARE), _int()),
    (r'quota:(%s)_shares_level' % '|'.join(_QUOTA_VMWARE),
     _enum('custom', 'high', 'normal', 'low')),
    # resources[group]:, trait[group]: (Placement's request)
    (r'resources%s:(%s|CUSTOM_[A-Z0-9_]+)' % (
        _GROUP, '|'.join(_RESOURCE_CLASSES)), _int()),
    (r'trait%s:[A-Z][A-Z0-9_]*' % _GROUP, _enum('required', 'forbidden')),
    (r'group_policy', _enum('isolate', 'none')),
    (r'hide_hypervisor_id', _bool()),
    # the scheduler filters' own
    (r'aggregate_instance_extra_specs:.+', _any()),
    (r'capabilities:(%s)' % '|'.join(_CAPABILITIES), _any()),
    (r'capabilities:(%s)(:\w+)*' % '|'.join(_NESTED_CAPABILITIES), _any()),
    # the rest
    (r'os:secure_boot', _enum('disabled', 'required')),
    (r'pci_passthrough:alias', _pattern(r'[^:]+:\d+(\s*,\s*[^:]+:\d+)*')),
    (r'accel:device_profile', _any()),
)

# The namespaces (regexes of what comes before the first ':') whose keys
# must be in SPECS.
NAMESPACES = ('hw', 'hw_rng', 'hw_video', 'quota', 'resources' + _GROUP,
              'trait' + _GROUP, 'aggregate_instance_extra_specs',
              'capabilities', 'os', 'pci_passthrough', 'accel')

_SPECS = tuple((re.compile(name), rule) for name, rule in SPECS)
_NAMESPACES = re.compile('|'.join('(%s)' % n for n in NAMESPACES))


def _fail(message):
    raise exception.ValidationError(detail='Validation failed; ' + message)


def _check_value(rule, value):
    kind = rule['type']
    if kind == 'bool':
        try:
            strutils.bool_from_string(value, strict=True)
        except ValueError:
            _fail("'%s' is not a valid boolean-like value." % value)
    elif kind == 'int':
        try:
            number = int(value)
        except ValueError:
            _fail("'%s' is not a valid integer value." % value)
        if rule['max'] is not None and number > rule['max']:
            _fail("'%s' is greater than the max value of '%s'."
                  % (value, rule['max']))
        if rule['min'] is not None and number < rule['min']:
            _fail("'%s' is less than the min value of '%s'."
                  % (value, rule['min']))
    elif kind == 'enum':
        if value not in rule['values']:
            _fail("'%s' is not one of: %s." % (value,
                                               ', '.join(rule['values'])))
    elif kind == 'pattern':
        if not re.fullmatch(rule['regex'], value):
            _fail("'%s' is not of the format '%s'." % (value, rule['regex']))


def validate(name, value):
    """ValidationError (400) unless name=value is a valid extra spec.

    value may be a number (the API accepts them and stores their text).
    """
    value = str(value)
    for pattern, rule in _SPECS:
        if pattern.fullmatch(name):
            _check_value(rule, value)
            return
    namespace, colon, _ = name.partition(':')
    if colon and _NAMESPACES.fullmatch(namespace):
        _fail("extra spec '%s' does not appear to be a valid extra spec."
              % name)


def check(specs, known_keys):
    """400 unless specs may be set: a number's text must fit the column
    (the schema checks strings), and with known_keys (2.86+) each item
    must be a valid extra spec (validate)."""
    for key, value in specs.items():
        if isinstance(value, (int, float)):
            try:
                strutils.check_string_length(str(value), 'extra_specs value',
                                             max_length=MAX_VALUE_LENGTH)
            except ValueError as e:
                raise exception.Invalid(str(e))
        if known_keys:
            validate(key, value)
