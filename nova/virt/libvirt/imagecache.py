"""Pruning the host's image cache ($instances_path/_base).

A base image is in use while a disk in an instance directory is backed by
it, or a domain definition there boots its kernel or ramdisk (directories
set aside for a resize revert count too).  Files in use get their
modification time renewed at each run; a file unused for
[image_cache] remove_unused_original_minimum_age_seconds is deleted, under
the same per-image lock the downloads take.
"""

import os
import time

from oslo_log import log as logging

from nova.image import glance
from nova.virt.libvirt import guest_xml
from nova.virt.libvirt import images

LOG = logging.getLogger(__name__)

DISK_FILES = ('disk', 'disk.rescue')
DEFINITIONS = ('libvirt.xml', 'libvirt-rescue.xml')


def files_in_use(instances_path, cache_dir):
    """The real paths of the cache files the instances here use."""
    used = set()
    for entry in os.listdir(instances_path):
        directory = os.path.join(instances_path, entry)
        if directory == cache_dir or not os.path.isdir(directory):
            continue
        for name in DISK_FILES:
            path = os.path.join(directory, name)
            if os.path.exists(path):
                backing = images.info(path).get('full-backing-filename')
                if backing:
                    used.add(os.path.realpath(backing))
        for name in DEFINITIONS:
            path = os.path.join(directory, name)
            if os.path.exists(path):
                with open(path) as f:
                    kernel, ramdisk, _cmdline = guest_xml.boot_files(
                        f.read())
                used.update(os.path.realpath(p) for p in (kernel, ramdisk)
                            if p)
    return used


def prune(instances_path, cache_dir, min_age, remove=True):
    """Delete the cache files unused for min_age seconds; their names."""
    if not os.path.isdir(cache_dir):
        return []
    used = files_in_use(instances_path, cache_dir)
    removed = []
    for name in sorted(os.listdir(cache_dir)):
        path = os.path.join(cache_dir, name)
        if name.startswith('.') or '.part-' in name or \
                not os.path.isfile(path):
            continue
        if os.path.realpath(path) in used:
            os.utime(path)  # last seen in use now
            continue
        if not remove:
            continue
        with glance.cache_lock(cache_dir, name):
            try:
                unused_for = time.time() - os.stat(path).st_mtime
            except FileNotFoundError:
                continue
            if unused_for < min_age:
                continue
            os.unlink(path)
        removed.append(name)
        LOG.info('Deleted base image %s from the image cache: unused for '
                 '%d seconds', name, unused_for)
    return removed
