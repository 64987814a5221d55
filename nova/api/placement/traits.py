"""GET /resource_providers/{uuid}/traits (1.6): what upstream's compute
reports that holds here (COMPUTE_NODE; COMPUTE_STATUS_DISABLED for a
disabled compute service)."""

from nova.api.placement import resource_providers
from nova.api.policies import placement as policies
from nova.api import wsgi


def list_provider_traits(req, uuid):
    provider = resource_providers.get_provider(req, uuid,
                                               policies.RP_TRAIT_LIST)
    return wsgi.json_response({
        'traits': provider['traits'],
        'resource_provider_generation': provider['generation']})
