"""Default policy rules, one module per API resource."""

import itertools

from nova.api.policies import aggregates
from nova.api.policies import availability_zones
from nova.api.policies import base
from nova.api.policies import console_auth_tokens
from nova.api.policies import flavor_access
from nova.api.policies import flavor_extra_specs
from nova.api.policies import extensions
from nova.api.policies import flavors
from nova.api.policies import hosts
from nova.api.policies import hypervisors
from nova.api.policies import image_metadata
from nova.api.policies import images
from nova.api.policies import instance_actions
from nova.api.policies import instance_usage_audit_log
from nova.api.policies import interfaces
from nova.api.policies import ips
from nova.api.policies import keypairs
from nova.api.policies import limits
from nova.api.policies import migrations
from nova.api.policies import networks
from nova.api.policies import placement
from nova.api.policies import quota_class_sets
from nova.api.policies import quota_sets
from nova.api.policies import remote_consoles
from nova.api.policies import security_groups
from nova.api.policies import server_actions
from nova.api.policies import server_diagnostics
from nova.api.policies import server_external_events
from nova.api.policies import server_groups
from nova.api.policies import server_metadata
from nova.api.policies import server_migrate_live
from nova.api.policies import server_migrations
from nova.api.policies import server_password
from nova.api.policies import server_tags
from nova.api.policies import servers
from nova.api.policies import services
from nova.api.policies import simple_tenant_usage
from nova.api.policies import volume_attachments

_MODULES = (base, aggregates, availability_zones, console_auth_tokens,
            extensions, flavor_access, flavor_extra_specs, flavors, hosts,
            hypervisors, image_metadata, images, instance_actions,
            instance_usage_audit_log, interfaces, ips, keypairs, limits, migrations,
            networks, placement, quota_class_sets, quota_sets,
            remote_consoles, security_groups, server_actions,
            server_diagnostics,
            server_external_events, server_groups, server_metadata,
            server_migrate_live, server_migrations, server_password,
            server_tags, servers, services, simple_tenant_usage,
            volume_attachments)


def list_rules():
    return list(itertools.chain.from_iterable(
        module.list_rules() for module in _MODULES))
