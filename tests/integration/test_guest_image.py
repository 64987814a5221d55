"""The tiny-linux test guest itself, booted by plain QEMU (TCG).

devstack/libvirt.sh builds it (libvirt_build_test_image) into the same
per-session cache as the libvirt tests' stack.sh runs, then QEMU boots its
kernel, initramfs and (an overlay of) its disk, with the serial console in
a file.  With a virtio network card on QEMU's user-mode network (its own
DHCP server at 10.0.2.2 hands out 10.0.2.15) the guest must print its lease
before ``tiny-linux: ready``; without a card, "ready" must come without any
DHCP wait.  A boot takes 5-30 s here.
"""

import os
import re
import shutil
import subprocess
import time

import pytest

from tests.integration import conftest


LIB_SH = os.path.join(conftest.TOP, 'devstack', 'lib.sh')
LIBVIRT_SH = os.path.join(conftest.TOP, 'devstack', 'libvirt.sh')
QEMU = 'qemu-system-x86_64'
BOOT_TIMEOUT = 180
READY = re.compile(r'^tiny-linux: ready\b', re.M)
# The line before the network step.
BOOTED = re.compile(r'^tiny-linux: boot 1\b', re.M)
LEASE = re.compile(r'^tiny-linux: lease (\S+) ip=(\S*) router=(\S*) '
                   r'mask=(\S*)\s*$', re.M)
NO_LEASE = re.compile(r'^tiny-linux: no lease (\S+)\s*$', re.M)
# udhcpc -t 20 -T 1: a card without a DHCP server keeps the guest ~20 s.
DHCP_WAIT = 20


def _devstack(code, env, timeout):
    """Run bash code with devstack's lib.sh and libvirt.sh sourced."""
    return subprocess.run(
        ['bash', '-c', 'set -euo pipefail; source "$1"; source "$2"; ' + code,
         'devstack', LIB_SH, LIBVIRT_SH],
        env=env, capture_output=True, text=True, timeout=timeout)


def _tail(result):
    return (result.stdout + result.stderr)[-2000:]


@pytest.fixture(scope='module')
def image(tmp_path_factory):
    """The built image: {'vmlinuz', 'initrd', 'disk', 'cmdline'}."""
    tmp = tmp_path_factory.mktemp('guest-image')
    cache = conftest._image_cache_dir(tmp)
    env = dict(os.environ, NOVA_DIR=conftest.TOP, STACK_DIR=str(tmp),
               LOGDIR=str(tmp / 'logs'), NOVA_IMAGE_CACHE_DIR=cache)
    if not (shutil.which(QEMU) and shutil.which('qemu-img')):
        # As .ci/run does: QEMU, busybox-static, cpio and the rest.
        result = _devstack('libvirt_install_packages', env, 900)
        if not (shutil.which(QEMU) and shutil.which('qemu-img')):
            pytest.skip('%s is not installed and libvirt_install_packages '
                        'could not install it (exit status %d): %s'
                        % (QEMU, result.returncode, _tail(result)))
    # Locked: a stack.sh of the libvirt tests may be building it too.
    result = _devstack('libvirt_build_test_image; '
                       'echo "cmdline=$LIBVIRT_TEST_IMAGE_CMDLINE"', env, 1200)
    assert result.returncode == 0, (
        'libvirt_build_test_image failed:\n%s' % _tail(result))
    cmdline = re.search(r'^cmdline=(.*)$', result.stdout, re.M).group(1)
    return {'vmlinuz': os.path.join(cache, 'vmlinuz'),
            'initrd': os.path.join(cache, 'initrd.img'),
            'disk': os.path.join(cache, 'disk.qcow2'),
            'cmdline': cmdline}


class Guest:
    """One QEMU process booting the image; its console in a file."""

    def __init__(self, image, tmp_path, qemu_args):
        # The guest writes its boot counter to its disk: never the cache's.
        overlay = str(tmp_path / 'disk.qcow2')
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', '-F',
                        'qcow2', '-b', image['disk'], overlay],
                       check=True, timeout=60)
        self.console = str(tmp_path / 'console.log')
        self.stderr_path = str(tmp_path / 'qemu.err')
        # -nodefaults: no NIC unless qemu_args adds one (QEMU's default
        # e1000 otherwise), no VGA, no monitor.
        cmd = [QEMU, '-nodefaults', '-display', 'none', '-accel', 'tcg',
               '-m', '256', '-smp', '1', '-no-reboot',
               '-kernel', image['vmlinuz'], '-initrd', image['initrd'],
               '-append', image['cmdline'],
               '-drive', 'file=%s,if=virtio,format=qcow2' % overlay,
               '-serial', 'file:' + self.console] + list(qemu_args)
        with open(self.stderr_path, 'w') as stderr:
            self.started = time.monotonic()
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                         stdout=stderr, stderr=stderr)

    def output(self):
        try:
            with open(self.console, errors='replace') as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def wait(self, pattern, timeout=BOOT_TIMEOUT):
        """Until the console shows pattern: its match and the seconds
        since QEMU started."""
        deadline = self.started + timeout
        while True:
            found = pattern.search(self.output())
            if found:
                return found, time.monotonic() - self.started
            if self.proc.poll() is not None:
                with open(self.stderr_path) as f:
                    error = f.read()[-2000:]
                pytest.fail('QEMU exited (status %s) before %r; its stderr:'
                            '\n%s\nthe console:\n%s' % (
                                self.proc.returncode, pattern.pattern,
                                error, self.output()[-3000:]))
            if time.monotonic() > deadline:
                pytest.fail('%r did not appear on the console in %ss; its '
                            'end:\n%s' % (pattern.pattern, timeout,
                                          self.output()[-3000:]))
            time.sleep(0.1)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


@pytest.fixture
def boot(image, tmp_path):
    guests = []

    def _boot(*qemu_args):
        guests.append(Guest(image, tmp_path, qemu_args))
        return guests[-1]

    yield _boot
    for guest in guests:
        guest.stop()


def _tiny_lines(output):
    return [line.strip() for line in output.splitlines()
            if line.startswith('tiny-linux:')]


def test_a_virtio_nic_gets_its_lease_before_ready(boot, record_property):
    guest = boot('-netdev', 'user,id=n0',
                 '-device', 'virtio-net-pci,netdev=n0')
    lease, lease_after = guest.wait(LEASE)
    _, ready_after = guest.wait(READY)
    record_property('lease_after_s', round(lease_after, 1))
    record_property('ready_after_s', round(ready_after, 1))
    print('virtio NIC: lease %.1f s, ready %.1f s after QEMU started'
          % (lease_after, ready_after))
    assert lease.groups() == ('eth0', '10.0.2.15', '10.0.2.2', '24'), \
        lease.group(0)
    output = guest.output()
    lines = _tiny_lines(output)
    # One line per interface, and "ready" means the network is settled.
    assert len(LEASE.findall(output)) == 1, lines
    assert not NO_LEASE.search(output), lines
    assert output.index(lease.group(0)) < READY.search(output).start()
    assert not [line for line in lines if 'insmod' in line], lines


def test_no_nic_means_no_dhcp_wait(boot, record_property):
    guest = boot()
    _, booted_after = guest.wait(BOOTED)
    _, ready_after = guest.wait(READY)
    record_property('ready_after_s', round(ready_after, 1))
    print('no NIC: boot line %.1f s, ready %.1f s after QEMU started'
          % (booted_after, ready_after))
    output = guest.output()
    lines = _tiny_lines(output)
    assert not LEASE.search(output) and not NO_LEASE.search(output), lines
    assert not [line for line in lines if 'insmod' in line], lines
    # From the line before the network step to "ready": no udhcpc ran
    # (it would take DHCP_WAIT s without an answer).
    assert ready_after - booted_after < DHCP_WAIT / 2, (
        booted_after, ready_after)


def test_a_nic_without_dhcp_server_says_so_then_ready(boot, record_property):
    # A card with no peer: QEMU drops what it sends.
    guest = boot('-device', 'virtio-net-pci')
    no_lease, no_lease_after = guest.wait(NO_LEASE, BOOT_TIMEOUT + DHCP_WAIT)
    _, ready_after = guest.wait(READY, BOOT_TIMEOUT + DHCP_WAIT)
    record_property('no_lease_after_s', round(no_lease_after, 1))
    print('NIC without DHCP: no lease %.1f s, ready %.1f s after QEMU '
          'started' % (no_lease_after, ready_after))
    assert no_lease.group(1) == 'eth0'
    output = guest.output()
    assert not LEASE.search(output), _tiny_lines(output)
    assert output.index(no_lease.group(0)) < READY.search(output).start()
