"""The fake driver's injected delays and failures, from its options."""

import time

from oslo_config import cfg
import pytest

from nova.compute import states
import nova.conf
from nova import exception
from nova.virt import fake


def _driver(**options):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    for name, value in options.items():
        conf.set_override(name, value, group='fake_driver')
    return fake.FakeDriver(conf)


def _spawn(driver, uuid='u1'):
    driver.spawn(None, {'uuid': uuid}, {}, [], None)


def test_an_operation_is_slowed_down_by_its_delay_only():
    driver = _driver(operation_delays={'spawn': '0.2'})
    start = time.monotonic()
    _spawn(driver)
    assert time.monotonic() - start >= 0.2
    start = time.monotonic()
    driver.destroy(None, {'uuid': 'u1'})
    assert time.monotonic() - start < 0.1
    assert driver.guests == {}


def test_a_failing_operation_raises_and_changes_nothing():
    driver = _driver(fail_operations=['spawn'])
    with pytest.raises(fake.FakeDriverError) as raised:
        _spawn(driver)
    assert raised.value.format_message() == (
        'Fake driver: spawn failed on purpose')
    assert driver.guests == {}
    driver.fail_operations = set()
    _spawn(driver)
    assert list(driver.guests) == ['u1']


def test_capacity_comes_from_the_options():
    driver = _driver(vcpus=8, memory_mb=4096, local_gb=40)
    resources = driver.get_available_resource('node1')
    assert (resources['vcpus'], resources['memory_mb'],
            resources['local_gb']) == (8, 4096, 40)


def test_the_options_are_not_left_to_later_tests():
    # Set on another ConfigOpts (the tests above): not on the process's.
    _driver(fail_operations=['spawn'])
    assert fake.FakeDriver(nova.conf.CONF).fail_operations == set()


def test_diagnostics_follow_the_instance():
    driver = _driver()
    instance = {'uuid': 'u1', 'vcpus': 2, 'memory_mb': 1024,
                'network_info': [{'address': 'fa:16:3e:00:00:01'}]}
    driver.spawn(None, instance, {}, instance['network_info'], None)
    diags = driver.get_instance_diagnostics(instance)
    assert diags['state'] == 'running'
    assert diags['memory_details'] == {'maximum': 1024, 'used': 512}
    assert [c['id'] for c in diags['cpu_details']] == [0, 1]
    assert [n['mac_address'] for n in diags['nic_details']] == [
        'fa:16:3e:00:00:01']
    assert len(diags['disk_details']) == 1
    flat = driver.get_diagnostics(instance)
    assert flat['memory'] == 1024 * 1024
    assert {'cpu0_time', 'cpu1_time', 'vda_read', 'vnet0_rx',
            'vnet0_tx_drop'} <= set(flat)
    driver.power_off(instance)
    assert driver.get_instance_diagnostics(instance)['state'] == 'shutdown'


def test_host_uptime_has_the_uptime_commands_format():
    import re
    assert re.match(r'^ \d\d:\d\d:\d\d up .*load average: ',
                    _driver().get_host_uptime())


def test_trigger_crash_dump_is_recorded_for_a_guest_only():
    driver = _driver()
    _spawn(driver)
    driver.pause({'uuid': 'u1'})
    driver.trigger_crash_dump({'uuid': 'u1'})
    assert driver.crash_dumps == ['u1']
    with pytest.raises(exception.InstanceNotRunning):
        driver.trigger_crash_dump({'uuid': 'nobody'})
    assert driver.crash_dumps == ['u1']


def test_soft_delete_and_restore_power_the_guest_off_and_on():
    driver = _driver()
    _spawn(driver)
    driver.soft_delete({'uuid': 'u1'})
    assert driver.get_power_state({'uuid': 'u1'}) == \
        states.power.SHUTDOWN
    driver.restore({'uuid': 'u1'})
    assert driver.get_power_state({'uuid': 'u1'}) == states.power.RUNNING


def test_a_start_of_a_guest_it_does_not_have_creates_it():
    driver = _driver()
    instance = {'uuid': 'gone'}
    assert not driver.instance_exists(instance)
    with pytest.raises(exception.InstanceNotFound):
        driver.pause(instance)
    driver.power_on(instance)
    assert driver.instance_exists(instance)
    assert driver.get_power_state(instance) == states.power.RUNNING


def test_persisted_guests_are_read_back(tmp_path):
    driver = _driver(persist_guests=True)
    driver.state_dir = str(tmp_path)
    driver.init_host('h1')
    _spawn(driver)
    driver.pause({'uuid': 'u1'})
    again = _driver(persist_guests=True)
    again.state_dir = str(tmp_path)
    again.init_host('h1')
    assert again.guests == {'u1': states.power.PAUSED}
    other = _driver(persist_guests=True)
    other.state_dir = str(tmp_path)
    other.init_host('h2')
    assert other.guests == {}
