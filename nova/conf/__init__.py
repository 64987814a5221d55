"""Configuration options, one module per group.

Options are declared only in this package.  ``CONF`` is the process-wide
``ConfigOpts`` that the command entry points parse; library code takes a
``conf`` argument where it can so tests can hand in their own.
"""

from oslo_config import cfg

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
from nova.conf import messaging
from nova.conf import network
from nova.conf import neutron
from nova.conf import placement_api
from nova.conf import quota
from nova.conf import scheduler
from nova.conf import service
from nova.conf import service_user
from nova.conf import vnc

CONF = cfg.CONF

_MODULES = (api, compute, conductor, console, consoleauth, database,
            fake_driver, glance, image_cache, libvirt, network, neutron,
            placement_api, quota, scheduler, service, service_user, vnc)


def register_opts(conf):
    for module in _MODULES:
        module.register_opts(conf)


register_opts(CONF)
messaging.set_defaults()
