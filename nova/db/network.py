"""Fixed IPs of the flat network."""

import ipaddress
import itertools
import random

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova.db import models
from nova.db import session as db_session
from nova.db import utils
from nova import exception

def _mac():
    # fa:16:3e is the prefix OpenStack uses for instance ports.
    return 'fa:16:3e:%02x:%02x:%02x' % tuple(random.randint(0, 255)
                                              for _ in range(3))


_FIXED_IPS = models.FixedIP.__table__

# After a lost race, the next address is drawn from this many free ones:
# contenders that all read the same free list would otherwise all take its
# first address again, one winner per round.
_SPREAD_AFTER_A_LOSS = 32


def fixed_ip_allocate(network, cidr, instance_uuid, reserved=()):
    """Give the instance the lowest free address of cidr (a fixed_ips
    row as a dict), in transactions of its own."""
    return fixed_ip_allocate_with(None, network, cidr, instance_uuid,
                                  reserved)


class _AddressTaken(Exception):
    """Another allocation inserted the same address first."""

    def __init__(self, address):
        super().__init__(address)
        self.address = address


def _settles_races(conn):
    return conn.dialect.name != 'sqlite'


def fixed_ip_allocate_with(conn, network, cidr, instance_uuid, reserved=(),
                           address=None):
    """fixed_ip_allocate, in the caller's transaction conn where that is
    safe; address: that one (FixedIpAlreadyInUse when another instance
    has it), else the lowest free.

    On SQLite, whose writers take turns (db_session.WriterLock), the free
    addresses are read and one is inserted in conn with no other
    allocation in between.  Elsewhere the unique (network, address)
    constraint settles races between concurrent allocations, and each
    attempt is a transaction of its own, committed at once (so it stays
    when conn's transaction does not): the loser tries again with one of
    the next free addresses, at random.  Not in conn: InnoDB keeps a
    failed insert's lock on the duplicate key until the end of its
    transaction, so two losers retrying in theirs deadlock.
    """
    net = ipaddress.ip_network(cidr, strict=False)
    skip = {str(a) for a in reserved}
    if conn is not None and not _settles_races(conn):
        return _allocate(conn, network, net, instance_uuid, skip, set(),
                         address)
    lost = set()
    while True:
        try:
            with db_session.write_connection() as own:
                return _allocate(own, network, net, instance_uuid, skip,
                                 lost, address)
        except _AddressTaken as e:
            if address is not None:
                raise _in_use(network, address)
            lost.add(e.address)


def _in_use(network, address):
    with db_session.read_connection() as conn:
        holder = conn.execute(sa.select(_FIXED_IPS.c.instance_uuid).where(
            _FIXED_IPS.c.network == network,
            _FIXED_IPS.c.address == address)).scalar()
    return exception.FixedIpAlreadyInUse(address=address,
                                         instance_uuid=holder)


def _allocate(conn, network, net, instance_uuid, skip, lost, wanted=None):
    if wanted is not None:
        holder = conn.execute(sa.select(_FIXED_IPS.c.instance_uuid).where(
            _FIXED_IPS.c.network == network,
            _FIXED_IPS.c.address == wanted)).scalar()
        if holder is not None:
            raise exception.FixedIpAlreadyInUse(address=wanted,
                                                instance_uuid=holder)
        address = wanted
    else:
        taken = set(conn.scalars(sa.select(_FIXED_IPS.c.address).where(
            _FIXED_IPS.c.network == network)))
        free = (a for a in map(str, net.hosts())
                if a not in taken and a not in skip and a not in lost)
        if lost:
            choices = list(itertools.islice(free, _SPREAD_AFTER_A_LOSS))
            address = random.choice(choices) if choices else None
        else:
            address = next(free, None)
        if address is None:
            raise exception.NoMoreFixedIps(net=network)
    row = {'network': network, 'address': address, 'mac_address': _mac(),
           'instance_uuid': instance_uuid, 'created_at': utils.utcnow(),
           'updated_at': None}
    try:
        result = conn.execute(sa.insert(_FIXED_IPS), row)
    except sa_exc.IntegrityError:
        raise _AddressTaken(address)
    return dict(row, id=result.inserted_primary_key[0])


def fixed_ips_release(instance_uuid):
    with db_session.writer() as session:
        return session.execute(sa.delete(models.FixedIP).where(
            models.FixedIP.instance_uuid == instance_uuid)).rowcount
