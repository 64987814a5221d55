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
TIERS = ('integration', 'functional')


def _rank(item):
    parts = item.path.parts
    for tier, name in enumerate(TIERS):
        if name in parts:
            break
    else:
        return (len(TIERS), 0)
    first = tier == 0 and item.path.name in FIRST
    return (tier, FIRST.index(item.path.name) if first else len(FIRST))


def pytest_collection_modifyitems(items):
    items.sort(key=_rank)  # stable: the rest keep their order
