"""The ssh side of cold migration: remotefs's commands, its verified copy
and the shared-path probe, and the libvirt driver's move over it.

processutils.execute is the only thing replaced: FakeRemote runs what
ssh, scp or rsync would run on the other host, on a directory standing
for that host's filesystem (its root).
"""

import os
import shlex
import shutil
import subprocess
from unittest import mock

from oslo_concurrency import processutils
import pytest

from nova import exception
from nova.compute import states
from nova.virt.libvirt import images
from nova.virt.libvirt import remotefs
from tests.unit.virt.libvirt import conftest
from tests.unit.virt.libvirt import test_driver

DEST = '192.0.2.7'
_real_execute = processutils.execute


class FakeRemote:
    """ssh/scp/rsync to DEST, whose / is root (None: this filesystem, as
    a host sharing it)."""

    def __init__(self, root=None):
        self.root = root
        self.commands = []
        self.fail = None       # a program name that exits 1
        self.corrupt = False   # the copy arrives damaged

    def path(self, path):
        if self.root is None or not path.startswith('/'):
            return path
        return self.root + path

    def _remote(self, arg):
        host, _, path = arg.partition(':')
        assert host == DEST
        return self.path(path)

    def __call__(self, *argv, **kwargs):
        program = argv[0]
        if program not in ('ssh', 'scp', 'rsync'):
            return _real_execute(*argv, **kwargs)
        self.commands.append(list(argv))
        if program == self.fail:
            raise processutils.ProcessExecutionError(
                exit_code=1, stderr='%s: connection refused' % program,
                cmd=' '.join(argv))
        if program == 'ssh':
            assert argv[-2] == DEST
            words = [self.path(w) for w in shlex.split(argv[-1])]
            out = subprocess.run(words, check=True, capture_output=True,
                                 text=True).stdout
            return out, ''
        if program in ('scp', 'rsync'):
            source, dest = argv[-2], self._remote(argv[-1])
            shutil.copyfile(source, dest)
            if self.corrupt:
                with open(dest, 'ab') as f:
                    f.write(b'x')
            return '', ''
        raise AssertionError('unexpected command %s' % (argv,))


@pytest.fixture
def remote(tmp_path):
    fake = FakeRemote(str(tmp_path / 'remote-root'))
    with mock.patch.object(processutils, 'execute', fake):
        yield fake


def test_copy_commands_carry_the_ssh_options():
    ssh = remotefs.RemoteFilesystem('ssh', '/etc/nova/ssh_config')
    assert ssh.copy_command('/i/u/disk', '10.1.2.3', '/i/u/disk.part') == [
        'scp', '-q', '-C', '-F', '/etc/nova/ssh_config', '-o',
        'BatchMode=yes', '-o', 'ConnectTimeout=10', '/i/u/disk',
        '10.1.2.3:/i/u/disk.part']
    rsync = remotefs.RemoteFilesystem('rsync')
    assert rsync.copy_command('/i/u/disk', 'fd00::2', '/i/u/disk') == [
        'rsync', '--sparse', '--compress', '-e',
        'ssh -o BatchMode=yes -o ConnectTimeout=10', '/i/u/disk',
        '[fd00::2]:/i/u/disk']


def test_remote_commands_are_quoted_for_the_remote_shell():
    calls = []

    def execute(*argv):
        calls.append(argv)
        return '', ''

    with mock.patch.object(processutils, 'execute', execute):
        remotefs.RemoteFilesystem(ssh_config='/c').create_dir(
            DEST, '/a dir/x;rm -rf ~')
    assert calls == [('ssh', '-F', '/c', '-o', 'BatchMode=yes', '-o',
                      'ConnectTimeout=10', DEST,
                      "mkdir -p '/a dir/x;rm -rf ~'")]


def test_copy_file_arrives_whole_and_verified(tmp_path, remote):
    source = tmp_path / 'disk'
    source.write_bytes(b'disk data' * 1000)
    os.makedirs(remote.path('/inst'))
    remotefs.RemoteFilesystem().copy_file(str(source), DEST, '/inst/disk')
    assert open(remote.path('/inst/disk'), 'rb').read() == \
        source.read_bytes()
    assert not os.path.exists(remote.path('/inst/disk.part'))
    programs = [c[0] if c[0] != 'ssh' else c[-1].split()[0]
                for c in remote.commands]
    assert programs == ['scp', 'stat', 'sha256sum', 'mv']


def test_a_damaged_copy_is_refused_and_removed(tmp_path, remote):
    source = tmp_path / 'disk'
    source.write_bytes(b'disk data')
    os.makedirs(remote.path('/inst'))
    remote.corrupt = True
    with pytest.raises(exception.RemoteCopyFailed,
                       match='the copy has 10 bytes'):
        remotefs.RemoteFilesystem().copy_file(str(source), DEST,
                                              '/inst/disk')
    assert os.listdir(remote.path('/inst')) == []


def test_a_failed_transfer_says_why(tmp_path, remote):
    source = tmp_path / 'disk'
    source.write_bytes(b'disk data')
    remote.fail = 'rsync'
    with pytest.raises(exception.RemoteCopyFailed,
                       match='rsync exited 1: rsync: connection refused'):
        remotefs.RemoteFilesystem('rsync').copy_file(str(source), DEST,
                                                     '/inst/disk')


def test_a_path_is_shared_when_the_probe_shows_up_here(tmp_path):
    shared = FakeRemote(root=None)
    with mock.patch.object(processutils, 'execute', shared):
        assert remotefs.RemoteFilesystem().is_path_shared_with(
            DEST, str(tmp_path))
    assert os.listdir(tmp_path) == []   # the probe is gone


def test_a_path_is_not_shared_when_the_probe_does_not(tmp_path, remote):
    here = tmp_path / 'instances'
    here.mkdir()
    os.makedirs(remote.path(str(here)))
    assert not remotefs.RemoteFilesystem().is_path_shared_with(
        DEST, str(here))
    assert os.listdir(remote.path(str(here))) == []
    assert os.listdir(here) == []


def test_an_unreachable_host_shares_nothing(tmp_path, remote):
    remote.fail = 'ssh'
    assert not remotefs.RemoteFilesystem().is_path_shared_with(
        DEST, str(tmp_path))


# -- the driver's move over ssh --------------------------------------------

@pytest.fixture
def hosts(tmp_path, fake_images, remote):
    """A source and a destination with the same instances_path on
    filesystems of their own (the destination's under remote's root)."""
    source = conftest.libvirt_driver.LibvirtDriver(
        conftest.make_conf(tmp_path, 'src'))
    conf = conftest.make_conf(tmp_path, 'dst')
    conf.set_override('instances_path', remote.path(source.instances_path))
    conf.set_override('migration_inbound_addr', DEST, group='libvirt')
    dest = conftest.libvirt_driver.LibvirtDriver(conf)
    for drv in (source, dest):
        drv._image_api = fake_images
        os.makedirs(drv.cache_dir, exist_ok=True)
    yield source, dest
    source.host.close()
    dest.host.close()


def _move(source, instance):
    return source.migrate_disk_and_power_off(
        None, instance, {'source_compute': 'src', 'dest_compute': 'dst',
                         'dest_host_ip': DEST})


def test_a_move_copies_the_disk_to_a_host_that_does_not_share_it(
        hosts, fake_images, remote):
    source, dest = hosts
    instance = test_driver._spawn(source, fake_images)
    uuid = instance['uuid']
    disk_info = _move(source, instance)
    assert disk_info['copied'] is True
    copied = os.path.join(dest.instances_path, uuid, 'disk')
    moved = os.path.join(source.instances_path, uuid + '_resize', 'disk')
    assert remotefs.local_size_and_checksum(copied) == \
        remotefs.local_size_and_checksum(moved)
    assert source.host.find_domain(uuid) is None
    dest.finish_migration(None, instance, {}, True, disk_info)
    assert dest.get_power_state(instance) == states.power.RUNNING
    # Rebased on the destination's own cache.
    assert images.info(copied)['full-backing-filename'] == os.path.join(
        dest.cache_dir, instance['image_ref'])
    assert os.path.isfile(os.path.join(dest.cache_dir,
                                       instance['image_ref']))


def test_a_failed_copy_leaves_the_guest_running_on_the_source(
        hosts, fake_images, remote):
    source, dest = hosts
    instance = test_driver._spawn(source, fake_images)
    uuid = instance['uuid']
    remote.fail = 'scp'
    with pytest.raises(exception.InstanceFaultRollback) as caught:
        _move(source, instance)
    assert isinstance(caught.value.inner_exception,
                      exception.RemoteCopyFailed)
    assert source.get_power_state(instance) == states.power.RUNNING
    assert os.path.exists(os.path.join(source.instances_path, uuid, 'disk'))
    assert not os.path.exists(os.path.join(source.instances_path,
                                           uuid + '_resize'))
    # The directory made on the destination for the copy is gone.
    assert not os.path.exists(os.path.join(dest.instances_path, uuid))


def test_the_same_address_or_host_is_shared_without_ssh(make_driver,
                                                         fake_images):
    driver = make_driver()
    driver.conf.set_override('migration_inbound_addr', '10.9.9.9',
                             group='libvirt')
    with mock.patch.object(processutils, 'execute') as execute:
        assert driver._shares_instances_path(
            {'source_compute': 'a', 'dest_compute': 'b',
             'dest_host_ip': '10.9.9.9'}, '10.9.9.9')
        assert driver._shares_instances_path(
            {'source_compute': 'a', 'dest_compute': 'a'}, DEST)
    execute.assert_not_called()
