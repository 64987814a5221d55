"""Files on another compute host, over ssh: the cold-migration disk copy.

The contract is upstream's (nova/virt/libvirt/volume/remotefs.py): the
user nova-compute runs as logs in to the other hosts by key, without a
password or a host key prompt (BatchMode), and runs plain commands there
(touch, rm, mkdir, mv, stat, sha256sum).  [libvirt]
remote_filesystem_transport picks scp or rsync for the copy itself;
[libvirt] remote_filesystem_ssh_config names an ssh_config with the
hosts' port, key and known_hosts.
"""

import hashlib
import os
import shlex
import uuid

from oslo_concurrency import processutils
from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)

# Fail fast on a host that does not answer instead of hanging the move.
SSH_OPTIONS = ('-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10')


def _target(host, path):
    """host:path for scp and rsync; an IPv6 address in brackets."""
    if ':' in host and not host.startswith('['):
        host = '[%s]' % host
    return '%s:%s' % (host, path)


class RemoteFilesystem:

    def __init__(self, transport='ssh', ssh_config=''):
        self.transport = transport
        self.ssh_config = ssh_config

    @staticmethod
    def _execute(*command):
        return processutils.execute(*command)

    def _ssh_args(self):
        args = list(SSH_OPTIONS)
        if self.ssh_config:
            args = ['-F', self.ssh_config] + args
        return args

    def run(self, host, *command):
        """command on host (a shell line of its quoted words); stdout."""
        out, _err = self._execute('ssh', *self._ssh_args(), host,
                                  shlex.join(command))
        return out

    def create_file(self, host, path):
        self.run(host, 'touch', path)

    def remove_file(self, host, path):
        self.run(host, 'rm', '-f', path)

    def create_dir(self, host, path):
        self.run(host, 'mkdir', '-p', path)

    def remove_dir(self, host, path):
        self.run(host, 'rm', '-rf', path)

    def rename(self, host, source, dest):
        self.run(host, 'mv', '-f', source, dest)

    def copy_command(self, source, host, dest):
        """The command that copies the local file source to host:dest."""
        if self.transport == 'rsync':
            # --sparse: a qcow2's holes stay holes on the destination.
            return ['rsync', '--sparse', '--compress', '-e',
                    shlex.join(['ssh'] + self._ssh_args()), source,
                    _target(host, dest)]
        return ['scp', '-q', '-C'] + self._ssh_args() + [
            source, _target(host, dest)]

    def size_and_checksum(self, host, path):
        """(bytes, sha256 hex) of path on host."""
        out = self.run(host, 'stat', '-c', '%s', path)
        size = int(out.strip())
        out = self.run(host, 'sha256sum', path)
        return size, out.split()[0]

    def copy_file(self, source, host, dest):
        """Copy source to host:dest, verified (size and sha256) before it
        takes dest's name, so dest on host is whole or absent.  Raises
        RemoteCopyFailed."""
        part = dest + '.part'
        try:
            self._execute(*self.copy_command(source, host, part))
            want = local_size_and_checksum(source)
            got = self.size_and_checksum(host, part)
            if got != want:
                self.remove_file(host, part)
                raise exception.RemoteCopyFailed(
                    path=source, host=host, reason=(
                        'the copy has %d bytes, sha256 %s; the source %d '
                        'bytes, sha256 %s' % (got + want)))
            self.rename(host, part, dest)
        except processutils.ProcessExecutionError as e:
            raise exception.RemoteCopyFailed(
                path=source, host=host, reason='%s exited %s: %s' % (
                    e.cmd.split()[0] if e.cmd else 'the copy',
                    e.exit_code, (e.stderr or '').strip()))
        LOG.info('Copied %s to %s (%d bytes, sha256 %s)', source,
                 _target(host, dest), want[0], want[1])

    def is_path_shared_with(self, host, path):
        """Whether host sees this host's directory path as its own: a
        probe file written there through host is looked for here (as
        upstream's _is_path_shared_with).  A host that cannot be reached
        shares nothing."""
        probe = os.path.join(path, '.shared-probe-%s.tmp' % uuid.uuid4().hex)
        try:
            self.create_file(host, probe)
        except processutils.ProcessExecutionError as e:
            LOG.warning('Could not write a probe file on %s: %s', host,
                        (e.stderr or '').strip())
            return False
        if os.path.exists(probe):
            os.unlink(probe)
            return True
        try:
            self.remove_file(host, probe)
        except processutils.ProcessExecutionError:
            pass  # a stray empty file, harmless
        return False


def local_size_and_checksum(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            digest.update(chunk)
    return os.path.getsize(path), digest.hexdigest()
