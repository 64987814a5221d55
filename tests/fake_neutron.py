"""An in-process fake of the Networking API v2.0 (Neutron), for the
resources nova's Neutron backend calls, in the shapes of the Neutron API
reference and of what Neutron 29 with ML2/OVN answered on this machine
(reference/networking/FINDINGS.md 2.4):

* ``GET /v2.0/networks[?id=&tenant_id=&shared=]``, ``GET
  /v2.0/networks/{id}``; ``GET /v2.0/subnets[?id=]``;
* ``GET|POST /v2.0/ports``, ``GET|PUT|DELETE /v2.0/ports/{id}``: MACs
  ``fa:16:3e:..``, fixed IPs from the subnet, the project's default
  security group; a port bound to a host (``binding:host_id``) gets
  ``binding:vif_type`` ``ovs`` and OVN's ``binding:vif_details``, status
  DOWN until ``plugged`` says its VIF is on the host (ACTIVE, and the
  ``notifier`` is told, as Neutron's nova notifier sends
  ``network-vif-plugged``);
* ``GET /v2.0/security-groups[?project_id=&id=&name=]`` (each project's
  ``default`` made when first needed, with Neutron's 4 rules).

Errors are ``{"NeutronError": {"type", "message", "detail"}}``.  A
request without a token is an admin's (``auth_strategy = noauth``); a
token of ``tokens`` ({token: (project_id, is_admin)}) is its project's,
any other a 401.  As Neutron's policy, only an admin may set binding:*
attributes, and a project sees its own resources (and shared networks).

``WSGITransport`` is a requests transport adapter that hands requests to
the app, so the real keystoneauth session of the client is used:
``install(session)`` mounts it on a keystoneauth session at ``ENDPOINT``.
"""

import ipaddress
import json
import random
import threading
import urllib.parse
import uuid

import requests
from requests import structures
import webob
import webob.dec

ENDPOINT = 'http://neutron.fake:9696'
OVN_VIF_DETAILS = {'port_filter': True, 'connectivity': 'l2',
                   'ovs_create_tap': True, 'bridge_name': 'br-int',
                   'datapath_type': 'netdev'}
BINDING_ATTRIBUTES = ('binding:host_id', 'binding:profile',
                      'binding:vnic_type')


class NeutronError(Exception):
    def __init__(self, status, kind, message):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


def _not_found(kind, resource_id):
    return NeutronError(404, kind + 'NotFound',
                        '%s %s could not be found.' % (kind, resource_id))


class FakeNeutron:

    def __init__(self, tokens=None, vif_details=None):
        self.tokens = dict(tokens or {})
        self.vif_details = dict(vif_details or OVN_VIF_DETAILS)
        self.networks, self.subnets, self.ports = {}, {}, {}
        self.security_groups = {}
        # (method, path, query, {header: value}) of each request.
        self.requests = []
        # Called with (port, event) when a port goes ACTIVE ('plugged'),
        # as Neutron's nova notifier would.
        self.notifier = None
        # (method, path) -> True for the requests to refuse as a Neutron
        # that is down would (the connection refused).
        self.unreachable = None
        self._lock = threading.RLock()

    # -- test helpers ----------------------------------------------------

    def add_network(self, name, project_id='demo', shared=False,
                    cidr='10.1.0.0/24', gateway='first', mtu=1442,
                    dns=('10.1.0.2',), subnet=True):
        network = {'id': str(uuid.uuid4()), 'name': name,
                   'project_id': project_id, 'tenant_id': project_id,
                   'shared': shared, 'status': 'ACTIVE',
                   'admin_state_up': True, 'router:external': False,
                   'mtu': mtu, 'subnets': []}
        self.networks[network['id']] = network
        if subnet:
            net = ipaddress.ip_network(cidr)
            if gateway == 'first':
                gateway = str(next(net.hosts()))
            sub = {'id': str(uuid.uuid4()), 'name': name + '-subnet',
                   'network_id': network['id'], 'project_id': project_id,
                   'tenant_id': project_id, 'cidr': cidr,
                   'ip_version': net.version, 'gateway_ip': gateway,
                   'enable_dhcp': True, 'dns_nameservers': list(dns)}
            self.subnets[sub['id']] = sub
            network['subnets'].append(sub['id'])
        return network

    def add_port(self, network_id, project_id='demo', **values):
        """A port a user made beforehand (POST /ports as the user)."""
        body = dict(values, network_id=network_id, project_id=project_id)
        with self._lock:
            return self._create_port(body, (project_id, True))

    def add_security_group(self, project_id, name, rules=()):
        with self._lock:
            return self._new_group(project_id, name, rules)

    def plugged(self, port_ids, host, status='ACTIVE'):
        """The VIFs of these ports are on host (ovn-controller saw their
        OVS ports): each bound there goes ACTIVE, and the notifier hears
        of it."""
        changed = []
        with self._lock:
            for port_id in port_ids:
                port = self.ports.get(port_id)
                if port is None or port['binding:host_id'] != host or \
                        port['status'] == status:
                    continue
                port['status'] = status
                changed.append(dict(port))
        for port in changed:
            if self.notifier is not None:
                self.notifier(port, 'network-vif-plugged')
        return changed

    def calls(self, method=None, path_prefix=''):
        return [r for r in self.requests
                if (method is None or r[0] == method) and
                r[1].startswith(path_prefix)]

    # -- the model -------------------------------------------------------

    def _new_group(self, project_id, name, rules=()):
        group = {'id': str(uuid.uuid4()), 'name': name,
                 'description': 'Default security group'
                 if name == 'default' else '',
                 'project_id': project_id, 'tenant_id': project_id,
                 'security_group_rules': []}
        for rule in rules:
            group['security_group_rules'].append(dict(
                {'id': str(uuid.uuid4()), 'security_group_id': group['id'],
                 'direction': 'ingress', 'ethertype': 'IPv4',
                 'protocol': None, 'port_range_min': None,
                 'port_range_max': None, 'remote_ip_prefix': None,
                 'remote_group_id': None}, **rule))
        self.security_groups[group['id']] = group
        return group

    def _default_group(self, project_id):
        for group in self.security_groups.values():
            if group['project_id'] == project_id and \
                    group['name'] == 'default':
                return group
        group = self._new_group(project_id, 'default')
        # Neutron's 4: egress v4 and v6, ingress from the group v4 and v6.
        for direction, ethertype, remote in (
                ('egress', 'IPv4', None), ('egress', 'IPv6', None),
                ('ingress', 'IPv4', group['id']),
                ('ingress', 'IPv6', group['id'])):
            group['security_group_rules'].append({
                'id': str(uuid.uuid4()), 'security_group_id': group['id'],
                'direction': direction, 'ethertype': ethertype,
                'protocol': None, 'port_range_min': None,
                'port_range_max': None, 'remote_ip_prefix': None,
                'remote_group_id': remote})
        return group

    def _mac(self):
        taken = {p['mac_address'] for p in self.ports.values()}
        while True:
            mac = 'fa:16:3e:%02x:%02x:%02x' % tuple(
                random.randint(0, 255) for _ in range(3))
            if mac not in taken:
                return mac

    def _ips_in_use(self, subnet_id):
        return {ip['ip_address'] for p in self.ports.values()
                for ip in p['fixed_ips'] if ip['subnet_id'] == subnet_id}

    def _fixed_ips(self, network, requested):
        subnets = [self.subnets[s] for s in network['subnets']]
        if not subnets:
            return []
        if requested:
            result = []
            for item in requested:
                address = item.get('ip_address')
                subnet = next((s for s in subnets if address and
                               ipaddress.ip_address(address) in
                               ipaddress.ip_network(s['cidr'])), None)
                if subnet is None:
                    raise NeutronError(
                        400, 'InvalidIpForNetwork',
                        'IP address %s is not a valid IP for any of the '
                        'subnets on the specified network.' % address)
                if address in self._ips_in_use(subnet['id']):
                    raise NeutronError(
                        409, 'IpAddressAlreadyAllocated',
                        'IP address %s already allocated in subnet %s'
                        % (address, subnet['id']))
                result.append({'subnet_id': subnet['id'],
                               'ip_address': address})
            return result
        subnet = subnets[0]
        used = self._ips_in_use(subnet['id']) | {subnet['gateway_ip']}
        for host in ipaddress.ip_network(subnet['cidr']).hosts():
            if str(host) not in used:
                return [{'subnet_id': subnet['id'],
                         'ip_address': str(host)}]
        raise NeutronError(409, 'IpAddressGenerationFailure',
                           'No more IP addresses available on network %s.'
                           % network['id'])

    def _bind(self, port, host):
        port['binding:host_id'] = host or ''
        if host:
            port['binding:vif_type'] = 'ovs'
            port['binding:vif_details'] = dict(self.vif_details)
            port['status'] = 'DOWN'
        else:
            port['binding:vif_type'] = 'unbound'
            port['binding:vif_details'] = {}
            port['status'] = 'DOWN'

    def _create_port(self, body, who):
        project, admin = who
        network = self.networks.get(body.get('network_id'))
        if network is None or not self._visible(network, who):
            raise _not_found('Network', body.get('network_id'))
        owner = body.get('project_id') or body.get('tenant_id') or project
        if owner != project and not admin:
            raise NeutronError(403, 'PolicyNotAuthorized',
                               'Not allowed to create a port for another '
                               'project')
        groups = body.get('security_groups')
        if groups is None:
            groups = [self._default_group(owner)['id']]
        for group_id in groups:
            if group_id not in self.security_groups:
                raise _not_found('Security group', group_id)
        port = {'id': str(uuid.uuid4()), 'name': body.get('name', ''),
                'network_id': network['id'], 'project_id': owner,
                'tenant_id': owner, 'mac_address': self._mac(),
                'admin_state_up': body.get('admin_state_up', True),
                'status': 'DOWN', 'device_id': body.get('device_id', ''),
                'device_owner': body.get('device_owner', ''),
                'fixed_ips': self._fixed_ips(network,
                                             body.get('fixed_ips')),
                'security_groups': list(groups),
                'port_security_enabled': True,
                'binding:vnic_type': 'normal', 'binding:profile': {}}
        self._bind(port, body.get('binding:host_id'))
        self.ports[port['id']] = port
        return port

    def _update_port(self, port, body):
        for key in ('device_id', 'device_owner', 'name', 'admin_state_up'):
            if key in body:
                port[key] = body[key] if body[key] is not None else ''
        if 'security_groups' in body:
            for group_id in body['security_groups']:
                if group_id not in self.security_groups:
                    raise _not_found('Security group', group_id)
            port['security_groups'] = list(body['security_groups'])
        if 'binding:host_id' in body and \
                (body['binding:host_id'] or '') != port['binding:host_id']:
            self._bind(port, body['binding:host_id'])
        return port

    # -- the API ---------------------------------------------------------

    def _who(self, req):
        token = req.headers.get('X-Auth-Token')
        if not token:
            return None, True
        if token not in self.tokens:
            raise NeutronError(401, 'Unauthorized',
                               'The request you have made requires '
                               'authentication.')
        return self.tokens[token]

    @staticmethod
    def _visible(resource, who):
        project, admin = who
        return admin or resource.get('project_id') == project or \
            resource.get('shared')

    @staticmethod
    def _matches(resource, key, values):
        if key == 'fixed_ips':
            wanted = {v.partition('=')[2] for v in values
                      if v.startswith('ip_address=')}
            return any(ip['ip_address'] in wanted
                       for ip in resource.get('fixed_ips') or ())
        if key in ('tenant_id', 'project_id'):
            return resource.get('project_id') in values
        value = resource.get(key)
        if isinstance(value, bool):
            return str(value).lower() in {v.lower() for v in values}
        return str(value if value is not None else '') in values

    def _list(self, resources, req, who):
        query = urllib.parse.parse_qs(req.query_string,
                                      keep_blank_values=True)
        query.pop('fields', None)
        return [dict(r) for r in resources.values()
                if self._visible(r, who) and
                all(self._matches(r, k, v) for k, v in query.items())]

    def _get(self, resources, kind, resource_id, who):
        resource = resources.get(resource_id)
        if resource is None or not self._visible(resource, who):
            raise _not_found(kind, resource_id)
        return resource

    @webob.dec.wsgify
    def __call__(self, req):
        headers = {h: req.headers.get(h) for h in (
            'X-Auth-Token', 'X-Service-Token', 'X-OpenStack-Request-ID')
            if req.headers.get(h) is not None}
        self.requests.append((req.method, req.path, req.query_string,
                              headers))
        try:
            with self._lock:
                status, body = self._handle(req, self._who(req))
        except NeutronError as e:
            status, body = e.status, {'NeutronError': {
                'type': e.kind, 'message': e.message, 'detail': ''}}
        except Exception as e:
            status, body = 500, {'NeutronError': {
                'type': 'HTTPInternalServerError',
                'message': 'Request Failed: internal server error while '
                           'processing your request.', 'detail': str(e)}}
        resp = webob.Response(status=status)
        if body is not None:
            resp.content_type = 'application/json'
            resp.text = json.dumps(body)
        return resp

    def _handle(self, req, who):
        parts = req.path.strip('/').split('/')
        if parts[0] != 'v2.0' or len(parts) not in (2, 3):
            raise NeutronError(404, 'HTTPNotFound', 'Not found')
        collection, item = parts[1], (parts[2] if len(parts) == 3 else None)
        body = json.loads(req.body) if req.body else {}
        project, admin = who
        if collection == 'networks' and req.method == 'GET':
            if item:
                return 200, {'network': dict(self._get(
                    self.networks, 'Network', item, who))}
            return 200, {'networks': self._list(self.networks, req, who)}
        if collection == 'subnets' and req.method == 'GET' and not item:
            return 200, {'subnets': self._list(self.subnets, req, who)}
        if collection == 'security-groups' and req.method == 'GET' \
                and not item:
            query = urllib.parse.parse_qs(req.query_string)
            for owner in set(query.get('project_id', []) +
                             query.get('tenant_id', []) +
                             ([project] if project else [])):
                self._default_group(owner)
            return 200, {'security_groups': self._list(
                self.security_groups, req, who)}
        if collection != 'ports':
            raise NeutronError(404, 'HTTPNotFound', 'Not found')
        values = body.get('port') or {}
        if not admin and any(k in values for k in BINDING_ATTRIBUTES):
            raise NeutronError(403, 'PolicyNotAuthorized',
                               '(rule:update_port:binding:host_id) is '
                               'disallowed by policy')
        if item is None:
            if req.method == 'GET':
                return 200, {'ports': self._list(self.ports, req, who)}
            if req.method == 'POST':
                return 201, {'port': dict(self._create_port(values, who))}
        else:
            port = self._get(self.ports, 'Port', item, who)
            if req.method == 'GET':
                return 200, {'port': dict(port)}
            if req.method == 'PUT':
                return 200, {'port': dict(self._update_port(port, values))}
            if req.method == 'DELETE':
                del self.ports[item]
                return 204, None
        raise NeutronError(405, 'HTTPMethodNotAllowed', 'Not allowed')


class WSGITransport(requests.adapters.BaseAdapter):
    """Requests to a WSGI app instead of the network."""

    def __init__(self, app):
        super().__init__()
        self.app = app

    def send(self, request, stream=False, timeout=None, verify=True,
             cert=None, proxies=None):
        url = urllib.parse.urlsplit(request.url)
        unreachable = getattr(self.app, 'unreachable', None)
        if unreachable and unreachable(request.method, url.path):
            raise requests.exceptions.ConnectionError(
                'Connection refused (fake_neutron.unreachable)')
        body = request.body or b''
        if isinstance(body, str):
            body = body.encode()
        req = webob.Request.blank(
            url.path + ('?' + url.query if url.query else ''),
            method=request.method, headers=dict(request.headers))
        req.body = body
        resp = req.get_response(self.app)
        response = requests.Response()
        response.status_code = resp.status_int
        response.reason = resp.status.partition(' ')[2]
        response.headers = structures.CaseInsensitiveDict(resp.headers)
        response._content = resp.body
        response.encoding = 'utf-8'
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


def install(ks_session, fake, endpoint=ENDPOINT):
    """Calls of ks_session (a keystoneauth session) to endpoint reach
    fake."""
    ks_session.session.mount(endpoint, WSGITransport(fake))
