"""Default policy rules, one module per API resource."""

import itertools

from nova.api.policies import base
from nova.api.policies import flavors
from nova.api.policies import keypairs
from nova.api.policies import servers
from nova.api.policies import services


def list_rules():
    return list(itertools.chain(base.list_rules(), flavors.list_rules(),
                                keypairs.list_rules(),
                                servers.list_rules(),
                                services.list_rules()))
