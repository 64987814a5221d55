"""The Neutron backend of the network API (``[network] backend = neutron``).

An instance's VIFs are Neutron ports.  nova-api checks what a server create
asks for (networks, ports, security groups); the compute that builds the
instance creates a port per requested network (or takes the ports the user
gave), binds each to its host (``binding:host_id``) and turns what Neutron
answers (``binding:vif_type``, ``binding:vif_details``, MAC, fixed IPs,
subnets) into network_info (nova/network/model.py).  A port the user gave
is marked ``preserve_on_delete``: deleting the instance unbinds it, where
the ports nova created are deleted.  Moves rebind the ports to the
destination; a shelve offload unbinds them and keeps them for the
unshelve.

A bound port starts DOWN (its VIF is not ``active``); Neutron says when it
is up with the ``network-vif-plugged`` event, which the compute's spawn
waits for (nova/compute/external_events.py).

The requested networks, as validate_networks leaves them for the build:
'auto', 'none', or [{'network_id', 'port_id', 'fixed_ip', 'tag'}].
"""

import collections
import contextlib
import threading

from oslo_log import log as logging
from oslo_utils import uuidutils

from nova import exception
from nova.network import model
from nova.network import neutron_client

LOG = logging.getLogger(__name__)

DEFAULT_SECURITY_GROUP = 'default'
BINDING_HOST = 'binding:host_id'
VIF_TYPE = 'binding:vif_type'
VIF_DETAILS = 'binding:vif_details'
BINDING_FAILED = 'binding_failed'
UNBOUND = 'unbound'

# Per process: the compute's build and its terminate of one instance
# (threads of one nova-compute) take turns on its ports.
_LOCKS = collections.defaultdict(threading.Lock)
_LOCKS_LOCK = threading.Lock()


def _subnet_ids(port):
    return [ip['subnet_id'] for ip in port.get('fixed_ips') or ()
            if ip.get('subnet_id')]


class NeutronAPI:
    """Ports of the Networking service."""

    backend = 'neutron'
    # The compute allocates (creates and binds ports) for a build: the
    # conductor has nothing to allocate in the build's steps.
    allocates_on_compute = True

    def __init__(self, conf, conductor, client=None):
        self.conf = conf
        self.conductor = conductor
        self.client = client or neutron_client.Client(conf)

    # -- what the flat backend has and Neutron needs not -----------------

    def build_request(self, requested_networks):
        return None

    def refresh_dhcp(self, context):
        """Neutron serves DHCP (OVN's native DHCP): nothing to do."""

    def dhcp_server(self, host):
        return None

    def shelved_address(self, instance):
        """None: an offloaded instance keeps its ports (and addresses)."""
        return None

    @contextlib.contextmanager
    def instance_lock(self, instance_uuid):
        """Held by the build from the ports' creation until network_info
        is saved, and by deallocate_for_instance: a delete that comes
        meanwhile sees the instance's ports with their network_info
        (which of them are the user's), not half of them."""
        with _LOCKS_LOCK:
            lock = _LOCKS[instance_uuid]
        with lock:
            yield

    # -- the API's checks ------------------------------------------------

    def validate_networks(self, context, requested, max_count):
        """A server create's networks (None, 'auto', 'none' or
        [{'uuid', 'port', 'fixed_ip', 'tag'}]) as the build takes them;
        400 for a network Neutron does not know (or with no subnet), a
        port it does not know, a fixed IP in use; 409 for a port in use,
        or 'auto' with several networks to choose from."""
        if requested == 'none' or (isinstance(requested, list) and
                                   not requested):
            return 'none'
        if requested in (None, 'auto'):
            networks = self._available_networks(context, context.project_id)
            if len(networks) > 1:
                raise exception.NetworkAmbiguous()
            if not networks and requested == 'auto':
                raise exception.UnableToAutoAllocateNetwork(
                    project_id=context.project_id)
            return 'auto'
        result, network_ids = [], []
        for item in requested:
            port_id, network_id = item.get('port'), item.get('uuid')
            fixed_ip = item.get('fixed_ip')
            if port_id:
                if max_count > 1:
                    raise exception.Invalid(
                        'Unable to launch multiple instances with a single '
                        'configured port ID. Please launch your instance '
                        'one by one with different ports.')
                port = self._requested_port(context, port_id,
                                            context.project_id)
                network_id = port['network_id']
            else:
                if not network_id:
                    raise exception.Invalid(
                        'Bad network format: missing network or port '
                        'uuid')
                if not uuidutils.is_uuid_like(network_id):
                    raise exception.Invalid(
                        'Bad networks format: network uuid is not in '
                        'proper format (%s)' % network_id)
                network_ids.append(network_id)
                if fixed_ip:
                    if max_count > 1:
                        raise exception.Invalid(
                            'max_count cannot be greater than 1 if an '
                            'fixed_ip is specified.')
                    self._check_fixed_ip(context, network_id, fixed_ip)
            result.append({'network_id': network_id,
                           'port_id': port_id or None,
                           'fixed_ip': None if port_id else fixed_ip,
                           'tag': item.get('tag')})
        if network_ids:
            found = {n['id']: n for n in self.client.list_networks(
                context, id=sorted(set(network_ids)))}
            for network_id in network_ids:
                if network_id not in found:
                    raise exception.Invalid(exception.NetworkNotFound(
                        network_id=network_id).format_message())
                if not found[network_id].get('subnets'):
                    raise exception.NetworkRequiresSubnet(
                        network_uuid=network_id)
        return result

    def _requested_port(self, context, port_id, project_id,
                        instance_uuid=None):
        """The port a user gave, if an instance may have it."""
        try:
            port = self.client.show_port(context, port_id)
        except exception.PortNotFound as e:
            raise exception.Invalid(e.format_message())
        return self._usable_port(port, project_id, instance_uuid)

    @staticmethod
    def _usable_port(port, project_id, instance_uuid=None):
        """port, if the instance (None: a new one) may have it."""
        port_id = port['id']
        if port.get('device_id') and port['device_id'] != instance_uuid:
            raise exception.PortInUse(port_id=port_id)
        owner = port.get('project_id') or port.get('tenant_id')
        if project_id and owner and owner != project_id:
            raise exception.PortNotUsable(port_id=port_id,
                                          instance=instance_uuid)
        if port.get(VIF_TYPE) == BINDING_FAILED:
            raise exception.PortBindingFailed(port_id=port_id)
        if not port.get('fixed_ips'):
            raise exception.PortRequiresFixedIP(port_id=port_id)
        return port

    def _check_fixed_ip(self, context, network_id, address):
        taken = self.client.list_ports(
            context, network_id=network_id,
            fixed_ips='ip_address=%s' % address)
        if taken:
            raise exception.FixedIpAlreadyInUse(
                address=address, instance_uuid=taken[0].get('device_id'))

    def _available_networks(self, context, project_id):
        """The project's own networks, then the shared ones."""
        own = self.client.list_networks(context, tenant_id=project_id,
                                        shared=False)
        shared = self.client.list_networks(context, shared=True)
        seen, networks = set(), []
        for network in own + shared:
            if network['id'] not in seen:
                seen.add(network['id'])
                networks.append(network)
        return networks

    # -- allocate and deallocate -----------------------------------------

    def allocate_for_instance(self, context, instance_uuid,
                              requested_networks, host=None, instance=None):
        """Ports for the instance, bound to host: its network_info.

        'auto' takes the project's only network (or the only shared one;
        none: no VIF).  On any error the ports created here are deleted
        and the given ones unbound again before it is raised.
        """
        if requested_networks == 'none':
            return []
        if instance is None:
            instance = self.conductor.instance_get(context, instance_uuid)
        project_id = instance['project_id']
        if requested_networks in (None, 'auto'):
            networks = self._available_networks(context, project_id)
            if len(networks) > 1:
                raise exception.NetworkAmbiguous()
            requests = [{'network_id': n['id']} for n in networks]
        else:
            requests = list(requested_networks)
        if not requests:
            return []
        owner = 'compute:%s' % (instance.get('availability_zone') or
                                self.conf.default_availability_zone)
        groups = self._security_group_ids(
            context, project_id, instance.get('security_groups'))
        created, given, ports = [], [], []
        try:
            for request in requests:
                binding = {'device_id': instance_uuid,
                           'device_owner': owner, BINDING_HOST: host}
                if request.get('port_id'):
                    port = self._requested_port(context, request['port_id'],
                                                project_id, instance_uuid)
                    given.append(port['id'])
                else:
                    body = {'network_id': request['network_id'],
                            'project_id': project_id,
                            'device_id': instance_uuid,
                            'device_owner': owner, 'admin_state_up': True}
                    if request.get('fixed_ip'):
                        body['fixed_ips'] = [
                            {'ip_address': request['fixed_ip']}]
                    if groups:
                        body['security_groups'] = groups
                    port = self.client.create_port(context, body)
                    created.append(port['id'])
                    LOG.debug('Created port %s on network %s', port['id'],
                              request['network_id'],
                              instance_uuid=instance_uuid)
                # Only nova (an admin) may bind a port to a host.
                port = self.client.update_port(context, port['id'],
                                               binding, admin=True)
                if port.get(VIF_TYPE) == BINDING_FAILED:
                    raise exception.PortBindingFailed(port_id=port['id'])
                ports.append(port)
            network_info = self._network_info(context, ports, set(given))
        except Exception:
            LOG.warning('Allocating ports failed: deleting the %d created, '
                        'unbinding the %d given', len(created), len(given),
                        instance_uuid=instance_uuid)
            self._delete_ports(context, created, instance_uuid)
            self._unbind_ports(context, given, instance_uuid)
            raise
        LOG.info('Ports %s bound to %s', ', '.join(p['id'] for p in ports),
                 host, instance_uuid=instance_uuid)
        return network_info

    def _delete_ports(self, context, port_ids, instance_uuid):
        for port_id in port_ids:
            try:
                self.client.delete_port(context, port_id)
            except exception.PortNotFound:
                pass
            except Exception:
                LOG.exception('Deleting port %s failed', port_id,
                              instance_uuid=instance_uuid)

    def _unbind_ports(self, context, port_ids, instance_uuid):
        for port_id in port_ids:
            try:
                self.client.update_port(
                    context, port_id,
                    {'device_id': '', 'device_owner': '',
                     BINDING_HOST: None}, admin=True)
            except exception.PortNotFound:
                pass
            except Exception:
                LOG.exception('Unbinding port %s failed', port_id,
                              instance_uuid=instance_uuid)

    def _instance_network_info(self, context, instance_uuid):
        try:
            return self.conductor.instance_get(
                context, instance_uuid).get('network_info') or []
        except exception.InstanceNotFound:
            return []

    def deallocate_for_instance(self, context, instance_uuid,
                                network_info=None):
        """Delete the instance's ports nova created; unbind (device_id,
        device_owner and binding:host_id cleared) those the user gave
        (preserve_on_delete in network_info, the instance's when not
        given).  The port ids it dealt with."""
        with self.instance_lock(instance_uuid):
            if network_info is None:
                network_info = self._instance_network_info(context,
                                                           instance_uuid)
            preserve = {vif['id'] for vif in network_info or ()
                        if vif.get('preserve_on_delete')}
            ports = [p['id'] for p in self.client.list_ports(
                context, device_id=instance_uuid)]
            # A user's port nova has not bound yet, or one whose
            # device_id was cleared by someone else, is not listed: only
            # what still says it is the instance's.
            self._delete_ports(context,
                               [p for p in ports if p not in preserve],
                               instance_uuid)
            self._unbind_ports(context, [p for p in ports if p in preserve],
                               instance_uuid)
        with _LOCKS_LOCK:
            # The instance's ports are gone from here: so is its lock (a
            # build that comes back takes a new one).
            lock = _LOCKS.get(instance_uuid)
            if lock is not None and not lock.locked():
                del _LOCKS[instance_uuid]
        if ports:
            LOG.info('Ports deleted: %s; unbound: %s',
                     ', '.join(p for p in ports if p not in preserve) or
                     'none',
                     ', '.join(p for p in ports if p in preserve) or 'none',
                     instance_uuid=instance_uuid)
        return ports

    def get_instance_nw_info(self, context, instance):
        """The instance's network_info as its ports are now (Neutron said
        network-changed: an address, a port's status)."""
        preserve = {vif['id'] for vif in instance.get('network_info') or ()
                    if vif.get('preserve_on_delete')}
        return self._network_info(
            context, self._instance_ports(context, instance), preserve,
            model.tags(instance.get('network_info')))

    # -- os-interface ----------------------------------------------------

    interfaces_supported = True

    def list_instance_ports(self, context, instance):
        """The instance's ports, as Neutron has them now."""
        return self._instance_ports(context, instance)

    def show_instance_port(self, context, instance, port_id):
        """The instance's port port_id; InterfaceNotAttached when the
        instance has no such port."""
        try:
            port = self.client.show_port(context, port_id)
        except exception.PortNotFound:
            port = None
        if port is None or port.get('device_id') != instance['uuid']:
            raise exception.InterfaceNotAttached(
                port_id=port_id, instance_uuid=instance['uuid'])
        return port

    def validate_interface_attach(self, context, instance, network_id=None,
                                  port_id=None, fixed_ip=None):
        """nova-api's checks of an attach, with upstream's codes: a port
        or network Neutron does not know is a 404, a port in use or a
        fixed IP taken a 409, no network to pick a 400.  The request as
        allocate_for_instance takes it."""
        project_id = instance['project_id']
        if port_id:
            # Unknown: upstream's 404 here (a create's 400).
            port = self._usable_port(
                self.client.show_port(context, port_id), project_id)
            return [{'port_id': port_id, 'network_id': port['network_id']}]
        if network_id:
            network = self.client.show_network(context, network_id)
            if not network.get('subnets'):
                raise exception.NetworkRequiresSubnet(
                    network_uuid=network_id)
            if fixed_ip:
                try:
                    self._check_fixed_ip(context, network_id, fixed_ip)
                except exception.FixedIpAlreadyInUse as e:
                    raise exception.InterfaceAttachConflict(
                        reason=e.format_message())
            return [{'network_id': network_id, 'fixed_ip': fixed_ip}]
        networks = self._available_networks(context, project_id)
        if not networks:
            raise exception.InterfaceAttachFailedNoNetwork(
                project_id=project_id)
        if len(networks) > 1:
            raise exception.Invalid(exception.NetworkAmbiguous()
                                    .format_message())
        return [{'network_id': networks[0]['id']}]

    def deallocate_port_for_instance(self, context, instance, port_id):
        """A detach: the port deleted if nova made it, else unbound and
        left to its owner (preserve_on_delete).  The caller holds
        instance_lock until network_info no longer has the port."""
        preserve = {vif['id'] for vif in instance.get('network_info') or ()
                    if vif.get('preserve_on_delete')}
        if port_id in preserve:
            self._unbind_ports(context, [port_id], instance['uuid'])
        else:
            self._delete_ports(context, [port_id], instance['uuid'])
        LOG.info('Port %s %s', port_id,
                 'unbound' if port_id in preserve else 'deleted',
                 instance_uuid=instance['uuid'])

    # -- moves -----------------------------------------------------------

    def _instance_ports(self, context, instance):
        """The instance's ports, in the order of its network_info."""
        ports = self.client.list_ports(context, device_id=instance['uuid'])
        order = {vif['id']: i for i, vif in enumerate(
            instance.get('network_info') or ())}
        return sorted(ports, key=lambda p: order.get(p['id'], len(order)))

    def setup_instance_network_on_host(self, context, instance, host,
                                       requested_networks=None):
        """The instance's ports bound to host (a move's destination, or
        its source again after a revert; an unshelve's host): its
        network_info there.  requested_networks is the flat backend's:
        the ports say what the instance has."""
        preserve = {vif['id'] for vif in instance.get('network_info') or ()
                    if vif.get('preserve_on_delete')}
        ports = []
        for port in self._instance_ports(context, instance):
            if port.get(BINDING_HOST) != host or \
                    port.get(VIF_TYPE) in (UNBOUND, BINDING_FAILED):
                port = self.client.update_port(
                    context, port['id'], {BINDING_HOST: host}, admin=True)
                if port.get(VIF_TYPE) == BINDING_FAILED:
                    raise exception.PortBindingFailed(port_id=port['id'])
            ports.append(port)
        if ports:
            LOG.info('Ports %s bound to %s',
                     ', '.join(p['id'] for p in ports), host,
                     instance_uuid=instance['uuid'])
        return self._network_info(context, ports, preserve,
                                  model.tags(instance.get('network_info')))

    def cleanup_instance_network_on_host(self, context, instance, host):
        """The instance leaves host for no other (a shelve offload): its
        ports are unbound from it and kept, device_id and all, for the
        unshelve.  The network_info it keeps: its ports, unbound."""
        preserve = {vif['id'] for vif in instance.get('network_info') or ()
                    if vif.get('preserve_on_delete')}
        ports = []
        for port in self._instance_ports(context, instance):
            if port.get(BINDING_HOST):
                LOG.info('Port %s unbound from %s', port['id'],
                         port[BINDING_HOST], instance_uuid=instance['uuid'])
                port = self.client.update_port(
                    context, port['id'], {BINDING_HOST: None}, admin=True)
            ports.append(port)
        return self._network_info(context, ports, preserve,
                                  model.tags(instance.get('network_info')))

    # -- network_info ----------------------------------------------------

    def _network_info(self, context, ports, preserve, tags=None):
        """tags: {port id: the tag an attach (2.49) gave it}, which only
        nova keeps."""
        network_ids = sorted({p['network_id'] for p in ports})
        subnet_ids = sorted({s for p in ports for s in _subnet_ids(p)})
        networks = {n['id']: n for n in self.client.list_networks(
            context, id=network_ids)} if network_ids else {}
        subnets = {s['id']: s for s in self.client.list_subnets(
            context, id=subnet_ids)} if subnet_ids else {}
        network_info = [self._vif(port, networks.get(port['network_id'])
                                  or {}, subnets, port['id'] in preserve)
                        for port in ports]
        for vif in network_info:
            if (tags or {}).get(vif['id']):
                vif['tag'] = tags[vif['id']]
        return network_info

    def _vif(self, port, network, subnets, preserve):
        details = dict(port.get(VIF_DETAILS) or {})
        vif_type = port.get(VIF_TYPE)
        bridge = details.get('bridge_name')
        if not bridge and vif_type == 'ovs':
            bridge = self.conf.neutron.ovs_bridge
        by_subnet = collections.OrderedDict()
        for ip in port.get('fixed_ips') or ():
            by_subnet.setdefault(ip.get('subnet_id'), []).append(
                model.fixed_ip(ip['ip_address']))
        vif_subnets = []
        for subnet_id, ips in by_subnet.items():
            subnet = subnets.get(subnet_id) or {}
            gateway = subnet.get('gateway_ip')
            vif_subnets.append(model.subnet(
                subnet.get('cidr'),
                gateway=model.fixed_ip(gateway, 'gateway') if gateway
                else None,
                ips=ips,
                dns=[model.fixed_ip(address, 'dns') for address in
                     subnet.get('dns_nameservers') or ()]))
        net = model.network(port['network_id'], network.get('name'),
                            bridge=bridge, subnets=vif_subnets)
        if network.get('mtu'):
            net['mtu'] = network['mtu']
        vif = model.vif(port['id'], port['mac_address'], net,
                        vif_type=vif_type, details=details,
                        active=port.get('status') == 'ACTIVE')
        vif['vnic_type'] = port.get('binding:vnic_type') or 'normal'
        if preserve:
            vif['preserve_on_delete'] = True
        return vif

    # -- networks (os-networks) ------------------------------------------

    def _network_description(self, context, network):
        subnets = self.client.list_subnets(
            context, id=network['subnets']) if network.get('subnets') \
            else []
        v4 = [s for s in subnets if s.get('ip_version') == 4]
        v6 = [s for s in subnets if s.get('ip_version') == 6]
        description = {'id': network['id'], 'label': network.get('name'),
                       'project_id': network.get('project_id') or
                       network.get('tenant_id'), 'mtu': network.get('mtu')}
        if v4:
            description.update(cidr=v4[0]['cidr'],
                               gateway=v4[0].get('gateway_ip'),
                               enable_dhcp=v4[0].get('enable_dhcp'))
            dns = v4[0].get('dns_nameservers') or []
            description.update(dns1=dns[0] if dns else None,
                               dns2=dns[1] if len(dns) > 1 else None)
        if v6:
            description.update(cidr_v6=v6[0]['cidr'],
                               gateway_v6=v6[0].get('gateway_ip'))
        return description

    def get_all(self, context):
        return [self._network_description(context, n) for n in
                self._available_networks(context, context.project_id)]

    def get(self, context, network_id):
        return self._network_description(
            context, self.client.show_network(context, network_id))

    # -- security groups -------------------------------------------------

    @staticmethod
    def _nova_group(group, names):
        """A Neutron group in nova's shape, its ingress rules as
        upstream's proxy shows them."""
        rules = []
        for rule in group.get('security_group_rules') or ():
            if rule.get('direction') != 'ingress':
                continue
            protocol = rule.get('protocol')
            low, high = rule.get('port_range_min'), rule.get(
                'port_range_max')
            if protocol and low is None:
                low, high = (-1, -1) if protocol.upper() in (
                    'ICMP', 'IPV6-ICMP') else (1, 65535)
            remote = rule.get('remote_group_id')
            rules.append({
                'id': rule['id'], 'parent_group_id': group['id'],
                'ip_protocol': protocol, 'from_port': low, 'to_port': high,
                'ip_range': {'cidr': rule['remote_ip_prefix']}
                if rule.get('remote_ip_prefix') else {},
                'group': {'name': names.get(remote),
                          'tenant_id': group.get('project_id') or
                          group.get('tenant_id')} if remote else {}})
        return {'id': group['id'], 'name': group.get('name'),
                'description': group.get('description') or '',
                'tenant_id': group.get('project_id') or
                group.get('tenant_id'), 'rules': rules}

    def _groups(self, context, project_id):
        return self.client.list_security_groups(context,
                                                project_id=project_id)

    def security_groups(self, context, project_id):
        groups = self._groups(context, project_id)
        names = {g['id']: g.get('name') for g in groups}
        return [self._nova_group(g, names) for g in groups]

    def _find_group(self, groups, name_or_id):
        """The group of that id, else of that name; None if none, 409
        if the name is several groups'."""
        for group in groups:
            if group['id'] == name_or_id:
                return group
        named = [g for g in groups if g.get('name') == name_or_id]
        if len(named) > 1:
            raise exception.NoUniqueMatch(reason=(
                "Multiple security groups found matching '%s'. Use an ID "
                "to be more specific." % name_or_id))
        return named[0] if named else None

    def validate_security_groups(self, context, project_id, names):
        """names (names or ids), as given: the ports get them."""
        groups = self._groups(context, project_id)
        for name in names:
            if self._find_group(groups, name) is None:
                raise exception.SecurityGroupNotFound(
                    security_group_id=name)
        return list(names)

    def _security_group_ids(self, context, project_id, names):
        """The ids of a port's groups; [] for Neutron's own choice (the
        project's default group), which is what 'default' alone means."""
        names = [g['name'] if isinstance(g, dict) else g
                 for g in names or ()]
        if not names or names == [DEFAULT_SECURITY_GROUP]:
            return []
        groups = self._groups(context, project_id)
        ids = []
        for name in names:
            group = self._find_group(groups, name)
            if group is None:
                raise exception.SecurityGroupNotFound(
                    security_group_id=name)
            if group['id'] not in ids:
                ids.append(group['id'])
        return ids

    def instance_security_groups(self, context, instance):
        """The groups the instance's ports are in (its stored names when
        it has no port)."""
        ports = self.client.list_ports(context, device_id=instance['uuid'])
        groups = self._groups(context, instance['project_id'])
        names = {g['id']: g.get('name') for g in groups}
        if ports:
            ids = {i for p in ports for i in p.get('security_groups') or ()}
            missing = ids - set(names)
            if missing:
                groups += self.client.list_security_groups(
                    context, id=sorted(missing))
                names.update({g['id']: g.get('name') for g in groups})
            return [self._nova_group(g, names) for g in groups
                    if g['id'] in ids]
        stored = [g['name'] if isinstance(g, dict) else g
                  for g in instance.get('security_groups') or ()]
        return [self._nova_group(g, names) for g in groups
                if g.get('name') in stored]

    def _group_for_project(self, context, instance, name):
        group = self._find_group(self._groups(context,
                                              instance['project_id']), name)
        if group is None:
            raise exception.SecurityGroupNotFoundForProject(
                name=name, project=instance['project_id'])
        return group

    def _save_group_names(self, context, instance, names):
        if names != list(instance.get('security_groups') or []):
            self.conductor.instance_update(context, instance['uuid'],
                                           {'security_groups': names})

    def add_to_instance(self, context, instance, name):
        """Every port of the instance in the group name (or id)."""
        group = self._group_for_project(context, instance, name)
        for port in self.client.list_ports(context,
                                           device_id=instance['uuid']):
            current = list(port.get('security_groups') or ())
            if group['id'] not in current:
                self.client.update_port(
                    context, port['id'],
                    {'security_groups': current + [group['id']]})
        names = list(instance.get('security_groups') or [])
        if group['name'] not in names:
            names.append(group['name'])
        self._save_group_names(context, instance, names)

    def remove_from_instance(self, context, instance, name):
        group = self._group_for_project(context, instance, name)
        ports = self.client.list_ports(context, device_id=instance['uuid'])
        names = list(instance.get('security_groups') or [])
        holding = [p for p in ports
                   if group['id'] in (p.get('security_groups') or ())]
        if not holding and group['name'] not in names:
            raise exception.SecurityGroupNotOnInstance(
                name=name, instance=instance['uuid'])
        for port in holding:
            self.client.update_port(
                context, port['id'],
                {'security_groups': [g for g in port['security_groups']
                                     if g != group['id']]})
        if group['name'] in names:
            names.remove(group['name'])
        self._save_group_names(context, instance, names)
