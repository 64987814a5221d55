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


def fixed_ip_allocate(network, cidr, instance_uuid, reserved=(),
                      address=None):
    """Give the instance address (FixedIpAlreadyInUse when another instance
    has it), else the lowest free address of cidr; a fixed_ips row as a
    dict.

    Each attempt is a transaction of its own, committed at once.  Where
    writers do not take turns (MariaDB, PostgreSQL) the unique (network,
    address) constraint settles races between concurrent allocations: the
    loser tries again, in a new transaction, with one of the next free
    addresses, at random (not in the same one: InnoDB keeps a failed
    insert's lock on the duplicate key until the end of its transaction,
    and two losers retrying in theirs deadlock).
    """
    net = ipaddress.ip_network(cidr, strict=False)
    skip = {str(a) for a in reserved}
    lost = set()
    while True:
        try:
            with db_session.write_connection() as conn:
                return _allocate(conn, network, net, instance_uuid, skip,
                                 lost, address)
        except _AddressTaken as e:
            if address is not None:
                raise exception.FixedIpAlreadyInUse(
                    address=address, instance_uuid=instance_uuid)
            lost.add(e.address)


def allocates_in_callers_transaction():
    """Whether fixed_ip_allocate_in is safe here: on SQLite, whose writers
    take turns (db_session.WriterLock), the free addresses are read and
    one is inserted with no other allocation in between."""
    return db_session.get_engine().dialect.name == 'sqlite'


def fixed_ip_allocate_in(conn, network, cidr, instance_uuid, reserved=(),
                         address=None):
    """fixed_ip_allocate in the caller's transaction (conn), one attempt:
    only where allocates_in_callers_transaction()."""
    net = ipaddress.ip_network(cidr, strict=False)
    try:
        return _allocate(conn, network, net, instance_uuid,
                         {str(a) for a in reserved}, set(), address)
    except _AddressTaken:
        raise exception.FixedIpAlreadyInUse(address=address,
                                            instance_uuid=instance_uuid)


class _AddressTaken(Exception):
    """Another allocation inserted the same address first."""

    def __init__(self, address):
        super().__init__(address)
        self.address = address


def _allocate(conn, network, net, instance_uuid, skip, lost, wanted=None):
    if wanted is not None:
        if conn.execute(sa.select(_FIXED_IPS.c.id).where(
                _FIXED_IPS.c.network == network,
                _FIXED_IPS.c.address == wanted)).first() is not None:
            # Named after the instance asking, as upstream: the holder may
            # be another project's.
            raise exception.FixedIpAlreadyInUse(address=wanted,
                                                instance_uuid=instance_uuid)
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


def fixed_ip_get_all(network):
    """[{'address', 'mac_address', 'instance_uuid'}] of the addresses of
    network given out: what its DHCP server answers."""
    with db_session.read_connection() as conn:
        return [dict(row._mapping) for row in conn.execute(
            sa.select(_FIXED_IPS.c.address, _FIXED_IPS.c.mac_address,
                      _FIXED_IPS.c.instance_uuid)
            .where(_FIXED_IPS.c.network == network)
            .order_by(_FIXED_IPS.c.id))]


def fixed_ip_release(fixed_ip_id):
    """Give back the one address fixed_ip_id (a row's id)."""
    with db_session.write_connection() as conn:
        conn.execute(sa.delete(_FIXED_IPS).where(
            _FIXED_IPS.c.id == fixed_ip_id))


def fixed_ips_release(instance_uuid):
    with db_session.writer() as session:
        return session.execute(sa.delete(models.FixedIP).where(
            models.FixedIP.instance_uuid == instance_uuid)).rowcount
