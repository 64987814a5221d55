"""Option listing for oslo-config-generator (``tox -e genconfig``)."""

from nova.conf import api
from nova.conf import compute
from nova.conf import conductor
from nova.conf import console
from nova.conf import consoleauth
from nova.conf import database
from nova.conf import fake_driver
from nova.conf import glance
from nova.conf import image_cache
from nova.conf import libvirt
from nova.conf import network
from nova.conf import neutron
from nova.conf import placement_api
from nova.conf import quota
from nova.conf import scheduler
from nova.conf import service
from nova.conf import service_user
from nova.conf import vnc


def list_opts():
    groups = {}
    for module in (api, compute, conductor, console, consoleauth,
                   database, fake_driver, glance, image_cache, libvirt,
                   network, neutron, placement_api, quota, scheduler,
                   service, service_user, vnc):
        for group, opts in module.list_opts().items():
            groups.setdefault(group, []).extend(opts)
    return sorted(groups.items(), key=lambda item: item[0])
