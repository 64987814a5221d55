"""The network API: what nova-compute asks of the instances' network.

One interface, a backend per ``[network] backend``:

``flat``
    fixed IPs of one flat network (nova/network/flat.py), allocated by the
    conductor; one VIF per instance on the compute host's bridge.
``neutron``
    ports of the Networking service (nova/network/neutron.py), created and
    bound by the compute that builds the instance.

Both have: validate_networks (nova-api, at a server create), build_request
and allocate_for_instance (a build; ``allocates_on_compute`` says which),
deallocate_for_instance, get_instance_nw_info (network-changed),
setup_instance_network_on_host (moves, unshelve),
cleanup_instance_network_on_host (shelve offload), the security group
calls, get_all/get (os-networks), refresh_dhcp/dhcp_server (the flat DHCP
host).  Neutron's alone (``interfaces_supported``): os-interface's
list_instance_ports, validate_interface_attach, allocate_for_instance of
one more port and deallocate_port_for_instance.

network_info has upstream's shape (nova/network/model.py).  A build's
address is allocated by the conductor inside the build steps' own
transaction (flat.fixed_ip_request tells it what to allocate), so
``allocate_for_instance`` serves the other callers: unshelve, and later
the moves.
"""

import uuid

from nova import exception
from nova.network import flat
from nova.network import flat_dhcp
from nova.network import model


class FlatAPI:
    """The built-in flat network."""

    backend = 'flat'
    # The conductor allocates a build's address (build_request).
    allocates_on_compute = False
    # One network, one address per instance: no os-interface.
    interfaces_supported = False

    def __init__(self, conf, conductor, compute_rpc=None):
        self.conf = conf
        self.conductor = conductor
        self._compute_rpc = compute_rpc

    @property
    def compute_rpc(self):
        if self._compute_rpc is None:
            # Imported here: nova.compute imports this module.
            from nova.compute import rpcapi as compute_rpcapi
            self._compute_rpc = compute_rpcapi.ComputeAPI()
        return self._compute_rpc

    def validate_networks(self, context, requested, max_count):
        """A server create's networks as the build takes them: 'auto',
        'none' or [{'fixed_ip': address}]; 400 for anything else."""
        return flat.validate_requested_networks(self.conf, requested,
                                                max_count)

    def build_request(self, requested_networks):
        """What the conductor allocates in a build's steps, or None."""
        return flat.fixed_ip_request(self.conf, requested_networks)

    def allocate_for_instance(self, context, instance_uuid,
                              requested_networks):
        """The instance's network_info; [] with networks 'none'."""
        network_info = flat.allocate_for_instance(
            self.conductor, context, self.conf, instance_uuid,
            requested_networks)
        if network_info:
            self.refresh_dhcp(context)
        return network_info

    def deallocate_for_instance(self, context, instance_uuid,
                                network_info=None):
        """Give back every address the instance holds."""
        released = flat.deallocate_for_instance(self.conductor, context,
                                                instance_uuid)
        if released:
            self.refresh_dhcp(context)
        return released

    def get_instance_nw_info(self, context, instance):
        """The instance's network_info as it is: the flat network's is in
        the database only."""
        return instance.get('network_info') or []

    def setup_instance_network_on_host(self, context, instance, host,
                                       requested_networks=None):
        """The instance's network_info on host.  The flat network is the
        same on every host: a move keeps its VIFs.  An offloaded instance
        has none: it gets an address of requested_networks again (the
        unshelve)."""
        if requested_networks is not None and \
                not instance.get('network_info'):
            return self.allocate_for_instance(context, instance['uuid'],
                                              requested_networks)
        return instance.get('network_info') or []

    def cleanup_instance_network_on_host(self, context, instance, host):
        """The instance leaves host for no other (a shelve offload): its
        address goes back (shelved_address remembers it).  The
        network_info it keeps: none."""
        self.deallocate_for_instance(context, instance['uuid'])
        return []

    def refresh_dhcp(self, context):
        """Addresses were given out or back: the DHCP host (if there is
        one) serves the new set before the guest asks."""
        host = self.conf.network.flat_dhcp_host
        if host:
            self.compute_rpc.refresh_flat_dhcp(context, host)

    def dhcp_server(self, host):
        """The DHCP server this compute host runs, or None."""
        if self.conf.network.flat_dhcp_host != host:
            return None
        return flat_dhcp.DhcpServer(self.conf, self.conductor)

    def get_all(self, context):
        """The networks instances may have addresses on: the flat one
        ({'id', 'label', 'cidr', 'netmask', 'gateway', 'broadcast',
        'bridge', 'bridge_interface', 'dhcp_server', 'enable_dhcp'})."""
        return [flat.network_description(self.conf)]

    def get(self, context, network_id):
        for network in self.get_all(context):
            if network['id'] == network_id:
                return network
        raise exception.NetworkNotFound(network_id=network_id)

    def shelved_address(self, instance):
        """What an offloaded instance asks for again at unshelve: its
        first address ('' for none)."""
        return model.first_address(instance.get('network_info')) or ''

    # -- security groups -------------------------------------------------
    # The flat network filters nothing: each project has one security
    # group, 'default', with no rules, which every instance is in unless
    # it was removed from it.

    DEFAULT_SECURITY_GROUP = 'default'

    def security_groups(self, context, project_id):
        """The project's security groups (upstream's view fields)."""
        return [{'id': str(uuid.uuid5(uuid.NAMESPACE_URL,
                                      'nova-flat-security-group:%s:%s'
                                      % (project_id,
                                         self.DEFAULT_SECURITY_GROUP))),
                 'name': self.DEFAULT_SECURITY_GROUP,
                 'description': 'Default security group',
                 'tenant_id': project_id, 'rules': []}]

    def validate_security_groups(self, context, project_id, names):
        """The names of the groups names (names or ids: the client
        resolves a name to an id through the Networking API) stand for;
        SecurityGroupNotFound for the first the project has no group of
        (a server create's 400)."""
        known = {}
        for group in self.security_groups(context, project_id):
            known[group['name']] = known[group['id']] = group['name']
        for name in names:
            if name not in known:
                raise exception.SecurityGroupNotFound(
                    security_group_id=name)
        return [known[name] for name in names]

    def _group(self, context, project_id, name):
        for group in self.security_groups(context, project_id):
            if name in (group['name'], group['id']):
                return group
        raise exception.SecurityGroupNotFoundForProject(
            name=name, project=project_id)

    def instance_security_groups(self, context, instance):
        """The groups (dicts) the instance is in."""
        names = instance.get('security_groups') or []
        return [group for group in self.security_groups(
            context, instance['project_id']) if group['name'] in names]

    def add_to_instance(self, context, instance, name):
        """Put the instance in the group name (or id); already in it is
        fine.  SecurityGroupNotFoundForProject when there is none."""
        group = self._group(context, instance['project_id'], name)
        names = list(instance.get('security_groups') or [])
        if group['name'] not in names:
            names.append(group['name'])
            self.conductor.instance_update(context, instance['uuid'],
                                           {'security_groups': names})

    def remove_from_instance(self, context, instance, name):
        """Take the instance out of the group name (or id):
        SecurityGroupNotFoundForProject when there is no such group,
        SecurityGroupNotOnInstance when the instance is not in it."""
        group = self._group(context, instance['project_id'], name)
        names = list(instance.get('security_groups') or [])
        if group['name'] not in names:
            raise exception.SecurityGroupNotOnInstance(
                name=name, instance=instance['uuid'])
        names.remove(group['name'])
        self.conductor.instance_update(context, instance['uuid'],
                                       {'security_groups': names})


def _neutron(conf, conductor):
    # Imported here: only a deployment with Neutron loads its client.
    from nova.network import neutron
    return neutron.NeutronAPI(conf, conductor)


BACKENDS = {'flat': FlatAPI, 'neutron': _neutron}


def API(conf, conductor):
    """The network API of ``[network] backend``."""
    return BACKENDS[conf.network.backend](conf, conductor)
