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


# After a lost race, the next address is drawn from this many free ones:
# contenders that all read the same free list would otherwise all take its
# first address again, one winner per round.
_SPREAD_AFTER_A_LOSS = 32


def fixed_ip_allocate(network, cidr, instance_uuid, reserved=()):
    """Give the instance the lowest free address of cidr.

    The free addresses are read in the writing transaction: on SQLite,
    whose writers take turns (db_session.WriterLock), no other allocation
    can come in between.  Elsewhere the unique (network, address)
    constraint settles races between concurrent allocations: the loser
    tries again with one of the next free addresses, at random.
    """
    net = ipaddress.ip_network(cidr, strict=False)
    skip = {str(a) for a in reserved}
    lost = set()
    while True:
        address = None
        try:
            with db_session.writer() as session:
                taken = set(session.scalars(
                    sa.select(models.FixedIP.address).where(
                        models.FixedIP.network == network)))
                free = (a for a in map(str, net.hosts())
                        if a not in taken and a not in skip and
                        a not in lost)
                if lost:
                    choices = list(itertools.islice(
                        free, _SPREAD_AFTER_A_LOSS))
                    address = random.choice(choices) if choices else None
                else:
                    address = next(free, None)
                if address is None:
                    raise exception.NoMoreFixedIps(net=network)
                row = models.FixedIP(network=network, address=address,
                                     mac_address=_mac(),
                                     instance_uuid=instance_uuid)
                session.add(row)
                session.flush()
                return utils.to_dict(row)
        except sa_exc.IntegrityError:
            lost.add(address)


def fixed_ips_release(instance_uuid):
    with db_session.writer() as session:
        return session.execute(sa.delete(models.FixedIP).where(
            models.FixedIP.instance_uuid == instance_uuid)).rowcount
