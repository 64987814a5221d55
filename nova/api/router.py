"""The route table of the v2.1 API, and the dispatcher.

Every path maps methods to handler functions ``handler(req, **path_args)``.
A path given a method it lacks answers 405 with an Allow header; an unknown
path answers 404.  Paths have no regexes so every 404 on a resource comes from
its handler, with a message naming what was not found.  Order matters:
literal segments (``/flavors/detail``) come before ``{id}`` segments.
"""

import routes
import webob.dec

from nova.api.handlers import aggregates
from nova.api.handlers import availability_zones
from nova.api.handlers import console_auth_tokens
from nova.api.handlers import extensions
from nova.api.handlers import flavor_access
from nova.api.handlers import flavor_extra_specs
from nova.api.handlers import flavors
from nova.api.handlers import hosts
from nova.api.handlers import hypervisors
from nova.api.handlers import image_metadata
from nova.api.handlers import images
from nova.api.handlers import instance_actions
from nova.api.handlers import instance_usage_audit_log
from nova.api.handlers import interfaces
from nova.api.handlers import ips
from nova.api.handlers import keypairs
from nova.api.handlers import limits
from nova.api.handlers import migrations
from nova.api.handlers import networks
from nova.api.handlers import quota_class_sets
from nova.api.handlers import quota_sets
from nova.api.handlers import remote_consoles
from nova.api.handlers import security_groups
from nova.api.handlers import server_actions
from nova.api.handlers import server_migrations
from nova.api.handlers import server_diagnostics
from nova.api.handlers import server_external_events
from nova.api.handlers import server_groups
from nova.api.handlers import server_metadata
from nova.api.handlers import server_password
from nova.api.handlers import server_tags
from nova.api.handlers import servers
from nova.api.handlers import services
from nova.api.handlers import simple_tenant_usage
from nova.api.handlers import volume_attachments
from nova.api import wsgi
from nova import exception

ROUTES = (
    ('/flavors', {'GET': flavors.list_flavors,
                  'POST': flavors.create_flavor}),
    ('/flavors/detail', {'GET': flavors.list_flavors_detail}),
    ('/flavors/{flavor_id}/os-extra_specs',
     {'GET': flavor_extra_specs.list_extra_specs,
      'POST': flavor_extra_specs.create_extra_specs}),
    ('/flavors/{flavor_id}/os-extra_specs/{key}',
     {'GET': flavor_extra_specs.show_extra_spec,
      'PUT': flavor_extra_specs.update_extra_spec,
      'DELETE': flavor_extra_specs.delete_extra_spec}),
    ('/flavors/{flavor_id}/os-flavor-access',
     {'GET': flavor_access.list_access}),
    ('/flavors/{flavor_id}/action', {'POST': flavor_access.flavor_action}),
    ('/flavors/{flavor_id}', {'GET': flavors.show_flavor,
                              'PUT': flavors.update_flavor,
                              'DELETE': flavors.delete_flavor}),
    ('/os-keypairs', {'GET': keypairs.list_keypairs,
                      'POST': keypairs.create_keypair}),
    ('/os-keypairs/{keypair_name}', {'GET': keypairs.show_keypair,
                                     'DELETE': keypairs.delete_keypair}),
    ('/os-services', {'GET': services.list_services}),
    ('/servers', {'GET': servers.list_servers,
                  'POST': servers.create_server}),
    ('/servers/detail', {'GET': servers.list_servers_detail}),
    ('/servers/{server_id}', {'GET': servers.show_server,
                              'PUT': servers.update_server,
                              'DELETE': servers.delete_server}),
    ('/servers/{server_id}/action',
     {'POST': server_actions.server_action}),
    ('/servers/{server_id}/metadata',
     {'GET': server_metadata.list_metadata,
      'POST': server_metadata.create_metadata,
      'PUT': server_metadata.update_all_metadata}),
    ('/servers/{server_id}/metadata/{key}',
     {'GET': server_metadata.show_metadata_item,
      'PUT': server_metadata.update_metadata_item,
      'DELETE': server_metadata.delete_metadata_item}),
    ('/servers/{server_id}/ips', {'GET': ips.list_ips}),
    ('/servers/{server_id}/os-interface',
     {'GET': interfaces.list_interfaces,
      'POST': interfaces.attach_interface}),
    ('/servers/{server_id}/os-interface/{port_id}',
     {'GET': interfaces.show_interface,
      'DELETE': interfaces.detach_interface}),
    ('/os-security-groups',
     {'GET': security_groups.list_security_groups}),
    ('/os-security-groups/{security_group_id}',
     {'GET': security_groups.show_security_group}),
    ('/servers/{server_id}/os-security-groups',
     {'GET': security_groups.list_server_security_groups}),
    ('/servers/{server_id}/ips/{network_label}', {'GET': ips.show_ips}),
    ('/servers/{server_id}/tags', {'GET': server_tags.list_tags,
                                   'PUT': server_tags.update_all_tags,
                                   'DELETE': server_tags.delete_all_tags}),
    ('/servers/{server_id}/tags/{tag}', {'GET': server_tags.show_tag,
                                         'PUT': server_tags.update_tag,
                                         'DELETE': server_tags.delete_tag}),
    ('/servers/{server_id}/diagnostics',
     {'GET': server_diagnostics.show_diagnostics}),
    ('/servers/{server_id}/os-server-password',
     {'GET': server_password.show_password,
      'DELETE': server_password.clear_password}),
    ('/servers/{server_id}/remote-consoles',
     {'POST': remote_consoles.create}),
    ('/servers/{server_id}/os-instance-actions',
     {'GET': instance_actions.list_actions}),
    ('/servers/{server_id}/os-instance-actions/{request_id}',
     {'GET': instance_actions.show_action}),
    ('/os-hypervisors', {'GET': hypervisors.list_hypervisors}),
    ('/os-hypervisors/detail', {'GET': hypervisors.list_hypervisors_detail}),
    ('/os-hypervisors/statistics',
     {'GET': hypervisors.hypervisor_statistics}),
    ('/os-hypervisors/{hypervisor_id}',
     {'GET': hypervisors.show_hypervisor}),
    ('/os-hypervisors/{hypervisor_id}/uptime',
     {'GET': hypervisors.hypervisor_uptime}),
    ('/os-hypervisors/{hypervisor_hostname_pattern}/search',
     {'GET': hypervisors.search_hypervisors}),
    ('/os-hypervisors/{hypervisor_hostname_pattern}/servers',
     {'GET': hypervisors.hypervisor_servers}),
    ('/os-availability-zone', {'GET': availability_zones.list_zones}),
    ('/os-availability-zone/detail',
     {'GET': availability_zones.list_zones_detail}),
    ('/os-aggregates', {'GET': aggregates.list_aggregates,
                        'POST': aggregates.create_aggregate}),
    ('/os-aggregates/{aggregate_id}',
     {'GET': aggregates.show_aggregate,
      'PUT': aggregates.update_aggregate,
      'DELETE': aggregates.delete_aggregate}),
    ('/os-aggregates/{aggregate_id}/action',
     {'POST': aggregates.aggregate_action}),
    ('/os-aggregates/{aggregate_id}/images',
     {'POST': aggregates.cache_images}),
    ('/limits', {'GET': limits.show_limits}),
    ('/os-migrations', {'GET': migrations.list_migrations}),
    ('/servers/{server_id}/migrations',
     {'GET': server_migrations.list_migrations}),
    ('/servers/{server_id}/migrations/{migration_id}',
     {'GET': server_migrations.show_migration,
      'DELETE': server_migrations.delete_migration}),
    ('/servers/{server_id}/migrations/{migration_id}/action',
     {'POST': server_migrations.migration_action}),
    ('/os-services/{service_id}', {'PUT': services.update_service,
                                   'DELETE': services.delete_service}),
    ('/os-server-groups', {'GET': server_groups.list_groups,
                           'POST': server_groups.create}),
    ('/os-server-groups/{server_group_id}', {'GET': server_groups.show,
                                             'DELETE': server_groups.delete}),
    ('/os-server-external-events',
     {'POST': server_external_events.create}),
    ('/os-simple-tenant-usage', {'GET': simple_tenant_usage.list_usages}),
    ('/os-simple-tenant-usage/{tenant_id}',
     {'GET': simple_tenant_usage.show_usage}),
    ('/os-quota-sets/{tenant_id}/defaults',
     {'GET': quota_sets.show_defaults}),
    ('/os-quota-sets/{tenant_id}/detail',
     {'GET': quota_sets.show_quota_set_detail}),
    ('/os-quota-sets/{tenant_id}', {'GET': quota_sets.show_quota_set,
                                    'PUT': quota_sets.update_quota_set,
                                    'DELETE': quota_sets.delete_quota_set}),
    ('/os-quota-class-sets/{quota_class}',
     {'GET': quota_class_sets.show_quota_class_set,
      'PUT': quota_class_sets.update_quota_class_set}),
    ('/os-hosts', {'GET': hosts.list_hosts}),
    ('/os-hosts/{host_name}', {'GET': hosts.show_host,
                               'PUT': hosts.update_host}),
    ('/os-hosts/{host_name}/startup', {'GET': hosts.startup_host}),
    ('/os-hosts/{host_name}/shutdown', {'GET': hosts.shutdown_host}),
    ('/os-hosts/{host_name}/reboot', {'GET': hosts.reboot_host}),
    ('/os-instance_usage_audit_log',
     {'GET': instance_usage_audit_log.list_audits}),
    ('/os-instance_usage_audit_log/{before_timestamp}',
     {'GET': instance_usage_audit_log.show_audit}),
    ('/extensions', {'GET': extensions.list_extensions}),
    ('/extensions/{alias}', {'GET': extensions.show_extension}),
    ('/images', {'GET': images.list_images}),
    ('/images/detail', {'GET': images.list_images_detail}),
    ('/images/{image_id}', {'GET': images.show_image,
                            'DELETE': images.delete_image}),
    ('/images/{image_id}/metadata',
     {'GET': image_metadata.list_metadata,
      'POST': image_metadata.update_metadata,
      'PUT': image_metadata.replace_metadata}),
    ('/images/{image_id}/metadata/{key}',
     {'GET': image_metadata.show_metadata_item,
      'PUT': image_metadata.update_metadata_item,
      'DELETE': image_metadata.delete_metadata_item}),
    ('/os-networks', {'GET': networks.list_networks}),
    ('/os-console-auth-tokens/{console_token}',
     {'GET': console_auth_tokens.show_token}),
    ('/os-networks/{network_id}', {'GET': networks.show_network}),
    # Volume attachments (no volume service here: see the handler).
    ('/servers/{server_id}/os-volume_attachments',
     {'GET': volume_attachments.list_attachments,
      'POST': volume_attachments.attach_volume}),
    ('/servers/{server_id}/os-volume_attachments/{volume_id}',
     {'GET': volume_attachments.show_attachment,
      'PUT': volume_attachments.update_attachment,
      'DELETE': volume_attachments.detach_volume}),
)


class MethodNotAllowed(exception.NovaException):
    msg_fmt = 'The method %(method)s is not allowed for this resource.'
    code = 405


class ResourceNotFound(exception.NotFound):
    msg_fmt = 'The resource could not be found.'


def make_map(route_table):
    mapper = routes.Mapper()
    for path, methods in route_table:
        # With and without the optional /{project_id} prefix.
        for prefix in ('', '/{project_id}'):
            for method, handler in methods.items():
                mapper.connect(prefix + path, handler=handler,
                               conditions={'method': [method]})
            mapper.connect(prefix + path, handler=None,
                           allowed=', '.join(sorted(methods)))
    return mapper


def _path_value(value):
    """A path segment as the client sent it: PATH_INFO holds the URL's
    bytes decoded as latin-1 (PEP 3333), clients encode in UTF-8."""
    try:
        return value.encode('latin-1').decode('utf-8')
    except UnicodeError:
        return value


class Router:

    def __init__(self, route_table=ROUTES):
        self.mapper = make_map(route_table)

    @webob.dec.wsgify(RequestClass=wsgi.Request)
    def __call__(self, req):
        match = self.mapper.match(environ=req.environ)
        if match is None:
            raise ResourceNotFound()
        match = dict(match)
        handler = match.pop('handler')
        if handler is None:
            exc = MethodNotAllowed(method=req.method)
            exc.headers = {'Allow': match['allowed']}
            raise exc
        match = {k: _path_value(v) if isinstance(v, str) else v
                 for k, v in match.items()}
        project_id = match.pop('project_id', None)
        if project_id is not None:
            if project_id != req.context.project_id and \
                    not req.context.is_admin:
                raise exception.Invalid(
                    reason="Project ID %s in the URL does not match the "
                           "token's project %s" % (project_id,
                                                   req.context.project_id))
            # Links keep the project id the client used.
            for key in ('nova.link_base', 'nova.link_base_bookmark'):
                req.environ[key] += '/' + project_id
        return handler(req, **match)
