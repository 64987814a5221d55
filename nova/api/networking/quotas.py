"""A project's quotas of the flat network, in Neutron's keys.

Clients read them beside the compute quotas (``openstack quota show``).
The flat network limits nothing of its own: its ports follow the
servers (the compute quotas bound them) and nothing else can be made
here, so every limit is -1 (unlimited), and routers and floating IPs,
which do not exist here, 0.
"""

from nova.api.networking import ports
from nova import exception

UNLIMITED = ('network', 'subnet', 'port', 'security_group',
             'security_group_rule', 'subnetpool', 'rbac_policy')
NONE = ('router', 'floatingip')


def _quota():
    return dict(dict.fromkeys(UNLIMITED, -1), **dict.fromkeys(NONE, 0))


def show(req, ctxt, api, project_id):
    if not ctxt.is_admin and project_id != ctxt.project_id:
        raise exception.Forbidden(
            "Only the admin may see another project's quotas.")
    return {'quota': _quota()}


def show_default(req, ctxt, api, project_id):
    return show(req, ctxt, api, project_id)


def show_details(req, ctxt, api, project_id):
    """With the usage (quota show --usage): the ports are the project's
    server addresses."""
    quota = show(req, ctxt, api, project_id)['quota']
    used = {'port': len([p for p in ports.list_ports(ctxt, api)
                         if p['project_id'] == project_id])}
    return {'quota': {key: {'limit': limit, 'used': used.get(key, 0),
                            'reserved': 0}
                      for key, limit in quota.items()}}


def list_quotas(req, ctxt, api):
    """The projects whose quotas differ from the defaults: none."""
    return {'quotas': []}
