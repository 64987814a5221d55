"""Microversions: the one list of what each version changed.

Handlers branch on named feature versions defined next to the resource they
concern (``nova/api/handlers/<resource>.py``), compared with ``req.version``.
A unit test checks that every feature version used is within the range
advertised here.
"""

import re

import microversion_parse

from nova import exception

SERVICE_TYPE = 'compute'
LEGACY_HEADER = 'X-OpenStack-Nova-API-Version'
STANDARD_HEADER = 'OpenStack-API-Version'

MIN_VERSION = (2, 1)
# The microversions whose changes to the resources served here are done:
#   2.2   keypair type; keypair create 201, delete 204
#   2.3   server extended attributes: OS-EXT-SRV-ATTR hostname, kernel_id,
#         launch_index, ramdisk_id, reservation_id, root_device_name,
#         user_data (admin); volumes_attached delete_on_termination
#   2.7   flavor addTenantAccess refuses a public flavor (409)
#   2.9   server locked
#   2.10  keypair user_id (admin)
#   2.11  os-services forced_down and force-down
#   2.13  server group project_id and user_id
#   2.15  server group soft-affinity and soft-anti-affinity policies
#   2.16  server host_status (policy)
#   2.19  server description
#   2.21  instance actions of deleted servers
#   2.23  os-migrations migration_type
#   2.26  server tags
#   2.28  hypervisor cpu_info is an object
#   2.33  hypervisor list pagination
#   2.35  keypair list pagination
#   2.36  limits drop network and security group entries; so do
#         os-quota-sets bodies and input (fixed_ips, floating_ips,
#         security_groups, security_group_rules); the /images and
#         /os-networks proxies are gone (404)
#   2.39  limits drop maxImageMeta
#   2.40  os-simple-tenant-usage pagination (limit, marker, links)
#   2.41  aggregate uuid
#   2.43  os-hosts is gone (404)
#   2.47  server flavor embedded (vcpus, ram, disk, ...) instead of a link
#   2.48  server diagnostics in the standard form
#   2.50  os-quota-class-sets: server_groups and server_group_members in,
#         the network quotas out
#   2.51  instance action events visible to their owners
#   2.53  os-services and hypervisor ids are uuids; PUT /os-services/{id};
#         hypervisor_hostname_pattern and with_servers replace the
#         hypervisor search and servers routes (404)
#   2.58  instance action updated_at, pagination
#   2.59  os-migrations uuid
#   2.54  rebuild response key_name
#   2.55  flavor description, PUT /flavors/{id}
#   2.57  rebuild response user_data; limits drop personality;
#         os-quota-sets and os-quota-class-sets drop injected_files,
#         injected_file_content_bytes, injected_file_path_bytes
#   2.61  flavor extra_specs in flavor views
#   2.62  instance action event host (admin) and hostId
#   2.63  server trusted_image_certificates
#   2.64  server group policy and rules (max_server_per_host) instead of
#         policies and metadata
#   2.71  server server_groups (show, update, rebuild; not detail)
#   2.73  server locked_reason
#   2.75  flavor swap is an integer even when 0; server PUT and rebuild
#         respond with the full server view; os-quota-sets refuses
#         unknown query parameters
#   2.80  os-migrations user_id and project_id
#   2.81  POST /os-aggregates/{id}/images (image pre-caching): validated,
#         then refused with a 400 that says no driver here can do it
#   2.84  instance action event details (admin)
#   2.86  flavor extra specs of known namespaces are validated
#   2.88  hypervisors drop resource figures, add uptime; no statistics,
#         no /os-hypervisors/{id}/uptime
#   2.90  OS-EXT-SRV-ATTR:hostname shown to non-admins too
#   2.92  keypair public_key required; '@' and '.' allowed in names
MAX_VERSION = (2, 92)

_VERSION_RE = re.compile(r'^([1-9]\d*)\.([1-9]\d*|0)$')


class APIVersion(tuple):
    """A (major, minor) tuple that prints as 'X.Y'."""

    def __new__(cls, major, minor):
        return super().__new__(cls, (major, minor))

    def __str__(self):
        return '%d.%d' % self


def fmt(version):
    return '%d.%d' % tuple(version)


def from_headers(headers):
    """The requested version, or raise the matching client error."""
    try:
        requested = microversion_parse.get_version(
            headers, SERVICE_TYPE, legacy_headers=[LEGACY_HEADER])
    except ValueError:
        requested = None
    if requested is None:
        return APIVersion(*MIN_VERSION)
    requested = requested.strip()
    if requested.lower() == 'latest':
        return APIVersion(*MAX_VERSION)
    match = _VERSION_RE.match(requested)
    if not match:
        raise exception.InvalidAPIVersionString(version=requested)
    version = APIVersion(int(match.group(1)), int(match.group(2)))
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise exception.InvalidGlobalAPIVersion(
            req_ver=requested, min_ver=fmt(MIN_VERSION),
            max_ver=fmt(MAX_VERSION))
    return version


def add_headers(response, version):
    response.headers[STANDARD_HEADER] = '%s %s' % (SERVICE_TYPE, version)
    response.headers[LEGACY_HEADER] = str(version)
    vary = [v.strip() for v in response.headers.get('Vary', '').split(',')
            if v.strip()]
    for header in (STANDARD_HEADER, LEGACY_HEADER):
        if header not in vary:
            vary.append(header)
    response.headers['Vary'] = ', '.join(vary)
