"""The whole suite's collection order."""

# tox's workers take test modules in collection order (--dist loadfile
# --no-loadscope-reorder): the longest go first so that the run does not
# end waiting on one of them alone.  Integration modules (minutes each:
# stack.sh, real guests under TCG, a browser) come before the functional
# ones (seconds to a minute) and those before the unit ones.  Each of the
# three workers is given two modules at the start and runs them in turn:
# the three longest are followed by three short ones, so that the fourth
# longest goes to the first worker free.  (A module that runs nova code in
# this process must leave it as it found it: unit and functional modules
# come after it in the same worker.)
FIRST = ('test_libvirt.py', 'test_horizon.py', 'test_bringup.py',
         'test_flat_dhcp.py', 'test_database_races.py',
         'test_metadata_races.py', 'test_neutron_devstack.py')


def _rank(item):
    parts = item.path.parts
    if 'integration' in parts:
        name = item.path.name
        return (0, FIRST.index(name) if name in FIRST else len(FIRST))
    return (1 if 'functional' in parts else 2, 0)


def pytest_collection_modifyitems(items):
    items.sort(key=_rank)  # stable: the rest keep their order
