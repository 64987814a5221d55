"""/servers/{server_id}/os-interface[/{port_id}]: a server's Neutron ports.

List and show read the server's ports from Neutron; an attach (a port the
user has, a network to make one on with an optional fixed IP, or neither:
the project's only network) answers once the server's compute has plugged
the port in; a detach is accepted (202) and done by the compute.  With the
flat network every call is a 501 that says why.  Upstream's order: the
body's schema, the server (404, another project's too), the policy, then
the network.  The tag is taken from 2.49 and shown from 2.70.
"""

from nova.api.handlers import servers
from nova.api.policies import interfaces as policies
from nova.api.schemas import interfaces as schemas
from nova.api.views import interfaces as views
from nova.api import wsgi
from nova import exception

CREATE_TAG = (2, 49)
SHOW_TAG = (2, 70)


def list_interfaces(req, server_id):
    instance = servers.get_authorized_instance(req, server_id, policies.LIST)
    ports = req.compute_api.interfaces.list(req.context, instance)
    return wsgi.json_response(
        views.index(ports, with_tag=req.is_version(SHOW_TAG)))


def show_interface(req, server_id, port_id):
    instance = servers.get_authorized_instance(req, server_id, policies.SHOW)
    port, tag = req.compute_api.interfaces.show(req.context, instance,
                                                port_id)
    return wsgi.json_response(
        views.show(port, tag, with_tag=req.is_version(SHOW_TAG)))


def attach_interface(req, server_id):
    body = req.body_json(schemas.create_v2_49 if req.is_version(CREATE_TAG)
                         else schemas.create)
    instance = servers.get_authorized_instance(req, server_id, policies.CREATE)
    attachment = body.get('interfaceAttachment') or {}
    network_id = attachment.get('net_id')
    port_id = attachment.get('port_id')
    fixed_ips = attachment.get('fixed_ips') or []
    if network_id and port_id:
        raise exception.Invalid('Must not input both network_id and '
                                'port_id')
    if fixed_ips and not network_id:
        raise exception.Invalid('Must input network_id when request IP '
                                'address')
    port, tag = req.compute_api.interfaces.attach(
        req.context, instance, network_id=network_id, port_id=port_id,
        fixed_ip=fixed_ips[0]['ip_address'] if fixed_ips else None,
        tag=attachment.get('tag'))
    return wsgi.json_response(
        views.show(port, tag, with_tag=req.is_version(SHOW_TAG)))


def detach_interface(req, server_id, port_id):
    instance = servers.get_authorized_instance(req, server_id, policies.DELETE)
    req.compute_api.interfaces.detach(req.context, instance, port_id)
    return wsgi.empty_response(202)
