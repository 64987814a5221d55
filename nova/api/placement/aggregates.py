"""GET /resource_providers/{uuid}/aggregates (1.1): the uuids of the
host aggregates the node's host is in."""

from nova.api.placement import resource_providers
from nova.api.policies import placement as policies
from nova.api import wsgi

GENERATION_VERSION = (1, 19)


def list_aggregates(req, uuid):
    provider = resource_providers.get_provider(req, uuid,
                                               policies.AGGREGATE_LIST)
    body = {'aggregates': provider['aggregates']}
    if req.is_version(GENERATION_VERSION):
        body['resource_provider_generation'] = provider['generation']
    return wsgi.json_response(body)
