"""The whole suite's collection order."""

# The integration modules that run longest (minutes each: stack.sh, real
# guests under TCG, a browser), first: tox's workers take test modules in
# collection order (--dist loadfile --no-loadscope-reorder), so these start
# at once instead of last, when the run would wait for them alone.
LONGEST_FIRST = ('test_libvirt.py', 'test_horizon.py',
                 'test_neutron_devstack.py', 'test_bringup.py')


def pytest_collection_modifyitems(items):
    def rank(item):
        name = item.path.name
        if 'integration' in item.path.parts and name in LONGEST_FIRST:
            return LONGEST_FIRST.index(name)
        return len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: the rest keep their order
