import datetime

import pytest

from nova.scheduler import filters
from tests.unit.scheduler import NOW, make_conf, make_host, make_spec

CONF = make_conf()
_ONE_FILTER_CONFS = {}


def passes(filter_name, host, spec, conf=None):
    """Run one filter alone (or ``conf``'s filters) over one host."""
    if conf is None:
        if filter_name not in _ONE_FILTER_CONFS:
            _ONE_FILTER_CONFS[filter_name] = make_conf(
                enabled_filters=[filter_name])
        conf = _ONE_FILTER_CONFS[filter_name]
    kept, _report = filters.filter_hosts([host], spec, conf, now=NOW)
    return kept == [host]


# -- ComputeFilter

def _service(**fields):
    service = {'disabled': False, 'disabled_reason': None,
               'forced_down': False,
               'last_seen_up': NOW - datetime.timedelta(seconds=5),
               'created_at': NOW - datetime.timedelta(days=1)}
    service.update(fields)
    return service


def test_compute_filter_passes_enabled_up_service():
    assert passes('ComputeFilter', make_host(service=_service()), make_spec())


def test_compute_filter_rejects_disabled_service():
    host = make_host(service=_service(disabled=True,
                                      disabled_reason='maintenance'))
    assert not passes('ComputeFilter', host, make_spec())


def test_compute_filter_rejects_forced_down_service():
    host = make_host(service=_service(forced_down=True))
    assert not passes('ComputeFilter', host, make_spec())


def test_compute_filter_rejects_stale_heartbeat():
    old = NOW - datetime.timedelta(seconds=61)
    assert not passes('ComputeFilter',
                      make_host(service=_service(last_seen_up=old)),
                      make_spec())


def test_compute_filter_uses_service_down_time():
    conf = make_conf(enabled_filters=['ComputeFilter'])
    conf.set_override('service_down_time', 120)
    old = NOW - datetime.timedelta(seconds=90)
    assert passes('ComputeFilter',
                  make_host(service=_service(last_seen_up=old)),
                  make_spec(), conf=conf)


def test_compute_filter_falls_back_to_created_at():
    fresh = _service(last_seen_up=None,
                     created_at=NOW - datetime.timedelta(seconds=10))
    stale = _service(last_seen_up=None,
                     created_at=NOW - datetime.timedelta(hours=1))
    assert passes('ComputeFilter', make_host(service=fresh), make_spec())
    assert not passes('ComputeFilter', make_host(service=stale), make_spec())


def test_compute_filter_rejects_host_without_service():
    assert not passes('ComputeFilter', make_host(service=None), make_spec())


# -- RamFilter

def test_ram_filter_exact_fit_passes():
    host = make_host(memory_mb=4096, memory_mb_used=3584)
    assert passes('RamFilter', host, make_spec(memory_mb=512))


def test_ram_filter_rejects_when_short():
    host = make_host(memory_mb=4096, memory_mb_used=3585)
    assert not passes('RamFilter', host, make_spec(memory_mb=512))


def test_ram_filter_applies_allocation_ratio():
    # 4096 * 1.5 = 6144 usable; 5000 used leaves 1144.
    host = make_host(memory_mb=4096, memory_mb_used=5000,
                     ram_allocation_ratio=1.5)
    assert passes('RamFilter', host, make_spec(memory_mb=1144))
    assert not passes('RamFilter', host, make_spec(memory_mb=1145))


def test_ram_filter_subtracts_reserved_memory():
    host = make_host(memory_mb=4096, reserved_host_memory_mb=512)
    assert passes('RamFilter', host, make_spec(memory_mb=3584))
    assert not passes('RamFilter', host, make_spec(memory_mb=3585))


# -- CoreFilter

def test_core_filter_exact_fit_and_short():
    host = make_host(vcpus=8, vcpus_used=6)
    assert passes('CoreFilter', host, make_spec(vcpus=2))
    assert not passes('CoreFilter', host, make_spec(vcpus=3))


def test_core_filter_applies_allocation_ratio():
    # 8 * 16.0 = 128 usable.
    host = make_host(vcpus=8, vcpus_used=120, cpu_allocation_ratio=16.0)
    assert passes('CoreFilter', host, make_spec(vcpus=8))
    assert not passes('CoreFilter', host, make_spec(vcpus=9))


def test_core_filter_subtracts_reserved_cpus():
    host = make_host(vcpus=8, reserved_host_cpus=2)
    assert passes('CoreFilter', host, make_spec(vcpus=6))
    assert not passes('CoreFilter', host, make_spec(vcpus=7))


# -- DiskFilter

def test_disk_filter_counts_root_ephemeral_and_swap():
    host = make_host(local_gb=100, disk_gb_used=80)
    # 10 + 8 + 2048 MB swap = 20 GB.
    assert passes('DiskFilter', host,
                  make_spec(root_gb=10, ephemeral_gb=8, swap=2048))
    assert not passes('DiskFilter', host,
                      make_spec(root_gb=11, ephemeral_gb=8, swap=2048))


def test_disk_filter_rounds_swap_up_to_whole_gb():
    # Allocations are whole GB: 512 MB of swap takes 1 GB.
    host = make_host(local_gb=10, disk_gb_used=9)
    assert not passes('DiskFilter', host, make_spec(root_gb=1, swap=512))
    assert passes('DiskFilter', host, make_spec(root_gb=1, swap=0))


def test_disk_filter_applies_allocation_ratio():
    host = make_host(local_gb=100, disk_gb_used=140, disk_allocation_ratio=2.0)
    assert passes('DiskFilter', host, make_spec(root_gb=60))
    assert not passes('DiskFilter', host, make_spec(root_gb=61))


def test_disk_filter_subtracts_reserved_disk_in_mb():
    host = make_host(local_gb=100, reserved_host_disk_mb=10240)
    assert passes('DiskFilter', host, make_spec(root_gb=90))
    assert not passes('DiskFilter', host, make_spec(root_gb=91))


# -- AvailabilityZoneFilter

def test_az_filter_no_requested_zone_passes_everything():
    host = make_host(availability_zone='az-x')
    assert passes('AvailabilityZoneFilter', host,
                  make_spec(availability_zone=None))


def test_az_filter_matches_requested_zone():
    spec = make_spec(availability_zone='az1')
    assert passes('AvailabilityZoneFilter',
                  make_host(availability_zone='az1'), spec)
    assert not passes('AvailabilityZoneFilter',
                      make_host(availability_zone='az2'), spec)


def test_az_filter_host_without_zone_is_in_default_zone():
    host = make_host(availability_zone=None)
    assert passes('AvailabilityZoneFilter', host,
                  make_spec(availability_zone='nova'))
    assert not passes('AvailabilityZoneFilter', host,
                      make_spec(availability_zone='az1'))


# -- ImagePropertiesFilter

def _image(**properties):
    return {'id': 'image-1', 'properties': properties}


def test_image_filter_no_requirements_passes_any_host():
    assert passes('ImagePropertiesFilter',
                  make_host(supported_instances=None), make_spec())


def test_image_filter_matches_supported_instance():
    spec = make_spec(image=_image(hw_architecture='x86_64',
                                  img_hv_type='qemu', hw_vm_mode='hvm'))
    assert passes('ImagePropertiesFilter', make_host(), spec)


def test_image_filter_rejects_unsupported_architecture():
    spec = make_spec(image=_image(hw_architecture='aarch64'))
    assert not passes('ImagePropertiesFilter', make_host(), spec)


def test_image_filter_partial_requirements_match_any_entry():
    host = make_host(supported_instances=[['x86_64', 'kvm', 'hvm'],
                                          ['aarch64', 'qemu', 'hvm']])
    assert passes('ImagePropertiesFilter', host,
                  make_spec(image=_image(img_hv_type='qemu')))
    # Each entry must satisfy every stated property at once.
    assert not passes('ImagePropertiesFilter', host, make_spec(
        image=_image(hw_architecture='x86_64', img_hv_type='qemu')))


def test_image_filter_accepts_legacy_names_and_aliases():
    spec = make_spec(image=_image(architecture='AMD64',
                                  hypervisor_type='QEMU', vm_mode='hv'))
    assert passes('ImagePropertiesFilter', make_host(), spec)


def test_image_filter_rejects_vm_mode_mismatch():
    spec = make_spec(image=_image(hw_vm_mode='exe'))
    assert not passes('ImagePropertiesFilter', make_host(), spec)


def test_image_filter_host_without_supported_instances():
    host = make_host(supported_instances=None)
    assert not passes('ImagePropertiesFilter', host,
                      make_spec(image=_image(hw_architecture='x86_64')))
    host = make_host(supported_instances=[])
    assert not passes('ImagePropertiesFilter', host,
                      make_spec(image=_image(img_hv_type='qemu')))


def test_image_filter_over_mixed_hosts_in_one_pass():
    conf = make_conf(enabled_filters=['ImagePropertiesFilter'])
    hosts = [make_host('x86'), make_host('arm', supported_instances=[
                 ['aarch64', 'qemu', 'hvm']]),
             make_host('x86-too'), make_host('none', supported_instances=None),
             make_host('odd', supported_instances=[['x86_64', 'qemu']])]
    kept, report = filters.filter_hosts(
        hosts, make_spec(image=_image(hw_architecture='x86_64')), conf,
        now=NOW)
    assert [h['host'] for h in kept] == ['x86', 'x86-too']
    assert report.removals == [('ImagePropertiesFilter', 3,
                                'image not supported')]


def test_image_filter_requested_hypervisor_version():
    host = make_host(hypervisor_version=8002000)   # 8.2.0
    assert passes('ImagePropertiesFilter', host,
                  make_spec(image=_image(img_hv_requested_version='>=8.0')))
    assert passes('ImagePropertiesFilter', host, make_spec(
        image=_image(img_hv_requested_version='>=8.2, <9')))
    assert not passes('ImagePropertiesFilter', host,
                      make_spec(image=_image(img_hv_requested_version='<8')))
    assert not passes('ImagePropertiesFilter', host, make_spec(
        image=_image(img_hv_requested_version='>8.2.0')))


def test_image_filter_version_requirement_ignores_unknown_host_version():
    host = make_host(hypervisor_version=None)
    assert passes('ImagePropertiesFilter', host,
                  make_spec(image=_image(img_hv_requested_version='>=8.0')))


def test_image_filter_unreadable_version_requirement_matches_nothing():
    assert not passes('ImagePropertiesFilter', make_host(), make_spec(
        image=_image(img_hv_requested_version='about eight')))


def test_parse_version_requirement():
    clauses = filters.parse_version_requirement('>=6.0,!=6.1')
    assert [version for _op, version in clauses] == [(6, 0, 0), (6, 1, 0)]
    with pytest.raises(ValueError):
        filters.parse_version_requirement('6.0')


# -- Same/DifferentHostFilter

def test_same_host_filter():
    host = make_host(instance_uuids=['a', 'b'])
    assert passes('SameHostFilter', host,
                  make_spec(scheduler_hints={'same_host': ['b', 'z']}))
    assert not passes('SameHostFilter', host,
                      make_spec(scheduler_hints={'same_host': ['z']}))


def test_same_host_filter_accepts_single_uuid_string():
    host = make_host(instance_uuids=['a'])
    assert passes('SameHostFilter', host,
                  make_spec(scheduler_hints={'same_host': 'a'}))
    assert not passes('SameHostFilter', make_host(),
                      make_spec(scheduler_hints={'same_host': 'a'}))


def test_same_host_filter_without_hint_passes():
    assert passes('SameHostFilter', make_host(),
                  make_spec(scheduler_hints=None))


def test_hint_filters_on_host_without_instances():
    host = make_host(instance_uuids=None)
    assert not passes('SameHostFilter', host,
                      make_spec(scheduler_hints={'same_host': ['a']}))
    assert passes('DifferentHostFilter', host,
                  make_spec(scheduler_hints={'different_host': ['a']}))


def test_different_host_filter():
    host = make_host(instance_uuids=['a', 'b'])
    assert not passes('DifferentHostFilter', host,
                      make_spec(scheduler_hints={'different_host': ['b']}))
    assert passes('DifferentHostFilter', host,
                  make_spec(scheduler_hints={'different_host': 'z'}))
    assert passes('DifferentHostFilter', host, make_spec())


# -- ignore_hosts (reschedules)

def test_ignored_hosts_are_removed_even_when_not_configured():
    conf = make_conf(enabled_filters=['RamFilter'])
    hosts = [make_host('h1'), make_host('h2'), make_host('h3')]
    kept, report = filters.filter_hosts(
        hosts, make_spec(ignore_hosts=['h1', 'h3']), conf, now=NOW)
    assert [h['host'] for h in kept] == ['h2']
    assert report.removals == [
        ('IgnoreHostsFilter', 2, "already tried, or the instance's own host")]


# -- configuration

def test_default_filters_run_cheapest_first():
    names = [f.__name__ for f in filters.enabled_filters(CONF)]
    assert names == ['IgnoreHostsFilter', 'AvailabilityZoneFilter',
                     'ComputeFilter', 'RamFilter', 'CoreFilter',
                     'DiskFilter', 'ImagePropertiesFilter',
                     'SameHostFilter', 'DifferentHostFilter',
                     'ServerGroupAntiAffinityFilter',
                     'ServerGroupAffinityFilter']


def test_unknown_filter_name_is_an_error():
    conf = make_conf(enabled_filters=['RamFilter', 'NoSuchFilter'])
    with pytest.raises(ValueError, match='NoSuchFilter'):
        filters.enabled_filters(conf)


def test_disabled_filter_does_not_run():
    conf = make_conf(enabled_filters=['CoreFilter'])
    host = make_host(memory_mb=1)
    assert passes('CoreFilter', host, make_spec(memory_mb=4096), conf=conf)


# -- report and message

def _mixed_hosts():
    return [
        make_host('up-big'),
        make_host('down', service=_service(disabled=True)),
        make_host('small1', memory_mb=256),
        make_host('small2', memory_mb=1024, memory_mb_used=1000),
    ]


def test_report_counts_what_each_filter_removed():
    kept, report = filters.filter_hosts(_mixed_hosts(), make_spec(), CONF,
                                        now=NOW)
    assert [h['host'] for h in kept] == ['up-big']
    assert report.hosts_considered == 4
    assert report.hosts_passed == 1
    assert report.removals == [('ComputeFilter', 1, 'disabled or down'),
                               ('RamFilter', 2, 'not enough RAM')]
    assert report.removed_by('RamFilter') == 2
    assert report.removed_by('DiskFilter') == 0


def test_filter_hosts_keeps_input_order_and_does_not_modify_hosts():
    hosts = [make_host('h%d' % i) for i in range(5)]
    before = [dict(h) for h in hosts]
    kept, _report = filters.filter_hosts(hosts, make_spec(), CONF, now=NOW)
    assert kept == hosts and kept is not hosts
    assert hosts == before


def test_no_valid_host_message():
    hosts = _mixed_hosts()[1:]
    kept, report = filters.filter_hosts(hosts, make_spec(), CONF, now=NOW)
    assert kept == []
    assert filters.no_valid_host_message(report) == (
        'No valid host was found. There are not enough hosts available. '
        '3 hosts considered: ComputeFilter removed 1 (disabled or down), '
        'RamFilter removed 2 (not enough RAM).')


def test_no_valid_host_message_with_no_hosts():
    _kept, report = filters.filter_hosts([], make_spec(), CONF, now=NOW)
    assert filters.no_valid_host_message(report) == (
        'No valid host was found. There are not enough hosts available. '
        '0 hosts considered.')


def test_no_valid_host_message_singular_and_stops_at_empty():
    host = make_host(service=_service(forced_down=True), memory_mb=1)
    _kept, report = filters.filter_hosts([host], make_spec(), CONF, now=NOW)
    # RamFilter would also reject it but never ran: nothing was left.
    assert filters.no_valid_host_message(report) == (
        'No valid host was found. There are not enough hosts available. '
        '1 host considered: ComputeFilter removed 1 (disabled or down).')


def test_message_summary_survives_fault_truncation():
    report = filters.FilterReport(1000)
    for cls in filters.enabled_filters(CONF):
        report.record(cls, 111)
    message = filters.no_valid_host_message(report)
    assert message[:255].startswith(
        filters.NO_VALID_HOST + ' 1000 hosts considered: ')
