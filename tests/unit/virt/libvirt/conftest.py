"""The libvirt driver against libvirt's test driver (no QEMU runs).

Each test gets its own ``test:///<node.xml>`` connection: the test driver
keeps state per connection for file URIs, so tests never see each other's
domains.  qemu-img does run for real on small files in tmp_path.
"""

import os
import uuid

from oslo_config import cfg
import pytest

import nova.conf
from nova.virt.libvirt import driver as libvirt_driver
from nova.virt.libvirt import images

NODE_XML = """<node>
  <cpu><mhz>2400</mhz><nodes>1</nodes><sockets>1</sockets><cores>4</cores>
       <threads>1</threads><active>4</active><model>x86_64</model></cpu>
  <memory>16777216</memory>
</node>
"""


class FakeImages:
    """download/show of nova.image.glance.API, from files made here."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.meta = {}
        self.files = {}
        self.downloads = []

    def add(self, data=b'', size_mb=1, fmt='qcow2', **properties):
        image_id = str(uuid.uuid4())
        raw = os.path.join(self.tmp_path, image_id + '.raw')
        with open(raw, 'wb') as f:
            f.write(data)
            f.truncate(size_mb * 1024 * 1024)
        if fmt == 'qcow2':
            path = raw[:-4] + '.qcow2'
            images._qemu_img('convert', '-f', 'raw', '-O', 'qcow2', raw,
                             path)
        else:
            path = raw
        self.files[image_id] = path
        self.meta[image_id] = {'id': image_id, 'status': 'active',
                               'properties': properties}
        return image_id

    def show(self, context, image_id):
        return self.meta[image_id]

    def download(self, context, image_id, dest_path):
        self.downloads.append(image_id)
        with open(self.files[image_id], 'rb') as src, \
                open(dest_path, 'wb') as dst:
            dst.write(src.read())
        return self.meta[image_id]


def make_conf(tmp_path, name='host1'):
    conf = cfg.ConfigOpts()
    nova.conf.register_opts(conf)
    conf([], project='nova', default_config_files=[],
         default_config_dirs=[])
    node = tmp_path / ('%s-node.xml' % name)
    node.write_text(NODE_XML)
    conf.set_override('instances_path', str(tmp_path / name / 'instances'))
    conf.set_override('connection_uri', 'test://%s' % node, group='libvirt')
    conf.set_override('virt_type', 'qemu', group='libvirt')
    conf.set_override('shutdown_timeout', 2, group='libvirt')
    return conf


@pytest.fixture
def fake_images(tmp_path):
    return FakeImages(tmp_path)


@pytest.fixture
def make_driver(tmp_path, fake_images):
    drivers = []

    def make(name='host1'):
        drv = libvirt_driver.LibvirtDriver(make_conf(tmp_path, name))
        drv._image_api = fake_images
        os.makedirs(drv.cache_dir, exist_ok=True)
        drivers.append(drv)
        return drv

    yield make
    for drv in drivers:
        drv.host.close()


@pytest.fixture
def driver(make_driver):
    return make_driver()
