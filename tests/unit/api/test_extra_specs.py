"""The extra spec validator (2.86): known keys' values, unknown keys of
known namespaces, and everything else let by."""

import re

import pytest

from nova.api import extra_specs
from nova import exception


@pytest.mark.parametrize('name,value', [
    ('hw:cpu_policy', 'dedicated'),
    ('hw:cpu_policy', 'mixed'),
    ('hw:cpu_thread_policy', 'isolate'),
    ('hw:emulator_threads_policy', 'share'),
    ('hw:cpu_realtime', 'yes'),
    ('hw:cpu_realtime_mask', '^0-1'),
    ('hw:cpu_dedicated_mask', '0-3,^2,7'),
    ('hw:mem_page_size', 'large'),
    ('hw:mem_page_size', '2048'),
    ('hw:mem_page_size', '1GiB'),
    ('hw:mem_page_size', '2Mb'),
    ('hw:numa_nodes', '2'),
    ('hw:numa_nodes', 2),
    ('hw:numa_cpus.0', '0,1'),
    ('hw:numa_mem.1', '1024'),
    ('hw:cpu_sockets', '2'),
    ('hw:cpu_cores', 4),
    ('hw:cpu_threads', '1'),
    ('hw:cpu_max_sockets', '8'),
    ('hw:watchdog_action', 'poweroff'),
    ('hw:pci_numa_affinity_policy', 'socket'),
    ('hw:tpm_version', '2.0'),
    ('hw:redirected_usb_ports', '15'),
    ('hw:pmem', 'SMALL,LARGE'),
    ('hw_rng:allowed', 'True'),
    ('hw_rng:allowed', 'false'),
    ('hw_rng:rate_bytes', '1024'),
    ('hw_video:ram_max_mb', '64'),
    ('quota:cpu_shares', '2048'),
    ('quota:cpu_quota', '-1'),
    ('quota:disk_read_bytes_sec', 10240000),
    ('quota:vif_inbound_average', '1000'),
    ('quota:memory_shares_level', 'custom'),
    ('resources:VCPU', '0'),
    ('resources:PCPU', '2'),
    ('resources1:CUSTOM_MAGIC', '1'),
    ('resources_gpu:VGPU', '1'),
    ('trait:HW_CPU_X86_AVX2', 'required'),
    ('trait1:CUSTOM_FOO', 'forbidden'),
    ('group_policy', 'isolate'),
    ('hide_hypervisor_id', 'true'),
    ('aggregate_instance_extra_specs:ssd', 'true'),
    ('aggregate_instance_extra_specs:any:thing', '<or> a <or> b'),
    ('capabilities:hypervisor_type', 's== QEMU'),
    ('capabilities:stats:foo', '>= 1'),
    ('os:secure_boot', 'required'),
    ('pci_passthrough:alias', 'a1:2, a2:1'),
    ('accel:device_profile', 'my-profile'),
    # outside the known namespaces: operators' own keys
    ('foo', 'bar'),
    ('my:own', 'anything'),
    ('vmware:hw_version', 'vmx-13'),
    ('hw_foo:bar', 'x'),
])
def test_valid(name, value):
    extra_specs.validate(name, value)


@pytest.mark.parametrize('name,value,message', [
    ('hw:cpu_policy', 'foo',
     "'foo' is not one of: dedicated, shared, mixed."),
    ('hw:cpu_thread_policy', 'always',
     "'always' is not one of: prefer, isolate, require."),
    ('hw:watchdog_action', 'explode', None),
    ('hw:numa_nodes', '0', "'0' is less than the min value of '1'."),
    ('hw:numa_nodes', 'two', "'two' is not a valid integer value."),
    ('hw:numa_nodes', 1.5, "'1.5' is not a valid integer value."),
    ('hw:cpu_sockets', '-1', None),
    ('hw:cpu_cores', '0', None),
    ('hw:cpu_threads', 'x', None),
    ('hw:redirected_usb_ports', '16',
     "'16' is greater than the max value of '15'."),
    ('hw:mem_page_size', 'huge',
     "'huge' is not of the format "
     "'(large|small|any|\\d+([kKMGT]i?)?(b|bit|B)?)'."),
    ('hw:numa_cpus.0', '0-', None),
    ('hw_rng:allowed', 'maybe', "'maybe' is not a valid boolean-like value."),
    ('hw_rng:rate_bytes', '-1', None),
    ('quota:cpu_shares', 'lots', None),
    ('quota:disk_read_bytes_sec', '-5', None),
    ('resources:VCPU', 'one', None),
    ('trait:HW_CPU_X86_AVX2', 'preferred',
     "'preferred' is not one of: required, forbidden."),
    ('group_policy', 'all', None),
    ('os:secure_boot', 'optional', None),
    ('pci_passthrough:alias', 'a1', None),
    # unknown keys of known namespaces
    ('hw:cpu_polcy', 'dedicated',
     "extra spec 'hw:cpu_polcy' does not appear to be a valid extra spec."),
    ('hw:numa_cpus.x', '0', None),
    ('hw_rng:rate', '1', None),
    ('hw_video:ram', '1', None),
    ('quota:foo', '1', None),
    ('resources:FOO', '1', None),
    ('resources1:custom_foo', '1', None),
    ('trait:lower', 'required', None),
    ('capabilities:nosuch', 'x', None),
    ('os:foo', 'x', None),
    ('accel:foo', 'x', None),
    ('aggregate_instance_extra_specs:', 'x', None),
])
def test_invalid(name, value, message):
    with pytest.raises(exception.ValidationError) as info:
        extra_specs.validate(name, value)
    assert info.value.code == 400
    text = str(info.value)
    assert text.startswith('Validation failed; ')
    if message is not None:
        assert text == 'Validation failed; ' + message


def test_every_row_and_namespace_compiles_and_rows_have_namespaces():
    namespaces = re.compile('|'.join(extra_specs.NAMESPACES))
    for name, rule in extra_specs.SPECS:
        re.compile(name)
        assert rule['type'] in ('bool', 'int', 'enum', 'pattern', 'str')
        if ':' in name and not name.startswith(('resources', 'trait')):
            assert namespaces.fullmatch(name.split(':', 1)[0]), name
