"""Placement microversions: what is served, and the header.

The versions a client may ask for run to MAX_VERSION; what each brings to
the routes served here:

    1.1   GET /resource_providers/{uuid}/aggregates
    1.3   member_of on GET /resource_providers
    1.4   resources on GET /resource_providers
    1.6   GET /resource_providers/{uuid}/traits
    1.9   GET /usages
    1.11  the 'allocations' link of a provider
    1.12  project_id and user_id in GET /allocations/{consumer_uuid}
    1.14  parent_provider_uuid and root_provider_uuid of a provider;
          in_tree on GET /resource_providers

Nothing newer is claimed: 1.15's cache headers, 1.18's required traits
and later filters are not done.  osc-placement asks for 1.29 first and
takes the max_version of the 406 it gets.
"""

import microversion_parse

from nova.api import microversion as compute_microversion
from nova import exception

APIVersion = compute_microversion.APIVersion

SERVICE_TYPE = 'placement'
HEADER = 'OpenStack-API-Version'
MIN_VERSION = (1, 0)
MAX_VERSION = (1, 14)
ENVIRON = 'placement.microversion'


def to_string(version):
    return '%d.%d' % version


class InvalidVersion(exception.Invalid):
    msg_fmt = 'invalid version string: %(version)s'


class UnacceptableVersion(exception.NovaException):
    msg_fmt = 'Unacceptable version header: %(version)s'
    code = 406


def from_headers(headers):
    """The version asked for: the minimum when none is, the maximum for
    'latest'; a malformed one is a 400, one outside the range a 406."""
    value = microversion_parse.get_version(headers,
                                           service_type=SERVICE_TYPE)
    if value is None:
        return APIVersion(*MIN_VERSION)
    if value.strip() == 'latest':
        return APIVersion(*MAX_VERSION)
    try:
        parts = [int(part) for part in value.strip().split('.')]
    except ValueError:
        raise InvalidVersion(version=value)
    if len(parts) != 2 or min(parts) < 0:
        raise InvalidVersion(version=value)
    version = APIVersion(*parts)
    if not MIN_VERSION <= version <= MAX_VERSION:
        raise UnacceptableVersion(version=value)
    return version


def add_headers(response, version):
    response.headers[HEADER] = '%s %s' % (SERVICE_TYPE, to_string(version))
    response.headers.add('Vary', HEADER)
