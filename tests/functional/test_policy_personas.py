"""Every route of the API for every persona, behind a stand-in Keystone.

The personas are upstream Nova's secure-RBAC ones, authenticated the way
Keystone does (``fixtures.FakeAuthToken`` sets the headers auth_token sets;
``nova.api.auth.KeystoneContext`` reads them):

reader   roles reader, in PROJECT
member   roles reader and member, in PROJECT
manager  roles reader, member and manager, in PROJECT
admin    roles admin, manager, member and reader, in project 'admin'
other    roles reader and member, in OTHER_PROJECT

The matrix is generated from the router's route table (and the tables
of the server and flavor actions): a route or action without a row in
EXPECTED fails.  The rows are what upstream Nova's default policies
(nova/policies/*.py on master) say, written out by hand, not read from
nova.api.policies: they check those defaults rather than restate them.
"""

import itertools
import time
import uuid
from urllib import parse as urlparse

import pytest

from nova.api.handlers import aggregates
from nova.api.handlers import flavor_access
from nova.api.handlers import server_actions
from nova.api.handlers import server_migrations
from nova.api import router
from nova.db import services as db_services
from nova import version
from nova.network import api as network_api
from tests.functional import fixtures

PROJECT = 'personas'
OTHER_PROJECT = 'personas-other'
TOKENS = {
    'reader': 'reader-token',
    'member': 'member-token',
    'manager': 'manager-token',
    'admin': 'admin:admin',     # the token of cloud.api
    'other': 'other-token',
}
IDENTITIES = {
    TOKENS['reader']: fixtures.identity('reader', PROJECT, ['reader']),
    TOKENS['member']: fixtures.identity('member', PROJECT,
                                        ['reader', 'member']),
    TOKENS['manager']: fixtures.identity(
        'manager', PROJECT, ['reader', 'member', 'manager']),
    TOKENS['admin']: fixtures.identity(
        'admin', 'admin', ['admin', 'manager', 'member', 'reader']),
    TOKENS['other']: fixtures.identity('other', OTHER_PROJECT,
                                       ['reader', 'member']),
}
PROJECTS = {persona: IDENTITIES[token]['project_id']
            for persona, token in TOKENS.items()}
PERSONAS = ('reader', 'member', 'manager', 'admin', 'other')

# Outcomes
OK = 'ok'             # 2xx
ALLOWED = 'allowed'   # 2xx, or 409 from the state check that follows the
#                       policy check (the fresh ACTIVE server is not in
#                       the state the action starts from): policy let it by
F = 403               # {"forbidden": ...} naming the row's rule
NF = 404              # {"itemNotFound": ...}: another project's server
UNSUPPORTED = 400     # {"badRequest": ...}: policy let it by, and nothing
#                       here can do what it asks (2.81's image caching)
NOT_IMPLEMENTED = 501  # {"notImplemented": ...}: policy let it by, and no
#                        driver here can do it (os-hosts power actions)
NO_VOLUME = 'no volume'  # {"itemNotFound": ...} naming the volume: policy
#                        let it by, and there is no volume service here
REFUSED_AFTER = 'refused after'  # {"badRequest": ...}: policy let it by,
#                        a check that follows refused it (evacuate: the
#                        server's host is up, as upstream's 400 says)

MEMBER_ACTION = (F, ALLOWED, ALLOWED, ALLOWED, NF)

# 'METHOD path[ (action)]': (upstream's rule, outcomes for
# (reader, member, manager, admin, other)).  Paths as in router.ROUTES.
EXPECTED = {
    # flavor_manage.py; upstream checks no rule to list or show flavors.
    'GET /flavors': ('os_compute_api:flavors', (OK,) * 5),
    'GET /flavors/detail': ('os_compute_api:flavors', (OK,) * 5),
    'GET /flavors/{flavor_id}': ('os_compute_api:flavors', (OK,) * 5),
    'POST /flavors': ('os_compute_api:os-flavor-manage:create',
                      (F, F, F, OK, F)),
    'PUT /flavors/{flavor_id}': ('os_compute_api:os-flavor-manage:update',
                                 (F, F, F, OK, F)),
    'DELETE /flavors/{flavor_id}': (
        'os_compute_api:os-flavor-manage:delete', (F, F, F, OK, F)),
    # flavor_extra_specs.py: a reader (of any project) reads, admin writes
    'GET /flavors/{flavor_id}/os-extra_specs': (
        'os_compute_api:os-flavor-extra-specs:index', (OK,) * 5),
    'POST /flavors/{flavor_id}/os-extra_specs': (
        'os_compute_api:os-flavor-extra-specs:create', (F, F, F, OK, F)),
    'GET /flavors/{flavor_id}/os-extra_specs/{key}': (
        'os_compute_api:os-flavor-extra-specs:show', (OK,) * 5),
    'PUT /flavors/{flavor_id}/os-extra_specs/{key}': (
        'os_compute_api:os-flavor-extra-specs:update', (F, F, F, OK, F)),
    'DELETE /flavors/{flavor_id}/os-extra_specs/{key}': (
        'os_compute_api:os-flavor-extra-specs:delete', (F, F, F, OK, F)),
    # flavor_access.py: admin
    'GET /flavors/{flavor_id}/os-flavor-access': (
        'os_compute_api:os-flavor-access', (F, F, F, OK, F)),
    'POST /flavors/{flavor_id}/action (addTenantAccess)': (
        'os_compute_api:os-flavor-access:add_tenant_access',
        (F, F, F, OK, F)),
    'POST /flavors/{flavor_id}/action (removeTenantAccess)': (
        'os_compute_api:os-flavor-access:remove_tenant_access',
        (F, F, F, OK, F)),
    # keypairs.py: admin or the key pair's user (every persona, their own)
    'GET /os-keypairs': ('os_compute_api:os-keypairs:index', (OK,) * 5),
    'POST /os-keypairs': ('os_compute_api:os-keypairs:create', (OK,) * 5),
    'GET /os-keypairs/{keypair_name}': ('os_compute_api:os-keypairs:show',
                                        (OK,) * 5),
    'DELETE /os-keypairs/{keypair_name}': (
        'os_compute_api:os-keypairs:delete', (OK,) * 5),
    # services.py: admin
    'GET /os-services': ('os_compute_api:os-services:list',
                         (F, F, F, OK, F)),
    'PUT /os-services/{service_id}': ('os_compute_api:os-services:update',
                                      (F, F, F, OK, F)),
    'DELETE /os-services/{service_id}': (
        'os_compute_api:os-services:delete', (F, F, F, OK, F)),
    # servers.py: reader reads, member writes, another project's is 404
    'GET /servers': ('os_compute_api:servers:index', (OK,) * 5),
    'GET /servers/detail': ('os_compute_api:servers:detail', (OK,) * 5),
    'POST /servers': ('os_compute_api:servers:create',
                      (F, OK, OK, OK, OK)),
    'GET /servers/{server_id}': ('os_compute_api:servers:show',
                                 (OK, OK, OK, OK, NF)),
    'PUT /servers/{server_id}': ('os_compute_api:servers:update',
                                 (F, OK, OK, OK, NF)),
    'DELETE /servers/{server_id}': ('os_compute_api:servers:delete',
                                    (F, OK, OK, OK, NF)),
    'POST /servers/{server_id}/action (os-stop)': (
        'os_compute_api:servers:stop', MEMBER_ACTION),
    'POST /servers/{server_id}/action (os-start)': (
        'os_compute_api:servers:start', MEMBER_ACTION),
    'POST /servers/{server_id}/action (reboot)': (
        'os_compute_api:servers:reboot', MEMBER_ACTION),
    'POST /servers/{server_id}/action (rebuild)': (
        'os_compute_api:servers:rebuild', MEMBER_ACTION),
    'POST /servers/{server_id}/action (resize)': (
        'os_compute_api:servers:resize', MEMBER_ACTION),
    'POST /servers/{server_id}/action (confirmResize)': (
        'os_compute_api:servers:confirm_resize', MEMBER_ACTION),
    'POST /servers/{server_id}/action (revertResize)': (
        'os_compute_api:servers:revert_resize', MEMBER_ACTION),
    'POST /servers/{server_id}/action (createImage)': (
        'os_compute_api:servers:create_image', MEMBER_ACTION),
    # deferred_delete.py
    'POST /servers/{server_id}/action (forceDelete)': (
        'os_compute_api:os-deferred-delete:force', MEMBER_ACTION),
    'POST /servers/{server_id}/action (restore)': (
        'os_compute_api:os-deferred-delete:restore', MEMBER_ACTION),
    # admin_actions.py: admin
    'POST /servers/{server_id}/action (os-resetState)': (
        'os_compute_api:os-admin-actions:reset_state', (F, F, F, OK, NF)),
    'POST /servers/{server_id}/action (injectNetworkInfo)': (
        'os_compute_api:os-admin-actions:inject_network_info',
        (F, F, F, OK, NF)),
    # create_backup.py
    'POST /servers/{server_id}/action (createBackup)': (
        'os_compute_api:os-create-backup', MEMBER_ACTION),
    # servers.py (2.17)
    'POST /servers/{server_id}/action (trigger_crash_dump)': (
        'os_compute_api:servers:trigger_crash_dump', MEMBER_ACTION),
    # security_groups.py: reader lists, member adds and removes
    'POST /servers/{server_id}/action (addSecurityGroup)': (
        'os_compute_api:os-security-groups:add', MEMBER_ACTION),
    'POST /servers/{server_id}/action (removeSecurityGroup)': (
        'os_compute_api:os-security-groups:remove', MEMBER_ACTION),
    'GET /os-security-groups': (
        'os_compute_api:os-security-groups:get', (OK,) * 5),
    # The flat network's groups are per project, shown to the project's
    # personas (the admin's token is the admin project's).
    'GET /os-security-groups/{security_group_id}': (
        'os_compute_api:os-security-groups:show', (OK, OK, OK, NF, NF)),
    'GET /servers/{server_id}/os-security-groups': (
        'os_compute_api:os-security-groups:list', (OK, OK, OK, OK, NF)),
    # pause_server.py, suspend_server.py, rescue.py, lock_server.py
    'POST /servers/{server_id}/action (pause)': (
        'os_compute_api:os-pause-server:pause', MEMBER_ACTION),
    'POST /servers/{server_id}/action (unpause)': (
        'os_compute_api:os-pause-server:unpause', MEMBER_ACTION),
    'POST /servers/{server_id}/action (suspend)': (
        'os_compute_api:os-suspend-server:suspend', MEMBER_ACTION),
    'POST /servers/{server_id}/action (resume)': (
        'os_compute_api:os-suspend-server:resume', MEMBER_ACTION),
    'POST /servers/{server_id}/action (rescue)': (
        'os_compute_api:os-rescue', MEMBER_ACTION),
    'POST /servers/{server_id}/action (unrescue)': (
        'os_compute_api:os-unrescue', MEMBER_ACTION),
    'POST /servers/{server_id}/action (lock)': (
        'os_compute_api:os-lock-server:lock', MEMBER_ACTION),
    'POST /servers/{server_id}/action (unlock)': (
        'os_compute_api:os-lock-server:unlock', MEMBER_ACTION),
    # console_output.py: member (a reader may not read the console)
    'POST /servers/{server_id}/action (os-getConsoleOutput)': (
        'os_compute_api:os-console-output', MEMBER_ACTION),
    # remote_consoles.py: the member's (one rule for both ways in)
    'POST /servers/{server_id}/action (os-getVNCConsole)': (
        'os_compute_api:os-remote-consoles', MEMBER_ACTION),
    'POST /servers/{server_id}/remote-consoles': (
        'os_compute_api:os-remote-consoles', MEMBER_ACTION),
    # shelve.py: offloading is the admin's
    'POST /servers/{server_id}/action (shelve)': (
        'os_compute_api:os-shelve:shelve', MEMBER_ACTION),
    'POST /servers/{server_id}/action (unshelve)': (
        'os_compute_api:os-shelve:unshelve', MEMBER_ACTION),
    'POST /servers/{server_id}/action (shelveOffload)': (
        'os_compute_api:os-shelve:shelve_offload', (F, F, F, ALLOWED, NF)),
    # evacuate.py: admin (the server's host is up here: 400 after it)
    'POST /servers/{server_id}/action (evacuate)': (
        'os_compute_api:os-evacuate', (F, F, F, REFUSED_AFTER, NF)),
    # migrate_server.py (2025.2): a project manager cold migrates its
    # project's servers (to a host of the scheduler's choosing)
    'POST /servers/{server_id}/action (migrate)': (
        'os_compute_api:os-migrate-server:migrate',
        (F, F, ALLOWED, ALLOWED, NF)),
    # migrate_server.py (2025.2): a project manager live migrates its
    # project's servers (to a host of the scheduler's choosing)
    'POST /servers/{server_id}/action (os-migrateLive)': (
        'os_compute_api:os-migrate-server:migrate_live',
        (F, F, ALLOWED, ALLOWED, NF)),
    # server_metadata.py: reader reads, member writes
    'GET /servers/{server_id}/metadata': (
        'os_compute_api:server-metadata:index', (OK, OK, OK, OK, NF)),
    'POST /servers/{server_id}/metadata': (
        'os_compute_api:server-metadata:create', (F, OK, OK, OK, NF)),
    'PUT /servers/{server_id}/metadata': (
        'os_compute_api:server-metadata:update_all', (F, OK, OK, OK, NF)),
    'GET /servers/{server_id}/metadata/{key}': (
        'os_compute_api:server-metadata:show', (OK, OK, OK, OK, NF)),
    'PUT /servers/{server_id}/metadata/{key}': (
        'os_compute_api:server-metadata:update', (F, OK, OK, OK, NF)),
    'DELETE /servers/{server_id}/metadata/{key}': (
        'os_compute_api:server-metadata:delete', (F, OK, OK, OK, NF)),
    # ips.py: reader
    'GET /servers/{server_id}/ips': (
        'os_compute_api:ips:index', (OK, OK, OK, OK, NF)),
    'GET /servers/{server_id}/ips/{network_label}': (
        'os_compute_api:ips:show', (OK, OK, OK, OK, NF)),
    # server_tags.py (2.26): reader reads, member writes.  Upstream checks
    # the rule against the server's project before it looks the server up
    # (another project's member: 403); here another project's server is a
    # 404, as each of its sub-resources is.
    'GET /servers/{server_id}/tags': (
        'os_compute_api:os-server-tags:index', (OK, OK, OK, OK, NF)),
    'PUT /servers/{server_id}/tags': (
        'os_compute_api:os-server-tags:update_all', (F, OK, OK, OK, NF)),
    'DELETE /servers/{server_id}/tags': (
        'os_compute_api:os-server-tags:delete_all', (F, OK, OK, OK, NF)),
    'GET /servers/{server_id}/tags/{tag}': (
        'os_compute_api:os-server-tags:show', (OK, OK, OK, OK, NF)),
    'PUT /servers/{server_id}/tags/{tag}': (
        'os_compute_api:os-server-tags:update', (F, OK, OK, OK, NF)),
    'DELETE /servers/{server_id}/tags/{tag}': (
        'os_compute_api:os-server-tags:delete', (F, OK, OK, OK, NF)),
    # instance_actions.py: reader
    'GET /servers/{server_id}/os-instance-actions': (
        'os_compute_api:os-instance-actions:list', (OK, OK, OK, OK, NF)),
    'GET /servers/{server_id}/os-instance-actions/{request_id}': (
        'os_compute_api:os-instance-actions:show', (OK, OK, OK, OK, NF)),
    # hypervisors.py: admin
    'GET /os-hypervisors': ('os_compute_api:os-hypervisors:list',
                            (F, F, F, OK, F)),
    'GET /os-hypervisors/detail': ('os_compute_api:os-hypervisors:list-detail',
                                   (F, F, F, OK, F)),
    'GET /os-hypervisors/statistics': (
        'os_compute_api:os-hypervisors:statistics', (F, F, F, OK, F)),
    'GET /os-hypervisors/{hypervisor_id}': (
        'os_compute_api:os-hypervisors:show', (F, F, F, OK, F)),
    'GET /os-hypervisors/{hypervisor_id}/uptime': (
        'os_compute_api:os-hypervisors:uptime', (F, F, F, OK, F)),
    'GET /os-hypervisors/{hypervisor_hostname_pattern}/search': (
        'os_compute_api:os-hypervisors:search', (F, F, F, OK, F)),
    'GET /os-hypervisors/{hypervisor_hostname_pattern}/servers': (
        'os_compute_api:os-hypervisors:servers', (F, F, F, OK, F)),
    # console_auth_tokens.py: admin
    'GET /os-console-auth-tokens/{console_token}': (
        'os_compute_api:os-console-auth-tokens', (F, F, F, OK, F)),
    # hosts.py: admin; the host power actions are refused as no driver
    # here has them (501) once policy let them by
    'GET /os-hosts': ('os_compute_api:os-hosts:list', (F, F, F, OK, F)),
    'GET /os-hosts/{host_name}': ('os_compute_api:os-hosts:show',
                                  (F, F, F, OK, F)),
    'PUT /os-hosts/{host_name}': ('os_compute_api:os-hosts:update',
                                  (F, F, F, OK, F)),
    'GET /os-hosts/{host_name}/startup': (
        'os_compute_api:os-hosts:start', (F, F, F, NOT_IMPLEMENTED, F)),
    'GET /os-hosts/{host_name}/shutdown': (
        'os_compute_api:os-hosts:shutdown', (F, F, F, NOT_IMPLEMENTED, F)),
    'GET /os-hosts/{host_name}/reboot': (
        'os_compute_api:os-hosts:reboot', (F, F, F, NOT_IMPLEMENTED, F)),
    # instance_usage_audit_log.py: admin
    'GET /os-instance_usage_audit_log': (
        'os_compute_api:os-instance-usage-audit-log:list', (F, F, F, OK, F)),
    'GET /os-instance_usage_audit_log/{before_timestamp}': (
        'os_compute_api:os-instance-usage-audit-log:show', (F, F, F, OK, F)),
    # server_diagnostics.py: admin
    'GET /servers/{server_id}/diagnostics': (
        'os_compute_api:os-server-diagnostics', (F, F, F, OK, NF)),
    # server_password.py: reader reads, member clears
    'GET /servers/{server_id}/os-server-password': (
        'os_compute_api:os-server-password:show', (OK, OK, OK, OK, NF)),
    'DELETE /servers/{server_id}/os-server-password': (
        'os_compute_api:os-server-password:clear', (F, OK, OK, OK, NF)),
    # extensions.py: anyone
    'GET /extensions': ('os_compute_api:extensions', (OK,) * 5),
    'GET /extensions/{alias}': ('os_compute_api:extensions', (OK,) * 5),
    # images.py: no rule of nova's; the Image API decides
    'GET /images': (None, (OK,) * 5),
    'GET /images/detail': (None, (OK,) * 5),
    'GET /images/{image_id}': (None, (OK,) * 5),
    'DELETE /images/{image_id}': (None, (OK,) * 5),
    'GET /images/{image_id}/metadata': (None, (OK,) * 5),
    'POST /images/{image_id}/metadata': (None, (OK,) * 5),
    'PUT /images/{image_id}/metadata': (None, (OK,) * 5),
    'GET /images/{image_id}/metadata/{key}': (None, (OK,) * 5),
    'PUT /images/{image_id}/metadata/{key}': (None, (OK,) * 5),
    'DELETE /images/{image_id}/metadata/{key}': (None, (OK,) * 5),
    # networks.py: a reader (of any project) lists and shows
    'GET /os-networks': ('os_compute_api:os-networks:list', (OK,) * 5),
    'GET /os-networks/{network_id}': ('os_compute_api:os-networks:view',
                                      (OK,) * 5),
    # availability_zone.py
    'GET /os-availability-zone': ('os_compute_api:os-availability-zone:list',
                                  (OK,) * 5),
    'GET /os-availability-zone/detail': (
        'os_compute_api:os-availability-zone:detail', (F, F, F, OK, F)),
    # limits.py
    'GET /limits': ('os_compute_api:limits', (OK,) * 5),
    # migrations.py (2025.2): a project manager lists its own project's
    # (asked with ?project_id=<its project>, as every persona is here)
    'GET /os-migrations': ('os_compute_api:os-migrations:index',
                           (F, F, OK, OK, F)),
    # servers_migrations.py (2025.2): manager
    'GET /servers/{server_id}/migrations': (
        'os_compute_api:servers:migrations:index', (F, F, OK, OK, NF)),
    # Show is the admin's; the admin's 404 is for the migration (none in
    # progress), after the policy let it by.
    'GET /servers/{server_id}/migrations/{migration_id}': (
        'os_compute_api:servers:migrations:show', (F, F, F, NF, NF)),
    # Abort and force complete: a project manager's; its 409 is the
    # state check after the policy (the server is not migrating).
    'DELETE /servers/{server_id}/migrations/{migration_id}': (
        'os_compute_api:servers:migrations:delete',
        (F, F, ALLOWED, ALLOWED, NF)),
    'POST /servers/{server_id}/migrations/{migration_id}/action '
    '(force_complete)': (
        'os_compute_api:servers:migrations:force_complete',
        (F, F, ALLOWED, ALLOWED, NF)),
    # simple_tenant_usage.py: a project's reader its own project's usage
    # (another project's: 403, the rule's target), the admin every one's
    # server_groups.py: a member creates in its project; other projects'
    # groups are a 403 (the rule checks the group's project).
    'GET /os-server-groups': ('os_compute_api:os-server-groups:index',
                              (OK,) * 5),
    'POST /os-server-groups': ('os_compute_api:os-server-groups:create',
                               (F, OK, OK, OK, OK)),
    'GET /os-server-groups/{server_group_id}': (
        'os_compute_api:os-server-groups:show', (OK, OK, OK, OK, F)),
    'DELETE /os-server-groups/{server_group_id}': (
        'os_compute_api:os-server-groups:delete', (F, OK, OK, OK, F)),
    # server_external_events.py: other services' (admin or service role)
    'POST /os-server-external-events': (
        'os_compute_api:os-server-external-events:create', (F, F, F, OK, F)),
    'GET /os-simple-tenant-usage': (
        'os_compute_api:os-simple-tenant-usage:list', (F, F, F, OK, F)),
    'GET /os-simple-tenant-usage/{tenant_id}': (
        'os_compute_api:os-simple-tenant-usage:show', (OK, OK, OK, OK, F)),
    # quota_sets.py: a project's reader reads its project's quotas
    # (another project's: 403, the rule's target), anyone the defaults,
    # the admin sets and resets them
    'GET /os-quota-sets/{tenant_id}': (
        'os_compute_api:os-quota-sets:show', (OK, OK, OK, OK, F)),
    'GET /os-quota-sets/{tenant_id}/detail': (
        'os_compute_api:os-quota-sets:detail', (OK, OK, OK, OK, F)),
    'GET /os-quota-sets/{tenant_id}/defaults': (
        'os_compute_api:os-quota-sets:defaults', (OK,) * 5),
    'PUT /os-quota-sets/{tenant_id}': (
        'os_compute_api:os-quota-sets:update', (F, F, F, OK, F)),
    'DELETE /os-quota-sets/{tenant_id}': (
        'os_compute_api:os-quota-sets:delete', (F, F, F, OK, F)),
    # quota_class_sets.py: admin
    'GET /os-quota-class-sets/{quota_class}': (
        'os_compute_api:os-quota-class-sets:show', (F, F, F, OK, F)),
    'PUT /os-quota-class-sets/{quota_class}': (
        'os_compute_api:os-quota-class-sets:update', (F, F, F, OK, F)),
    # aggregates.py: admin
    'GET /os-aggregates': ('os_compute_api:os-aggregates:index',
                           (F, F, F, OK, F)),
    'POST /os-aggregates': ('os_compute_api:os-aggregates:create',
                            (F, F, F, OK, F)),
    'GET /os-aggregates/{aggregate_id}': (
        'os_compute_api:os-aggregates:show', (F, F, F, OK, F)),
    'PUT /os-aggregates/{aggregate_id}': (
        'os_compute_api:os-aggregates:update', (F, F, F, OK, F)),
    'DELETE /os-aggregates/{aggregate_id}': (
        'os_compute_api:os-aggregates:delete', (F, F, F, OK, F)),
    'POST /os-aggregates/{aggregate_id}/action (add_host)': (
        'os_compute_api:os-aggregates:add_host', (F, F, F, OK, F)),
    'POST /os-aggregates/{aggregate_id}/action (remove_host)': (
        'os_compute_api:os-aggregates:remove_host', (F, F, F, OK, F)),
    'POST /os-aggregates/{aggregate_id}/action (set_metadata)': (
        'os_compute_api:os-aggregates:set_metadata', (F, F, F, OK, F)),
    'POST /os-aggregates/{aggregate_id}/images': (
        'compute:aggregates:images', (F, F, F, UNSUPPORTED, F)),
    # volumes_attachments.py; swap (a PUT before 2.85) is the service's
    # attach_interfaces.py (2025.2); the flat network here has no
    # interfaces to attach (501 once the policy let the call by).
    'GET /servers/{server_id}/os-interface': (
        'os_compute_api:os-attach-interfaces:list',
        (NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED,
         NF)),
    'POST /servers/{server_id}/os-interface': (
        'os_compute_api:os-attach-interfaces:create',
        (F, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NF)),
    'GET /servers/{server_id}/os-interface/{port_id}': (
        'os_compute_api:os-attach-interfaces:show',
        (NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED,
         NF)),
    'DELETE /servers/{server_id}/os-interface/{port_id}': (
        'os_compute_api:os-attach-interfaces:delete',
        (F, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NOT_IMPLEMENTED, NF)),
    'GET /servers/{server_id}/os-volume_attachments': (
        'os_compute_api:os-volumes-attachments:index', (OK, OK, OK, OK, NF)),
    'POST /servers/{server_id}/os-volume_attachments': (
        'os_compute_api:os-volumes-attachments:create',
        (F, NO_VOLUME, NO_VOLUME, NO_VOLUME, NF)),
    'GET /servers/{server_id}/os-volume_attachments/{volume_id}': (
        'os_compute_api:os-volumes-attachments:show',
        (NO_VOLUME, NO_VOLUME, NO_VOLUME, NO_VOLUME, NF)),
    'PUT /servers/{server_id}/os-volume_attachments/{volume_id}': (
        'os_compute_api:os-volumes-attachments:swap', (F, F, F, F, NF)),
    'DELETE /servers/{server_id}/os-volume_attachments/{volume_id}': (
        'os_compute_api:os-volumes-attachments:delete',
        (F, NO_VOLUME, NO_VOLUME, NO_VOLUME, NF)),
}

ACTION_BODIES = {
    'os-stop': None, 'os-start': None, 'reboot': {'type': 'SOFT'},
    'rebuild': {'imageRef': fixtures.IMAGE_ID},
    'resize': {'flavorRef': '2'},     # the servers here are flavor 1
    'confirmResize': None, 'revertResize': None,
    'createImage': {'name': 'snapshot'}, 'forceDelete': None,
    'pause': None, 'unpause': None, 'suspend': None, 'resume': None,
    'rescue': None, 'unrescue': None, 'lock': None, 'unlock': None,
    'os-getConsoleOutput': {'length': 5},
    'os-getVNCConsole': {'type': 'novnc'}, 'shelve': None, 'unshelve': None,
    'shelveOffload': None, 'migrate': None, 'evacuate': {},
    'os-resetState': {'state': 'active'}, 'injectNetworkInfo': None,
    'createBackup': {'name': 'backup', 'backup_type': 'daily',
                     'rotation': 1},
    'restore': None, 'trigger_crash_dump': None,
    'addSecurityGroup': {'name': 'default'},
    'removeSecurityGroup': {'name': 'default'},
    'os-migrateLive': {'host': None, 'block_migration': 'auto'},
}
# A tenant of the request's own: see _prepare.
FLAVOR_ACTION_BODIES = {'addTenantAccess': {'tenant': None},
                        'removeTenantAccess': {'tenant': None}}
AGGREGATE_ACTION_BODIES = {
    'add_host': {'host': 'compute1'}, 'remove_host': {'host': 'compute1'},
    'set_metadata': {'metadata': {'set_by': 'persona'}},
}
VERSIONS = {
    'PUT /flavors/{flavor_id}': '2.55',
    'PUT /os-services/{service_id}': '2.53',
    'DELETE /os-services/{service_id}': '2.53',
    'GET /servers/{server_id}/migrations': '2.23',
    'GET /servers/{server_id}/migrations/{migration_id}': '2.23',
    'DELETE /servers/{server_id}/migrations/{migration_id}': '2.24',
    'POST /servers/{server_id}/migrations/{migration_id}/action '
    '(force_complete)': '2.22',
    'POST /servers/{server_id}/action (os-migrateLive)': '2.25',
    'GET /servers/{server_id}/tags': '2.26',
    'PUT /servers/{server_id}/tags': '2.26',
    'DELETE /servers/{server_id}/tags': '2.26',
    'GET /servers/{server_id}/tags/{tag}': '2.26',
    'PUT /servers/{server_id}/tags/{tag}': '2.26',
    'DELETE /servers/{server_id}/tags/{tag}': '2.26',
    'POST /os-aggregates/{aggregate_id}/images': '2.81',
    'POST /servers/{server_id}/action (trigger_crash_dump)': '2.17',
    'POST /servers/{server_id}/action (evacuate)': '2.14',
    'POST /servers/{server_id}/remote-consoles': '2.6',
    'GET /os-console-auth-tokens/{console_token}': '2.31',
}
# The routes of actions: a row per action, its body from its table.
ACTION_ROUTES = {
    ('/servers/{server_id}/action', 'POST'): (server_actions.ACTIONS,
                                              ACTION_BODIES),
    ('/flavors/{flavor_id}/action', 'POST'): (flavor_access.ACTIONS,
                                              FLAVOR_ACTION_BODIES),
    ('/os-aggregates/{aggregate_id}/action', 'POST'): (
        aggregates.ACTIONS, AGGREGATE_ACTION_BODIES),
    ('/servers/{server_id}/migrations/{migration_id}/action', 'POST'): (
        server_migrations.ACTIONS, {'force_complete': None}),
}
# The metadata item and the tag the routes of one aim at.
ITEM = 'persona'
VOLUME_ID = '8e5a7d1c-4b7e-4a63-9a2f-3c1d2b0e9f10'
SERVER = {'name': 'persona-vm', 'imageRef': fixtures.IMAGE_ID,
          'flavorRef': '1', 'metadata': {ITEM: 'yes'}}


def _route_keys():
    """'METHOD path[ (action)]' of every route in the route table."""
    for path, methods in router.ROUTES:
        for method in sorted(methods):
            if (path, method) in ACTION_ROUTES:
                actions, _bodies = ACTION_ROUTES[(path, method)]
                for action in sorted(actions):
                    yield '%s %s (%s)' % (method, path, action)
            else:
                yield '%s %s' % (method, path)


ROUTE_KEYS = list(_route_keys())


def test_every_route_and_action_has_a_row():
    missing = [key for key in ROUTE_KEYS if key not in EXPECTED]
    stale = sorted(set(EXPECTED) - set(ROUTE_KEYS))
    assert not missing, ('routes without a row in EXPECTED (what may each '
                         'persona do?): %s' % missing)
    assert not stale, 'rows of EXPECTED for no route: %s' % stale
    for (path, method), (actions, bodies) in ACTION_ROUTES.items():
        assert set(actions) == set(bodies), path


# The cloud and what the requests need -------------------------------------

@pytest.fixture(scope='module')
def cloud():
    cloud = fixtures.Cloud(
        identities=IDENTITIES, computes=('compute1', 'compute2'),
        overrides={'report_interval': 50, 'quota.instances': -1,
                   'quota.cores': -1, 'quota.ram': -1,
                   'quota.server_groups': -1}).start()
    yield cloud
    cloud.stop()


def _client(cloud, persona):
    return cloud.api.as_user(TOKENS[persona])


def _wait_active(cloud, server_ids, timeout=20):
    """Until every one of server_ids is ACTIVE with no task."""
    member = _client(cloud, 'member')
    pending = set(server_ids)
    deadline = time.monotonic() + timeout
    while pending:
        resp = member.get('/v2.1/servers/detail')
        assert resp.status == 200, resp
        for server in resp.body['servers']:
            if server['id'] in pending and server['status'] == 'ACTIVE' \
                    and server['OS-EXT-STS:task_state'] is None:
                pending.discard(server['id'])
        if pending and time.monotonic() > deadline:
            raise AssertionError('not ACTIVE after %ss: %s'
                                 % (timeout, sorted(pending)))
        if pending:
            time.sleep(0.05)


class ServerPool:
    """Fresh ACTIVE servers of PROJECT for the requests policy lets by
    (each may change or delete its server), created a batch at a time."""

    BATCH = 12

    def __init__(self, cloud):
        self.cloud = cloud
        self.free = []

    def take(self):
        if not self.free:
            member = _client(self.cloud, 'member')
            before = {s['id'] for s in member.get(
                '/v2.1/servers').body['servers']}
            resp = member.post('/v2.1/servers', {'server': dict(
                SERVER, min_count=self.BATCH, max_count=self.BATCH)})
            assert resp.status == 202, resp
            created = [s['id'] for s in member.get(
                '/v2.1/servers?limit=1000').body['servers']
                if s['id'] not in before]
            assert len(created) == self.BATCH
            _wait_active(self.cloud, created)
            self.free = created
        return self.free.pop()


@pytest.fixture(scope='module')
def world(cloud):
    """The shared things: a server of PROJECT the refused (and read-only)
    requests aim at, which therefore never changes, and what the paths of
    the other routes need."""
    member = _client(cloud, 'member')
    resp = member.post('/v2.1/servers', {'server': SERVER})
    assert resp.status == 202, resp
    victim = resp.body['server']['id']
    _wait_active(cloud, [victim])
    assert cloud.api.put('/v2.1/servers/%s/tags/%s' % (victim, ITEM),
                         version='2.26').status == 201
    actions = cloud.api.get('/v2.1/servers/%s/os-instance-actions'
                            % victim).body['instanceActions']
    services = cloud.api.get('/v2.1/os-services?binary=nova-compute',
                             version='2.53').body['services']
    hypervisors = cloud.api.get('/v2.1/os-hypervisors').body['hypervisors']
    # A public flavor with the extra spec ITEM, a private one.
    for flavor_id, is_public in (('persona-specs', True),
                                 ('persona-private', False)):
        resp = cloud.api.post('/v2.1/flavors', {'flavor': {
            'name': flavor_id, 'id': flavor_id, 'ram': 64, 'vcpus': 1,
            'disk': 0, 'os-flavor-access:is_public': is_public}})
        assert resp.status == 200, resp
    assert cloud.api.put('/v2.1/flavors/persona-specs/os-extra_specs/' + ITEM,
                         {ITEM: 'yes'}).status == 200
    return {'server_id': victim, 'request_id': actions[0]['request_id'],
            'service_id': services[0]['id'],
            'hypervisor_id': str(hypervisors[0]['id']),
            'aggregate_id': _new_aggregate(cloud),
            'pool': ServerPool(cloud)}


def _new_aggregate(cloud, hosts=()):
    """A fresh aggregate's id (a string, as a path wants it): no zone, so
    any host may join it, servers or not."""
    resp = cloud.api.post('/v2.1/os-aggregates', {'aggregate': {
        'name': _unique('agg')}})
    assert resp.status == 200, resp
    aggregate_id = resp.body['aggregate']['id']
    for host in hosts:
        resp = cloud.api.post('/v2.1/os-aggregates/%d/action' % aggregate_id,
                              {'add_host': {'host': host}})
        assert resp.status == 200, resp
    return str(aggregate_id)


def _unique(prefix):
    return '%s-%s' % (prefix, uuid.uuid4().hex[:8])


def _console_token(cloud, server_id):
    resp = cloud.api.post('/v2.1/servers/%s/remote-consoles' % server_id,
                          {'remote_console': {'protocol': 'vnc',
                                              'type': 'novnc'}},
                          version='2.6')
    assert resp.status == 200, resp
    path = urlparse.parse_qs(urlparse.urlparse(
        resp.body['remote_console']['url']).query)['path'][0]
    return urlparse.parse_qs(urlparse.urlparse(path).query)['token'][0]


def _prepare(cloud, world, key, persona, outcome):
    """(method, url, body, version) of key's request by persona."""
    method, rest = key.split(' ', 1)
    path, _, action = rest.partition(' (')
    action = action.rstrip(')')
    values = dict(world)
    changes = outcome in (OK, ALLOWED) and method != 'GET'
    if '{server_id}' in path and changes:
        values['server_id'] = world['pool'].take()
    if '{aggregate_id}' in path and changes:
        values['aggregate_id'] = _new_aggregate(
            cloud, ['compute1'] if action == 'remove_host' else [])
    values['flavor_id'] = '1'
    # No server here has a migration of this id.
    values['migration_id'] = '424242'
    values['key'] = values['tag'] = ITEM
    values['tenant_id'] = PROJECT
    # A class of its own: the class 'default' would change every
    # project's defaults.
    values['quota_class'] = 'personas'
    # The network the servers here have their address on.
    values['network_label'] = cloud.conf.network.flat_network_name
    values['network_id'] = cloud.conf.network.flat_network_id
    values['hypervisor_hostname_pattern'] = 'compute'
    values['host_name'] = 'compute2'
    values['before_timestamp'] = '2024-05-03 10:00:00'
    values['alias'] = 'os-hosts'
    if '{console_token}' in path:
        values['console_token'] = _console_token(cloud, world['server_id'])
    values['image_id'] = fixtures.IMAGE_ID
    values['volume_id'] = VOLUME_ID
    values['port_id'] = VOLUME_ID  # a port no server here has
    # The persona's project's default group is another project's for
    # 'other'.
    values['security_group_id'] = network_api.API(
        cloud.conf, None).security_groups(None, PROJECT)[0]['id']
    if key == 'DELETE /images/{image_id}':
        values['image_id'] = cloud.images.create(None, {'name': 'doomed'})[
            'id']
    if path.startswith('/images/{image_id}/metadata'):
        values['image_id'] = cloud.images.create(None, {
            'name': 'described', 'properties': {ITEM: 'v'}})['id']
    if key == 'DELETE /servers/{server_id}/tags/{tag}' and changes:
        resp = cloud.api.put('/v2.1/servers/%s/tags/%s' % (
            values['server_id'], ITEM), version='2.26')
        assert resp.status == 201, resp
    if '/os-extra_specs' in path:
        values['flavor_id'] = 'persona-specs'
    if '/os-flavor-access' in path or '/flavors/{flavor_id}/action' in path:
        values['flavor_id'] = 'persona-private'
    if key == 'DELETE /flavors/{flavor_id}/os-extra_specs/{key}' and changes:
        # One of its own: ITEM stays for the other routes.
        values['key'] = _unique('doomed')
        resp = cloud.api.put('/v2.1/flavors/persona-specs/os-extra_specs/'
                             + values['key'], {values['key']: 'yes'})
        assert resp.status == 200, resp
    tenant = _unique('tenant')
    if action == 'removeTenantAccess' and changes:
        resp = cloud.api.post('/v2.1/flavors/persona-private/action',
                              {'addTenantAccess': {'tenant': tenant}})
        assert resp.status == 200, resp
    if key == 'DELETE /flavors/{flavor_id}':
        resp = cloud.api.post('/v2.1/flavors', {'flavor': {
            'name': _unique('doomed'), 'ram': 64, 'vcpus': 1, 'disk': 0}})
        assert resp.status == 200, resp
        values['flavor_id'] = resp.body['flavor']['id']
    if '{keypair_name}' in path:
        values['keypair_name'] = _unique('kp')
        resp = _client(cloud, persona).post('/v2.1/os-keypairs', {
            'keypair': {'name': values['keypair_name']}})
        assert resp.status == 200, resp
    if '{server_group_id}' in path:
        resp = _client(cloud, 'member').post('/v2.1/os-server-groups', {
            'server_group': {'name': _unique('sg'),
                             'policies': ['affinity']}})
        assert resp.status == 200, resp
        values['server_group_id'] = resp.body['server_group']['id']
    if key == 'DELETE /os-services/{service_id}':
        service, _ = db_services.service_get_or_create(
            _unique('retired'), 'nova-compute', 'compute',
            version.SERVICE_VERSION)
        values['service_id'] = service['uuid']
    url = '/v2.1' + path.format(**{k: v for k, v in values.items()
                                   if isinstance(v, str)})
    body = None
    if action in ('addTenantAccess', 'removeTenantAccess'):
        body = {action: {'tenant': tenant}}
    elif action:
        (_actions, bodies), = [table for (route, _m), table in
                               ACTION_ROUTES.items() if route == path]
        body = {action: bodies[action]}
    elif key == 'POST /flavors':
        body = {'flavor': {'name': _unique('flavor'), 'ram': 64,
                           'vcpus': 1, 'disk': 0}}
    elif key == 'PUT /flavors/{flavor_id}':
        body = {'flavor': {'description': 'described by ' + persona}}
    elif key == 'POST /os-keypairs':
        body = {'keypair': {'name': _unique('kp')}}
    elif key == 'POST /os-server-external-events':
        body = {'events': [{'name': 'network-changed',
                            'server_uuid': world['server_id']}]}
    elif key == 'POST /os-server-groups':
        body = {'server_group': {'name': _unique('sg'),
                                 'policies': ['anti-affinity']}}
    elif key == 'PUT /os-services/{service_id}':
        body = {'status': 'enabled'}
    elif key == 'PUT /os-hosts/{host_name}':
        body = {'status': 'enable'}
    elif key == 'POST /servers':
        body = {'server': SERVER}
    elif key == 'PUT /servers/{server_id}':
        body = {'server': {'name': 'renamed by ' + persona}}
    elif key == 'POST /servers/{server_id}/remote-consoles':
        body = {'remote_console': {'protocol': 'vnc', 'type': 'novnc'}}
    elif key == 'POST /servers/{server_id}/metadata':
        body = {'metadata': {'set_by': persona}}
    elif key == 'PUT /servers/{server_id}/metadata':
        body = {'metadata': {ITEM: persona}}
    elif key == 'POST /flavors/{flavor_id}/os-extra_specs':
        body = {'extra_specs': {'set_by': persona}}
    elif key == 'PUT /flavors/{flavor_id}/os-extra_specs/{key}':
        body = {ITEM: persona}
    elif key == 'PUT /servers/{server_id}/metadata/{key}':
        body = {'meta': {ITEM: persona}}
    elif key == 'PUT /servers/{server_id}/tags':
        body = {'tags': [ITEM, persona]}
    elif key == 'PUT /os-quota-sets/{tenant_id}':
        # The default: the servers here stay within it.
        body = {'quota_set': {'metadata_items': 128}}
    elif key == 'PUT /os-quota-class-sets/{quota_class}':
        body = {'quota_class_set': {'instances': 5}}
    elif key == 'POST /os-aggregates':
        body = {'aggregate': {'name': _unique('agg')}}
    elif key == 'PUT /os-aggregates/{aggregate_id}':
        body = {'aggregate': {'name': _unique('renamed')}}
    elif key in ('POST /images/{image_id}/metadata',
                 'PUT /images/{image_id}/metadata'):
        body = {'metadata': {ITEM: persona}}
    elif key == 'PUT /images/{image_id}/metadata/{key}':
        body = {'meta': {ITEM: persona}}
    elif key == 'POST /os-aggregates/{aggregate_id}/images':
        body = {'cache': [{'id': fixtures.IMAGE_ID}]}
    elif key == 'POST /servers/{server_id}/os-interface':
        body = {'interfaceAttachment': {}}
    elif '/os-volume_attachments' in key and method in ('POST', 'PUT'):
        body = {'volumeAttachment': {'volumeId': VOLUME_ID}}
    if key == 'GET /os-migrations':
        url += '?project_id=' + PROJECTS[persona]
    return method, url, body, VERSIONS.get(key, '2.1')


def _check(resp, outcome, rule):
    if outcome == OK:
        assert 200 <= resp.status < 300, resp
    elif outcome == ALLOWED:
        assert 200 <= resp.status < 300 or resp.status == 409, resp
        if resp.status == 409:
            assert list(resp.body) == ['conflictingRequest'], resp
    elif outcome == UNSUPPORTED:
        assert resp.status == 400, resp
        assert list(resp.body) == ['badRequest'], resp
    elif outcome == REFUSED_AFTER:
        assert resp.status == 400, resp
        assert list(resp.body) == ['badRequest'], resp
        assert resp.body['badRequest']['message'].startswith(
            'Compute service of '), resp
    elif outcome == NO_VOLUME:
        assert resp.status == 404, resp
        assert list(resp.body) == ['itemNotFound'], resp
        assert 'volume' in resp.body['itemNotFound']['message'], resp
    elif outcome == NOT_IMPLEMENTED:
        assert resp.status == 501, resp
        assert list(resp.body) == ['notImplemented'], resp
    elif outcome == F:
        assert resp.status == 403, resp
        assert resp.body == {'forbidden': {
            'code': 403,
            'message': "Policy doesn't allow %s to be performed." % rule}}
    else:
        assert outcome == NF
        assert resp.status == 404, resp
        assert list(resp.body) == ['itemNotFound'], resp


@pytest.mark.parametrize('key,persona',
                         list(itertools.product(ROUTE_KEYS, PERSONAS)))
def test_persona_route(cloud, world, key, persona):
    if key not in EXPECTED:
        pytest.fail('no row in EXPECTED for %s' % key)
    rule, outcomes = EXPECTED[key]
    outcome = outcomes[PERSONAS.index(persona)]
    method, url, body, microversion = _prepare(cloud, world, key, persona,
                                               outcome)
    resp = _client(cloud, persona).request(method, url, body=body,
                                           version=microversion)
    _check(resp, outcome, rule)


# Beyond one request per route ---------------------------------------------

def test_another_projects_lists_do_not_show_the_server(cloud, world):
    server_id = world['server_id']
    for path in ('/v2.1/servers', '/v2.1/servers/detail'):
        for persona in PERSONAS:
            ids = {s['id'] for s in _client(cloud, persona).get(
                path).body['servers']}
            # The admin's own list is its own project's too.
            expected = PROJECTS[persona] == PROJECT
            assert (server_id in ids) == expected, (persona, path)
        everyone = cloud.api.get(path + '?all_tenants=1').body['servers']
        assert server_id in {s['id'] for s in everyone}


def test_listing_all_projects_servers_is_the_admins(cloud):
    manager = _client(cloud, 'manager')
    for path, rule in (('/servers', 'index'), ('/servers/detail', 'detail')):
        resp = manager.get('/v2.1%s?all_tenants=1' % path)
        _check(resp, F, 'os_compute_api:servers:%s:get_all_tenants' % rule)


def test_a_manager_migrates_and_lists_its_projects_migrations(cloud, world):
    manager = _client(cloud, 'manager')
    server_id = world['pool'].take()
    resp = manager.post('/v2.1/servers/%s/action' % server_id,
                        {'migrate': {'host': 'compute1'}}, version='2.56')
    _check(resp, F, 'os_compute_api:os-migrate-server:migrate:host')
    resp = manager.post('/v2.1/servers/%s/action' % server_id,
                        {'migrate': None})
    assert resp.status == 202, resp
    cloud.wait_for_server(server_id, 'VERIFY_RESIZE')

    # Its own project's, asked for by name, without the hosts.
    resp = manager.get('/v2.1/os-migrations?project_id=' + PROJECT,
                       version='2.80')
    assert resp.status == 200, resp
    (mine,) = [m for m in resp.body['migrations']
               if m['instance_uuid'] == server_id]
    assert mine['project_id'] == PROJECT
    assert {m['project_id'] for m in resp.body['migrations']} == {PROJECT}
    for field in ('source_compute', 'source_node', 'dest_compute',
                  'dest_node', 'dest_host'):
        assert mine[field] is None, field
    # Every project's (or another's) is the admin's.
    for query in ('', '?project_id=' + OTHER_PROJECT):
        resp = manager.get('/v2.1/os-migrations' + query)
        _check(resp, F, 'os_compute_api:os-migrations:index:all_projects')
    resp = _client(cloud, 'member').get(
        '/v2.1/os-migrations?project_id=' + PROJECT)
    _check(resp, F, 'os_compute_api:os-migrations:index')
    (seen,) = [m for m in cloud.api.get('/v2.1/os-migrations').body[
        'migrations'] if m['instance_uuid'] == server_id]
    assert seen['source_compute'] in ('compute1', 'compute2')
    assert seen['dest_compute'] in ('compute1', 'compute2')

    # The member confirms the manager's migration.
    resp = _client(cloud, 'member').post(
        '/v2.1/servers/%s/action' % server_id, {'confirmResize': None})
    assert resp.status == 204, resp


def test_unlocking_what_an_admin_locked_is_the_admins(cloud, world):
    server_id = world['pool'].take()
    assert cloud.api.post('/v2.1/servers/%s/action' % server_id,
                          {'lock': None}).status == 202
    resp = _client(cloud, 'member').post(
        '/v2.1/servers/%s/action' % server_id, {'unlock': None})
    _check(resp, F, 'os_compute_api:os-lock-server:unlock:unlock_override')
    assert cloud.api.post('/v2.1/servers/%s/action' % server_id,
                          {'unlock': None}).status == 202


def test_identity_headers_a_client_sends_are_not_believed(cloud, world):
    reader = _client(cloud, 'reader')
    resp = reader.request(
        'POST', '/v2.1/servers/%s/action' % world['server_id'],
        body={'os-stop': None},
        headers={'X-Roles': 'admin,member', 'X-Identity-Status': 'Confirmed',
                 'X-Project-Id': 'admin', 'X-User-Id': 'admin'})
    _check(resp, F, 'os_compute_api:servers:stop')


@pytest.mark.parametrize('token,service_token', [
    ('', None), ('no-such-token', None),
    (TOKENS['member'], 'no-such-service-token')])
def test_no_or_an_unknown_token_is_401(cloud, token, service_token):
    headers = {'X-Service-Token': service_token} if service_token else {}
    resp = cloud.api.request('GET', '/v2.1/servers', token=token,
                             headers=headers)
    assert resp.status == 401, resp
    assert list(resp.body) == ['unauthorized']
    assert resp.headers['WWW-Authenticate'].startswith('Keystone uri=')
