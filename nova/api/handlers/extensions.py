"""/extensions: the legacy (v2.0) extension list, kept for old clients.

Microversions replaced extensions; the list names the v2.0 extensions
whose features this API serves (upstream lists the ones it serves too).
"""

from nova.api.policies import extensions as policies
from nova.api import policy
from nova.api.views import extensions as views
from nova.api import wsgi
from nova import exception

# alias: (name, description)
EXTENSIONS = {
    'OS-DCF': ('DiskConfig', 'Disk Management Extension.'),
    'OS-EXT-AZ': ('ExtendedAvailabilityZone',
                  'Extended Availability Zone support.'),
    'OS-EXT-IMG-SIZE': ('ImageSize', 'Adds image size to image listings.'),
    'OS-EXT-IPS': ('ExtendedIps', 'Adds type parameter to the ip list.'),
    'OS-EXT-IPS-MAC': ('ExtendedIpsMac',
                       'Adds mac address parameter to the ip list.'),
    'OS-EXT-SRV-ATTR': ('ExtendedServerAttributes',
                        'Extended Server Attributes support.'),
    'OS-EXT-STS': ('ExtendedStatus', 'Extended Status support.'),
    'OS-FLV-DISABLED': ('FlavorDisabled', 'Support to show the disabled '
                        'status of a flavor.'),
    'OS-FLV-EXT-DATA': ('FlavorExtraData', 'Provide additional data for '
                        'flavors.'),
    'OS-SCH-HNT': ('SchedulerHints', 'Pass arbitrary key/value pairs to '
                   'the scheduler.'),
    'OS-SRV-USG': ('ServerUsage', 'Adds launched_at and terminated_at on '
                   'Servers.'),
    'os-access-ips': ('AccessIPs', 'Access IPs support.'),
    'os-admin-actions': ('AdminActions', 'Enable admin-only server '
                         'actions.'),
    'os-aggregates': ('Aggregates', 'Admin-only aggregate administration.'),
    'os-availability-zone': ('AvailabilityZone', '1. Add availability_zone '
                             'to the Create Server API. 2. Add availability '
                             'zones describing.'),
    'os-console-output': ('ConsoleOutput', 'Console log output support, '
                          'with tailing ability.'),
    # Upstream's static list still names the console extension; clients
    # (and Tempest) look it up.
    'os-consoles': ('Consoles', 'Interface for Console resource.'),
    'os-create-backup': ('CreateBackup', 'Create a backup of a server.'),
    'os-deferred-delete': ('DeferredDelete', 'Instance deferred delete.'),
    'os-flavor-access': ('FlavorAccess', 'Flavor access support.'),
    'os-flavor-extra-specs': ('FlavorExtraSpecs', 'Flavors extra specs '
                              'support.'),
    'os-flavor-manage': ('FlavorManage', 'Flavor create/delete API '
                         'support.'),
    'os-flavor-rxtx': ('FlavorRxtx', 'Support to show the rxtx status of a '
                       'flavor.'),
    'os-flavor-swap': ('FlavorSwap', 'Support to show the swap status of a '
                       'flavor.'),
    'os-hosts': ('Hosts', 'Admin-only host administration.'),
    'os-hypervisor-status': ('HypervisorStatus', 'Show hypervisor status.'),
    'os-hypervisors': ('Hypervisors', 'Admin-only hypervisor '
                       'administration.'),
    'os-instance-actions': ('InstanceActions', 'View a log of actions and '
                            'events taken on an instance.'),
    'os-instance_usage_audit_log': ('OSInstanceUsageAuditLog', 'Admin-only '
                                    'Task Log Monitoring.'),
    'os-keypairs': ('Keypairs', 'Keypair Support.'),
    'os-lock-server': ('LockServer', 'Enable lock/unlock server actions.'),
    'os-migrate-server': ('MigrateServer', 'Enable migrate server '
                          'actions.'),
    'os-migrations': ('Migrations', 'Provide data on migrations.'),
    'os-multiple-create': ('MultipleCreate', 'Allow multiple create in the '
                           'Create Server v2.1 API.'),
    'os-networks': ('Networks', 'Admin-only Network Management '
                    'Extension.'),
    'os-pause-server': ('PauseServer', 'Enable pause/unpause server '
                        'actions.'),
    'os-quota-class-sets': ('QuotaClasses', 'Quota classes management '
                            'support.'),
    'os-quota-sets': ('Quotas', 'Quotas management support.'),
    'os-rescue': ('Rescue', 'Instance rescue mode.'),
    'os-server-diagnostics': ('ServerDiagnostics', 'Allow Admins to view '
                              'server diagnostics through server id.'),
    'os-server-group-quotas': ('ServerGroupQuotas', 'Adds quota support to '
                               'server groups.'),
    'os-server-groups': ('ServerGroups', 'Server group support.'),
    'os-server-password': ('ServerPassword', 'Server password support.'),
    'os-server-sort-keys': ('ServerSortKeys', 'Add sorting support in get '
                            'Server v2 API.'),
    'os-server-start-stop': ('ServerStartStop', 'Start/Stop instance '
                             'compute API support.'),
    'os-services': ('Services', 'Services support.'),
    'os-shelve': ('Shelve', 'Instance shelve mode.'),
    'os-simple-tenant-usage': ('SimpleTenantUsage', 'Simple tenant usage '
                               'extension.'),
    'os-suspend-server': ('SuspendServer', 'Enable suspend/resume server '
                          'actions.'),
    'os-used-limits': ('UsedLimits', 'Provide data on limited resources '
                       'that are being used.'),
    'os-user-data': ('UserData', 'Add user_data to the Create Server API.'),
    'os-user-quotas': ('UserQuotas', 'Project user quota support.'),
}


def list_extensions(req):
    policy.authorize(req.context, policies.EXTENSIONS)
    return wsgi.json_response({'extensions': [
        views.show(alias, *EXTENSIONS[alias])
        for alias in sorted(EXTENSIONS)]})


def show_extension(req, alias):
    policy.authorize(req.context, policies.EXTENSIONS)
    if alias not in EXTENSIONS:
        raise exception.NotFound('Extension %s could not be found.' % alias)
    return wsgi.json_response(
        {'extension': views.show(alias, *EXTENSIONS[alias])})
