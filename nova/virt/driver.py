"""The interface every virt driver implements, and how one is loaded."""

import importlib

from nova import exception


class ComputeDriver:
    """A hypervisor as nova-compute sees it."""

    def init_host(self, host):
        """Prepare the driver for this host; called once at start."""

    def get_available_resource(self, nodename):
        """This node's resources: vcpus, memory_mb, local_gb, ..."""
        raise NotImplementedError()


def load_driver(name):
    """Load ``module.Class`` relative to nova.virt (``fake.FakeDriver``)."""
    module_name, _, class_name = name.rpartition('.')
    try:
        module = importlib.import_module('nova.virt.' + module_name)
        driver_cls = getattr(module, class_name)
    except (ImportError, AttributeError, ValueError) as e:
        raise exception.NovaException(
            'Unable to load the virtualization driver %s: %s' % (name, e))
    return driver_cls()
