"""Disk files with qemu-img: base images, per-instance overlays, copies.

Base images sit in the host's image cache (``$instances_path/_base``, one
file per Glance image id, downloaded once).  Each instance's root disk is a
qcow2 overlay backed by its base, so a boot costs a few KB of writes, not
a copy of the image.
"""

import json
import os
import shutil

from oslo_concurrency import processutils
from oslo_log import log as logging

from nova import exception

LOG = logging.getLogger(__name__)

GiB = 1024 ** 3

# The Glance disk formats a guest can boot, and how qemu names them.
QEMU_FORMATS = {'qcow2': 'qcow2', 'raw': 'raw', 'ami': 'raw'}


class ImageUnacceptable(exception.NovaException):
    msg_fmt = 'Image %(image_id)s is unacceptable: %(reason)s'
    code = 400
    safe = True


def _qemu_img(*args):
    try:
        out, _err = processutils.execute('qemu-img', *args)
    except processutils.ProcessExecutionError as e:
        raise exception.NovaException(
            'qemu-img %s failed: %s' % (args[0], (e.stderr or '').strip()))
    return out


def info(path):
    """qemu-img's view of a file: format, virtual-size, backing file."""
    # -U: the file may be open by a running guest.
    return json.loads(_qemu_img('info', '-U', '--output=json', path))


def check_base(path, image_id):
    """The qemu format of a downloaded base image; refuses images that
    point at other files (a backing file in an image could read any file
    on the host)."""
    details = info(path)
    if details.get('backing-filename'):
        raise ImageUnacceptable(image_id=image_id,
                                reason='it has a backing file')
    fmt = details.get('format')
    if fmt not in ('raw', 'qcow2'):
        raise ImageUnacceptable(image_id=image_id,
                                reason='format %s is not supported' % fmt)
    return fmt, details.get('virtual-size') or 0


def create_overlay(base, base_format, path, size_gb=0):
    """A qcow2 at path backed by base, size_gb (when larger than the
    base's own size) so the flavor's root disk size shows in the guest."""
    _fmt, base_size = check_base(base, os.path.basename(base))
    args = ['create', '-f', 'qcow2', '-F', base_format, '-b', base, path]
    if size_gb and size_gb * GiB > base_size:
        args.append(str(size_gb * GiB))
    _qemu_img(*args)


def resize(path, size_gb):
    """Grow the disk at path to size_gb; never shrinks."""
    if size_gb and size_gb * GiB > info(path).get('virtual-size', 0):
        _qemu_img('resize', path, str(size_gb * GiB))


def rebase(path, backing, backing_format):
    """Point path at an identical backing file elsewhere (unsafe mode:
    the data is the same, only the name changes)."""
    _qemu_img('rebase', '-u', '-F', backing_format, '-b', backing, path)


def convert(source, dest, out_format):
    """A standalone copy of source (base + overlay flattened), readable
    while a guest runs on source."""
    _qemu_img('convert', '-U', '-O', out_format, source, dest)


def copy_file(source, dest):
    """Copy source to dest through a temporary name, so dest is whole or
    absent."""
    part = dest + '.part'
    shutil.copyfile(source, part)
    os.replace(part, dest)
