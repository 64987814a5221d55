"""Fixed IPs of the flat network."""

import ipaddress
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


def fixed_ip_allocate(network, cidr, instance_uuid, reserved=()):
    """Give the instance the lowest free address of cidr.

    The unique (network, address) constraint settles races between
    concurrent allocations: the loser takes the next address.
    """
    net = ipaddress.ip_network(cidr, strict=False)
    skip = {str(a) for a in reserved}
    lost = set()
    while True:
        with db_session.reader() as session:
            taken = set(session.scalars(
                sa.select(models.FixedIP.address).where(
                    models.FixedIP.network == network)))
        # Addresses lost to a concurrent allocation are skipped even if
        # this read did not see them yet; every race moves us forward.
        free = (str(a) for a in net.hosts())
        address = next((a for a in free if a not in taken and
                        a not in skip and a not in lost), None)
        if address is None:
            raise exception.NoMoreFixedIps(net=network)
        try:
            with db_session.writer() as session:
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
