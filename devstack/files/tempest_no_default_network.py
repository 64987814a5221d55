"""Let Tempest's compute tests run without Neutron.

Tempest skips every compute test class that sets
``create_default_network = True`` ("Neutron is not available") when
``[service_available] neutron`` is false, although those tests need no
network of their own: with no tenant network, ``create_test_server`` sends
``networks: none`` (2.37+) or no ``networks`` key, and this project gives
each server an address on its flat network.  A ``.pth`` file in the
Tempest virtualenv imports this module in every process Tempest starts;
when ``TEMPEST_COMPUTE_NO_DEFAULT_NETWORK=1`` it waits for
``tempest.api.compute.base`` to be imported and makes the base class's
``skip_checks`` switch the attribute off first.  Tempest's own files stay
untouched.
"""

import importlib.abc
import importlib.util
import os
import sys

_TARGET = 'tempest.api.compute.base'


def _patch(module):
    base = module.BaseV2ComputeTest
    original = base.skip_checks.__func__

    def skip_checks(cls):
        cls.create_default_network = False
        return original(cls)

    base.skip_checks = classmethod(skip_checks)


class _Loader(importlib.abc.Loader):
    def __init__(self, wrapped):
        self._wrapped = wrapped

    def create_module(self, spec):
        return self._wrapped.create_module(spec)

    def exec_module(self, module):
        self._wrapped.exec_module(module)
        _patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != _TARGET:
            return None
        # Ask the other finders, then wrap what they found.
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install():
    if os.environ.get('TEMPEST_COMPUTE_NO_DEFAULT_NETWORK') != '1':
        return
    if _TARGET in sys.modules:
        _patch(sys.modules[_TARGET])
    elif not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
